import { Module, type DynamicModule } from '@nestjs/common';
import { DemoController } from './demo.controller.js';
import { DemoJobsHandlers } from './demo-jobs.handlers.js';

/**
 * The demo feature: its handlers exist wherever the app runs (job servers need them to execute `demo.*`); its
 * routes only where application routes are served.
 */
@Module({})
export class DemoModule {
  static register(options: { routes: boolean }): DynamicModule {
    return {
      module: DemoModule,
      controllers: options.routes ? [DemoController] : [],
      providers: [DemoJobsHandlers],
    };
  }
}
