import request from 'supertest';
import { TransactionRunner } from '../../src/common/database/transaction-runner';
import { DataPlatformClient } from '../../src/modules/outbox/domain/data-platform.client';
import { OutboxRepository } from '../../src/modules/outbox/domain/outbox.repository';
import { eventually } from '../support/fake-data-platform';
import { countRows, insertProduct, setBalance } from '../support/fixtures';
import { PrivateNats, StoredMessage } from '../support/private-nats';
import { TestApp } from '../support/test-app';
import { useTwoTestApps } from '../support/use-test-app';

const STREAM = 'TEST_ECOMMERCE_ORDERS';
const PREFIX = 'ecommerce.orders';

/**
 * DATA_PLATFORM_URL=nats://...: the outbox relays of two app instances publish to a real
 * nats-server with JetStream (a private one, which the tests stop and start again).
 */
describe('data platform delivery to NATS JetStream (real nats-server, two app instances)', () => {
  let nats: PrivateNats;

  beforeAll(async () => {
    nats = await PrivateNats.start();
  });
  const { a, b } = useTwoTestApps({
    env: () => ({
      DATA_PLATFORM_URL: nats.url,
      DATA_PLATFORM_STREAM: STREAM,
      DATA_PLATFORM_TIMEOUT_MS: '1000',
      OUTBOX_RETRY_BASE_MS: '50',
      OUTBOX_RETRY_MAX_MS: '300',
    }),
  });
  afterAll(() => nats?.destroy());

  async function newOrder(app: TestApp, userId: number): Promise<number> {
    const productId = await insertProduct(a.dataSource, 1_000, 100);
    await setBalance(a.dataSource, userId, 1_000_000);
    const order = await request(app.baseUrl)
      .post('/api/v1/orders')
      .set(app.auth(userId))
      .send({ userId, items: [{ productId, quantity: 2 }] })
      .expect(201);
    return order.body.id;
  }

  const pay = (app: TestApp, userId: number, orderId: number) =>
    request(app.baseUrl).post(`/api/v1/orders/${orderId}/payment`).set(app.auth(userId));

  const allDelivered = (count: number) =>
    eventually(
      async () =>
        (await countRows(a.dataSource, 'outbox_events', "status = 'DELIVERED'")) === count,
      20_000,
    );

  /** The stream's messages of this test's events (the stream outlives a test). */
  async function streamedEvents(): Promise<StoredMessage[]> {
    const ids = new Set(
      (await a.dataSource.query<{ event_id: string }[]>('SELECT event_id FROM outbox_events')).map(
        (row) => row.event_id,
      ),
    );
    return (await nats.messages(STREAM)).filter((m) => ids.has(String(m.body.eventId)));
  }

  function expectOncePerEvent(messages: StoredMessage[], expected: number): void {
    expect(messages).toHaveLength(expected);
    expect(new Set(messages.map((m) => m.msgId)).size).toBe(expected);
    for (const message of messages) {
      expect(message.msgId).toBe(message.body.eventId);
      expect(message.subject).toBe(`${PREFIX}.${message.body.type}`);
    }
  }

  it('every paid and refunded order arrives once, with its subject, Nats-Msg-Id and the contract body, refund after payment', async () => {
    const orders: Array<{ app: TestApp; userId: number; id: number }> = [];
    for (let i = 0; i < 12; i++) {
      const app = i % 2 === 0 ? a : b;
      const userId = 10 + i;
      orders.push({ app, userId, id: await newOrder(app, userId) });
    }
    await Promise.all(orders.map(({ app, userId, id }) => pay(app, userId, id).expect(200)));
    const refunded = orders.slice(0, 4);
    for (const { app, userId, id } of refunded) {
      await request(app.baseUrl)
        .post(`/api/v1/orders/${id}/cancel`)
        .set(app.auth(userId))
        .expect(200);
    }

    await allDelivered(16);
    const messages = await streamedEvents();
    expectOncePerEvent(messages, 16);
    expect(messages.filter((m) => m.body.type === 'ORDER_REFUNDED')).toHaveLength(4);

    const first = messages.find((m) => (m.body.order as { id: number }).id === orders[5].id)!;
    expect(first.body).toEqual({
      eventId: expect.any(String),
      type: 'ORDER_PAID',
      occurredAt: expect.any(String),
      order: {
        id: orders[5].id,
        userId: orders[5].userId,
        items: [{ productId: expect.any(Number), quantity: 2, unitPrice: 1_000 }],
        totalAmount: 2_000,
        discountAmount: 0,
        payAmount: 2_000,
        paidAt: expect.any(String),
      },
    });
    for (const { id } of refunded) {
      const types = messages
        .filter((m) => (m.body.order as { id: number }).id === id)
        .map((m) => m.body.type);
      expect(types).toEqual(['ORDER_PAID', 'ORDER_REFUNDED']);
    }
  });

  it('NATS killed under load and started again: nothing lost, nothing twice, payments never refused', async () => {
    const orderIds: Array<{ userId: number; id: number }> = [];
    for (let i = 0; i < 30; i++) orderIds.push({ userId: 100 + i, id: await newOrder(a, 100 + i) });
    const latencies: Array<{ ms: number; status: number; natsDown: boolean }> = [];
    let natsDown = false;
    const payAll = (async () => {
      for (const [index, { userId, id }] of orderIds.entries()) {
        const app = index % 2 === 0 ? a : b;
        const started = Date.now();
        const res = await pay(app, userId, id);
        latencies.push({ ms: Date.now() - started, status: res.status, natsDown });
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
    })();

    await eventually(() => latencies.length >= 8);
    await nats.kill();
    natsDown = true;
    await eventually(() => latencies.length >= 22, 15_000);
    expect(await countRows(a.dataSource, 'outbox_events', "status = 'PENDING'")).toBeGreaterThan(0);
    natsDown = false;
    await nats.start();
    await payAll;

    expect(latencies.every((l) => l.status === 200)).toBe(true);
    const whileDown = latencies.filter((l) => l.natsDown).map((l) => l.ms);
    expect(whileDown.length).toBeGreaterThan(5);
    // A payment never waits on NATS: well under one publish timeout (1 s) even on a busy box.
    expect(Math.max(...whileDown)).toBeLessThan(1_000);

    await allDelivered(30);
    expectOncePerEvent(await streamedEvents(), 30);
  });

  it('a crash between publish and acknowledgement: published again with the same Nats-Msg-Id, stored once', async () => {
    const userId = 200;
    await pay(a, userId, await newOrder(a, userId)).expect(200);
    // Claim the event the way a relay does, publish it, then "crash": never acknowledge it.
    const claimed = await a.app
      .get(TransactionRunner)
      .run(() => a.app.get(OutboxRepository).claimDue(new Date(), 10, 300), 'READ COMMITTED');
    expect(claimed).toHaveLength(1);
    // (Retried while this instance's client may still be reconnecting after an earlier restart.)
    const publish = a.app.get(DataPlatformClient);
    await eventually(
      () =>
        publish.send(claimed[0].event).then(
          () => true,
          () => false,
        ),
      15_000,
    );

    await allDelivered(1); // after the 300 ms lease, a relay publishes it again
    const [row] = await a.dataSource.query<{ attempts: number }[]>(
      'SELECT attempts FROM outbox_events',
    );
    expect(Number(row.attempts)).toBeGreaterThanOrEqual(1);
    expectOncePerEvent(await streamedEvents(), 1);
  });

  it("keeps an order's events in order when its first publish fails", async () => {
    const userId = 300;
    const orderId = await newOrder(b, userId);
    await nats.kill();
    await pay(b, userId, orderId).expect(200);
    await request(b.baseUrl)
      .post(`/api/v1/orders/${orderId}/cancel`)
      .set(b.auth(userId))
      .expect(200);
    // Both relays try (and fail) while NATS is down.
    await eventually(async () => {
      const [row] = await a.dataSource.query<{ attempts: number }[]>(
        'SELECT MAX(attempts) AS attempts FROM outbox_events',
      );
      return Number(row.attempts) >= 2;
    });
    await nats.start();

    await allDelivered(2);
    const messages = await streamedEvents();
    expectOncePerEvent(messages, 2);
    expect(messages.map((m) => m.body.type)).toEqual(['ORDER_PAID', 'ORDER_REFUNDED']);
  });
});
