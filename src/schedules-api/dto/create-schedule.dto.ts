import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { JOB_NAME_PATTERN, MISSED_POLICIES, OVERLAP_POLICIES, type MissedPolicy, type OverlapPolicy } from '../../jobs/index.js';
import { OpaqueJson } from '../../http/opaque-json.decorators.js';

/**
 * Body of `POST /schedules`. Unknown fields are rejected; the cron expression, time zone, job name and payload are
 * checked by `SchedulesService` (400 naming the field).
 */
export class CreateScheduleDto {
  @IsString() @Matches(JOB_NAME_PATTERN, { message: `name must match ${JOB_NAME_PATTERN}` })
  name!: string;

  /** 5 fields, or 6 with seconds first. */
  @IsString() @MaxLength(256)
  cron!: string;

  /** IANA time zone. Default `UTC`. */
  @IsOptional() @IsString() @MaxLength(64)
  timezone?: string;

  @IsString() @Matches(JOB_NAME_PATTERN, { message: `jobName must match ${JOB_NAME_PATTERN}` })
  jobName!: string;

  /** Any JSON; checked against the handler's payload DTO when it declares one. */
  @OpaqueJson()
  payload?: unknown;

  /** Default `skip`. */
  @IsOptional() @IsIn(MISSED_POLICIES)
  missed?: MissedPolicy;

  /** Default `allow`. */
  @IsOptional() @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;

  /** Default true. */
  @IsOptional() @IsBoolean()
  enabled?: boolean;
}
