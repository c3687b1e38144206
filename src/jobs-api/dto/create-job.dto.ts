import { IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { JOB_NAME_PATTERN } from '../../jobs/index.js';
import { OpaqueJson } from '../../http/opaque-json.decorators.js';

/** Body of `POST /jobs` and one element of `POST /jobs/batch`. Unknown fields are rejected. */
export class CreateJobDto {
  @IsString() @Matches(JOB_NAME_PATTERN, { message: `name must match ${JOB_NAME_PATTERN}` })
  name!: string;

  /** Any JSON, passed on exactly as sent; `JobsService` checks its size, depth and the handler's payload DTO. */
  @OpaqueJson()
  payload?: unknown;

  @IsOptional() @IsString() @Matches(JOB_NAME_PATTERN, { message: `queue must match ${JOB_NAME_PATTERN}` })
  queue?: string;

  @IsOptional() @IsInt() @Min(-1000) @Max(1000)
  priority?: number;

  @IsOptional() @IsISO8601({ strict: true, strictSeparator: true })
  runAt?: string;

  @IsOptional() @IsInt() @Min(0) @Max(315_360_000_000)
  delayMs?: number;

  @IsOptional() @IsInt() @Min(1) @Max(1000)
  maxAttempts?: number;

  @IsOptional() @IsString() @Length(1, 255)
  key?: string;
}
