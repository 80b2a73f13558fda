import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';
import { TokenVerifier } from './common/auth/token-verifier';
import { isConnectionError } from './common/database/mysql-errors';

/** Start-up messages meant for a person at a terminal (plain text on stderr/stdout). */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`\n${error.message}\n\nSee .env.example for every key.\n\n`);
      process.exit(1);
    }
    throw error;
  }
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
        'Do one of these, then run `npm start` again:',
        '  - docker compose up -d            # MySQL 8.4 matching the defaults (needs a Docker engine)',
        '  - bash scripts/local-mariadb.sh   # Debian/Ubuntu: starts a local MariaDB and creates user app/app',
        '  - set DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME (in .env or the environment) to your server',
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
      'Demo token for user 1 (valid 24 h; paste into Swagger "Authorize"):',
      `  ${token}`,
      'More tokens: npm run token -- <userId> [--admin]',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
