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
  redisUrl!: string | null;
  /** Longest wait for one Redis command on the request path before the fallback is used. */
  redisCommandTimeoutMs!: number;
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
  docsEnabled!: boolean;
  seedDemoData!: boolean;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}
