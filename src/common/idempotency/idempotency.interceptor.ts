import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { Clock } from '../clock/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { ValidationFailedError } from '../errors/common.errors';
import { DomainError } from '../errors/domain-error';
import { errorBody } from '../errors/error-body';
import { mapError } from '../errors/error-mapper';
import { RecordedErrorResponse } from '../errors/recorded-error-response';
import { Metrics } from '../metrics/metrics';
import { IdempotencyKeyInProgressError, IdempotencyKeyReusedError } from './idempotency.errors';
import { IdempotencyStore } from './idempotency.store';
import { requestFingerprint } from './request-fingerprint';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const VALID_KEY = /^[\x20-\x7e]{1,100}$/;
/**
 * Answers given before the use case ran, or that a retry may well not get (the contract):
 * nothing is stored for them, so a retry with the same key runs afresh. Every other answer
 * (a success, a business refusal such as 409 INSUFFICIENT_BALANCE or 404 ORDER_NOT_FOUND) is the
 * request's answer and is replayed.
 */
const NOT_STORED = new Set([400, 401, 403, 429]);

type Claimed = { id: number; token: string };

/**
 * Applies the contract's Idempotency-Key rules to one route (see @Idempotent()).
 *
 * Who owns the transaction on such a route: this interceptor opens the unit of work
 * (`runDeferred`) and owns its connection, its commit and its deadlock/1020 retries (a retry
 * re-runs the handler); the use case's own `transactions.run` still marks where the transaction
 * begins, after its plain pre-checks, so those hold no snapshot and queue for no lock. The
 * stored response is written after the use case, in that same transaction, and commits with its
 * effects: a request is applied exactly once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly store: IdempotencyStore,
    private readonly transactions: TransactionRunner,
    private readonly reflector: Reflector,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (key === undefined || !request.actor) return next.handle();
    if (typeof key !== 'string' || !VALID_KEY.test(key)) {
      throw new ValidationFailedError([
        {
          field: 'Idempotency-Key',
          reason: 'Idempotency-Key must be 1-100 printable ASCII characters',
        },
      ]);
    }
    const status =
      this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? 201 : 200);
    const path = request.url.split('?')[0];
    const fingerprint = requestFingerprint(request.method, path, request.body);
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.handle(request.actor.userId, key, fingerprint, status, path, reply, next));
  }

  private async handle(
    userId: number,
    key: string,
    fingerprint: string,
    status: number,
    path: string,
    reply: FastifyReply,
    next: CallHandler,
  ): Promise<unknown> {
    const claim = await this.store.claim(userId, key, fingerprint, this.clock.now());
    switch (claim.kind) {
      case 'reused':
        this.metrics.idempotency.inc({ result: 'reused' });
        throw new IdempotencyKeyReusedError();
      case 'in-progress':
        this.metrics.idempotency.inc({ result: 'in_progress' });
        throw new IdempotencyKeyInProgressError();
      case 'replay':
        this.metrics.idempotency.inc({ result: 'replayed' });
        void reply.header('idempotent-replayed', 'true');
        if (claim.status >= 400) throw new RecordedErrorResponse(claim.status, claim.body);
        return claim.body;
    }
    const stopRenewing = this.keepClaimed(claim);
    try {
      return await this.transactions.runDeferred(async () => {
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        await this.store.complete(claim.id, claim.token, status, body);
        return body;
      });
    } catch (error) {
      throw await this.settleFailure(claim, error, path);
    } finally {
      stopRenewing();
    }
  }

  /**
   * Renews the claim's lease while the request runs, however long it waits for a connection or
   * for locks. Started outside the unit of work: the renewals go through the pool, never through
   * the request's own connection.
   */
  private keepClaimed(claim: Claimed): () => void {
    const timer = setInterval(() => {
      this.store.renew(claim.id, claim.token, this.clock.now()).catch((error: Error) => {
        this.logger.warn(`could not renew an idempotency claim: ${error.message}`);
      });
    }, this.store.leaseMs / 3);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * A business refusal (a `DomainError`) is stored, as the request's answer, and sent exactly as
   * stored (the error to throw is returned). Anything else frees the key for a retry; if that
   * fails too, the lease frees it once renewals stop.
   */
  private async settleFailure(claim: Claimed, error: unknown, path: string): Promise<unknown> {
    const mapped = mapError(error);
    const stored =
      error instanceof DomainError && mapped.status < 500 && !NOT_STORED.has(mapped.status);
    try {
      if (!stored) {
        await this.store.release(claim.id, claim.token);
        return error;
      }
      const body = errorBody(mapped, path, this.clock.now());
      await this.store.complete(claim.id, claim.token, mapped.status, body);
      return new RecordedErrorResponse(mapped.status, body);
    } catch {
      return error;
    }
  }
}
