/**
 * Browser origins allowed to call the API (CORS): `*` for any, otherwise exact origins
 * (`https://shop.example.com`) and, by default outside production, the local patterns.
 */
export type CorsOrigins = '*' | Array<string | RegExp>;

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
  corsOrigins!: CorsOrigins;
  docsEnabled!: boolean;
  seedDemoData!: boolean;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}
