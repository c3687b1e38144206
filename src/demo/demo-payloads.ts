import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Max, Min } from 'class-validator';

/** `demo.sleep`: sleeps `ms`, reporting progress, until done or aborted. */
export class SleepPayload {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 3_600_000, example: 2000 })
  @IsInt() @Min(0) @Max(3_600_000)
  ms!: number;
}

/** `demo.fail`: throws `message` on the first `times` attempts when given, else on every attempt. */
export class FailPayload {
  @ApiProperty({ maxLength: 1000, example: 'boom' })
  @IsString() @MaxLength(1000)
  message!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1000, example: 1, description: 'Fail only the first `times` attempts' })
  @IsOptional() @IsInt() @Min(0) @Max(1000)
  times?: number;
}
