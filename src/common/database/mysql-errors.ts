import { QueryFailedError } from 'typeorm';
import { POOL_ACQUIRE_TIMEOUT } from './resilient-mysql2';

/**
 * "Record has changed since last read": with MariaDB's innodb_snapshot_isolation (ON by default
 * from 11.6.2 under REPEATABLE READ), a locking read or write of a row that another transaction
 * changed after this one's snapshot was taken. The server rolls the whole transaction back, as
 * for a deadlock.
 */
export const ER_CHECKREAD = 1020;
export const ER_DUP_ENTRY = 1062;
export const ER_LOCK_WAIT_TIMEOUT = 1205;
export const ER_LOCK_DEADLOCK = 1213;

interface DriverError {
  errno?: number;
  code?: string;
  fatal?: boolean;
}

function driverError(error: unknown): DriverError | undefined {
  if (error instanceof QueryFailedError) return error.driverError as DriverError;
  if (error && typeof error === 'object') return error as DriverError;
  return undefined;
}

export function mysqlErrno(error: unknown): number | undefined {
  return driverError(error)?.errno;
}

/** No pooled connection came within DB_ACQUIRE_TIMEOUT_MS (the pool is exhausted). */
export function isPoolExhausted(error: unknown): boolean {
  return driverError(error)?.code === POOL_ACQUIRE_TIMEOUT;
}

export function isDuplicateKey(error: unknown, indexName?: string): boolean {
  if (mysqlErrno(error) !== ER_DUP_ENTRY) return false;
  return indexName === undefined || String((error as Error).message).includes(indexName);
}

/**
 * A conflict after which the server has rolled the whole transaction back, so the unit of work
 * can simply run again: a deadlock, or a snapshot-isolation conflict.
 */
export function isRetryableConflict(error: unknown): boolean {
  const errno = mysqlErrno(error);
  return errno === ER_LOCK_DEADLOCK || errno === ER_CHECKREAD;
}

/** A lock wait timeout, or a retryable conflict that was not (or no longer) retried: 503. */
export function isLockConflict(error: unknown): boolean {
  return mysqlErrno(error) === ER_LOCK_WAIT_TIMEOUT || isRetryableConflict(error);
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'POOL_CLOSED',
  POOL_ACQUIRE_TIMEOUT,
]);

/**
 * Server errors that mean "this connection or the server is going away", whatever mysql2 names
 * them: shutdown in progress (1053), query interrupted by a shutdown or KILL (1317), connection
 * killed (MariaDB 1927, which mysql2 has no name for), too many connections for the user (1203).
 */
const CONNECTION_ERRNOS = new Set([1053, 1203, 1317, 1927]);

/** True when the database could not be reached or dropped the connection (answer 503). */
export function isConnectionError(error: unknown): boolean {
  const driver = driverError(error);
  if (!driver) return false;
  if (driver.code && CONNECTION_ERROR_CODES.has(driver.code)) return true;
  if (driver.errno !== undefined && CONNECTION_ERRNOS.has(driver.errno)) return true;
  if (driver.fatal === true) return true;
  const message = error instanceof Error ? error.message : '';
  return /Pool is closed|Connection lost|connect ETIMEDOUT|Can't add new command when connection is in closed state/i.test(
    message,
  );
}
