import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { JOB_NAME_PATTERN, JOB_STATUSES, type JobStatus } from '../../jobs/index.js';

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** Query of `GET /jobs`. Unknown parameters are rejected. */
export class ListJobsQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional() @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional({ example: 'demo.echo', pattern: JOB_NAME_PATTERN.source })
  @IsOptional() @IsString() @Matches(JOB_NAME_PATTERN, { message: `name must match ${JOB_NAME_PATTERN}` })
  name?: string;

  @ApiPropertyOptional({ example: 'default', pattern: JOB_NAME_PATTERN.source })
  @IsOptional() @IsString() @Matches(JOB_NAME_PATTERN, { message: `queue must match ${JOB_NAME_PATTERN}` })
  queue?: string;

  /** Default 50, at most JOBS_MAX_PAGE_SIZE (500), which `JobsService.list` checks. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 50, description: 'At most JOBS_MAX_PAGE_SIZE' })
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 64, description: '`nextCursor` of the previous page' })
  @IsOptional() @IsString() @MaxLength(64)
  cursor?: string;
}
