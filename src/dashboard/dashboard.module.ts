import { Module } from '@nestjs/common';
import { DashboardAssets } from './dashboard-assets.js';
import { DashboardDataController } from './dashboard-data.controller.js';
import { DashboardPageController } from './dashboard-page.controller.js';

/**
 * The operator's dashboard at `/dashboard`: a page and its hand-written front end (no build step, no CDN), plus the
 * data routes the jobs and schedules APIs do not cover. Imported only where application routes are served, never
 * by job-only servers.
 */
@Module({
  controllers: [DashboardPageController, DashboardDataController],
  providers: [DashboardAssets],
})
export class DashboardModule {}
