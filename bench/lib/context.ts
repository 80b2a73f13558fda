/** What every scenario gets from the harness, and the sizes of a full and a --quick run. */
import type { Pool } from 'mysql2/promise';
import type { Sample } from './load';
import type { PrivateNats } from '../../test/support/private-nats';
import type { ServerProcess } from './server';

export interface Sizes {
  /** Bulk seed: products, users with a balance, orders (one line each). */
  products: number;
  users: number;
  orders: number;
  /** Length of one run of a duration-based row, and of its warm-up. */
  durationSeconds: number;
  warmupSeconds: number;
  coupon: {
    users: number;
    quantity: number;
    warmupUsers: number;
    warmupQuantity: number;
    connections: number;
  };
  orderPay: {
    users: number;
    stock: number;
    price: number;
    initialBalance: number;
    warmupUsers: number;
    connections: number;
  };
  charge: { users: number; chargesPerUser: number; warmupUsers: number; connections: number };
  read: { connections: number; pageSize: number };
  popular: {
    uncachedRequests: number;
    uncachedWideRequests: number;
    uncachedLoadConnections: number;
  };
  /** Events written at once for the relay's throughput row. */
  relayBacklog: number;
}

export const FULL_SIZES: Sizes = {
  products: 100_000,
  users: 10_000,
  orders: 1_000_000,
  durationSeconds: 10,
  warmupSeconds: 3,
  coupon: {
    users: 5_000,
    quantity: 1_000,
    warmupUsers: 1_000,
    warmupQuantity: 200,
    connections: 64,
  },
  orderPay: {
    users: 2_000,
    stock: 1_500,
    price: 10_000,
    initialBalance: 100_000,
    warmupUsers: 300,
    connections: 64,
  },
  charge: { users: 1_000, chargesPerUser: 5, warmupUsers: 300, connections: 64 },
  read: { connections: 100, pageSize: 25 },
  popular: { uncachedRequests: 200, uncachedWideRequests: 20, uncachedLoadConnections: 16 },
  relayBacklog: 5_000,
};

export const QUICK_SIZES: Sizes = {
  products: 10_000,
  users: 2_000,
  orders: 100_000,
  durationSeconds: 3,
  warmupSeconds: 1,
  coupon: { users: 1_000, quantity: 200, warmupUsers: 200, warmupQuantity: 50, connections: 64 },
  orderPay: {
    users: 400,
    stock: 300,
    price: 10_000,
    initialBalance: 100_000,
    warmupUsers: 100,
    connections: 64,
  },
  charge: { users: 200, chargesPerUser: 3, warmupUsers: 100, connections: 64 },
  read: { connections: 100, pageSize: 25 },
  popular: { uncachedRequests: 50, uncachedWideRequests: 5, uncachedLoadConnections: 16 },
  relayBacklog: 1_000,
};

/** Disjoint user id ranges, so scenarios never touch each other's rows. */
export const USER_BASE = {
  coupon: 1,
  couponWarmup: 900_001,
  couponSql: 1,
  couponSqlWarmup: 950_001,
  orderPay: 200_001,
  orderPayWarmup: 250_001,
  charge: 300_001,
  chargeWarmup: 350_001,
} as const;

export interface RowResult {
  scenario: string;
  /** e.g. which deep-page method was used. */
  note?: string;
  samples: Sample[];
}

export interface BenchContext {
  sizes: Sizes;
  runs: number;
  /** The bench database (setup, resets, verification). */
  db: Pool;
  /** For the plain-SQL ceiling: a pool of its own, sized like the app's. */
  openAppLikePool(): Pool;
  /** The server with POPULAR_CACHE_TTL_SECONDS=60. */
  server(): ServerProcess;
  /** Stops the main server and starts one with POPULAR_CACHE_TTL_SECONDS=0. */
  switchToUncachedServer(): Promise<ServerProcess>;
  token(userId: number): string;
  adminToken(): string;
  /** The private nats-server the servers publish the outbox to; null without nats-server. */
  nats: PrivateNats | null;
  natsStream: string;
  log(message: string): void;
}

export const API = '/api/v1';

export function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

/** One progress line per run: what it did and whether it held. */
export function describeSample(label: string, run: number, runs: number, sample: Sample): string {
  const verdict =
    sample.verified === null
      ? ''
      : sample.verified
        ? ', verified'
        : `, VERIFICATION FAILED: ${sample.problems.join('; ')}`;
  return (
    `  ${label} run ${run}/${runs}: ${sample.requests} req, ${sample.rps} req/s, p50 ${sample.p50Ms} ms, ` +
    `p99 ${sample.p99Ms} ms, 2xx/4xx/5xx ${sample.status2xx}/${sample.status4xx}/${sample.status5xx}` +
    (sample.errors > 0 ? `, ${sample.errors} socket errors` : '') +
    (sample.rssMaxMB !== null ? `, server RSS max ${sample.rssMaxMB} MB` : '') +
    verdict
  );
}
