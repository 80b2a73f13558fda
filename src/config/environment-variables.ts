import type { CorsOrigins, TrustProxy } from './app-config';
import {
  DataPlatformUrl,
  Flag,
  HostPorts,
  Integer,
  Matching,
  OneOf,
  Origins,
  Text,
  Trimmed,
  TrustProxySetting,
  Url,
} from './env-rules';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every key of the contract's Operations section (`.env.example`): its rule and its default.
 * `loadConfig` validates the environment against this with class-validator and builds the
 * typed `AppConfig` from the result.
 */
export class EnvironmentVariables {
  @OneOf(NODE_ENVS) NODE_ENV: (typeof NODE_ENVS)[number] = 'development';
  @Integer(0, 65535) PORT = 3000;
  @OneOf(LOG_LEVELS) LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';
  /** Worker processes sharing PORT (node:cluster); 1: the API runs in this process. */
  @Integer(1, 64) WEB_CONCURRENCY = 1;

  @Text() DB_HOST = '127.0.0.1';
  @Integer(1, 65535) DB_PORT = 3306;
  @Text() DB_USER = 'root';
  /** May be empty. */
  DB_PASSWORD = '';
  @Matching(/^[A-Za-z0-9_]{1,64}$/, '1-64 letters, digits or underscores') DB_NAME = 'ecommerce';
  @Integer(2, 500) DB_POOL_SIZE = 20;
  @Integer(1, 120) DB_LOCK_WAIT_TIMEOUT_SECONDS = 5;
  @Integer(100, 60_000) DB_CONNECT_TIMEOUT_MS = 3000;
  @Integer(100, 120_000) DB_ACQUIRE_TIMEOUT_MS = 5000;
  @HostPorts(3306) DB_REPLICA_HOSTS: Array<{ host: string; port: number }> = [];

  @Text() JWT_SECRET = '';
  @Trimmed() JWT_ISSUER: string | null = null;
  @Trimmed() JWT_AUDIENCE: string | null = null;
  @Integer(1, 3600) IDEMPOTENCY_LEASE_SECONDS = 10;

  @Url(['redis', 'rediss']) REDIS_URL: string | null = null;
  @Integer(1, 10_000) REDIS_COMMAND_TIMEOUT_MS = 50;

  @DataPlatformUrl() DATA_PLATFORM_URL: string | null = null;
  @Matching(
    /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
    'a NATS subject prefix of dot-separated tokens (letters, digits, - and _)',
  )
  DATA_PLATFORM_SUBJECT = 'ecommerce.orders';
  @Matching(/^[A-Za-z0-9_-]{1,64}$/, 'a JetStream stream name (letters, digits, - and _)')
  DATA_PLATFORM_STREAM = 'ECOMMERCE_ORDERS';
  @Integer(100, 120_000) DATA_PLATFORM_TIMEOUT_MS = 5000;
  /** 0: retry until delivered. */
  @Integer(0, 1_000_000) OUTBOX_MAX_ATTEMPTS = 0;
  @Integer(10, 3_600_000) OUTBOX_RETRY_BASE_MS = 1000;
  @Integer(10, 86_400_000) OUTBOX_RETRY_MAX_MS = 60_000;
  @Integer(0, 7 * 24 * 3600) OUTBOX_LAG_WARN_SECONDS = 60;

  @Integer(1, 7 * 24 * 3600) ORDER_PAYMENT_TTL_SECONDS = 600;
  @Integer(0, 24 * 3600) POPULAR_CACHE_TTL_SECONDS = 60;
  /** The contract bounds a page's age at 1 s. */
  @Integer(0, 1000) PRODUCT_LIST_CACHE_MS = 1000;
  @Integer(1, Number.MAX_SAFE_INTEGER) CHARGE_MAX = 10_000_000;
  @Integer(1, Number.MAX_SAFE_INTEGER) BALANCE_MAX = 1_000_000_000;
  @Integer(0, 10_000_000) RATE_LIMIT_PER_MINUTE = 600;
  @TrustProxySetting() TRUST_PROXY: TrustProxy = false;
  /** Unset: depends on NODE_ENV (see loadConfig). */
  @Origins() CORS_ORIGINS?: CorsOrigins;
  @Flag() DOCS_ENABLED = true;
  @Integer(0, 65535) METRICS_PORT = 9464;
  @Text() METRICS_HOST = '127.0.0.1';
  /** Unset: on outside production. */
  @Flag() SEED_DEMO_DATA?: boolean;
}
