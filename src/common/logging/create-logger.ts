import pino, { Logger as PinoLogger } from 'pino';

/** One JSON-lines logger for Fastify's request logs and Nest's own messages. */
export function createLogger(level: string): PinoLogger {
  return pino({
    level,
    base: { service: 'ecommerce-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization'], censor: '[redacted]' },
  });
}
