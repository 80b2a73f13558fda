/** Which proxies may say who the client is (`X-Forwarded-For`): Fastify's `trustProxy`. */
export type TrustProxy = boolean | number | string[];

/** Typed, validated configuration. Built once at start-up by `loadConfig`. */
export class AppConfig {
  nodeEnv!: string;
  port!: number;
  logLevel!: string;
  db!: {
    host: string;
    port: number;
    user: string;
    password: string;
    name: string;
    poolSize: number;
    lockWaitTimeoutSeconds: number;
    connectTimeoutMs: number;
    /** Longest wait for a pooled connection (including opening a new one) before answering 503. */
    acquireTimeoutMs: number;
  };
  jwtSecret!: string;
  /** When set, a token's `iss` must equal it. */
  jwtIssuer!: string | null;
  /** When set, a token's `aud` must be (or contain) it. */
  jwtAudience!: string | null;
  redisUrl!: string | null;
  /** How long an in-flight Idempotency-Key claim blocks retries (seconds). */
  idempotencyLeaseSeconds!: number;
  dataPlatformUrl!: string | null;
  dataPlatformTimeoutMs!: number;
  outbox!: {
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
  };
  orderPaymentTtlSeconds!: number;
  popularCacheTtlSeconds!: number;
  productListCacheMs!: number;
  chargeMax!: number;
  balanceMax!: number;
  rateLimitPerMinute!: number;
  /** Off: the client address is the peer's. Else X-Forwarded-For is read, as far as trusted. */
  trustProxy!: TrustProxy;
  docsEnabled!: boolean;
  seedDemoData!: boolean;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}
