import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JOB_HANDLER_METADATA, JOBS_MODULE_OPTIONS } from '../jobs.constants.js';
import type { JobHandlerMetadata } from '../decorators/job-handler.decorator.js';
import type { JobsModuleOptions } from '../interfaces/jobs-module-options.interface.js';
import { SCHEDULED_METADATA } from './schedules.constants.js';
import type { ScheduledMetadata } from './decorators/scheduled.decorator.js';
import { ScheduleRegistry } from './schedule.registry.js';
import { providerMethods } from '../provider-methods.js';

/** Finds `@Scheduled` methods on every provider, and the `schedules` module option, and fills the registry. */
@Injectable()
export class ScheduleExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly registry: ScheduleRegistry,
    @Inject(JOBS_MODULE_OPTIONS) private readonly options: JobsModuleOptions,
  ) {}

  onModuleInit(): void {
    for (const { method, source } of providerMethods(this.discovery, this.scanner)) {
      const declarations = this.reflector.get<ScheduledMetadata[] | undefined>(SCHEDULED_METADATA, method);
      if (!declarations) continue;
      const handler = this.reflector.get<JobHandlerMetadata | undefined>(JOB_HANDLER_METADATA, method);
      if (!handler) {
        throw new Error(`@Scheduled on ${source} needs @JobHandler('<name>') on the same method: a schedule enqueues that job.`);
      }
      for (const { cron, options } of declarations) {
        const { name, ...rest } = options;
        this.registry.register({ ...rest, name: name ?? handler.name, cron, jobName: handler.name }, source);
      }
    }
    for (const definition of this.options.schedules ?? []) {
      this.registry.register(definition, 'JobsModule options (schedules)');
    }
  }
}
