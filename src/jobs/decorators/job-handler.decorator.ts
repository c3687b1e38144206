import { SetMetadata } from '@nestjs/common';
import { JOB_HANDLER_METADATA } from '../jobs.constants.js';
import type { JobHandlerOptions } from '../interfaces/job-handler-options.interface.js';

export interface JobHandlerMetadata {
  name: string;
  options: JobHandlerOptions;
}

/**
 * Marks a provider method as the handler of jobs named `name` (`'<domain>.<action>'`, matching
 * `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`). The method receives `(payload, context: JobContext)`; what it returns
 * is stored as the job's result. It only stores metadata: `JobHandlerExplorer` finds it at start-up, and two handlers
 * with one name stop start-up.
 */
export const JobHandler = (name: string, options: JobHandlerOptions = {}): MethodDecorator =>
  SetMetadata<string, JobHandlerMetadata>(JOB_HANDLER_METADATA, { name, options });
