import { ServiceUnavailableError } from '../errors/common.errors';
import {
  ER_LOCK_WAIT_TIMEOUT,
  isConnectionError,
  isLockConflict,
  isPoolExhausted,
  mysqlErrno,
} from '../database/mysql-errors';
import type { UnavailableCause } from './metrics';

/** Why a failure is answered 503, or null when it is not a 503. */
export function unavailableCause(error: unknown): UnavailableCause | null {
  if (error instanceof ServiceUnavailableError) return error.reason;
  if (isLockConflict(error)) {
    return mysqlErrno(error) === ER_LOCK_WAIT_TIMEOUT ? 'lock_timeout' : 'deadlock';
  }
  if (isConnectionError(error)) {
    return isPoolExhausted(error) ? 'pool_exhausted' : 'database';
  }
  return null;
}
