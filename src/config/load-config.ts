import { AppConfig } from './app-config';

export const DEFAULT_JWT_SECRET = 'local-dev-secret-change-me';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads every key of the contract's Operations section; any bad value names its key. */
export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development');
  const config = Object.assign(new AppConfig(), {
    nodeEnv,
    port: read.int('PORT', 3000, 0, 65535),
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'info',
    ),
    db: {
      host: read.string('DB_HOST', '127.0.0.1'),
      port: read.int('DB_PORT', 3306, 1, 65535),
      user: read.string('DB_USER', 'app'),
      password: read.string('DB_PASSWORD', 'app', true),
      name: read.identifier('DB_NAME', 'ecommerce'),
      poolSize: read.int('DB_POOL_SIZE', 20, 2, 500),
      lockWaitTimeoutSeconds: read.int('DB_LOCK_WAIT_TIMEOUT_SECONDS', 5, 1, 120),
      connectTimeoutMs: read.int('DB_CONNECT_TIMEOUT_MS', 3000, 100, 60000),
      acquireTimeoutMs: read.int('DB_ACQUIRE_TIMEOUT_MS', 5000, 100, 120_000),
    },
    jwtSecret: read.string('JWT_SECRET', DEFAULT_JWT_SECRET),
    idempotencyLeaseSeconds: read.int('IDEMPOTENCY_LEASE_SECONDS', 10, 1, 3600),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    redisCommandTimeoutMs: read.int('REDIS_COMMAND_TIMEOUT_MS', 50, 1, 10_000),
    dataPlatformUrl: read.url('DATA_PLATFORM_URL', ['http:', 'https:']),
    dataPlatformTimeoutMs: read.int('DATA_PLATFORM_TIMEOUT_MS', 5000, 100, 120_000),
    outbox: {
      maxAttempts: read.int('OUTBOX_MAX_ATTEMPTS', 10, 1, 1000),
      retryBaseMs: read.int('OUTBOX_RETRY_BASE_MS', 1000, 10, 3_600_000),
      retryMaxMs: read.int('OUTBOX_RETRY_MAX_MS', 300_000, 10, 86_400_000),
    },
    orderPaymentTtlSeconds: read.int('ORDER_PAYMENT_TTL_SECONDS', 600, 1, 7 * 24 * 3600),
    popularCacheTtlSeconds: read.int('POPULAR_CACHE_TTL_SECONDS', 60, 0, 24 * 3600),
    productListCacheMs: read.int('PRODUCT_LIST_CACHE_MS', 1000, 0, 60_000),
    chargeMax: read.int('CHARGE_MAX', 10_000_000, 1, Number.MAX_SAFE_INTEGER),
    balanceMax: read.int('BALANCE_MAX', 1_000_000_000, 1, Number.MAX_SAFE_INTEGER),
    rateLimitPerMinute: read.int('RATE_LIMIT_PER_MINUTE', 600, 0, 10_000_000),
    docsEnabled: read.bool('DOCS_ENABLED', true),
    seedDemoData: read.bool('SEED_DEMO_DATA', nodeEnv !== 'production'),
  });

  if (config.chargeMax > config.balanceMax) {
    problems.push(
      `CHARGE_MAX (${config.chargeMax}) must not exceed BALANCE_MAX (${config.balanceMax})`,
    );
  }
  if (config.isProduction && config.jwtSecret === DEFAULT_JWT_SECRET) {
    problems.push('JWT_SECRET must be set to a secret of your own when NODE_ENV=production');
  }
  if (config.jwtSecret.length < 16) {
    problems.push('JWT_SECRET must be at least 16 characters long');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(key: string): string | undefined {
    const value = this.env[key]?.trim();
    return value === '' ? undefined : value;
  }

  string(key: string, fallback: string, allowEmpty = false): string {
    const value = this.env[key];
    if (value === undefined || (value === '' && !allowEmpty)) return fallback;
    return value;
  }

  identifier(key: string, fallback: string): string {
    const value = this.raw(key) ?? fallback;
    if (!/^[A-Za-z0-9_]{1,64}$/.test(value)) {
      this.problems.push(`${key} must be 1-64 letters, digits or underscores (got "${value}")`);
    }
    return value;
  }

  int(key: string, fallback: number, min: number, max: number): number {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${key} must be an integer from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.raw(key)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    this.problems.push(`${key} must be true or false (got "${value}")`);
    return fallback;
  }

  oneOf<T extends string>(key: string, allowed: T[], fallback: T): T {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) {
      this.problems.push(`${key} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  url(key: string, protocols: string[]): string | null {
    const value = this.raw(key);
    if (value === undefined) return null;
    try {
      const url = new URL(value);
      if (protocols.includes(url.protocol)) return value;
    } catch {
      // reported below
    }
    this.problems.push(`${key} must be a ${protocols.join(' or ')} URL (got "${value}")`);
    return null;
  }
}
