import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { ApiErrorDto } from '../http/api-error.dto.js';
import { errorDescription } from '../openapi/api-errors.decorator.js';
import { API_TOKEN_SECURITY_SCHEME } from './api-token-realm.js';
import { ApiTokenGuard } from './api-token.guard.js';

/** Metadata key marking a controller whose every route requires JOBS_API_TOKEN. */
export const REQUIRES_API_TOKEN = 'auth:requires_api_token';

/**
 * Puts every route of the controller behind JOBS_API_TOKEN (when it is set): the single source of truth for what is
 * protected. `configureApp` reads the marker from the controllers and mounts the token check on their paths before
 * the body parser, so a request without a valid token is a 401 before its body is read (never a 400, 413 or 415);
 * `ApiTokenGuard` checks again inside Nest. The OpenAPI document gets the bearer scheme and the 401.
 *
 * Controller-level only: put routes that must stay open (a page, a probe) in a controller of their own.
 */
export const RequireApiToken = (): ClassDecorator =>
  applyDecorators(
    SetMetadata(REQUIRES_API_TOKEN, true),
    UseGuards(ApiTokenGuard),
    ApiBearerAuth(API_TOKEN_SECURITY_SCHEME),
    ApiResponse({ status: 401, description: errorDescription(401), type: ApiErrorDto }),
  );
