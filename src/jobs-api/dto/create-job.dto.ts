import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ANY_JSON } from './job.response.js';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { JOB_NAME_PATTERN } from '../../jobs/index.js';
import { OpaqueJson } from '../../http/opaque-json.decorators.js';

/** Body of `POST /jobs` and one element of `POST /jobs/batch`. Unknown fields are rejected. */
export class CreateJobDto {
  @ApiProperty({ description: 'A job name with a registered handler', example: 'demo.echo', pattern: JOB_NAME_PATTERN.source })
  @IsString() @Matches(JOB_NAME_PATTERN, { message: `name must match ${JOB_NAME_PATTERN}` })
  name!: string;

  /** Any JSON, passed on exactly as sent; `JobsService` checks its size, depth and the handler's payload DTO. */
  @ApiPropertyOptional({ ...ANY_JSON, description: 'Any JSON, at most JOBS_MAX_PAYLOAD_BYTES (413) and JOBS_MAX_PAYLOAD_DEPTH deep (400)', example: { hello: 'world' } })
  @OpaqueJson()
  payload?: unknown;

  @ApiPropertyOptional({ description: 'Default `default`', example: 'emails', pattern: JOB_NAME_PATTERN.source })
  @IsOptional() @IsString() @Matches(JOB_NAME_PATTERN, { message: `queue must match ${JOB_NAME_PATTERN}` })
  queue?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: -1000, maximum: 1000, default: 0, description: 'Lower runs first', example: 0 })
  @IsOptional() @IsInt() @Min(-1000) @Max(1000)
  priority?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Not run before this time', example: '2030-01-01T09:00:00Z' })
  @IsOptional() @IsISO8601({ strict: true, strictSeparator: true })
  runAt?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 315_360_000_000, description: 'Not run before now + delayMs', example: 5000 })
  @IsOptional() @IsInt() @Min(0) @Max(315_360_000_000)
  delayMs?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, description: "Default: the handler's, else 3", example: 3 })
  @IsOptional() @IsInt() @Min(1) @Max(1000)
  maxAttempts?: number;

  @ApiPropertyOptional({ minLength: 1, maxLength: 255, description: 'Dedup key: while a job with this key is live, the same request returns it (200)', example: 'order-1234' })
  @IsOptional() @IsString() @Length(1, 255)
  key?: string;
}
