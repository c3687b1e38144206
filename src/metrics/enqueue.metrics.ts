import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Counter } from 'prom-client';
import { JobEvents } from '../jobs/index.js';
import { MetricsRegistry } from './metrics.registry.js';

/** `jobs_enqueued_total{queue,name}`: in every mode, since every process can enqueue. */
@Injectable()
export class EnqueueMetrics implements OnModuleDestroy {
  private readonly unsubscribe: () => void;

  constructor(events: JobEvents, registry: MetricsRegistry) {
    const enqueued = new Counter({
      name: 'jobs_enqueued_total',
      help: 'Jobs this process enqueued: new rows (an enqueue that matched a live dedup key is not counted).',
      labelNames: ['queue', 'name'] as const,
      registers: [registry],
    });
    this.unsubscribe = events.subscribe({ enqueued: (queue, name, count) => enqueued.inc({ queue, name }, count) });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }
}
