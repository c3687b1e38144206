import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { badRequest } from './api-error.js';

/** The kinds of arguments a handler declares (`@Body()`, `@Query()`, …), from the metadata Nest's router reads. */
function declaredArguments(context: ExecutionContext): Set<number> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as object;
  return new Set(Object.keys(args).map((key) => Number(key.split(':')[0])));
}

/**
 * Unknown input is refused also where a route declares none: a query parameter on a route without `@Query()`, or
 * a body field on a route without `@Body()` (`POST /jobs/1/cancel` with `{ "force": true }`), is a 400 naming it,
 * as the ValidationPipe names the unknown fields of the routes that do declare them. No body and `{}` pass.
 */
@Injectable()
export class UndeclaredInputInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const declared = declaredArguments(context);
    if (declared.has(RouteParamtypes.REQUEST)) return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const [parameter] = Object.keys(request.query ?? {});
    if (parameter !== undefined && !declared.has(RouteParamtypes.QUERY)) {
      throw badRequest(parameter, `property ${parameter} should not exist`);
    }
    const body: unknown = request.body;
    if (body !== undefined && !declared.has(RouteParamtypes.BODY)) {
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('body', 'this route takes no body');
      const [field] = Object.keys(body);
      if (field !== undefined) throw badRequest(field, `property ${field} should not exist`);
    }
    return next.handle();
  }
}
