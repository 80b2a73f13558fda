import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Metrics } from '../metrics/metrics';
import { unavailableCause } from '../metrics/unavailable-cause';
import { sendError } from './error-body';

/** The single place where Nest-side failures become HTTP answers (and 503s are counted). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly metrics: Metrics) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const cause = unavailableCause(error);
    if (cause) this.metrics.unavailable.inc({ cause });
    const http = host.switchToHttp();
    sendError(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
