import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JOB_HANDLER_METADATA, JOB_NAME_PATTERN } from './jobs.constants.js';
import type { JobHandlerMetadata } from './decorators/job-handler.decorator.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { providerMethods } from './provider-methods.js';
import { validateHandlerOptions } from './job-handler-options.validation.js';

/** Finds `@JobHandler` methods on every provider of every module and fills the registry. */
@Injectable()
export class JobHandlerExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly registry: JobHandlerRegistry,
  ) {}

  onModuleInit(): void {
    for (const { instance, method, source } of providerMethods(this.discovery, this.scanner)) {
      const metadata = this.reflector.get<JobHandlerMetadata | undefined>(JOB_HANDLER_METADATA, method);
      if (!metadata) continue;
      if (!JOB_NAME_PATTERN.test(metadata.name)) {
        throw new Error(`@JobHandler('${metadata.name}') on ${source}: job names must match ${JOB_NAME_PATTERN}.`);
      }
      validateHandlerOptions(metadata.options, source);
      this.registry.register({
        name: metadata.name,
        options: metadata.options,
        source,
        handle: method.bind(instance),
      });
    }
  }
}
