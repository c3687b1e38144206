import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { JOB_NAME_PATTERN, JOB_STATUSES, type JobStatus } from '../../jobs/index.js';

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** Query of `GET /jobs`. Unknown parameters are rejected. */
export class ListJobsQueryDto {
  @IsOptional() @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @IsOptional() @IsString() @Matches(JOB_NAME_PATTERN, { message: `name must match ${JOB_NAME_PATTERN}` })
  name?: string;

  @IsOptional() @IsString() @Matches(JOB_NAME_PATTERN, { message: `queue must match ${JOB_NAME_PATTERN}` })
  queue?: string;

  /** Default 50, at most JOBS_MAX_PAGE_SIZE (500), which `JobsService.list` checks. */
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1)
  limit?: number;

  @IsOptional() @IsString() @MaxLength(64)
  cursor?: string;
}
