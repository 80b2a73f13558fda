import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AppConfig, CorsOrigins } from './app-config';
import { EnvironmentVariables } from './environment-variables';

/** The default of earlier versions, published in their README: never accepted as a secret. */
export const WELL_KNOWN_JWT_SECRET = 'local-dev-secret-change-me';

/** CORS_ORIGINS unset outside production: a dev server on this machine, any port. */
export const LOCAL_DEV_ORIGINS: CorsOrigins = [
  /^http:\/\/localhost(:\d{1,5})?$/,
  /^http:\/\/127\.0\.0\.1(:\d{1,5})?$/,
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads every key of the contract's Operations section (`EnvironmentVariables`: one rule and
 * one default per key, checked with class-validator); every bad value is reported, each naming
 * its key. Used by main.ts before Nest starts, by the CLI, the tests and the benchmarks; the
 * app gets the result through `@nestjs/config` (`config.module.ts`).
 */
export function loadConfig(env: Env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, env, { exposeUnsetFields: false });
  const problems = validateSync(vars, {
    stopAtFirstError: true,
    skipMissingProperties: true,
  }).flatMap((error) => Object.values(error.constraints ?? {}));
  problems.push(...rulesAcrossKeys(vars));
  if (problems.length > 0) throw new ConfigError(problems);
  return toAppConfig(vars);
}

function rulesAcrossKeys(vars: EnvironmentVariables): string[] {
  const problems: string[] = [];
  const { CHARGE_MAX, BALANCE_MAX, JWT_SECRET, NODE_ENV } = vars;
  if (Number.isInteger(CHARGE_MAX) && Number.isInteger(BALANCE_MAX) && CHARGE_MAX > BALANCE_MAX) {
    problems.push(`CHARGE_MAX (${CHARGE_MAX}) must not exceed BALANCE_MAX (${BALANCE_MAX})`);
  }
  if (JWT_SECRET === '') {
    problems.push(
      NODE_ENV === 'production'
        ? 'JWT_SECRET must be set to a secret of your own when NODE_ENV=production'
        : 'JWT_SECRET is not set (npm start generates one into .data/jwt-secret)',
    );
  } else if (JWT_SECRET === WELL_KNOWN_JWT_SECRET) {
    problems.push('JWT_SECRET is the well-known default of earlier versions: choose your own');
  } else if (JWT_SECRET.length < 16) {
    problems.push('JWT_SECRET must be at least 16 characters long');
  }
  return problems;
}

function toAppConfig(vars: EnvironmentVariables): AppConfig {
  const production = vars.NODE_ENV === 'production';
  return Object.assign(new AppConfig(), {
    nodeEnv: vars.NODE_ENV,
    port: vars.PORT,
    logLevel: vars.LOG_LEVEL,
    webConcurrency: vars.WEB_CONCURRENCY,
    db: {
      host: vars.DB_HOST,
      port: vars.DB_PORT,
      user: vars.DB_USER,
      password: vars.DB_PASSWORD,
      name: vars.DB_NAME,
      poolSize: vars.DB_POOL_SIZE,
      lockWaitTimeoutSeconds: vars.DB_LOCK_WAIT_TIMEOUT_SECONDS,
      connectTimeoutMs: vars.DB_CONNECT_TIMEOUT_MS,
      acquireTimeoutMs: vars.DB_ACQUIRE_TIMEOUT_MS,
      replicas: vars.DB_REPLICA_HOSTS,
    },
    jwtSecret: vars.JWT_SECRET,
    jwtIssuer: vars.JWT_ISSUER,
    jwtAudience: vars.JWT_AUDIENCE,
    idempotencyLeaseSeconds: vars.IDEMPOTENCY_LEASE_SECONDS,
    redisUrl: vars.REDIS_URL,
    redisCommandTimeoutMs: vars.REDIS_COMMAND_TIMEOUT_MS,
    dataPlatformUrl: vars.DATA_PLATFORM_URL,
    dataPlatformSubject: vars.DATA_PLATFORM_SUBJECT,
    dataPlatformStream: vars.DATA_PLATFORM_STREAM,
    dataPlatformTimeoutMs: vars.DATA_PLATFORM_TIMEOUT_MS,
    outbox: {
      maxAttempts: vars.OUTBOX_MAX_ATTEMPTS,
      retryBaseMs: vars.OUTBOX_RETRY_BASE_MS,
      retryMaxMs: vars.OUTBOX_RETRY_MAX_MS,
      lagWarnSeconds: vars.OUTBOX_LAG_WARN_SECONDS,
    },
    orderPaymentTtlSeconds: vars.ORDER_PAYMENT_TTL_SECONDS,
    popularCacheTtlSeconds: vars.POPULAR_CACHE_TTL_SECONDS,
    productListCacheMs: vars.PRODUCT_LIST_CACHE_MS,
    chargeMax: vars.CHARGE_MAX,
    balanceMax: vars.BALANCE_MAX,
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    trustProxy: vars.TRUST_PROXY,
    corsOrigins: vars.CORS_ORIGINS ?? (production ? [] : LOCAL_DEV_ORIGINS),
    docsEnabled: vars.DOCS_ENABLED,
    metrics: { port: vars.METRICS_PORT, host: vars.METRICS_HOST },
    seedDemoData: vars.SEED_DEMO_DATA ?? !production,
  });
}
