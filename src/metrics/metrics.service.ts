import { Injectable } from '@nestjs/common';
import { ClusterMetrics } from './cluster.metrics.js';
import { MetricsRegistry } from './metrics.registry.js';

/** The exposition text of `GET /metrics`: this process's metrics, plus the cluster-wide gauges where it exports them. */
@Injectable()
export class MetricsService {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly cluster: ClusterMetrics,
  ) {}

  /** The Prometheus text format's content type (version 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format. */
  async exposition(): Promise<string> {
    // The cluster part first: it decides `jobs_cluster_exporter`, which the process's part then reports.
    const cluster = await this.cluster.exposition();
    return (await this.registry.metrics()) + cluster;
  }
}
