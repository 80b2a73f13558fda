import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Server } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { Metrics } from './metrics';
import { boundPort, listenForScrapes } from './scrape-listener';

/**
 * The Prometheus exposition (`GET /metrics`) on a listener of its own, METRICS_HOST:METRICS_PORT
 * (127.0.0.1:9464 by default; METRICS_PORT=0 turns it off), so it is never reachable through the
 * public port and a scrape never competes with the API's routing, guards or rate limit.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server: Server | null = null;

  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  /** The port it listens on, or null when off. */
  get port(): number | null {
    return boundPort(this.server);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.metrics;
    if (port === 0) return;
    let server: Server;
    try {
      server = await listenForScrapes(
        host,
        port,
        {
          contentType: this.metrics.registry.contentType,
          collect: () => this.metrics.registry.metrics(),
        },
        (error) => this.logger.warn(`collecting metrics failed: ${error.message}`),
      );
    } catch (error) {
      // The API still serves: a second process on one machine, say, without a port of its own.
      this.logger.error(
        `metrics listener could not bind ${host}:${port} (${(error as Error).message}); no metrics from this process`,
      );
      return;
    }
    this.server = server;
    this.logger.log(`Prometheus metrics on http://${host}:${this.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
