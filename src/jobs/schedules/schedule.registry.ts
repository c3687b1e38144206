import { Injectable } from '@nestjs/common';
import type { ResolvedScheduleDefinition, ScheduleDefinition } from './interfaces/schedule.interface.js';
import { resolveScheduleDefinition } from './schedule-definition.validation.js';

export interface DeclaredSchedule {
  definition: ResolvedScheduleDefinition;
  /** Where code declares it (`Class.method`, or the module option), for messages and `declaredIn`. */
  source: string;
}

/**
 * The schedules this process's code declares, by name: `@Scheduled` methods, the `schedules` module option and the
 * built-in maintenance. Filled before bootstrap; an invalid or duplicate declaration stops start-up naming it.
 */
@Injectable()
export class ScheduleRegistry {
  private readonly schedules = new Map<string, DeclaredSchedule>();

  /** Adds a declaration; checks its name, cron, time zone and policies now, its job name and payload at bootstrap. */
  register(definition: ScheduleDefinition, source: string): void {
    let resolved: ResolvedScheduleDefinition;
    try {
      resolved = resolveScheduleDefinition(definition);
    } catch (error) {
      throw new Error(`Invalid schedule '${String(definition.name)}' declared in ${source}: ${(error as Error).message}.`);
    }
    const existing = this.schedules.get(resolved.name);
    if (existing) {
      throw new Error(
        `Two schedules are named '${resolved.name}': ${existing.source} and ${source}. ` +
          'Schedule names must be unique; give one of them another `name`.',
      );
    }
    this.schedules.set(resolved.name, { definition: resolved, source });
  }

  get(name: string): DeclaredSchedule | undefined {
    return this.schedules.get(name);
  }

  all(): DeclaredSchedule[] {
    return [...this.schedules.values()];
  }

  names(): string[] {
    return [...this.schedules.keys()];
  }
}
