import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidationFailedError } from '../errors/common.errors';
import type { ErrorDetail } from '../errors/contract-error';

/**
 * Strict validation: unknown fields and wrong types are rejected; nothing is coerced
 * (query-string numbers are converted explicitly by @QueryInt()).
 */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flatten(errors)),
  });
}

/**
 * With `transform`, Nest's pipe turns a path parameter typed `number` into `Number(value)` before
 * the parameter's own pipe runs, so "1e3", "0x10", "+1" and "01" reached ParseIdPipe as valid
 * numbers. Path parameters are left as the strings they came as; their own pipe converts them.
 */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const unsafe = unsafeKeys(value);
      if (unsafe.length > 0) {
        throw new ValidationFailedError(
          unsafe.map((field) => ({
            field,
            reason: `${field.split('.').pop()} is not an allowed field`,
          })),
        );
      }
    }
    return super.transform(value, metadata);
  }

  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'param') return value;
    return super.transformPrimitive(value, metadata);
  }
}

/**
 * Fields named `prototype` or like a member of Object.prototype (`constructor`, `hasOwnProperty`,
 * `toString`, `__proto__` in a query string, ...), at any depth. They slipped past
 * `forbidNonWhitelisted`, so `{ "amount": 5, "constructor": 1 }` was accepted as a valid charge:
 * Nest's pipe silently deletes `__proto__`, `prototype` and `constructor` before validating, and
 * class-validator's whitelist looks names up in a plain object, where the others are inherited
 * members. No DTO has such a field. (The JSON parser already rejects `__proto__` bodies.)
 */
function unsafeKeys(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const field = path ? `${path}.${key}` : key;
    if (key === 'prototype' || Object.prototype.hasOwnProperty.call(Object.prototype, key))
      return [field];
    return unsafeKeys((value as Record<string, unknown>)[key], field);
  });
}

/** The most basic failure of a field is the one worth reporting ("must be an integer" before "must be ≤ 100"). */
const CONSTRAINT_PRIORITY = [
  'whitelistValidation',
  'isDefined',
  'nestedValidation',
  'isObject',
  'isArray',
  'isInt',
  'isString',
  'isNumber',
  'isBoolean',
  'isEnum',
  'isIn',
];

function mainConstraint(constraints: Record<string, string>): string {
  const key =
    CONSTRAINT_PRIORITY.find((name) => name in constraints) ?? Object.keys(constraints)[0];
  return constraints[key];
}

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints
      ? [
          {
            field,
            reason: mainConstraint(error.constraints).replace(
              /^property (\S+) should not exist$/,
              '$1 is not an allowed field',
            ),
          },
        ]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
