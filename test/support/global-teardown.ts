import { createConnection } from 'mysql2/promise';
import type { LocatedDatabase } from '../../src/common/database/launcher';
import { databaseServerFromEnv, runDatabasePrefix } from './database-server';
import { reportCheckCount } from './openapi-check-count';

/** Drops every database this run created, then stops (and deletes) a server it started. */
export default async function globalTeardown(): Promise<void> {
  reportCheckCount();
  const database = (globalThis as { __TEST_DATABASE__?: LocatedDatabase }).__TEST_DATABASE__;
  if (!database) return;
  if (!database.owned) await dropRunDatabases();
  await database.release();
}

async function dropRunDatabases(): Promise<void> {
  const prefix = runDatabasePrefix();
  const connection = await createConnection(databaseServerFromEnv());
  try {
    const [rows] = await connection.query<import('mysql2').RowDataPacket[]>(
      'SHOW DATABASES LIKE ?',
      [`${prefix}%`],
    );
    for (const row of rows) {
      const name = Object.values(row)[0] as string;
      if (name.startsWith(prefix)) await connection.query(`DROP DATABASE \`${name}\``);
    }
  } finally {
    await connection.end();
  }
}
