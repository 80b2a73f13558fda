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
  };
  jwtSecret!: string;
  redisUrl!: string | null;
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
