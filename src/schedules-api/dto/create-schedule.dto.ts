import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ANY_JSON } from '../../jobs-api/dto/job.response.js';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { JOB_NAME_PATTERN, MISSED_POLICIES, OVERLAP_POLICIES, type MissedPolicy, type OverlapPolicy } from '../../jobs/index.js';
import { OpaqueJson } from '../../http/opaque-json.decorators.js';

/**
 * Body of `POST /schedules`. Unknown fields are rejected; the cron expression, time zone, job name and payload are
 * checked by `SchedulesService` (400 naming the field).
 */
export class CreateScheduleDto {
  @ApiProperty({ example: 'reports.nightly', pattern: JOB_NAME_PATTERN.source })
  @IsString() @Matches(JOB_NAME_PATTERN, { message: `name must match ${JOB_NAME_PATTERN}` })
  name!: string;

  /** 5 fields, or 6 with seconds first. */
  @ApiProperty({ example: '0 3 * * *', maxLength: 256, description: '5 fields, or 6 with seconds first' })
  @IsString() @MaxLength(256)
  cron!: string;

  /** IANA time zone. Default `UTC`. */
  @ApiPropertyOptional({ example: 'Europe/Paris', maxLength: 64, description: 'IANA time zone; default UTC' })
  @IsOptional() @IsString() @MaxLength(64)
  timezone?: string;

  @ApiProperty({ example: 'demo.echo', pattern: JOB_NAME_PATTERN.source, description: 'A job name with a registered handler' })
  @IsString() @Matches(JOB_NAME_PATTERN, { message: `jobName must match ${JOB_NAME_PATTERN}` })
  jobName!: string;

  /** Any JSON; checked against the handler's payload DTO when it declares one. */
  @ApiPropertyOptional({ ...ANY_JSON, example: { format: 'pdf' } })
  @OpaqueJson()
  payload?: unknown;

  /** Default `skip`. */
  @ApiPropertyOptional({ enum: MISSED_POLICIES, default: 'skip', description: 'Ticks missed while no container ran: dropped, or one run' })
  @IsOptional() @IsIn(MISSED_POLICIES)
  missed?: MissedPolicy;

  /** Default `allow`. */
  @ApiPropertyOptional({ enum: OVERLAP_POLICIES, default: 'allow', description: '`skip`: no new run while the previous one is pending or processing' })
  @IsOptional() @IsIn(OVERLAP_POLICIES)
  overlap?: OverlapPolicy;

  /** Default true. */
  @ApiPropertyOptional({ default: true, description: 'false pauses, true resumes' })
  @IsOptional() @IsBoolean()
  enabled?: boolean;
}
