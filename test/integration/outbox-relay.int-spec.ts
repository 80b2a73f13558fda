import request from 'supertest';
import { TransactionRunner } from '../../src/common/database/transaction-runner';
import { OutboxRelay } from '../../src/modules/outbox/application/outbox-relay';
import { DataPlatformClient } from '../../src/modules/outbox/domain/data-platform.client';
import { OutboxRepository } from '../../src/modules/outbox/domain/outbox.repository';
import { eventually, FakeDataPlatform } from '../support/fake-data-platform';
import { countRows, insertProduct, setBalance } from '../support/fixtures';
import { startTestApp } from '../support/test-app';
import { useTwoTestApps } from '../support/use-test-app';

describe('data platform delivery through the outbox (real database, real HTTP platform on loopback)', () => {
  let platform: FakeDataPlatform;

  beforeAll(async () => {
    platform = await new FakeDataPlatform().start();
  });
  const env = () => ({
    DATA_PLATFORM_URL: platform.url,
    DATA_PLATFORM_TIMEOUT_MS: '1000',
    OUTBOX_RETRY_BASE_MS: '50',
    OUTBOX_RETRY_MAX_MS: '200',
  });
  // The tests drive the relays themselves, so every delivery below is one they caused.
  const { a, b } = useTwoTestApps({ env, backgroundJobs: false });
  afterAll(() => platform.stop());
  beforeEach(() => platform.reset());

  async function payNewOrder(
    userId: number,
    quantity = 1,
  ): Promise<{ id: number; status: number }> {
    const productId = await insertProduct(a.dataSource, 1_000, 100);
    await setBalance(a.dataSource, userId, 1_000_000);
    const order = await request(a.baseUrl)
      .post('/api/v1/orders')
      .set(a.auth(userId))
      .send({ userId, items: [{ productId, quantity }] })
      .expect(201);
    const paid = await request(a.baseUrl)
      .post(`/api/v1/orders/${order.body.id}/payment`)
      .set(a.auth(userId));
    return { id: order.body.id, status: paid.status };
  }

  const outboxRow = async () =>
    (
      await a.dataSource.query('SELECT event_id, status, attempts, last_error FROM outbox_events')
    )[0];

  /** Runs relay passes (as the scheduler would) until the single outbox row has `status`. */
  const relayUntil = (status: string) =>
    eventually(async () => {
      await a.app.get(OutboxRelay).relayBatch();
      return (await outboxRow()).status === status;
    });

  it('delivers a paid order with Idempotency-Key = eventId and the contract body', async () => {
    const order = await payNewOrder(1, 2);
    expect(order.status).toBe(200);

    await relayUntil('DELIVERED');

    expect(platform.received).toHaveLength(1);
    const [{ idempotencyKey, contentType, body }] = platform.received;
    expect(contentType).toContain('application/json');
    expect(idempotencyKey).toBe(body.eventId);
    expect(body).toEqual({
      eventId: (await outboxRow()).event_id,
      type: 'ORDER_PAID',
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      order: {
        id: order.id,
        userId: 1,
        items: [{ productId: expect.any(Number), quantity: 2, unitPrice: 1_000 }],
        totalAmount: 2_000,
        discountAmount: 0,
        payAmount: 2_000,
        paidAt: expect.stringMatching(/Z$/),
      },
    });
    const counts = await request(a.baseUrl)
      .get('/api/v1/admin/outbox')
      .set(a.auth(1, { admin: true }))
      .expect(200);
    expect(counts.body).toEqual({ pending: 0, delivered: 1, failed: 0, oldestPendingSeconds: 0 });
  });

  it('retries with backoff while the platform fails, then delivers the same event', async () => {
    platform.failNext(2);

    await payNewOrder(2);
    await relayUntil('DELIVERED');

    expect(platform.received).toHaveLength(3);
    expect(new Set(platform.received.map((r) => r.idempotencyKey)).size).toBe(1);
    expect((await outboxRow()).attempts).toBe(3);
  });

  it('gives up after OUTBOX_MAX_ATTEMPTS when an operator sets it: FAILED and visible; the payment stands; retry requeues it', async () => {
    const limited = await startTestApp({ ...env(), OUTBOX_MAX_ATTEMPTS: '3' });
    limited.stopBackgroundJobs();
    platform.failAlways = true;

    const order = await payNewOrder(3);
    expect(order.status).toBe(200);
    try {
      await eventually(async () => {
        await limited.app.get(OutboxRelay).relayBatch();
        return (await outboxRow()).status === 'FAILED';
      });
    } finally {
      await limited.close();
    }

    const row = await outboxRow();
    expect(row.attempts).toBe(3);
    expect(row.last_error).toContain('500');
    expect(platform.received).toHaveLength(3);
    const [orderRow] = await a.dataSource.query('SELECT status FROM orders WHERE id = ?', [
      order.id,
    ]);
    expect(orderRow.status).toBe('PAID');
    const counts = await request(a.baseUrl)
      .get('/api/v1/admin/outbox')
      .set(a.auth(1, { admin: true }))
      .expect(200);
    expect(counts.body).toEqual({
      pending: 0,
      delivered: 0,
      failed: 1,
      oldestPendingSeconds: expect.any(Number),
    });

    // The operator's way back: requeue, and it is delivered (with a fresh count of attempts).
    platform.failAlways = false;
    const retried = await request(a.baseUrl)
      .post('/api/v1/admin/outbox/retry')
      .set(a.auth(1, { admin: true }))
      .expect(200);
    expect(retried.body).toEqual({ requeued: 1 });
    await relayUntil('DELIVERED');
    expect((await outboxRow()).attempts).toBe(1);
    expect(platform.received).toHaveLength(4);
  });

  it('without OUTBOX_MAX_ATTEMPTS the relay never gives up: delivered after more failures than any limit', async () => {
    platform.failNext(12);
    await payNewOrder(6);
    await eventually(async () => {
      await a.app.get(OutboxRelay).relayBatch();
      return (await outboxRow()).status === 'DELIVERED';
    }, 15_000);
    expect((await outboxRow()).attempts).toBe(13);
  });

  it('reports the age of the oldest undelivered event while the platform is behind', async () => {
    platform.failAlways = true;
    await payNewOrder(7);
    await a.dataSource.query('UPDATE outbox_events SET created_at = ?', [
      new Date(Date.now() - 125_000),
    ]);
    const counts = await request(a.baseUrl)
      .get('/api/v1/admin/outbox')
      .set(a.auth(1, { admin: true }))
      .expect(200);
    expect(counts.body.pending).toBe(1);
    expect(counts.body.oldestPendingSeconds).toBeGreaterThanOrEqual(125);
    expect(counts.body.oldestPendingSeconds).toBeLessThan(135);
  });

  it("delivers an order's ORDER_REFUNDED only after its ORDER_PAID, also while the first is retried, with two relays", async () => {
    const order = await payNewOrder(8);
    await request(a.baseUrl).post(`/api/v1/orders/${order.id}/cancel`).set(a.auth(8)).expect(200);
    const other = await payNewOrder(9);
    const eventsOf = (orderId: number) =>
      platform.received
        .filter((r) => (r.body.order as { id: number }).id === orderId)
        .map((r) => r.body.type);
    const relayBoth = () =>
      Promise.all([a.app.get(OutboxRelay).relayBatch(), b.app.get(OutboxRelay).relayBatch()]);
    platform.refuseIf = (r) => (r.body.order as { id: number }).id === order.id;

    // While the order's ORDER_PAID is refused, its refund waits; another order's event does not.
    await eventually(async () => {
      await relayBoth();
      return eventsOf(order.id).length >= 3 && eventsOf(other.id).length === 1;
    });
    expect(new Set(eventsOf(order.id))).toEqual(new Set(['ORDER_PAID']));

    platform.refuseIf = null;
    await eventually(async () => {
      await relayBoth();
      return (await countRows(a.dataSource, 'outbox_events', "status = 'DELIVERED'")) === 3;
    });
    const sequence = eventsOf(order.id);
    expect(sequence.at(-1)).toBe('ORDER_REFUNDED');
    expect(sequence.filter((type) => type === 'ORDER_REFUNDED')).toHaveLength(1);
    expect(sequence.slice(0, -1).every((type) => type === 'ORDER_PAID')).toBe(true);
  });

  it('two relays working at once deliver each event once', async () => {
    for (let i = 0; i < 20; i++) await payNewOrder(100 + i);

    await Promise.all([
      a.app.get(OutboxRelay).relayBatch(),
      b.app.get(OutboxRelay).relayBatch(),
      a.app.get(OutboxRelay).relayBatch(),
      b.app.get(OutboxRelay).relayBatch(),
    ]);
    expect(await countRows(a.dataSource, 'outbox_events', "status = 'DELIVERED'")).toBe(20);

    const ids = platform.received.map((r) => r.idempotencyKey);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  });

  it('a relay that dies between sending and acknowledging: the event is delivered again with the same id', async () => {
    await payNewOrder(4);
    // Claim the event the way a relay does, send it, then "crash": never acknowledge it.
    const claimed = await a.app
      .get(TransactionRunner)
      .run(() => a.app.get(OutboxRepository).claimDue(new Date(), 10, 300), 'READ COMMITTED');
    expect(claimed).toHaveLength(1);
    await a.app.get(DataPlatformClient).send(claimed[0].event);
    // While the claim's lease runs, no other relay takes the event.
    expect(await b.app.get(OutboxRelay).relayBatch()).toBe(0);

    await eventually(async () => {
      await b.app.get(OutboxRelay).relayBatch();
      return (await outboxRow()).status === 'DELIVERED';
    });

    expect(platform.received).toHaveLength(2);
    expect(new Set(platform.received.map((r) => r.idempotencyKey)).size).toBe(1);
  });

  it('pending events survive a restart: a new process delivers what an old one left', async () => {
    platform.failAlways = true;
    await payNewOrder(5);
    await a.app.get(OutboxRelay).relayBatch();
    expect(platform.received).toHaveLength(1);
    expect((await outboxRow()).status).toBe('PENDING');
    // Make the retry due now rather than after the backoff.
    await a.dataSource.query('UPDATE outbox_events SET next_attempt_at = ?', [
      new Date(Date.now() - 1_000),
    ]);
    platform.reset();

    const restarted = await startTestApp({ DATA_PLATFORM_URL: platform.url });
    try {
      await eventually(async () => (await outboxRow()).status === 'DELIVERED');
    } finally {
      await restarted.close();
    }
    expect(platform.received).toHaveLength(1);
  });
});
