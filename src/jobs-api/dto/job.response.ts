import { ApiProperty } from '@nestjs/swagger';
import { JOB_STATUSES, type Job, type JobAttemptError, type JobPage, type JobStatus } from '../../jobs/index.js';

/** Any JSON value: payloads and results are stored and returned exactly as given. */
export const ANY_JSON = { description: 'Any JSON value', nullable: true, type: 'object', additionalProperties: true } as const;

/** The last failure of a job. */
export class JobErrorDto {
  @ApiProperty({ example: 'SMTP server refused the message' })
  message!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Error: SMTP server refused the message\n    at send (mail.js:10:5)' })
  stack!: string | null;
}

/** One failed attempt of a job. */
export class JobAttemptErrorDto extends JobErrorDto implements JobAttemptError {
  @ApiProperty({ example: 1, minimum: 1 })
  attempt!: number;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

/** A job, as every jobs route returns it. */
export class JobDto implements Job {
  @ApiProperty({ description: 'A bigint, as a string so that JSON never loses precision', example: '42', pattern: '^[0-9]+$' })
  id!: string;

  @ApiProperty({ example: 'emails.send' })
  name!: string;

  @ApiProperty({ example: 'default' })
  queue!: string;

  @ApiProperty({ enum: JOB_STATUSES, example: 'pending' })
  status!: JobStatus;

  @ApiProperty({ minimum: -1000, maximum: 1000, example: 0, description: 'Lower runs first' })
  priority!: number;

  @ApiProperty({ ...ANY_JSON, example: { to: 'ada@example.com' } })
  payload!: unknown;

  @ApiProperty({ ...ANY_JSON, description: "The handler's return value once completed; null before", example: null })
  result!: unknown;

  @ApiProperty({ type: JobErrorDto, nullable: true, description: 'The last failure' })
  error!: JobErrorDto | null;

  @ApiProperty({ type: [JobAttemptErrorDto], description: 'Every failed attempt, oldest first' })
  errors!: JobAttemptErrorDto[];

  @ApiProperty({ minimum: 0, example: 0, description: 'Attempts started so far' })
  attempts!: number;

  @ApiProperty({ minimum: 1, maximum: 1000, example: 3 })
  maxAttempts!: number;

  @ApiProperty({ format: 'date-time', description: 'Not run before this time' })
  runAt!: string;

  @ApiProperty({ minimum: 0, maximum: 100, example: 0 })
  progress!: number;

  @ApiProperty({ type: String, nullable: true, example: 'order-1234', description: 'Dedup key: one live job per key' })
  key!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'host:4711:a1b2c3', description: 'The process that ran or runs it' })
  workerId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;
}

/** One page of `GET /jobs`, newest first. */
export class JobPageDto implements JobPage {
  @ApiProperty({ type: [JobDto] })
  items!: JobDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}

/** The answer of `POST /jobs/batch`: the jobs in the order given. */
export class JobsBatchResultDto {
  @ApiProperty({ type: [JobDto] })
  jobs!: JobDto[];
}
