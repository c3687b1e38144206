import { ApiProperty } from '@nestjs/swagger';
import { ArrayMinSize, IsArray } from 'class-validator';
import { NestedDtos } from '../../http/opaque-json.decorators.js';
import { CreateJobDto } from './create-job.dto.js';

/**
 * Body of `POST /jobs/batch`: inserted in one statement, all or none. At most JOBS_MAX_BATCH_SIZE jobs, checked
 * before any of them (`ApiValidationPipe`) and again by `JobsService.enqueueMany`.
 */
export class CreateJobsBatchDto {
  @ApiProperty({ type: [CreateJobDto], minItems: 1, description: 'At most JOBS_MAX_BATCH_SIZE jobs' })
  @IsArray() @ArrayMinSize(1) @NestedDtos(() => CreateJobDto)
  jobs!: CreateJobDto[];
}
