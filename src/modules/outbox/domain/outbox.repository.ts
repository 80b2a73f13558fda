import { OutboxCounts, PlatformEvent } from './outbox-event';

export interface ClaimedEvent {
  id: number;
  attempts: number;
  event: PlatformEvent;
}

/** Persistence port of the transactional outbox. */
export abstract class OutboxRepository {
  /** Adds a pending event; must run inside the business transaction that caused it. */
  abstract add(event: PlatformEvent, aggregateId: number, now: Date): Promise<void>;
  /**
   * Claims up to `limit` due events (FOR UPDATE SKIP LOCKED, so processes never wait on each
   * other) by moving their next attempt `leaseMs` ahead: a relay that dies mid-delivery leaves
   * the event to be retried after the lease. Only the first undelivered event of each order is
   * due: a later one waits until every earlier one of its order is delivered, so one order's
   * events reach the platform in the order they were written, and a batch holds at most one
   * event per order (its events may be sent at once). Runs inside the caller's transaction.
   */
  abstract claimDue(now: Date, limit: number, leaseMs: number): Promise<ClaimedEvent[]>;
  abstract markDelivered(ids: number[], now: Date): Promise<void>;
  /** Records a failed attempt: retry at `nextAttemptAt`, or FAILED for good when it is null. */
  abstract markAttemptFailed(id: number, nextAttemptAt: Date | null, error: string): Promise<void>;
  /**
   * Locks (SKIP LOCKED) up to `limit` events not yet counted into the sales aggregate, and marks
   * them counted; both take effect only if the caller's transaction commits.
   */
  abstract takeUnprojected(limit: number): Promise<PlatformEvent[]>;
  abstract counts(): Promise<OutboxCounts>;
  /** How many events wait for delivery (pending) and how many gave up (failed). */
  abstract countUndelivered(): Promise<{ pending: number; failed: number }>;
  /** When the oldest event not yet counted into the sales figures was written; null when none. */
  abstract oldestUnprojectedAt(): Promise<Date | null>;
  /** When the oldest event not yet delivered (pending or failed) was written; null when none. */
  abstract oldestUndeliveredAt(): Promise<Date | null>;
  /** Makes every FAILED event pending again, due at once, with a fresh count of attempts. */
  abstract requeueFailed(now: Date): Promise<number>;
}
