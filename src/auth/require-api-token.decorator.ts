import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ApiErrorDto } from '../http/api-error.dto.js';
import { errorDescription } from '../openapi/api-errors.decorator.js';
import { API_TOKEN_SECURITY_SCHEME } from './api-token-realm.js';
import { ApiTokenGuard } from './api-token.guard.js';

/**
 * Puts every route of the controller behind JOBS_API_TOKEN (when it is set): `ApiTokenGuard`, plus the bearer scheme
 * and the 401 in the OpenAPI document. The guard on a controller is the single record of what is protected:
 * `configureApp` finds the controllers that carry it (`apiTokenPathPrefixes`) and mounts the token check on their
 * paths before the body parser, so a request without a valid token is a 401 before its body is read (never a 400,
 * 413 or 415); the guard then checks again inside Nest.
 *
 * Controller-level only: put routes that must stay open (a page, a probe) in a controller of their own.
 */
export const RequireApiToken = (): ClassDecorator =>
  applyDecorators(
    UseGuards(ApiTokenGuard),
    ApiBearerAuth(API_TOKEN_SECURITY_SCHEME),
    ApiResponse({ status: 401, description: errorDescription(401), type: ApiErrorDto }),
  );
