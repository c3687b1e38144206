import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BODY_ERRORS, COMMON_ERRORS } from '../openapi/api-errors.decorator.js';
import { JobDto } from '../jobs-api/dto/job.response.js';
import { Body, Controller, Post, UseInterceptors } from '@nestjs/common';
import { JobsService, type Job } from '../jobs/index.js';
import { FailPayload, SleepPayload } from './demo-payloads.js';
import { RequireApiToken } from '../auth/require-api-token.decorator.js';
import { UndeclaredInputInterceptor } from '../http/undeclared-input.interceptor.js';

/** How a feature module enqueues: inject `JobsService`, call `enqueue` with a name and a payload. */
@ApiTags('demo')
@ApiErrors(...BODY_ERRORS, ...COMMON_ERRORS)
@Controller('demo')
@RequireApiToken()
@UseInterceptors(UndeclaredInputInterceptor)
export class DemoController {
  constructor(private readonly jobs: JobsService) {}

  @Post('echo')
  @ApiOperation({ summary: 'Enqueue demo.echo: its result is the body' })
  @ApiBody({ schema: { type: 'object', additionalProperties: true, example: { hello: 'world' } } })
  @ApiCreatedResponse({ type: JobDto })
  async echo(@Body() body: Record<string, unknown>): Promise<Job> {
    return (await this.jobs.enqueue('demo.echo', body)).job;
  }

  @Post('sleep')
  @ApiOperation({ summary: 'Enqueue demo.sleep: sleeps `ms`, reporting progress' })
  @ApiCreatedResponse({ type: JobDto })
  async sleep(@Body() body: SleepPayload): Promise<Job> {
    return (await this.jobs.enqueue('demo.sleep', body)).job;
  }

  @Post('fail')
  @ApiOperation({ summary: 'Enqueue demo.fail: throws `message` on the first `times` attempts (every attempt without `times`)' })
  @ApiCreatedResponse({ type: JobDto })
  async fail(@Body() body: FailPayload): Promise<Job> {
    return (await this.jobs.enqueue('demo.fail', body, { maxAttempts: (body.times ?? 2) + 1 })).job;
  }
}
