/** mysql2 pools for setup, resets and verification, and the bench database's lifecycle. */
import { createPool, Pool, PoolOptions, RowDataPacket } from 'mysql2/promise';

import type { DatabaseAddress } from '../../src/common/database/launcher';

export function openPool(
  settings: DatabaseAddress,
  database: string | null,
  extra: Partial<PoolOptions> = {},
): Pool {
  return createPool({
    ...settings,
    ...(database ? { database } : {}),
    connectionLimit: 4,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
    ...extra,
  });
}

/** Rows of a SELECT, typed loosely: every value comes back through Number() or String() anyway. */
export async function select<T = Record<string, unknown>>(
  pool: Pool,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const [rows] = await pool.query<RowDataPacket[]>(sql, params);
  return rows as unknown as T[];
}

export async function scalar(pool: Pool, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await select<Record<string, unknown>>(pool, sql, params);
  return row ? Number(Object.values(row)[0] ?? 0) : 0;
}

export async function exec(pool: Pool, sql: string, params: unknown[] = []): Promise<number> {
  const [result] = await pool.query(sql, params);
  return (result as { affectedRows?: number }).affectedRows ?? 0;
}

/** A fresh database name: ecom_bench_<timestamp>. */
export function benchDatabaseName(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').replace(/\..*$/, '');
  return `ecom_bench_${stamp}_${process.pid}`;
}

export async function createDatabase(settings: DatabaseAddress, name: string): Promise<void> {
  const admin = openPool(settings, null, { connectionLimit: 1 });
  try {
    await admin.query(
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(settings: DatabaseAddress, name: string): Promise<void> {
  if (!/^ecom_bench_[A-Za-z0-9_]+$/.test(name))
    throw new Error(`refusing to drop ${name}: not a bench database`);
  const admin = openPool(settings, null, { connectionLimit: 1 });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await admin.end();
  }
}
