import { Injectable, Param, PipeTransform, ArgumentMetadata } from '@nestjs/common';
import { ValidationFailedError } from '../errors/common.errors';

const POSITIVE_INT = /^[1-9][0-9]{0,15}$/;

/** A path id: a positive integer no larger than 2^53 - 1, written in plain digits; else null. */
export function parseId(value: unknown): number | null {
  if (typeof value !== 'string' || !POSITIVE_INT.test(value)) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
}

/** Path ids are positive integers no larger than 2^53 - 1; anything else is a 400. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const id = parseId(value);
    if (id === null) {
      const field = metadata.data ?? 'id';
      throw new ValidationFailedError([
        {
          field,
          reason: `${field} must be a positive integer no larger than ${Number.MAX_SAFE_INTEGER}`,
        },
      ]);
    }
    return id;
  }
}

export const IdParam = (name: string) => Param(name, ParseIdPipe);
