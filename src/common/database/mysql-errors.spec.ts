import { QueryFailedError } from 'typeorm';
import { isConnectionError, isLockConflict, isRetryableConflict } from './mysql-errors';

/** What TypeORM throws for a server error: the driver's error, with mysql2's errno and code. */
const serverError = (errno: number, code: string) =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error(code), { errno, code }));

describe('MySQL/MariaDB error classification', () => {
  it.each([
    ['a deadlock (1213)', serverError(1213, 'ER_LOCK_DEADLOCK')],
    [
      'a snapshot-isolation conflict (1020, innodb_snapshot_isolation)',
      serverError(1020, 'ER_CHECKREAD'),
    ],
  ])('%s is retried: the server rolled the whole transaction back', (_label, error) => {
    expect(isRetryableConflict(error)).toBe(true);
    expect(isLockConflict(error)).toBe(true);
    expect(isConnectionError(error)).toBe(false);
  });

  it('a lock wait timeout (1205) is not retried, but is a lock conflict (503)', () => {
    const error = serverError(1205, 'ER_LOCK_WAIT_TIMEOUT');
    expect(isRetryableConflict(error)).toBe(false);
    expect(isLockConflict(error)).toBe(true);
  });

  it.each([
    ['a duplicate key (1062)', serverError(1062, 'ER_DUP_ENTRY')],
    ['a CHECK constraint (4025)', serverError(4025, 'ER_CONSTRAINT_FAILED')],
    ['a plain Error', new Error('boom')],
    ['undefined', undefined],
  ])('%s is neither', (_label, error) => {
    expect(isRetryableConflict(error)).toBe(false);
    expect(isLockConflict(error)).toBe(false);
  });
});
