import { FakeClock } from '../../../../test/support/fake-clock';
import { FakeTransactionRunner } from '../../../../test/support/fake-transaction-runner';
import { testConfig } from '../../../../test/support/test-config';
import { DataPlatformClient } from '../domain/data-platform.client';
import { OutboxCounts, PlatformEvent } from '../domain/outbox-event';
import { ClaimedEvent, OutboxRepository } from '../domain/outbox.repository';
import { OutboxRelay } from './outbox-relay';
import { Metrics } from '../../../common/metrics/metrics';

const event = (id: number): ClaimedEvent => ({
  id,
  attempts: 0,
  event: {
    eventId: `event-${id}`,
    type: 'ORDER_PAID',
    occurredAt: '2026-11-25T00:00:00.000Z',
    order: {
      id,
      userId: 1,
      items: [],
      totalAmount: 1,
      discountAmount: 0,
      payAmount: 1,
      paidAt: null,
    },
  },
});

/** An outbox whose database "goes away" for the calls listed in `failOn`. */
class FakeOutbox extends OutboxRepository {
  claims = 0;
  delivered: number[] = [];
  failed: number[] = [];
  failOn = new Set<string>();

  constructor(private readonly batches: ClaimedEvent[][]) {
    super();
  }

  private maybeFail(call: string): void {
    if (this.failOn.delete(call))
      throw Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST' });
  }

  async add(): Promise<void> {}
  async claimDue(): Promise<ClaimedEvent[]> {
    this.claims++;
    return this.batches.shift() ?? [];
  }
  async markDelivered(ids: number[]): Promise<void> {
    this.maybeFail(`delivered:${ids.join(',')}`);
    this.delivered.push(...ids);
  }
  async markAttemptFailed(id: number): Promise<void> {
    this.maybeFail(`failed:${id}`);
    this.failed.push(id);
  }
  async takeUnprojected(): Promise<PlatformEvent[]> {
    return [];
  }
  async counts(): Promise<OutboxCounts> {
    return { pending: 0, delivered: 0, failed: 0 };
  }
  async oldestUndeliveredAt(): Promise<Date | null> {
    return null;
  }
  async countUndelivered(): Promise<{ pending: number; failed: number }> {
    return { pending: 0, failed: 0 };
  }
  async oldestUnprojectedAt(): Promise<Date | null> {
    return null;
  }
  async requeueFailed(): Promise<number> {
    return 0;
  }
}

class FakePlatform extends DataPlatformClient {
  readonly transport = 'http';
  sent: string[] = [];
  rejecting = new Set<string>();
  /** While set, every send waits for it: shows how many sends are under way at once. */
  gate: Promise<void> | null = null;
  async send(e: PlatformEvent): Promise<void> {
    this.sent.push(e.eventId);
    await this.gate;
    if (this.rejecting.has(e.eventId)) throw new Error('503 from the platform');
  }
}

const clock = new FakeClock(new Date('2026-11-25T00:00:00Z'));
const transactions = new FakeTransactionRunner().runner;

const relayOf = (
  outbox: OutboxRepository,
  platform: DataPlatformClient,
  options: { clock?: FakeClock; config?: ReturnType<typeof testConfig> } = {},
) =>
  new OutboxRelay(
    outbox,
    platform,
    transactions,
    options.clock ?? clock,
    options.config ?? testConfig(),
    new Metrics(),
  );

describe('OutboxRelay when the database goes away mid-batch', () => {
  it('finishes the claimed batch on the next tick without sending again what it already sent', async () => {
    const outbox = new FakeOutbox([[event(1), event(2), event(3)]]);
    const platform = new FakePlatform();
    const relay = relayOf(outbox, platform);
    outbox.failOn.add('delivered:1,2,3');

    await expect(relay.relayBatch()).rejects.toThrow('Connection lost');
    expect(platform.sent).toEqual(['event-1', 'event-2', 'event-3']);
    expect(outbox.delivered).toEqual([]);

    // The database is back: the claimed batch is recorded, before claiming anything new.
    expect(await relay.relayBatch()).toBe(3);
    expect(platform.sent).toEqual(['event-1', 'event-2', 'event-3']);
    expect(outbox.delivered).toEqual([1, 2, 3]);
    expect(outbox.failed).toEqual([]);
    expect(outbox.claims).toBe(1);

    expect(await relay.relayBatch()).toBe(0);
    expect(outbox.claims).toBe(2);
  });

  it('records a failed delivery later when the database was away, still without sending it again', async () => {
    const outbox = new FakeOutbox([[event(7)]]);
    const platform = new FakePlatform();
    platform.rejecting.add('event-7');
    const relay = relayOf(outbox, platform);
    outbox.failOn.add('failed:7');

    await expect(relay.relayBatch()).rejects.toThrow('Connection lost');
    expect(await relay.relayBatch()).toBe(1);
    expect(platform.sent).toEqual(['event-7']);
    expect(outbox.failed).toEqual([7]);
    expect(outbox.delivered).toEqual([]);
  });

  it('a successful send whose acknowledgement fails is not counted as a failed attempt', async () => {
    const outbox = new FakeOutbox([[event(5)]]);
    const relay = relayOf(outbox, new FakePlatform());
    outbox.failOn.add('delivered:5');

    await expect(relay.relayBatch()).rejects.toThrow();
    await relay.relayBatch();
    expect(outbox.failed).toEqual([]);
    expect(outbox.delivered).toEqual([5]);
  });

  it("drops the backlog once the claims' lease ran out: the events are due again for any relay", async () => {
    const movingClock = new FakeClock(new Date('2026-11-25T00:00:00Z'));
    const outbox = new FakeOutbox([[event(1), event(2)], [event(2)]]);
    const platform = new FakePlatform();
    const relay = relayOf(outbox, platform, {
      clock: movingClock,
      config: testConfig({ env: { DATA_PLATFORM_TIMEOUT_MS: '100' } }),
    });
    outbox.failOn.add('delivered:1,2');

    await expect(relay.relayBatch()).rejects.toThrow('Connection lost');
    movingClock.advance(100 + 5_000); // the lease: DATA_PLATFORM_TIMEOUT_MS + 5 s
    expect(await relay.relayBatch()).toBe(1);
    expect(outbox.claims).toBe(2);
    expect(outbox.delivered).toEqual([2]);
  });
});

describe('OutboxRelay sending a batch', () => {
  it('sends the events of a batch at once, then records them together', async () => {
    const outbox = new FakeOutbox([[event(1), event(2), event(3), event(4)]]);
    const platform = new FakePlatform();
    let open!: () => void;
    platform.gate = new Promise((resolve) => (open = resolve));
    const relay = relayOf(outbox, platform);

    const batch = relay.relayBatch();
    await new Promise((resolve) => setImmediate(resolve));
    expect(platform.sent).toEqual(['event-1', 'event-2', 'event-3', 'event-4']); // none finished yet
    open();
    expect(await batch).toBe(4);
    expect(outbox.delivered).toEqual([1, 2, 3, 4]);
  });

  it('records the delivered ones and schedules a retry for the one the platform refused', async () => {
    const outbox = new FakeOutbox([[event(1), event(2), event(3)]]);
    const platform = new FakePlatform();
    platform.rejecting.add('event-2');
    const relay = relayOf(outbox, platform);

    expect(await relay.relayBatch()).toBe(3);
    expect(outbox.delivered).toEqual([1, 3]);
    expect(outbox.failed).toEqual([2]);
  });
});
