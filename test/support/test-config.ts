import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { databaseServerFromEnv } from './database-server';

export const TEST_JWT_SECRET = 'test-secret-0123456789abcdef';

export interface TestConfigOverrides {
  dbName?: string;
  env?: Record<string, string>;
}

/** The app's real config loader, fed the test database and quiet, test-friendly defaults. */
export function testConfig({ dbName = 'unused', env = {} }: TestConfigOverrides = {}): AppConfig {
  const server = databaseServerFromEnv();
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DB_HOST: server.host,
    DB_PORT: String(server.port),
    DB_USER: server.user,
    DB_PASSWORD: server.password,
    DB_NAME: dbName,
    DB_POOL_SIZE: '10',
    JWT_SECRET: TEST_JWT_SECRET,
    RATE_LIMIT_PER_MINUTE: '0',
    SEED_DEMO_DATA: 'false',
    PRODUCT_LIST_CACHE_MS: '0',
    METRICS_PORT: '0',
    ...env,
  });
}
