import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { flattenValidationErrors } from '@app/contracts';
import { AppException } from './app.exception';

/** The one global pipe (DESIGN §8): unknown fields are stripped (never bound), and every failure names the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => AppException.invalid(flattenValidationErrors(errors)),
  });
}
