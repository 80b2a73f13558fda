import { ConfigError, DEFAULT_JWT_SECRET, loadConfig } from './load-config';

const SECRET = 'a-long-enough-test-secret';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      db: {
        host: '127.0.0.1',
        port: 3306,
        user: 'app',
        password: 'app',
        name: 'ecommerce',
        poolSize: 20,
      },
      jwtSecret: DEFAULT_JWT_SECRET,
      redisUrl: null,
      redisCommandTimeoutMs: 50,
      dataPlatformUrl: null,
      orderPaymentTtlSeconds: 600,
      popularCacheTtlSeconds: 60,
      chargeMax: 10_000_000,
      balanceMax: 1_000_000_000,
      docsEnabled: true,
    });
    expect(config.rateLimitPerMinute).toBeGreaterThan(0);
    expect(config.isProduction).toBe(false);
  });

  it('reads every key of the contract', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DB_HOST: 'db.internal',
      DB_PORT: '3307',
      DB_USER: 'shop',
      DB_PASSWORD: 'pw',
      DB_NAME: 'shop_db',
      DB_POOL_SIZE: '5',
      JWT_SECRET: SECRET,
      REDIS_URL: 'redis://cache:6379',
      REDIS_COMMAND_TIMEOUT_MS: '20',
      DATA_PLATFORM_URL: 'https://platform.example/events',
      ORDER_PAYMENT_TTL_SECONDS: '30',
      POPULAR_CACHE_TTL_SECONDS: '0',
      CHARGE_MAX: '1000',
      BALANCE_MAX: '5000',
      RATE_LIMIT_PER_MINUTE: '0',
      DOCS_ENABLED: 'false',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      port: 8080,
      db: {
        host: 'db.internal',
        port: 3307,
        user: 'shop',
        password: 'pw',
        name: 'shop_db',
        poolSize: 5,
      },
      jwtSecret: SECRET,
      redisUrl: 'redis://cache:6379',
      redisCommandTimeoutMs: 20,
      dataPlatformUrl: 'https://platform.example/events',
      orderPaymentTtlSeconds: 30,
      popularCacheTtlSeconds: 0,
      chargeMax: 1000,
      balanceMax: 5000,
      rateLimitPerMinute: 0,
      docsEnabled: false,
    });
    expect(config.isProduction).toBe(true);
  });

  it('treats empty and blank values as unset', () => {
    const config = loadConfig({ PORT: '', CHARGE_MAX: '  ', REDIS_URL: '' });
    expect(config.port).toBe(3000);
    expect(config.chargeMax).toBe(10_000_000);
    expect(config.redisUrl).toBeNull();
  });

  it('allows an empty DB_PASSWORD', () => {
    expect(loadConfig({ DB_PASSWORD: '' }).db.password).toBe('');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '3000.5'],
    ['DB_PORT', '0'],
    ['DB_POOL_SIZE', '-1'],
    ['CHARGE_MAX', '1e6'],
    ['BALANCE_MAX', '99999999999999999999'],
    ['RATE_LIMIT_PER_MINUTE', '-5'],
    ['DOCS_ENABLED', 'maybe'],
    ['NODE_ENV', 'staging'],
    ['DB_NAME', 'shop; DROP DATABASE x'],
    ['REDIS_URL', 'http://not-redis'],
    ['REDIS_COMMAND_TIMEOUT_MS', '0'],
    ['DATA_PLATFORM_URL', 'not a url'],
    ['DATA_PLATFORM_URL', 'ftp://platform'],
  ])('rejects %s=%p, naming the key', (key, value) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(key);
  });

  it('reports every bad key at once', () => {
    const problems = problemsOf({ PORT: 'x', DB_PORT: 'y', DOCS_ENABLED: 'z' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toEqual(expect.stringContaining('PORT'));
    expect(problems.join('\n')).toEqual(expect.stringContaining('DOCS_ENABLED'));
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads DOCS_ENABLED=%s as %p', (value, expected) => {
    expect(loadConfig({ DOCS_ENABLED: value }).docsEnabled).toBe(expected);
  });

  it('reads the reliability knobs: pool acquire timeout and idempotency lease', () => {
    const defaults = loadConfig({});
    expect(defaults.db.acquireTimeoutMs).toBe(5_000);
    expect(defaults.idempotencyLeaseSeconds).toBe(10);
    const set = loadConfig({ DB_ACQUIRE_TIMEOUT_MS: '750', IDEMPOTENCY_LEASE_SECONDS: '2' });
    expect(set.db.acquireTimeoutMs).toBe(750);
    expect(set.idempotencyLeaseSeconds).toBe(2);
    expect(problemsOf({ DB_ACQUIRE_TIMEOUT_MS: '0' })).toEqual([
      expect.stringContaining('DB_ACQUIRE_TIMEOUT_MS'),
    ]);
    expect(problemsOf({ IDEMPOTENCY_LEASE_SECONDS: '0' })).toEqual([
      expect.stringContaining('IDEMPOTENCY_LEASE_SECONDS'),
    ]);
  });

  it('rejects CHARGE_MAX above BALANCE_MAX', () => {
    const problems = problemsOf({ CHARGE_MAX: '6000', BALANCE_MAX: '5000' });
    expect(problems).toEqual([expect.stringContaining('CHARGE_MAX')]);
  });

  it('stops a production start with a missing or default JWT_SECRET', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringContaining('JWT_SECRET')]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: DEFAULT_JWT_SECRET })).toEqual([
      expect.stringContaining('JWT_SECRET'),
    ]);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET);
  });

  it('rejects a JWT_SECRET that is too short', () => {
    expect(problemsOf({ JWT_SECRET: 'short' })).toEqual([expect.stringContaining('JWT_SECRET')]);
  });

  it('has a message that lists the problems', () => {
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/Invalid configuration:[\s\S]*PORT/);
  });
});
