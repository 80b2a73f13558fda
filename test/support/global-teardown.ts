import { createConnection } from 'mysql2/promise';
import { databaseServerFromEnv, runDatabasePrefix } from './database-server';
import { reportCheckCount } from './openapi-check-count';

/** Drops every database this run created, then stops the container if one was started. */
export default async function globalTeardown(): Promise<void> {
  reportCheckCount();
  const container = (globalThis as { __MYSQL_CONTAINER__?: { stop(): Promise<unknown> } })
    .__MYSQL_CONTAINER__;
  if (container) {
    await container.stop();
    return;
  }
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
