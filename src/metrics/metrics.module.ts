import { Module } from '@nestjs/common';
import { ClusterLeader } from './cluster-leader.js';
import { ClusterMetrics } from './cluster.metrics.js';
import { EnqueueMetrics } from './enqueue.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics.registry.js';
import { MetricsService } from './metrics.service.js';
import { PoolMetrics } from './pool.metrics.js';
import { ProcessorMetrics } from './processor.metrics.js';

/**
 * Prometheus metrics at `GET /metrics`, in every deployment mode (job servers included), on a registry of this
 * application's own. Needs the global `JobsModule` and the `jobs` and `security` config slices.
 */
@Module({
  controllers: [MetricsController],
  providers: [
    MetricsRegistry,
    MetricsService,
    EnqueueMetrics,
    ProcessorMetrics,
    PoolMetrics,
    ClusterLeader,
    ClusterMetrics,
  ],
})
export class MetricsModule {}
