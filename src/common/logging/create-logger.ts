import pino, { DestinationStream, Logger as PinoLogger } from 'pino';

/**
 * One JSON-lines logger for Fastify's request logs and Nest's own messages; to stdout unless
 * given another destination.
 */
export function createLogger(level: string, destination?: DestinationStream): PinoLogger {
  const options = {
    level,
    base: { service: 'ecommerce-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
