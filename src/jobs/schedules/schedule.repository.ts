import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobsDatabase } from '../jobs-database.js';
import type { Statement } from '../sql/statement.js';
import { scheduleTablesOf } from './sql/schedule-tables.js';
import { claimDueScheduleStatement } from './sql/claim-due-schedule.sql.js';
import { insertFireStatement } from './sql/insert-fire.sql.js';
import { recordFireOutcomeStatement } from './sql/record-fire-outcome.sql.js';
import { advanceScheduleStatement } from './sql/advance-schedule.sql.js';
import { nextFireTimeStatement } from './sql/next-fire-time.sql.js';
import { databaseClockStatement } from './sql/database-clock.sql.js';
import { upsertCodeScheduleStatement } from './sql/upsert-code-schedule.sql.js';
import { insertScheduleStatement } from './sql/insert-schedule.sql.js';
import { lockScheduleStatement, shareScheduleStatement } from './sql/lock-schedule.sql.js';
import { updateScheduleStatement } from './sql/update-schedule.sql.js';
import { deleteScheduleStatement } from './sql/delete-schedule.sql.js';
import { insertTriggerFireStatement } from './sql/insert-trigger-fire.sql.js';
import { listSchedulesStatement } from './sql/list-schedules.sql.js';
import { pruneScheduleFiresStatement } from './sql/prune-schedule-fires.sql.js';
import type { ScheduleListRow, ScheduleRow } from './schedule-row.mapper.js';
import type { ResolvedScheduleDefinition, ScheduleRunOutcome } from './interfaces/schedule.interface.js';

/** A due schedule as the claim returns it. */
export interface DueScheduleRow extends Pick<ScheduleRow, 'name' | 'cron' | 'timezone' | 'job_name' | 'payload' | 'missed' | 'overlap'> {
  next_fire_at: Date;
  db_now: Date;
}

/** Which schedules a container may fire: API ones, code ones it declares, and only job names it handles. */
export interface FiringScope {
  declared: string[];
  handled: string[];
}

/** A schedule's stored fields, ready to write. */
export interface ScheduleWrite extends ResolvedScheduleDefinition {
  enabled: boolean;
  nextFireAt: Date | null;
}

/**
 * Every statement on the schedule tables. Statements inside a transaction run on its connection (`manager`), the
 * others on the pool as named statements.
 */
@Injectable()
export class ScheduleRepository {
  private readonly statements: Record<string, Statement>;

  constructor(private readonly database: JobsDatabase) {
    const tables = scheduleTablesOf(database.schema);
    this.statements = {
      claimDue: claimDueScheduleStatement(tables),
      insertFire: insertFireStatement(tables),
      fireOutcome: recordFireOutcomeStatement(tables),
      advance: advanceScheduleStatement(tables),
      next: nextFireTimeStatement(tables),
      clock: databaseClockStatement(tables),
      upsertCode: upsertCodeScheduleStatement(tables),
      insert: insertScheduleStatement(tables),
      lock: lockScheduleStatement(tables),
      share: shareScheduleStatement(tables),
      update: updateScheduleStatement(tables),
      delete: deleteScheduleStatement(tables),
      triggerFire: insertTriggerFireStatement(tables),
      list: listSchedulesStatement(tables),
      pruneFires: pruneScheduleFiresStatement(tables),
    };
  }

  async claimDue(manager: EntityManager, scope: FiringScope): Promise<DueScheduleRow | undefined> {
    return (await this.rows<DueScheduleRow>('claimDue', [scope.declared, scope.handled], manager))[0];
  }

  /** True when this call recorded the tick (it won the decision). */
  async insertFire(
    manager: EntityManager,
    fire: { name: string; fireTime: Date; outcome: ScheduleRunOutcome; missedFrom: Date | null; firedBy: string },
  ): Promise<boolean> {
    const rows = await this.rows('insertFire', [fire.name, fire.fireTime, fire.outcome, fire.missedFrom, fire.firedBy], manager);
    return rows.length === 1;
  }

