import { ApiPropertyOptional } from '@nestjs/swagger';
import { ANY_JSON } from '../../jobs-api/dto/job.response.js';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { JOB_NAME_PATTERN, MISSED_POLICIES, OVERLAP_POLICIES, type MissedPolicy, type OverlapPolicy } from '../../jobs/index.js';
import { OpaqueJson } from '../../http/opaque-json.decorators.js';

/**
 * Body of `PATCH /schedules/:name`: any of the fields of a schedule but its name. `{ "enabled": false }` pauses,
 * `{ "enabled": true }` resumes; schedules declared in code take only `enabled` (409 otherwise).
 */
export class UpdateScheduleDto {
  @ApiPropertyOptional({ example: '*/5 * * * *', maxLength: 256 })
  @IsOptional() @IsString() @MaxLength(256)
  cron?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', maxLength: 64, description: 'IANA time zone; default UTC' })
  @IsOptional() @IsString() @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ example: 'demo.echo', pattern: JOB_NAME_PATTERN.source })
  @IsOptional() @IsString() @Matches(JOB_NAME_PATTERN, { message: `jobName must match ${JOB_NAME_PATTERN}` })
  jobName?: string;

  /** Any JSON; `null` removes the payload. */
  @ApiPropertyOptional({ ...ANY_JSON, example: { format: 'pdf' } })
  @OpaqueJson()
  payload?: unknown;

  @ApiPropertyOptional({ enum: MISSED_POLICIES, default: 'skip', description: 'Ticks missed while no container ran: dropped, or one run' })
  @IsOptional() @IsIn(MISSED_POLICIES)
  missed?: MissedPolicy;

  @ApiPropertyOptional({ enum: OVERLAP_POLICIES, default: 'allow', description: '`skip`: no new run while the previous one is pending or processing' })
  @IsOptional() @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;

  @ApiPropertyOptional({ default: true, description: 'false pauses, true resumes' })
  @IsOptional() @IsBoolean()
  enabled?: boolean;
}
