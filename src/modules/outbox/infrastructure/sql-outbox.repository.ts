import { Injectable } from '@nestjs/common';
import { placeholders } from '../../../common/database/sql-placeholders';
import { TransactionRunner } from '../../../common/database/transaction-runner';
import { OutboxCounts, PlatformEvent } from '../domain/outbox-event';
import { ClaimedEvent, OutboxRepository } from '../domain/outbox.repository';

@Injectable()
export class SqlOutboxRepository extends OutboxRepository {
  constructor(private readonly db: TransactionRunner) {
    super();
  }

  async add(event: PlatformEvent, aggregateId: number, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO outbox_events (event_id, type, aggregate_id, payload, status, attempts, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?)`,
      [event.eventId, event.type, aggregateId, JSON.stringify(event), now, now],
    );
  }

  async claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedEvent[]> {
    // The claim and its lease are one transaction (the relay's): SKIP LOCKED keeps the rows
    // locked until the lease is written.
    this.db.requireTransaction();
    const rows = await this.db.query<{ id: number; attempts: number; payload: string }[]>(
      `SELECT id, attempts, payload FROM outbox_events e
        WHERE status = 'PENDING' AND next_attempt_at <= ?
          AND NOT EXISTS (SELECT 1 FROM outbox_events earlier
                           WHERE earlier.aggregate_id = e.aggregate_id AND earlier.id < e.id
                             AND earlier.status <> 'DELIVERED')
        ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    if (rows.length === 0) return [];
    await this.db.query(
      `UPDATE outbox_events SET next_attempt_at = ? WHERE id IN (${placeholders(rows)})`,
      [new Date(now.getTime() + leaseMs), ...rows.map((row) => row.id)],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      attempts: Number(row.attempts),
      event: JSON.parse(row.payload),
    }));
  }

  async markDelivered(ids: number[], now: Date): Promise<void> {
    await this.db.query(
      `UPDATE outbox_events SET status = 'DELIVERED', attempts = attempts + 1, delivered_at = ?, last_error = NULL
        WHERE id IN (${placeholders(ids)}) AND status = 'PENDING'`,
      [now, ...ids],
    );
  }

  async markAttemptFailed(id: number, nextAttemptAt: Date | null, error: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox_events
          SET attempts = attempts + 1, last_error = ?,
              status = IF(? IS NULL, 'FAILED', 'PENDING'), next_attempt_at = COALESCE(?, next_attempt_at)
        WHERE id = ? AND status = 'PENDING'`,
      [error.slice(0, 500), nextAttemptAt, nextAttemptAt, id],
    );
  }

  async takeUnprojected(limit: number): Promise<PlatformEvent[]> {
    const rows = await this.db.query<{ id: number; payload: string }[]>(
      'SELECT id, payload FROM outbox_events WHERE projected = 0 ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED',
      [limit],
    );
    if (rows.length === 0) return [];
    await this.db.query(
      `UPDATE outbox_events SET projected = 1 WHERE id IN (${placeholders(rows)})`,
      rows.map((row) => row.id),
    );
    return rows.map((row) => JSON.parse(row.payload));
  }

  async counts(): Promise<OutboxCounts> {
    const rows = await this.db.query<{ status: string; total: number }[]>(
      'SELECT status, COUNT(*) AS total FROM outbox_events GROUP BY status',
    );
    const count = (status: string) => Number(rows.find((row) => row.status === status)?.total ?? 0);
    return { pending: count('PENDING'), delivered: count('DELIVERED'), failed: count('FAILED') };
  }

  async countUndelivered(): Promise<{ pending: number; failed: number }> {
    // Through idx_outbox_due: only the (few) undelivered rows are counted.
    const rows = await this.db.query<{ status: string; total: number }[]>(
      "SELECT status, COUNT(*) AS total FROM outbox_events WHERE status IN ('PENDING', 'FAILED') GROUP BY status",
    );
    const count = (status: string) => Number(rows.find((row) => row.status === status)?.total ?? 0);
    return { pending: count('PENDING'), failed: count('FAILED') };
  }

  async oldestUnprojectedAt(): Promise<Date | null> {
    // The first row of idx_outbox_unprojected (projected, id).
    const [row] = await this.db.query<{ created_at: Date }[]>(
      'SELECT created_at FROM outbox_events WHERE projected = 0 ORDER BY id LIMIT 1',
    );
    return row ? new Date(row.created_at) : null;
  }

  async oldestUndeliveredAt(): Promise<Date | null> {
    // Through idx_outbox_due: only the (few) undelivered rows are read.
    const [{ oldest }] = await this.db.query<{ oldest: Date | null }[]>(
      "SELECT MIN(created_at) AS oldest FROM outbox_events WHERE status IN ('PENDING', 'FAILED')",
    );
    return oldest === null ? null : new Date(oldest);
  }

  async requeueFailed(now: Date): Promise<number> {
    const result = await this.db.query<{ affectedRows: number }>(
      `UPDATE outbox_events SET status = 'PENDING', attempts = 0, next_attempt_at = ?
        WHERE status = 'FAILED'`,
      [now],
    );
    return result.affectedRows;
  }
}
