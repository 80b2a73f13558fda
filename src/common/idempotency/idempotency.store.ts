import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { DAY_MS } from '../clock/durations';
import { TransactionRunner } from '../database/transaction-runner';
import { IdempotencyKeyInProgressError } from './idempotency.errors';

/** How long a key is remembered. */
export const IDEMPOTENCY_RETENTION_MS = DAY_MS;

export type ClaimResult =
  | { kind: 'claimed'; id: number; token: string }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in-progress' }
  | { kind: 'reused' };

interface KeyRow {
  id: number;
  fingerprint: string;
  status: 'IN_PROGRESS' | 'COMPLETED';
  locked_until: Date;
  expires_at: Date;
  response_status: number | null;
  response_body: string | null;
}

/** Idempotency records in MySQL, so they hold across any number of server processes. */
@Injectable()
export class IdempotencyStore {
  /**
   * How long an in-flight claim blocks retries without being renewed (IDEMPOTENCY_LEASE_SECONDS,
   * default 10 s). The request renews it while it runs (`renew`, every third of the lease), so
   * a slow first request keeps its key however long it legitimately takes: waiting for a pool
   * connection, for locks, and through deadlock retries. A request whose process died, or whose
   * release failed because the database was away, leaves its claim behind (its business
   * transaction rolled back) and renews it no more; one lease later a retry takes the claim over
   * and does the work. A first request that lost its claim anyway (its renewals failed for a
   * whole lease) can never complete after the takeover: completion checks the claim token inside
   * the business transaction.
   */
  readonly leaseMs: number;

  constructor(
    private readonly db: TransactionRunner,
    config: AppConfig,
  ) {
    this.leaseMs = config.idempotencyLeaseSeconds * 1000;
  }

  /** Claims the key (committed at once), or says why the request must not run now. */
  async claim(userId: number, key: string, fingerprint: string, now: Date): Promise<ClaimResult> {
    const token = randomUUID();
    const lockedUntil = new Date(now.getTime() + this.leaseMs);
    const expiresAt = new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS);
    const inserted = await this.db.query<{ affectedRows: number; insertId: number }>(
      `INSERT IGNORE INTO idempotency_keys
         (user_id, idem_key, fingerprint, status, claim_token, locked_until, created_at, expires_at)
       VALUES (?, ?, ?, 'IN_PROGRESS', ?, ?, ?, ?)`,
      [userId, key, fingerprint, token, lockedUntil, now, expiresAt],
    );
    if (inserted.affectedRows === 1) return { kind: 'claimed', id: inserted.insertId, token };

    const [row] = await this.db.query<KeyRow[]>(
      `SELECT id, fingerprint, status, locked_until, expires_at, response_status, response_body
         FROM idempotency_keys WHERE user_id = ? AND idem_key = ?`,
      [userId, key],
    );
    if (!row) return { kind: 'in-progress' };

    if (row.expires_at <= now) {
      const taken = await this.db.query<{ affectedRows: number }>(
        `UPDATE idempotency_keys
            SET fingerprint = ?, status = 'IN_PROGRESS', claim_token = ?, locked_until = ?,
                response_status = NULL, response_body = NULL, created_at = ?, expires_at = ?
          WHERE id = ? AND expires_at <= ?`,
        [fingerprint, token, lockedUntil, now, expiresAt, row.id, now],
      );
      return taken.affectedRows === 1
        ? { kind: 'claimed', id: row.id, token }
        : { kind: 'in-progress' };
    }
    if (row.fingerprint !== fingerprint) return { kind: 'reused' };
    if (row.status === 'COMPLETED') {
      return {
        kind: 'replay',
        status: row.response_status ?? 200,
        body: JSON.parse(row.response_body ?? 'null'),
      };
    }
    if (row.locked_until > now) return { kind: 'in-progress' };

    const taken = await this.db.query<{ affectedRows: number }>(
      `UPDATE idempotency_keys SET claim_token = ?, locked_until = ?
        WHERE id = ? AND status = 'IN_PROGRESS' AND locked_until <= ?`,
      [token, lockedUntil, row.id, now],
    );
    return taken.affectedRows === 1
      ? { kind: 'claimed', id: row.id, token }
      : { kind: 'in-progress' };
  }

  /** Pushes the lease of a claim that is still ours out by a whole lease from `now`. */
  async renew(id: number, token: string, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET locked_until = ?
        WHERE id = ? AND claim_token = ? AND status = 'IN_PROGRESS'`,
      [new Date(now.getTime() + this.leaseMs), id, token],
    );
  }

  /**
   * Stores the response. For a success it runs inside the business transaction, so both commit
   * together; a business refusal (whose transaction rolled back) is stored on its own.
   */
  async complete(id: number, token: string, status: number, body: unknown): Promise<void> {
    const updated = await this.db.query<{ affectedRows: number }>(
      `UPDATE idempotency_keys SET status = 'COMPLETED', response_status = ?, response_body = ?
        WHERE id = ? AND claim_token = ? AND status = 'IN_PROGRESS'`,
      [status, JSON.stringify(body ?? null), id, token],
    );
    // The lease ran out and a retry took the key over: let that retry's work stand alone.
    if (updated.affectedRows !== 1) throw new IdempotencyKeyInProgressError();
  }

  /** Forgets a claim whose request failed, so a retry runs the request again. */
  async release(id: number, token: string): Promise<void> {
    await this.db.query(
      `DELETE FROM idempotency_keys WHERE id = ? AND claim_token = ? AND status = 'IN_PROGRESS'`,
      [id, token],
    );
  }

  async deleteExpired(now: Date, limit: number): Promise<number> {
    const result = await this.db.query<{ affectedRows: number }>(
      'DELETE FROM idempotency_keys WHERE expires_at <= ? LIMIT ?',
      [now, limit],
    );
    return result.affectedRows;
  }
}
