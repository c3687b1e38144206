import { HttpStatus, RequestTimeoutException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { throwError, timeout, type Observable } from 'rxjs';
import { apiErrorBody } from './api-error.js';

/**
 * Answers 408 when a route has not answered within `timeoutMs` of being called (validation included). The server
 * stops waiting, not working: a statement already sent to Postgres still runs, so after a 408 the request may or
 * may not have taken effect. Look before repeating it, or repeat it with the same dedup `key`, which makes a
 * second enqueue return the first job instead of adding one.
 */
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(private readonly timeoutMs: number) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      timeout({
        first: this.timeoutMs,
        with: () =>
          throwError(
            () =>
              new RequestTimeoutException(
                apiErrorBody(
                  HttpStatus.REQUEST_TIMEOUT,
                  `no answer within ${this.timeoutMs} ms (HTTP_REQUEST_TIMEOUT_MS); the request may still take effect: ` +
                    'check before repeating it, or repeat it with the same dedup key',
                ),
              ),
          ),
      }),
    );
  }
}
