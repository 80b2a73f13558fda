import { isIP } from 'node:net';
import { AppConfig, CorsOrigins, TrustProxy } from './app-config';

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

const NATS_URL = /^nats:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(,[A-Za-z0-9.-]+(:\d{1,5})?)*$/;
const SUBJECT_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

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
      user: read.string('DB_USER', 'root'),
      password: read.string('DB_PASSWORD', '', true),
      name: read.identifier('DB_NAME', 'ecommerce'),
      poolSize: read.int('DB_POOL_SIZE', 20, 2, 500),
      lockWaitTimeoutSeconds: read.int('DB_LOCK_WAIT_TIMEOUT_SECONDS', 5, 1, 120),
      connectTimeoutMs: read.int('DB_CONNECT_TIMEOUT_MS', 3000, 100, 60000),
      acquireTimeoutMs: read.int('DB_ACQUIRE_TIMEOUT_MS', 5000, 100, 120_000),
      replicas: read.hostPorts('DB_REPLICA_HOSTS', 3306),
    },
    jwtSecret: read.string('JWT_SECRET', ''),
    jwtIssuer: read.optional('JWT_ISSUER'),
    jwtAudience: read.optional('JWT_AUDIENCE'),
    idempotencyLeaseSeconds: read.int('IDEMPOTENCY_LEASE_SECONDS', 10, 1, 3600),
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    redisCommandTimeoutMs: read.int('REDIS_COMMAND_TIMEOUT_MS', 50, 1, 10_000),
    dataPlatformUrl: /^nats:/i.test(env.DATA_PLATFORM_URL?.trim() ?? '')
      ? read.matching('DATA_PLATFORM_URL', NATS_URL, 'nats://host:port[,host:port...] URL')
      : read.url('DATA_PLATFORM_URL', ['http:', 'https:']),
    dataPlatformSubject:
      read.matching(
        'DATA_PLATFORM_SUBJECT',
        SUBJECT_PREFIX,
        'NATS subject prefix of dot-separated tokens (letters, digits, - and _)',
      ) ?? 'ecommerce.orders',
    dataPlatformStream:
      read.matching(
        'DATA_PLATFORM_STREAM',
        STREAM_NAME,
        'JetStream stream name (letters, digits, - and _)',
      ) ?? 'ECOMMERCE_ORDERS',
    dataPlatformTimeoutMs: read.int('DATA_PLATFORM_TIMEOUT_MS', 5000, 100, 120_000),
    outbox: {
      maxAttempts: read.int('OUTBOX_MAX_ATTEMPTS', 0, 0, 1_000_000),
      retryBaseMs: read.int('OUTBOX_RETRY_BASE_MS', 1000, 10, 3_600_000),
      retryMaxMs: read.int('OUTBOX_RETRY_MAX_MS', 60_000, 10, 86_400_000),
      lagWarnSeconds: read.int('OUTBOX_LAG_WARN_SECONDS', 60, 0, 7 * 24 * 3600),
    },
    orderPaymentTtlSeconds: read.int('ORDER_PAYMENT_TTL_SECONDS', 600, 1, 7 * 24 * 3600),
    popularCacheTtlSeconds: read.int('POPULAR_CACHE_TTL_SECONDS', 60, 0, 24 * 3600),
    // The contract bounds a page's age at 1 s.
    productListCacheMs: read.int('PRODUCT_LIST_CACHE_MS', 1000, 0, 1000),
    chargeMax: read.int('CHARGE_MAX', 10_000_000, 1, Number.MAX_SAFE_INTEGER),
    balanceMax: read.int('BALANCE_MAX', 1_000_000_000, 1, Number.MAX_SAFE_INTEGER),
    rateLimitPerMinute: read.int('RATE_LIMIT_PER_MINUTE', 600, 0, 10_000_000),
    trustProxy: read.trustProxy('TRUST_PROXY'),
    corsOrigins:
      read.origins('CORS_ORIGINS') ?? (nodeEnv === 'production' ? [] : LOCAL_DEV_ORIGINS),
    docsEnabled: read.bool('DOCS_ENABLED', true),
    metrics: {
      port: read.int('METRICS_PORT', 9464, 0, 65535),
      host: read.string('METRICS_HOST', '127.0.0.1'),
    },
    seedDemoData: read.bool('SEED_DEMO_DATA', nodeEnv !== 'production'),
  });

  if (config.chargeMax > config.balanceMax) {
    problems.push(
      `CHARGE_MAX (${config.chargeMax}) must not exceed BALANCE_MAX (${config.balanceMax})`,
    );
  }
  if (config.jwtSecret === '') {
    problems.push(
      config.isProduction
        ? 'JWT_SECRET must be set to a secret of your own when NODE_ENV=production'
        : 'JWT_SECRET is not set (npm start generates one into .data/jwt-secret)',
    );
  } else if (config.jwtSecret === WELL_KNOWN_JWT_SECRET) {
    problems.push('JWT_SECRET is the well-known default of earlier versions: choose your own');
  } else if (config.jwtSecret.length < 16) {
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

  /** A trimmed value, or null when unset or empty. */
  optional(key: string): string | null {
    return this.raw(key) ?? null;
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

  /**
   * Fastify's `trustProxy`: off, `true` (every hop), a hop count, or a comma-separated list of
   * proxy addresses and CIDR ranges (and proxy-addr's `loopback`, `linklocal`, `uniquelocal`).
   */
  trustProxy(key: string): TrustProxy {
    const value = this.raw(key);
    if (value === undefined || ['false', 'no'].includes(value.toLowerCase())) return false;
    if (['true', 'yes'].includes(value.toLowerCase())) return true;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops >= 1 && hops <= 100) return hops;
    } else {
      const addresses = value.split(',').map((entry) => entry.trim());
      if (addresses.every(isProxyAddress)) return addresses;
    }
    this.problems.push(
      `${key} must be true, false, a hop count from 1 to 100, or a comma-separated list of ` +
        `IP addresses or CIDR ranges (got "${value}")`,
    );
    return false;
  }

  /** `host[:port],host[:port],...`; empty: none. */
  hostPorts(key: string, defaultPort: number): Array<{ host: string; port: number }> {
    const value = this.raw(key);
    if (value === undefined) return [];
    const entries = value.split(',').map((entry) => entry.trim());
    const parsed = entries.map((entry) => {
      const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\])(?::(\d{1,5}))?$/.exec(entry);
      const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
      return match && port >= 1 && port <= 65535 ? { host: match[1], port } : null;
    });
    const bad = entries.find((_, index) => parsed[index] === null);
    if (bad !== undefined) {
      this.problems.push(`${key} must be host[:port] entries separated by commas (got "${bad}")`);
      return [];
    }
    return parsed as Array<{ host: string; port: number }>;
  }

  matching(key: string, pattern: RegExp, what: string): string | null {
    const value = this.raw(key);
    if (value === undefined) return null;
    if (pattern.test(value)) return value;
    this.problems.push(`${key} must be a ${what} (got "${value}")`);
    return null;
  }

  /** `*`, or comma-separated exact origins (`scheme://host[:port]`), as browsers send them. */
  origins(key: string): CorsOrigins | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (value === '*') return '*';
    const items = value.split(',').map((item) => item.trim());
    const origins = items.map(asOrigin);
    const bad = items.find((_, index) => origins[index] === null);
    if (bad !== undefined) {
      this.problems.push(
        `${key} must be * or comma-separated origins such as ` +
          `https://shop.example.com,http://localhost:5173 (got "${bad}")`,
      );
      return undefined;
    }
    return origins as string[];
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

const PROXY_ADDRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_ADDRESS_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * The origin `value` names, as a browser sends it in `Origin` (lower-case host, no default port),
 * or null when `value` is not exactly an origin (a path, a query, credentials, a wildcard).
 */
function asOrigin(value: string): string | null {
  if (!/^https?:\/\/[^/?#@*\s]+\/?$/i.test(value)) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}