  async recordFireOutcome(
    manager: EntityManager,
    name: string,
    fireTime: Date,
    outcome: ScheduleRunOutcome,
    jobId: string | null,
    detail: string | null,
  ): Promise<void> {
    await this.rows('fireOutcome', [name, fireTime, outcome, jobId, detail], manager);
  }

  async advance(manager: EntityManager, name: string, next: Date | null, lastFireAt: Date | null): Promise<void> {
    await this.rows('advance', [name, next, lastFireAt], manager);
  }

  async nextFireTime(scope: FiringScope): Promise<{ next_fire_at: Date | null; db_now: Date }> {
    return (await this.rows<{ next_fire_at: Date | null; db_now: Date }>('next', [scope.declared, scope.handled]))[0];
  }

  async databaseNow(manager?: EntityManager): Promise<Date> {
    return (await this.rows<{ db_now: Date }>('clock', [], manager))[0].db_now;
  }

  /** Start-up sync of a code schedule; returns whether it was created, changed, or left as it was. */
  async upsertCode(definition: ResolvedScheduleDefinition, nextFireAt: Date): Promise<'created' | 'updated' | 'unchanged'> {
    const [row] = await this.rows<{ created: boolean }>('upsertCode', [...definitionValues(definition), nextFireAt]);
    return !row ? 'unchanged' : row.created ? 'created' : 'updated';
  }

  /** False when the name is taken. */
  async insert(schedule: ScheduleWrite): Promise<boolean> {
    const rows = await this.rows('insert', [...definitionValues(schedule), schedule.enabled, schedule.nextFireAt]);
    return rows.length === 1;
  }

  async lock(manager: EntityManager, name: string): Promise<(ScheduleRow & { db_now: Date }) | undefined> {
    return (await this.rows<ScheduleRow & { db_now: Date }>('lock', [name], manager))[0];
  }

  async share(manager: EntityManager, name: string): Promise<ScheduleRow | undefined> {
    return (await this.rows<ScheduleRow>('share', [name], manager))[0];
  }

  async update(manager: EntityManager, schedule: ScheduleWrite): Promise<void> {
    await this.rows('update', [...definitionValues(schedule), schedule.enabled, schedule.nextFireAt], manager);
  }

  /** False when there was no such schedule. */
  async delete(name: string): Promise<boolean> {
    return (await this.rows('delete', [name])).length === 1;
  }

  async insertTriggerFire(manager: EntityManager, name: string, jobId: string): Promise<void> {
    await this.rows('triggerFire', [name, jobId], manager);
  }

  list(name: string | null, runs: number): Promise<ScheduleListRow[]> {
    return this.rows<ScheduleListRow>('list', [name, runs]);
  }

  /** Rows deleted by one batch. */
  async pruneFires(days: number, batchSize: number): Promise<number> {
    const result = await this.database.pool.query({ ...this.statements.pruneFires, values: [days, batchSize] });
    return result.rowCount ?? 0;
  }

  private async rows<Row = Record<string, unknown>>(key: string, values: unknown[], manager?: EntityManager): Promise<Row[]> {
    const statement = this.statements[key];
    if (manager) {
      // The transaction's own connection; the structured result gives rows for UPDATE … RETURNING too.
      if (!manager.queryRunner) throw new Error('ScheduleRepository: the manager must belong to a transaction');
      const result = await manager.queryRunner.query(statement.text, values, true);
      return (result.records ?? []) as Row[];
    }
    const result = await this.database.pool.query({ name: statement.name, text: statement.text, values });
    return result.rows as Row[];
  }
}

/** $1…$7 of the statements that write a definition; the payload as JSON text (null for none). */
const definitionValues = (definition: ResolvedScheduleDefinition): unknown[] => [
  definition.name,
  definition.cron,
  definition.timezone,
  definition.jobName,
  definition.payload === null || definition.payload === undefined ? null : JSON.stringify(definition.payload),
  definition.missed,
  definition.overlap,
];
