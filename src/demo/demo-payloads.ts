import { IsInt, IsOptional, IsString, MaxLength, Max, Min } from 'class-validator';

/** `demo.sleep`: sleeps `ms`, reporting progress, until done or aborted. */
export class SleepPayload {
  @IsInt() @Min(0) @Max(3_600_000)
  ms!: number;
}

/** `demo.fail`: throws `message` on the first `times` attempts when given, else on every attempt. */
export class FailPayload {
  @IsString() @MaxLength(1000)
  message!: string;

  @IsOptional() @IsInt() @Min(0) @Max(1000)
  times?: number;
}
