import { ApiProperty } from '@nestjs/swagger';
import { MISSED_POLICIES, OVERLAP_POLICIES, type MissedPolicy, type OverlapPolicy, type Schedule, type ScheduleRun, type ScheduleRunOutcome } from '../../jobs/index.js';
import { ANY_JSON } from '../../jobs-api/dto/job.response.js';

const RUN_OUTCOMES: ScheduleRunOutcome[] = ['enqueued', 'skipped_overlap', 'skipped_missed', 'failed', 'triggered'];

/** One decided tick or manual trigger of a schedule. */
export class ScheduleRunDto implements ScheduleRun {
  @ApiProperty({ format: 'date-time', description: "The tick's time (a trigger: when it was requested)" })
  fireTime!: string;

  @ApiProperty({ enum: RUN_OUTCOMES })
  outcome!: ScheduleRunOutcome;

  @ApiProperty({ type: String, nullable: true, example: '42' })
  jobId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'completed' })
  jobStatus!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'First missed tick this run stands for' })
  missedFrom!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The container that decided the tick; null for triggers' })
  firedBy!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why it was skipped or failed' })
  detail!: string | null;

  @ApiProperty({ format: 'date-time' })
  decidedAt!: string;
}

/** A schedule, as every schedules route returns it. */
export class ScheduleDto implements Schedule {
  @ApiProperty({ example: 'reports.nightly' })
  name!: string;

  @ApiProperty({ example: '0 3 * * *', description: '5 fields, or 6 with seconds first' })
  cron!: string;

  @ApiProperty({ example: 'Europe/Paris' })
  timezone!: string;

  @ApiProperty({ example: 'reports.build' })
  jobName!: string;

  @ApiProperty({ ...ANY_JSON, example: { format: 'pdf' } })
  payload!: unknown;

  @ApiProperty({ enum: MISSED_POLICIES })
  missed!: MissedPolicy;

  @ApiProperty({ enum: OVERLAP_POLICIES })
  overlap!: OverlapPolicy;

  @ApiProperty({ description: 'false: paused' })
  enabled!: boolean;

  @ApiProperty({ enum: ['code', 'api'], description: '`code`: declared in code (only `enabled` can change over HTTP)' })
  source!: 'code' | 'api';

  @ApiProperty({ type: String, nullable: true, example: 'ReportsService.nightly' })
  declaredIn!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null while paused' })
  nextFireAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastFireAt!: string | null;

  @ApiProperty({ type: [ScheduleRunDto], description: 'The latest runs, newest first' })
  lastRuns!: ScheduleRunDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/** The answer of `GET /schedules`. */
export class ScheduleListDto {
  @ApiProperty({ type: [ScheduleDto] })
  items!: ScheduleDto[];
}
