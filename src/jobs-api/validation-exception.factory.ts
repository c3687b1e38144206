import { BadRequestException, HttpStatus } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** A field of a DTO, with the path the jobs rules use for batch elements (`jobs[3].priority`). */
interface FieldProblem {
  field: string;
  message: string;
}

function firstProblem(error: ValidationError, prefix: string): FieldProblem {
  // Array elements are named as JobsService names them, so one batch error reads the same from either layer.
  const isIndex = /^\d+$/.test(error.property);
  const field = !prefix ? error.property : isIndex ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`;
  if (error.constraints) return { field, message: Object.values(error.constraints).join('; ') };
  const child = error.children?.[0];
  return child ? firstProblem(child, field) : { field, message: 'is invalid' };
}

/**
 * The `ValidationPipe`'s 400 in the same shape as the jobs domain errors (`JobsErrorsFilter`):
 * `{ statusCode, error, message, field }`, `message` a string that starts with the field, so that clients parse one
 * shape whichever layer refused the input. Only the first offending field is reported.
 */
export function validationExceptionFactory(errors: ValidationError[]): BadRequestException {
  const [first] = errors;
  // A JSON array where an object is expected: class-validator reports its indexes as unknown properties.
  if (!first || Array.isArray(first.target)) {
    return new BadRequestException({
      statusCode: HttpStatus.BAD_REQUEST,
      error: 'Bad Request',
      message: 'body: must be a JSON object',
      field: 'body',
    });
  }
  const problem = firstProblem(first, '');
  return new BadRequestException({
    statusCode: HttpStatus.BAD_REQUEST,
    error: 'Bad Request',
    message: `${problem.field}: ${problem.message}`,
    field: problem.field,
  });
}
