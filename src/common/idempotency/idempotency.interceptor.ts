import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { Clock } from '../clock/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { ValidationFailedError } from '../errors/common.errors';
import { IdempotencyKeyInProgressError, IdempotencyKeyReusedError } from './idempotency.errors';
import { IdempotencyStore } from './idempotency.store';
import { requestFingerprint } from './request-fingerprint';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const VALID_KEY = /^[\x20-\x7e]{1,100}$/;

/**
 * Applies the contract's Idempotency-Key rules to one route (see @Idempotent()).
 * The handler runs as one unit of work opened here, whose transaction the use case begins, and the
 * stored response commits in that same transaction: a request is applied exactly once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly transactions: TransactionRunner,
    private readonly reflector: Reflector,
    private readonly clock: Clock,
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
    const fingerprint = requestFingerprint(request.method, request.url.split('?')[0], request.body);
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return from(this.handle(request.actor.userId, key, fingerprint, status, reply, next));
  }

  private async handle(
    userId: number,
    key: string,
    fingerprint: string,
    status: number,
    reply: FastifyReply,
    next: CallHandler,
  ): Promise<unknown> {
    const claim = await this.store.claim(userId, key, fingerprint, this.clock.now());
    switch (claim.kind) {
      case 'reused':
        throw new IdempotencyKeyReusedError();
      case 'in-progress':
        throw new IdempotencyKeyInProgressError();
      case 'replay':
        void reply.header('idempotent-replayed', 'true');
        return claim.body;
    }
    try {
      return await this.transactions.runDeferred(async () => {
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        await this.store.complete(claim.id, claim.token, status, body);
        return body;
      });
    } catch (error) {
      await this.store.release(claim.id, claim.token).catch(() => undefined);
      throw error;
    }
  }
}
