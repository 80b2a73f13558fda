/** Which proxies may say who the client is (`X-Forwarded-For`): Fastify's `trustProxy`. */
export type TrustProxy = boolean | number | string[];
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
  /** Worker processes serving PORT; 1: no cluster. */
  webConcurrency!: number;
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
    /** Read replicas (same user and database) for the public catalogue reads; none: []. */
    replicas: Array<{ host: string; port: number }>;
  };
  jwtSecret!: string;
  /** When set, a token's `iss` must equal it. */
  jwtIssuer!: string | null;
  /** When set, a token's `aud` must be (or contain) it. */
  jwtAudience!: string | null;
  redisUrl!: string | null;
  /** Longest wait for one Redis command on the request path before the fallback is used. */
  redisCommandTimeoutMs!: number;
  /** How long an in-flight Idempotency-Key claim blocks retries (seconds). */
  idempotencyLeaseSeconds!: number;
  /** http(s)://... (POST), nats://host:port[,host:port] (JetStream), or null (the log). */
  dataPlatformUrl!: string | null;
  /** NATS subject prefix: events go to `<prefix>.<type>`. */
  dataPlatformSubject!: string;
  /** JetStream stream, created with subjects `<prefix>.>` when missing. */
  dataPlatformStream!: string;
  dataPlatformTimeoutMs!: number;
  outbox!: {
    /** 0: retry until delivered. */
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
    /** A warning is logged while the oldest undelivered event is older than this; 0: never. */
    lagWarnSeconds: number;
  };
  orderPaymentTtlSeconds!: number;
  popularCacheTtlSeconds!: number;
  productListCacheMs!: number;
  chargeMax!: number;
  balanceMax!: number;
  rateLimitPerMinute!: number;
  /** Off: the client address is the peer's. Else X-Forwarded-For is read, as far as trusted. */
  trustProxy!: TrustProxy;
  corsOrigins!: CorsOrigins;
  docsEnabled!: boolean;
  /** Prometheus exposition listener; port 0: off. */
  metrics!: { port: number; host: string };
  seedDemoData!: boolean;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}
