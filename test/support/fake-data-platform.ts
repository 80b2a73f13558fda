import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  idempotencyKey: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown> & { eventId?: string };
}

/**
 * A real HTTP server on loopback standing in for the data platform. `failNext(n)` answers the
 * next n requests with 503; `failAlways` answers every request with 500; `refuseIf` answers 503
 * to the events it picks.
 */
export class FakeDataPlatform {
  readonly received: ReceivedEvent[] = [];
  failAlways = false;
  refuseIf: ((event: ReceivedEvent) => boolean) | null = null;
  private failuresLeft = 0;
  private server!: Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void readBody(request).then((raw) => {
        const event: ReceivedEvent = {
          idempotencyKey: request.headers['idempotency-key'] as string | undefined,
          contentType: request.headers['content-type'],
          body: JSON.parse(raw),
        };
        this.received.push(event);
        if (this.refuseIf?.(event)) {
          response.writeHead(503).end('unavailable');
        } else if (this.failAlways || this.failuresLeft > 0) {
          this.failuresLeft = Math.max(0, this.failuresLeft - 1);
          response.writeHead(this.failAlways ? 500 : 503).end('unavailable');
        } else {
          response.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  failNext(count: number): void {
    this.failuresLeft = count;
  }

  reset(): void {
    this.received.length = 0;
    this.failAlways = false;
    this.failuresLeft = 0;
    this.refuseIf = null;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => resolve(raw));
  });
}

/** Polls `check` until it returns true or the timeout passes. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 8_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
