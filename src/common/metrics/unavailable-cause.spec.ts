import { ServiceUnavailableError, ValidationFailedError } from '../errors/common.errors';
import { unavailableCause } from './unavailable-cause';

const driverError = (fields: Record<string, unknown>) => Object.assign(new Error('driver'), fields);

describe('unavailableCause', () => {
  it.each([
    [new ServiceUnavailableError('busy', 'lock_timeout'), 'lock_timeout'],
    [new ServiceUnavailableError(), 'database'],
    [driverError({ errno: 1205 }), 'lock_timeout'],
    [driverError({ errno: 1213 }), 'deadlock'],
    [driverError({ code: 'ECONNREFUSED' }), 'database'],
    [driverError({ code: 'POOL_ACQUIRE_TIMEOUT' }), 'pool_exhausted'],
  ])('names why %p is a 503', (error, cause) => {
    expect(unavailableCause(error)).toBe(cause);
  });

  it('is null for what is not a 503', () => {
    expect(unavailableCause(new ValidationFailedError([]))).toBeNull();
    expect(unavailableCause(new Error('a bug'))).toBeNull();
  });
});
