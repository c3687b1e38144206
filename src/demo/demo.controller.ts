import { Body, Controller, Post, UseInterceptors } from '@nestjs/common';
import { JobsService, type Job } from '../jobs/index.js';
import { FailPayload, SleepPayload } from './demo-payloads.js';
import { RequireApiToken } from '../auth/require-api-token.decorator.js';
import { UndeclaredInputInterceptor } from '../http/undeclared-input.interceptor.js';

/** How a feature module enqueues: inject `JobsService`, call `enqueue` with a name and a payload. */
@Controller('demo')
@RequireApiToken()
@UseInterceptors(UndeclaredInputInterceptor)
export class DemoController {
  constructor(private readonly jobs: JobsService) {}

  @Post('echo')
  async echo(@Body() body: Record<string, unknown>): Promise<Job> {
    return (await this.jobs.enqueue('demo.echo', body)).job;
  }

  @Post('sleep')
  async sleep(@Body() body: SleepPayload): Promise<Job> {
    return (await this.jobs.enqueue('demo.sleep', body)).job;
  }

  @Post('fail')
  async fail(@Body() body: FailPayload): Promise<Job> {
    return (await this.jobs.enqueue('demo.fail', body, { maxAttempts: (body.times ?? 2) + 1 })).job;
  }
}
