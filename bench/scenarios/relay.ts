/**
 * The outbox relay publishing to NATS JetStream (the bench's servers run with
 * DATA_PLATFORM_URL=nats://<a private nats-server>):
 * - relay:lag: after each order-pay:pay run, the time from each payment's commit (the event's
 *   created_at) to its acknowledged publish (delivered_at): p50/p99 in the latency columns,
 *   events per second from the first commit to the last delivery in the rate column.
 * - relay-backlog: N events written at once (an outage's backlog), the time until all are
 *   acknowledged: events per second. Verified: each event stored in the stream exactly once.
 */
import { randomUUID } from 'node:crypto';
import { BenchContext, RowResult } from '../lib/context';
import { exec, scalar, select } from '../lib/db';
import { emptySample, Sample } from '../lib/load';
import { percentile, round, sleep } from '../lib/stats';

const DELIVERY_TIMEOUT_MS = 120_000;

/** Waits until every event after `outboxIdBase` is delivered; a Sample of their lag. */
export async function relayLagSince(ctx: BenchContext, outboxIdBase: number): Promise<Sample> {
  const sample = emptySample(1);
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  while (
    (await scalar(
      ctx.db,
      "SELECT COUNT(*) FROM outbox_events WHERE id > ? AND status <> 'DELIVERED'",
      [outboxIdBase],
    )) > 0
  ) {
    if (Date.now() > deadline) {
      sample.problems.push(`events still undelivered after ${DELIVERY_TIMEOUT_MS / 1000} s`);
      sample.verified = false;
      return sample;
    }
    await sleep(50);
  }
  const rows = await select<{ lag: number; created: number; delivered: number }>(
    ctx.db,
    `SELECT TIMESTAMPDIFF(MICROSECOND, created_at, delivered_at) / 1000 AS lag,
            UNIX_TIMESTAMP(created_at) * 1000 AS created, UNIX_TIMESTAMP(delivered_at) * 1000 AS delivered
       FROM outbox_events WHERE id > ?`,
    [outboxIdBase],
  );
  if (rows.length === 0) return sample;
  const lags = rows.map((row) => Number(row.lag));
  const span =
    Math.max(...rows.map((row) => Number(row.delivered))) -
    Math.min(...rows.map((row) => Number(row.created)));
  return {
    ...sample,
    requests: rows.length,
    status2xx: rows.length,
    elapsedMs: round(span, 0),
    rps: span > 0 ? round((rows.length * 1000) / span, 0) : 0,
    p50Ms: round(percentile(lags, 0.5), 1),
    p99Ms: round(percentile(lags, 0.99), 1),
    verified: true,
  };
}

export async function relayBacklog(ctx: BenchContext): Promise<RowResult[]> {
  const nats = ctx.nats;
  if (!nats) {
    ctx.log('  skipped: no nats-server on this machine (apt-get install nats-server)');
    return [];
  }
  const events = ctx.sizes.relayBacklog;
  const samples: Sample[] = [];
  for (let run = 1; run <= ctx.runs; run++) {
    const base = await scalar(ctx.db, 'SELECT COALESCE(MAX(id), 0) FROM outbox_events');
    const storedBefore = await nats.storedCount(ctx.natsStream);
    const rows = Array.from({ length: events }, (_, i) => {
      const eventId = randomUUID();
      const order = {
        id: 900_000_000 + run * events + i,
        userId: 1,
        items: [{ productId: 1, quantity: 1, unitPrice: 10_000 }],
        totalAmount: 10_000,
        discountAmount: 0,
        payAmount: 10_000,
        paidAt: new Date().toISOString(),
      };
      const payload = { eventId, type: 'ORDER_PAID', occurredAt: order.paidAt, order };
      return [eventId, 'ORDER_PAID', order.id, JSON.stringify(payload)];
    });
    for (let i = 0; i < rows.length; i += 1_000) {
      await exec(
        ctx.db,
        `INSERT INTO outbox_events (event_id, type, aggregate_id, payload, status, attempts, next_attempt_at, created_at, projected)
         VALUES ${rows
           .slice(i, i + 1_000)
           .map(() => "(?, ?, ?, ?, 'PENDING', 0, NOW(3), NOW(3), 1)")
           .join(', ')}`,
        rows.slice(i, i + 1_000).flat(),
      );
    }
    const sample = await relayLagSince(ctx, base);
    const stored = (await nats.storedCount(ctx.natsStream)) - storedBefore;
    if (stored !== events) {
      sample.problems.push(`${stored} messages stored in the stream for ${events} events`);
      sample.verified = false;
    }
    sample.notes.push(`${events} events written at once`);
    ctx.log(
      `  relay-backlog run ${run}/${ctx.runs}: ${events} events in ${sample.elapsedMs} ms = ${sample.rps} events/s, ` +
        `${stored} stored once each${sample.verified ? ', verified' : `, PROBLEMS: ${sample.problems.join('; ')}`}`,
    );
    samples.push(sample);
    await exec(ctx.db, 'DELETE FROM outbox_events WHERE id > ?', [base]);
  }
  return [{ scenario: 'relay-backlog', note: 'events/s to JetStream; latency = lag', samples }];
}
