import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createClient } from '@redis/client';
import { AppConfig } from '../../config/app-config';
import { within } from '../async/within';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker';

export type RedisClient = ReturnType<typeof createClient>;

/** What /health says: `disabled` without REDIS_URL, `degraded` while the fallbacks serve. */
export type RedisStatus = 'up' | 'degraded' | 'disabled';

/**
 * Failed exchanges in a row, over at least FAILING_FOR_MS, that open the circuit: one stall
 * fails every command in flight at once, which is a hiccup, not an outage. Meanwhile a hung
 * Redis costs each request at most the command timeout.
 */
const FAILURE_THRESHOLD = 3;
const FAILING_FOR_MS = 500;
/** While open, a background PING this often; the first answer closes the circuit. */
const PROBE_INTERVAL_MS = 1_000;
/** Per connection attempt (in the background), and the longest start-up waits for Redis. */
const CONNECT_TIMEOUT_MS = 1_000;
const RECONNECT_MAX_DELAY_MS = 1_000;

/**
 * The one Redis connection of this process, shared by the rate limiter and the popular cache,
 * behind one circuit breaker. Redis is optional, so its users always have a fallback: `run`
 * either gets an answer within REDIS_COMMAND_TIMEOUT_MS or fails, and while Redis is down it
 * fails at once without touching the network (the breaker probes in the background).
 *
 * - No offline queue: a command sent while disconnected fails at once instead of waiting for
 *   the reconnection.
 * - A deadline on every exchange: a Redis that accepts connections but never answers (stopped,
 *   swapping) fails like one that is gone. The client's own `commandOptions.timeout` does not
 *   do this: it only bounds the wait to be written, not the wait for the answer.
 * - The client reconnects by itself; the breaker closes once a PING answers.
 */
@Injectable()
export class SharedRedis implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly client?: RedisClient;
  private readonly breaker: CircuitBreaker;
  private readonly recoveryListeners: Array<() => void> = [];

  constructor(private readonly config: AppConfig) {
    this.breaker = new CircuitBreaker({
      failureThreshold: FAILURE_THRESHOLD,
      failingForMs: FAILING_FOR_MS,
      probeIntervalMs: PROBE_INTERVAL_MS,
      probe: () => within(this.client!.ping(), config.redisCommandTimeoutMs, 'no answer'),
      onOpen: (cause) =>
        this.logger.warn(
          `Redis is down (${(cause as Error).message}): per-process rate limits and cache until it answers again`,
        ),
      onClose: () => {
        this.logger.log('Redis is back: shared rate limits and cache in use again');
        for (const listener of this.recoveryListeners) listener();
      },
    });
    if (!config.redisUrl) return;
    this.client = createClient({
      url: config.redisUrl,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: CONNECT_TIMEOUT_MS,
        reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, RECONNECT_MAX_DELAY_MS),
      },
    });
    // Every failed reconnection attempt emits one; the breaker reports the outage once.
    this.client.on('error', (error: Error) => this.logger.debug(`Redis: ${error.message}`));
  }

  /** True when Redis is configured and not known to be down: worth trying. */
  get available(): boolean {
    return this.client !== undefined && !this.breaker.isOpen;
  }

  /** Runs one exchange with Redis, or fails fast (no Redis, circuit open, timeout, error). */
  run<T>(exchange: (client: RedisClient) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client) return Promise.reject(new CircuitOpenError());
    return this.breaker.run(() =>
      within(exchange(client), this.config.redisCommandTimeoutMs, 'no answer'),
    );
  }

  /** For /health: a PING while the circuit is closed (bounded by the command timeout). */
  async status(): Promise<RedisStatus> {
    if (!this.client) return 'disabled';
    if (!this.available) return 'degraded';
    try {
      await this.run((client) => client.ping());
      return 'up';
    } catch {
      return 'degraded';
    }
  }

  /** `listener` runs each time Redis answers again after an outage. */
  onRecovery(listener: () => void): void {
    this.recoveryListeners.push(listener);
  }

  /**
   * Connects before the first request when Redis answers within the connect timeout;
   * otherwise starts degraded, and the client keeps trying in the background.
   */
  async onModuleInit(): Promise<void> {
    if (!this.client) return;
    try {
      await within(this.client.connect(), CONNECT_TIMEOUT_MS, 'not reachable at start-up');
    } catch (error) {
      this.breaker.trip(error);
    }
  }

  onApplicationShutdown(): void {
    this.breaker.stop();
    // destroy, not close: close waits for the answers a hung Redis never sends.
    if (this.client?.isOpen) this.client.destroy();
  }
}
