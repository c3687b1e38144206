import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ApiErrorBody } from './api-error.js';

/** `ApiErrorBody` as the OpenAPI document describes it: every 4xx of the API has this shape. */
export class ApiErrorDto implements ApiErrorBody {
  @ApiProperty({ example: 400, minimum: 400, maximum: 599 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request', description: 'The reason phrase of the status code' })
  error!: string;

  @ApiProperty({ example: 'priority: must not be greater than 1000', description: 'Starts with `<field>: ` when a field is at fault' })
  message!: string;

  @ApiPropertyOptional({ example: 'priority', description: 'The offending field (`jobs[3].priority` inside a batch)' })
  field?: string;
}
