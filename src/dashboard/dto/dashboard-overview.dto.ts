import { ApiProperty } from '@nestjs/swagger';
import { JOB_STATUSES, type JobStatus } from '../../jobs/index.js';

/** Jobs of one queue in one status. */
export class JobCountDto {
  @ApiProperty({ example: 'default' })
  queue!: string;

  @ApiProperty({ enum: JOB_STATUSES })
  status!: JobStatus;

  @ApiProperty({ type: 'integer', example: 12 })
  count!: number;
}

/** The cluster-wide counts snapshot (`JobStatsService.counts`). */
export class JobCountsDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the snapshot was counted (database clock); null before the first count' })
  takenAt!: Date | null;

  @ApiProperty({ type: [JobCountDto], description: 'Every (queue, status) pair with at least one job' })
  byQueue!: JobCountDto[];

  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(JOB_STATUSES.map((status) => [status, { type: 'integer' }])),
    description: 'Per status over all queues; every status present',
  })
  totals!: Record<JobStatus, number>;
}

/** Jobs that finished in one minute. */
export class ThroughputMinuteDto {
  @ApiProperty({ type: String, format: 'date-time', description: 'Start of the minute (database clock)' })
  minute!: Date;

  @ApiProperty({ type: 'integer' })
  completed!: number;

  @ApiProperty({ type: 'integer' })
  failed!: number;
}

/** `GET /dashboard/api/overview`. */
export class DashboardOverviewDto {
  @ApiProperty({ type: JobCountsDto })
  counts!: JobCountsDto;

  @ApiProperty({ type: [ThroughputMinuteDto], description: 'Completed and failed per minute over the last hour, oldest first' })
  throughput!: ThroughputMinuteDto[];
}

/** A job name this application has a handler for, with the queue its jobs go to by default. */
export class JobTypeDto {
  @ApiProperty({ example: 'demo.sleep' })
  name!: string;

  @ApiProperty({ example: 'default' })
  queue!: string;
}

/** `GET /dashboard/api/job-types`. */
export class JobTypesDto {
  @ApiProperty({ type: [JobTypeDto] })
  items!: JobTypeDto[];
}
