import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { JOB_NAME_PATTERN, MISSED_POLICIES, OVERLAP_POLICIES, type MissedPolicy, type OverlapPolicy } from '../../jobs/index.js';
import { OpaqueJson } from '../../http/opaque-json.decorators.js';

/**
 * Body of `PATCH /schedules/:name`: any of the fields of a schedule but its name. `{ "enabled": false }` pauses,
 * `{ "enabled": true }` resumes; schedules declared in code take only `enabled` (409 otherwise).
 */
export class UpdateScheduleDto {
  @IsOptional() @IsString() @MaxLength(256)
  cron?: string;

  @IsOptional() @IsString() @MaxLength(64)
  timezone?: string;

  @IsOptional() @IsString() @Matches(JOB_NAME_PATTERN, { message: `jobName must match ${JOB_NAME_PATTERN}` })
  jobName?: string;

  /** Any JSON; `null` removes the payload. */
  @OpaqueJson()
  payload?: unknown;

  @IsOptional() @IsIn(MISSED_POLICIES)
  missed?: MissedPolicy;

  @IsOptional() @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;

  @IsOptional() @IsBoolean()
  enabled?: boolean;
}
