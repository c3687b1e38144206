import { Controller, Get, HttpStatus, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DASHBOARD_PAGE, DashboardAssets, type DashboardAsset } from './dashboard-assets.js';
import { setDashboardHeaders } from './dashboard-headers.js';

/**
 * The dashboard's page and its static files. Both load without a token: they hold no data; the page asks for the
 * token when the data routes answer 401 (see `DashboardDataController`). Loading the page fetches some twenty
 * files: they do not count against HTTP_RATE_LIMIT, which budgets API calls (the page's polling does count).
 */
@Controller('dashboard')
@SkipThrottle()
export class DashboardPageController {
  constructor(private readonly assets: DashboardAssets) {}

  @Get()
  @ApiExcludeEndpoint()
  page(@Req() request: Request, @Res() response: Response): void {
    this.send(this.assets.get(DASHBOARD_PAGE)!, request, response);
  }

  @Get('assets/:file')
  @ApiExcludeEndpoint()
  asset(@Param('file') file: string, @Req() request: Request, @Res() response: Response): void {
    const asset = file === DASHBOARD_PAGE ? undefined : this.assets.get(file);
    if (!asset) throw new NotFoundException(`No dashboard asset named ${JSON.stringify(file.slice(0, 100))}`);
    this.send(asset, request, response);
  }

  private send(asset: DashboardAsset, request: Request, response: Response): void {
    setDashboardHeaders(response, asset.contentType, asset.etag);
    if (request.headers['if-none-match'] === asset.etag) {
      response.status(HttpStatus.NOT_MODIFIED).end();
      return;
    }
    response.status(HttpStatus.OK).end(asset.body);
  }
}
