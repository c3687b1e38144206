import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { CreateJobDto } from './create-job.dto.js';

export const MAX_BATCH_JOBS = 10_000;

/** Body of `POST /jobs/batch`: inserted in one statement, all or none. */
export class CreateJobsBatchDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BATCH_JOBS) @ValidateNested({ each: true }) @Type(() => CreateJobDto)
  jobs!: CreateJobDto[];
}
