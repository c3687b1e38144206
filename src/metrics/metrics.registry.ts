import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * Default metrics left out: gauges named like counters (`promtool check metrics` refuses a `_total` gauge), each the
 * sum over the `type` label of `nodejs_active_handles`, `nodejs_active_requests` and `nodejs_active_resources`.
 */
const MISNAMED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * This application's own prom-client registry (never the library's global one, so that several applications in one
 * process, as in tests, keep their figures apart), with the standard process and Node.js metrics (`process_*`,
 * `nodejs_*`) every Node service exposes.
 */
@Injectable()
export class MetricsRegistry extends Registry {
  constructor() {
    super();
    collectDefaultMetrics({ register: this });
    for (const name of MISNAMED_DEFAULTS) this.removeSingleMetric(name);
  }
}
