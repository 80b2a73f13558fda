import { Injectable } from '@nestjs/common';
import {
  Aggregator,
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';

/** Seconds: from a cached read (sub-millisecond) to a request stuck on a lock wait (5 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const MISNAMED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

export type CouponIssueOutcome =
  'issued' | 'sold_out' | 'already_issued' | 'not_issuable' | 'not_found' | 'forbidden' | 'error';
export type OrderEvent = 'placed' | 'paid' | 'cancelled' | 'expired';
export type UnavailableCause = 'database' | 'lock_timeout' | 'deadlock' | 'pool_exhausted';

/**
 * Every metric the API exposes, on a registry of its own (one per app instance: tests run
 * several in one process). Prometheus scrapes it on the metrics listener (METRICS_PORT), never
 * through the public port. Names follow Prometheus conventions: `_total` counters, base units
 * (seconds, KRW), bounded labels only (route templates, outcomes, never ids or raw URLs).
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request arriving to its answer being sent',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly couponIssues = new Counter({
    name: 'coupon_issues_total',
    help: 'Coupon issue requests by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly orders = new Counter({
    name: 'orders_total',
    help: 'Orders placed, paid, cancelled and expired',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly paymentAmount = new Counter({
    name: 'payment_amount_krw_total',
    help: 'KRW paid for orders',
    registers: [this.registry],
  });

  readonly deadlockRetries = new Counter({
    name: 'db_deadlock_retries_total',
    help: 'Units of work re-run after a deadlock (or a snapshot conflict)',
    registers: [this.registry],
  });

  readonly lockWaitTimeouts = new Counter({
    name: 'db_lock_wait_timeouts_total',
    help: 'Units of work that gave up waiting for a row lock (answered 503)',
    registers: [this.registry],
  });

  readonly unavailable = new Counter({
    name: 'http_unavailable_responses_total',
    help: '503 SERVICE_UNAVAILABLE answers by cause',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });

  readonly idempotency = new Counter({
    name: 'idempotency_requests_total',
    help: 'Requests with an Idempotency-Key by what happened to the key',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly unitOfWork = new Histogram({
    name: 'db_unit_of_work_duration_seconds',
    help: 'Time a unit of work (one transaction, retries included) took, by outcome',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly outboxDeliveries = new Counter({
    name: 'outbox_deliveries_total',
    help: 'Delivery attempts of outbox events to the data platform, by transport and result',
    labelNames: ['transport', 'result'] as const,
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'cache_lookups_total',
    help: 'Cache lookups by cache and result',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  /** For a cache's `onLookup`: counts its hits and misses (children bound once). */
  cacheLookup(cache: string): (hit: boolean) => void {
    const hits = this.cacheLookups.labels({ cache, result: 'hit' });
    const misses = this.cacheLookups.labels({ cache, result: 'miss' });
    return (hit) => (hit ? hits : misses).inc();
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters (promtool check metrics refuses them); the same figures are
    // there by type, without the suffix (nodejs_active_handles{type}, ...).
    for (const name of MISNAMED_DEFAULT_METRICS) this.registry.removeSingleMetric(name);
  }

  /**
   * A gauge read at scrape time (pool usage, outbox backlog): `collect` sets its values. When
   * `collect` fails (the database is away) the gauge keeps its last values and the rest of the
   * scrape is unaffected. `aggregator` says how a cluster primary combines its workers' values
   * (WEB_CONCURRENCY): pool figures add up, a figure read from the shared database does not.
   */
  gauge(
    name: string,
    help: string,
    labelNames: string[],
    collect: (gauge: Gauge) => void | Promise<void>,
    aggregator: Aggregator = 'sum',
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      aggregator,
      registers: [this.registry],
      async collect() {
        try {
          await collect(this);
        } catch {
          // keep the last values
        }
      },
    });
  }
}
