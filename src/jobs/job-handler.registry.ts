import { Injectable } from '@nestjs/common';
import type { JobContext } from './interfaces/job-context.interface.js';
import type { JobHandlerOptions } from './interfaces/job-handler-options.interface.js';

export type JobHandlerFunction = (payload: unknown, context: JobContext) => unknown;

export interface RegisteredJobHandler {
  name: string;
  options: JobHandlerOptions;
  /** `ClassName.method`, for messages. */
  source: string;
  handle: JobHandlerFunction;
}

/** Every `@JobHandler` of the application, by job name. Filled by `JobHandlerExplorer` before bootstrap. */
@Injectable()
export class JobHandlerRegistry {
  private readonly handlers = new Map<string, RegisteredJobHandler>();

  /** Adds a handler; a second handler for one name is a start-up error naming both. */
  register(handler: RegisteredJobHandler): void {
    const existing = this.handlers.get(handler.name);
    if (existing) {
      throw new Error(
        `Two job handlers are named '${handler.name}': ${existing.source} and ${handler.source}. ` +
          'Job names must be unique; rename one of them.',
      );
    }
    this.handlers.set(handler.name, handler);
  }

  get(name: string): RegisteredJobHandler | undefined {
    return this.handlers.get(name);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }
}
