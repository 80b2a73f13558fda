/** Where the test database server is, as globalSetup decided (DB_* or a Testcontainers MySQL). */
export interface DatabaseServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function databaseServerFromEnv(): DatabaseServer {
  return {
    host: process.env.DB_HOST ?? '127.0.0.1',
    port: Number(process.env.DB_PORT ?? 3306),
    user: process.env.DB_USER ?? 'root',
    password: process.env.DB_PASSWORD ?? '',
  };
}

/** Every database a run creates starts with this prefix; teardown drops them all. */
export function runDatabasePrefix(): string {
  const prefix = process.env.TEST_DB_PREFIX;
  if (!prefix)
    throw new Error('TEST_DB_PREFIX is not set: run the tests through jest (globalSetup)');
  return prefix;
}
