import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ValidationFailedError } from './common.errors';
import type { ErrorDefinition } from './contract-error';
import { HeadersTooLargeError, RequestTimeoutError } from './http.errors';

/**
 * Answers a request that Node's HTTP parser refused before Fastify saw it (headers or URL over
 * Node's 16 KiB limit, a control character in a header, not HTTP at all, too slow to arrive)
 * with the standard error body; Fastify's default writes a body of its own shape. The request
 * was never read, so `path` is empty. The connection is closed afterwards, as Node requires.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [answer, message]: [ErrorDefinition, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [HeadersTooLargeError, 'The request headers or URL are too large (at most 16 KiB together)']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT'
        ? [RequestTimeoutError, 'The request took too long to arrive']
        : [ValidationFailedError, 'The request is not valid HTTP'];
  const { status } = answer;
  const body = JSON.stringify({
    statusCode: status,
    code: answer.code,
    message,
    path: '',
    timestamp: new Date().toISOString(),
  });
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
