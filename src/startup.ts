import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createConnection } from 'mysql2/promise';
import type { Logger as PinoLogger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';
import { localDataDir } from './config/local-jwt-secret';
import { TokenVerifier } from './common/auth/token-verifier';
import { LocatedDatabase, locateDatabase, NoDatabaseError } from './common/database/launcher';
import { isConnectionError } from './common/database/mysql-errors';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/** Start-up messages meant for a person at a terminal (plain text on stderr/stdout). */
export function loadConfigOrExit(env: Env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`\n${error.message}\n\nSee .env.example for every key.\n\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** `DB_HOST`, or else `npm start`'s private server with its data under `.data/mysql`. */
export async function locateDatabaseOrExit(env: Env): Promise<LocatedDatabase> {
  try {
    return await locateDatabase({
      env,
      purpose: { kind: 'persistent', dir: join(localDataDir(env), 'mysql') },
    });
  } catch (error) {
    const message = error instanceof NoDatabaseError ? error.message : String(error);
    process.stderr.write(`\n${message}\n\n`);
    process.exit(1);
  }
}

/** A server the project runs itself starts empty: create the database the app will use. */
export async function createDatabaseIfMissing(config: AppConfig): Promise<void> {
  const { host, port, user, password, name } = config.db;
  const connection = await createConnection({ host, port, user, password });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

/** One line naming the database chosen: kind and version, address, and where it comes from. */
export async function logDatabaseChoice(
  app: NestFastifyApplication,
  database: LocatedDatabase,
  logger: PinoLogger,
): Promise<void> {
  const [{ version }] = await app
    .get(DataSource)
    .query<{ version: string }[]>('SELECT VERSION() AS version');
  const kind = /mariadb/i.test(version) ? 'MariaDB' : 'MySQL';
  logger.info(
    { database: { kind, version, host: database.host, port: database.port } },
    `database: ${kind} ${version} on ${database.host}:${database.port}, ${database.where}`,
  );
}

export function explainStartupFailure(error: unknown, config: AppConfig): void {
  const { host, port, user, name } = config.db;
  if (isConnectionError(error)) {
    process.stderr.write(
      [
        '',
        `Cannot reach the database: MySQL/MariaDB at ${host}:${port}, user "${user}", database "${name}".`,
        `  (${(error as Error).message})`,
        '',
        'Check DB_HOST, DB_PORT, DB_USER, DB_PASSWORD and DB_NAME (in .env or the environment),',
        'or unset DB_HOST to let `npm start` run a private server of its own.',
        '',
      ].join('\n'),
    );
    return;
  }
  process.stderr.write(`\nStart-up failed: ${(error as Error)?.stack ?? String(error)}\n\n`);
}

export function printWelcome(app: NestFastifyApplication, config: AppConfig): void {
  const base = `http://localhost:${config.port}`;
  const token = app.get(TokenVerifier).sign(1, false, 24 * 3600);
  const lines = [
    '',
    `E-commerce API listening on ${base}/api/v1   (health: ${base}/health)`,
    config.docsEnabled
      ? `Swagger UI: ${base}/docs   OpenAPI JSON: ${base}/docs-json`
      : 'Swagger UI disabled (DOCS_ENABLED=false)',
  ];
  if (!config.isProduction) {
    lines.push(
      'Demo token for user 1 (valid 24 h; paste it as it is into Swagger "Authorize"):',
      `  ${token}`,
      'More tokens: npm run token -- <userId> [--admin]',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
