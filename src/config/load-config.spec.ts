import { isAllowedOrigin } from '../common/http/cors';
import { ConfigError, LOCAL_DEV_ORIGINS, loadConfig, WELL_KNOWN_JWT_SECRET } from './load-config';

const SECRET = 'a-long-enough-test-secret';

type Env = Record<string, string | undefined>;

/** The loader given a valid secret, as every entry point does (see local-jwt-secret.ts). */
function load(env: Env) {
  return loadConfig({ JWT_SECRET: SECRET, ...env });
}

function problemsOf(env: Env): string[] {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = load({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      db: {
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        password: '',
        name: 'ecommerce',
        poolSize: 20,
      },
      jwtSecret: SECRET,
      jwtIssuer: null,
      jwtAudience: null,
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
    const config = load({
      NODE_ENV: 'production',
      PORT: '8080',
      DB_HOST: 'db.internal',
      DB_PORT: '3307',
      DB_USER: 'shop',
      DB_PASSWORD: 'pw',
      DB_NAME: 'shop_db',
      DB_POOL_SIZE: '5',
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'https://id.example',
      JWT_AUDIENCE: 'shop-api',
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
      jwtIssuer: 'https://id.example',
      jwtAudience: 'shop-api',
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
    const config = load({ PORT: '', CHARGE_MAX: '  ', REDIS_URL: '' });
    expect(config.port).toBe(3000);
    expect(config.chargeMax).toBe(10_000_000);
    expect(config.redisUrl).toBeNull();
  });

  it('allows an empty DB_PASSWORD', () => {
    expect(load({ DB_PASSWORD: '' }).db.password).toBe('');
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
    ['TRUST_PROXY', '0'],
    ['TRUST_PROXY', 'maybe'],
    ['TRUST_PROXY', '10.0.0.1, nonsense'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '300.1.1.1'],
    ['TRUST_PROXY', '10.0.0.1/8/8'],
    ['DATA_PLATFORM_URL', 'nats://a:4222,,b'],
    ['DATA_PLATFORM_URL', 'nats://a/path'],
    ['DATA_PLATFORM_SUBJECT', 'orders.>'],
    ['DATA_PLATFORM_SUBJECT', 'orders..paid'],
    ['DATA_PLATFORM_STREAM', 'my stream'],
    ['OUTBOX_MAX_ATTEMPTS', '-1'],
  ])('rejects %s=%p, naming the key', (key, value) => {
    const problems = problemsOf({ [key]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(key);
  });

  it('takes a JetStream URL with one or more servers, with the subject and stream defaults', () => {
    expect(load({ DATA_PLATFORM_URL: 'nats://127.0.0.1:4222' })).toMatchObject({
      dataPlatformUrl: 'nats://127.0.0.1:4222',
      dataPlatformSubject: 'ecommerce.orders',
      dataPlatformStream: 'ECOMMERCE_ORDERS',
    });
    expect(
      load({
        DATA_PLATFORM_URL: 'nats://n1:4222,n2:4222,n3',
        DATA_PLATFORM_SUBJECT: 'shop.events',
        DATA_PLATFORM_STREAM: 'SHOP',
      }),
    ).toMatchObject({
      dataPlatformUrl: 'nats://n1:4222,n2:4222,n3',
      dataPlatformSubject: 'shop.events',
      dataPlatformStream: 'SHOP',
    });
  });

  it('retries outbox events until delivered unless OUTBOX_MAX_ATTEMPTS is set', () => {
    expect(load({}).outbox).toMatchObject({
      maxAttempts: 0,
      retryMaxMs: 60_000,
      lagWarnSeconds: 60,
    });
    expect(load({ OUTBOX_MAX_ATTEMPTS: '5' }).outbox.maxAttempts).toBe(5);
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
    expect(load({ DOCS_ENABLED: value }).docsEnabled).toBe(expected);
  });

  it.each<[string | undefined, boolean | number | string[]]>([
    [undefined, false],
    ['', false],
    ['false', false],
    ['true', true],
    ['2', 2],
    ['10.0.0.1', ['10.0.0.1']],
    [
      ' 10.0.0.0/8, 2001:db8::/32 ,loopback,::1',
      ['10.0.0.0/8', '2001:db8::/32', 'loopback', '::1'],
    ],
  ])('reads TRUST_PROXY=%p as Fastify trustProxy %p', (value, expected) => {
    expect(load(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it('reads the reliability knobs: pool acquire timeout and idempotency lease', () => {
    const defaults = load({});
    expect(defaults.db.acquireTimeoutMs).toBe(5_000);
    expect(defaults.idempotencyLeaseSeconds).toBe(10);
    const set = load({ DB_ACQUIRE_TIMEOUT_MS: '750', IDEMPOTENCY_LEASE_SECONDS: '2' });
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

  it('stops a start without a JWT_SECRET, and names the generated one outside production', () => {
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: undefined })).toEqual([
      expect.stringContaining('JWT_SECRET must be set'),
    ]);
    expect(problemsOf({ JWT_SECRET: '' })).toEqual([expect.stringContaining('.data/jwt-secret')]);
    expect(load({ NODE_ENV: 'production', JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET);
  });

  it.each(['production', 'development', 'test'])(
    'refuses the well-known secret of earlier versions (NODE_ENV=%s)',
    (nodeEnv) => {
      expect(problemsOf({ NODE_ENV: nodeEnv, JWT_SECRET: WELL_KNOWN_JWT_SECRET })).toEqual([
        expect.stringContaining('well-known'),
      ]);
    },
  );

  it('rejects a JWT_SECRET that is too short', () => {
    expect(problemsOf({ JWT_SECRET: 'short' })).toEqual([expect.stringContaining('JWT_SECRET')]);
  });

  describe('CORS_ORIGINS', () => {
    it('allows http://localhost and http://127.0.0.1 on any port when unset outside production', () => {
      for (const env of [{}, { NODE_ENV: 'test' }, { CORS_ORIGINS: ' ' }]) {
        expect(load(env).corsOrigins).toBe(LOCAL_DEV_ORIGINS);
      }
      for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://localhost']) {
        expect({ origin, allowed: isAllowedOrigin(LOCAL_DEV_ORIGINS, origin) }).toEqual({
          origin,
          allowed: true,
        });
      }
      for (const origin of [
        'https://localhost:5173',
        'http://localhost.evil.example',
        'http://127.0.0.1.evil.example:80',
        'http://localhost:5173/',
        'http://evil.example/?http://localhost:1',
      ]) {
        expect({ origin, allowed: isAllowedOrigin(LOCAL_DEV_ORIGINS, origin) }).toEqual({
          origin,
          allowed: false,
        });
      }
    });

    it('allows no origin when unset in production', () => {
      expect(load({ NODE_ENV: 'production', JWT_SECRET: SECRET }).corsOrigins).toEqual([]);
    });

    it('reads *, and a list of exact origins as browsers send them', () => {
      expect(load({ CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
      expect(
        load({
          CORS_ORIGINS:
            'https://shop.example.com, http://localhost:5173,https://Admin.Example.com:443/',
        }).corsOrigins,
      ).toEqual(['https://shop.example.com', 'http://localhost:5173', 'https://admin.example.com']);
    });

    it.each([
      'shop.example.com',
      'https://shop.example.com/app',
      'https://shop.example.com?x=1',
      'https://*.example.com',
      'ftp://shop.example.com',
      'https://user@shop.example.com',
      'http://localhost:99999',
      '*,https://shop.example.com',
      'https://shop.example.com,,http://localhost:5173',
    ])('stops start-up on CORS_ORIGINS=%p, naming the key and the bad entry', (value) => {
      const problems = problemsOf({ CORS_ORIGINS: value });
      expect(problems).toEqual([expect.stringContaining('CORS_ORIGINS')]);
      expect(problems[0]).toMatch(/got "/);
    });
  });

  it('has a message that lists the problems', () => {
    expect(() => load({ PORT: 'x' })).toThrow(/Invalid configuration:[\s\S]*PORT/);
  });
});
