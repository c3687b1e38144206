import { HttpException, HttpStatus, Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { apiErrorBody } from './api-error.js';

/** `@nestjs/throttler`'s guard, answering 429 in the API's error shape with what the limit is and when to retry. */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpException(
      apiErrorBody(
        HttpStatus.TOO_MANY_REQUESTS,
        `more than ${detail.limit} requests in ${detail.ttl} ms from this client (HTTP_RATE_LIMIT, HTTP_RATE_LIMIT_WINDOW_MS); ` +
          `retry after ${detail.timeToBlockExpire} s (Retry-After)`,
      ),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
