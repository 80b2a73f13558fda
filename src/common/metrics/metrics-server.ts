import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { Metrics } from './metrics';

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
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.metrics;
    if (port === 0) return;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
        return;
      }
      this.metrics.registry.metrics().then(
        (body) =>
          response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(body),
        (error: Error) => {
          this.logger.warn(`collecting metrics failed: ${error.message}`);
          response
            .writeHead(500, { 'content-type': 'text/plain' })
            .end('collecting metrics failed\n');
        },
      );
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
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
