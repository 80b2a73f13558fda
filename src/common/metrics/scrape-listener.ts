import { createServer, Server } from 'node:http';

export interface Exposition {
  contentType: string;
  /** The text Prometheus scrapes. */
  collect(): Promise<string>;
}

/**
 * An HTTP listener that answers `GET /metrics` with the exposition and 404 to anything else.
 * Rejects when host:port cannot be bound.
 */
export async function listenForScrapes(
  host: string,
  port: number,
  exposition: Exposition,
  onCollectError: (error: Error) => void,
): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
      return;
    }
    exposition.collect().then(
      (body) => response.writeHead(200, { 'content-type': exposition.contentType }).end(body),
      (error: Error) => {
        onCollectError(error);
        response
          .writeHead(500, { 'content-type': 'text/plain' })
          .end('collecting metrics failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** The port a listener is bound to. */
export function boundPort(server: Server | null): number | null {
  const address = server?.address();
  return typeof address === 'object' && address ? address.port : null;
}
