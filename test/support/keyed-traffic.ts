import { randomBytes } from 'node:crypto';
/**
 * Money-moving traffic with Idempotency-Keys, retried the way a careful client retries, for the
 * failure tests (database killed, server process killed): every step is sent with its own key
 * until it gets a definitive answer, and `verifyLedger` then checks that balances, ledger rows,
 * stock, orders, payments and outbox events add up exactly, nothing lost and nothing twice.
 */

/** A figure for docs/reliability.md, printed when RELIABILITY_REPORT is set. */
export function reliabilityReport(line: string, data: unknown): void {
  if (process.env.RELIABILITY_REPORT) {
    process.stdout.write(`[reliability] ${line} ${JSON.stringify(data)}\n`);
  }
}

export type Query = <T = Record<string, unknown>[]>(sql: string, params?: unknown[]) => Promise<T>;

export interface TrafficPlan {
  /** A unique prefix for this run's keys. */
  runId: string;
  users: number[];
  products: Array<{ id: number; price: number }>;
  /** Rounds per user; a round is charge → place order → pay (some orders stay unpaid). */
  rounds: number;
  chargeAmount: number;
  /** Every n-th round's order is left unpaid (for the expiry sweep to find later). */
  leaveUnpaidEvery: number;
}

export interface Observation {
  /** ms since the traffic started */
  at: number;
  ms: number;
  status: number | 'network-error' | 'timeout';
  code?: string;
  kind: StepKind;
}

type StepKind = 'charge' | 'place' | 'pay';

export interface StepResult {
  key: string;
  kind: StepKind;
  userId: number;
  round: number;
  status: number;
  body: Record<string, unknown>;
  attempts: number;
  /** Some attempt ended without an answer that settles it (network error, 503, in progress). */
  inDoubt: boolean;
  /** The settling answer was a replay of a response stored by an earlier attempt. */
  replayed: boolean;
}

/** A retry that cannot settle (a 500, a 4xx other than "in progress") ends the run with this. */
/** Inserts `count` products priced 100, 200, … with `stock` each; returns id → initial stock. */
/**
 * The traffic both failure tests run: 8 users, 6 rounds each of charge 10,000 → order → pay over
 * the products `seedProducts` made (at its prices), every third order left unpaid.
 */
export function eightUserPlan(runPrefix: string, initialStock: Map<number, number>): TrafficPlan {
  return {
    runId: `${runPrefix}-${randomBytes(3).toString('hex')}`,
    users: [1, 2, 3, 4, 5, 6, 7, 8],
    products: [...initialStock.keys()].map((id, i) => ({ id, price: 100 * (i + 1) })),
    rounds: 6,
    chargeAmount: 10_000,
    leaveUnpaidEvery: 3,
  };
}

export async function seedProducts(
  sql: Query,
  count: number,
  stock: number,
): Promise<Map<number, number>> {
  const initial = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const result = await sql<{ insertId: number }>(
      'INSERT INTO products (name, price, stock, created_at, updated_at) VALUES (?, ?, ?, NOW(3), NOW(3))',
      [`Product ${i + 1}`, 100 * (i + 1), stock],
    );
    initial.set(Number(result.insertId), stock);
  }
  return initial;
}

export class UnexpectedAnswer extends Error {}

const RETRYABLE_STATUSES = new Set([503]);

export class KeyedTraffic {
  readonly observations: Observation[] = [];
  readonly results: StepResult[] = [];
  private startedAt = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly token: (userId: number) => string,
    private readonly plan: TrafficPlan,
    private readonly options: {
      requestTimeoutMs: number;
      deadlineMs: number;
      retryDelayMs?: number;
    },
  ) {}

  /** How many steps have settled so far. */
  get settled(): number {
    return this.results.length;
  }

  /** Runs every user's rounds, the users concurrently; resolves when every step has settled. */
  async run(): Promise<void> {
    this.startedAt = Date.now();
    const deadline = this.startedAt + this.options.deadlineMs;
    await Promise.all(this.plan.users.map((userId) => this.runUser(userId, deadline)));
  }

  private async runUser(userId: number, deadline: number): Promise<void> {
    const { products, rounds, chargeAmount, leaveUnpaidEvery } = this.plan;
    for (let round = 0; round < rounds; round++) {
      await this.step('charge', userId, round, deadline, `/api/v1/users/${userId}/balance/charge`, {
        amount: chargeAmount,
      });
      const product = products[(userId + round) % products.length];
      const placed = await this.step('place', userId, round, deadline, '/api/v1/orders', {
        userId,
        items: [{ productId: product.id, quantity: 1 + (round % 3) }],
      });
      if ((round + 1) % leaveUnpaidEvery === 0) continue;
      await this.step(
        'pay',
        userId,
        round,
        deadline,
        `/api/v1/orders/${placed.body.id}/payment`,
        undefined,
      );
    }
  }

  private async step(
    kind: StepKind,
    userId: number,
    round: number,
    deadline: number,
    path: string,
    body: unknown,
  ): Promise<StepResult> {
    const key = `${this.plan.runId}-${kind}-${userId}-${round}`;
    let inDoubt = false;
    for (let attempt = 1; ; attempt++) {
      if (Date.now() > deadline) {
        throw new UnexpectedAnswer(
          `${kind} ${key} did not settle before the deadline (${attempt - 1} attempts)`,
        );
      }
      const answer = await this.send(kind, userId, key, path, body);
      if (answer.status === 200 || answer.status === 201) {
        const result: StepResult = {
          key,
          kind,
          userId,
          round,
          status: answer.status,
          body: answer.body as Record<string, unknown>,
          attempts: attempt,
          inDoubt,
          replayed: answer.replayed,
        };
        this.results.push(result);
        return result;
      }
      const retryable =
        answer.status === 'network-error' ||
        answer.status === 'timeout' ||
        RETRYABLE_STATUSES.has(answer.status) ||
        (answer.status === 409 && answer.code === 'IDEMPOTENCY_KEY_IN_PROGRESS');
      if (!retryable) {
        throw new UnexpectedAnswer(
          `${kind} ${key} answered ${answer.status} ${JSON.stringify(answer.body)}`,
        );
      }
      inDoubt = true;
      const pause = this.options.retryDelayMs ?? 50;
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
    }
  }

  private async send(
    kind: StepKind,
    userId: number,
    key: string,
    path: string,
    body: unknown,
  ): Promise<{ status: Observation['status']; code?: string; body?: unknown; replayed: boolean }> {
    const started = Date.now();
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token(userId)}`,
      'idempotency-key': key,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let outcome: {
      status: Observation['status'];
      code?: string;
      body?: unknown;
      replayed: boolean;
    };
    try {
      const response = await fetch(`${this.baseUrl()}${path}`, {
        method: 'POST',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      const text = await response.text();
      const parsed = text ? JSON.parse(text) : undefined;
      outcome = {
        status: response.status,
        code: response.status >= 400 ? parsed?.code : undefined,
        body: parsed,
        replayed: response.headers.get('idempotent-replayed') === 'true',
      };
    } catch (error) {
      const name = (error as Error).name;
      outcome = { status: name === 'TimeoutError' ? 'timeout' : 'network-error', replayed: false };
    }
    this.observations.push({
      at: started - this.startedAt,
      ms: Date.now() - started,
      status: outcome.status,
      code: outcome.code,
      kind,
    });
    return outcome;
  }

  /** Steps whose first attempt did not settle them: the in-doubt requests that were retried. */
  get retried(): StepResult[] {
    return this.results.filter((result) => result.inDoubt);
  }

  /** Counts of answers by status (and code for errors), e.g. { "200": 90, "503 SERVICE_UNAVAILABLE": 12 }. */
  statusCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { status, code } of this.observations) {
      const label = code ? `${status} ${code}` : String(status);
      counts[label] = (counts[label] ?? 0) + 1;
    }
    return counts;
  }
}

/** Polls GET /health and records each answer's status and time. */
export class HealthProbe {
  readonly samples: Array<{ at: number; status: number | 'network-error'; ms: number }> = [];
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly baseUrl: () => string,
    private readonly intervalMs = 50,
  ) {}

  start(): this {
    const origin = Date.now();
    this.loop = (async () => {
      while (!this.stopped) {
        const started = Date.now();
        let status: number | 'network-error';
        try {
          const response = await fetch(`${this.baseUrl()}/health`, {
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          status = response.status;
        } catch {
          status = 'network-error';
        }
        this.samples.push({ at: started - origin, status, ms: Date.now() - started });
        await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      }
    })();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** The statuses in order with repeats collapsed, e.g. [200, 503, 200]. */
  transitions(): Array<number | 'network-error'> {
    const out: Array<number | 'network-error'> = [];
    for (const { status } of this.samples) if (out[out.length - 1] !== status) out.push(status);
    return out;
  }
}

const PAID_OR_PENDING = `('PENDING_PAYMENT', 'PAID')`;

/**
 * The books must balance after the traffic settled: exactly one order per place key (the one
 * its answer named), one payment, one USE and one ORDER_PAID event per paid order, one CHARGE
 * per charge key, balances equal to their ledger, stock equal to the initial stock minus what
 * live orders hold, every key COMPLETED.
 */
export async function verifyLedger(
  db: Query,
  traffic: KeyedTraffic,
  plan: TrafficPlan,
  initialStock: Map<number, number>,
): Promise<void> {
  const results = traffic.results;
  const places = results.filter((r) => r.kind === 'place');
  const pays = results.filter((r) => r.kind === 'pay');
  const charges = results.filter((r) => r.kind === 'charge');
  expect(charges).toHaveLength(plan.users.length * plan.rounds);
  expect(places).toHaveLength(plan.users.length * plan.rounds);

  const userList = plan.users.join(',');
  const orders = await db<
    Array<{ id: number; user_id: number; status: string; pay_amount: number }>
  >(
    `SELECT id, user_id, status, pay_amount FROM orders WHERE user_id IN (${userList}) ORDER BY id`,
  );
  // One order per place key, and it is the one the (possibly replayed) answer named.
  expect(orders.map((o) => Number(o.id)).sort((a, b) => a - b)).toEqual(
    places.map((p) => Number(p.body.id)).sort((a, b) => a - b),
  );
  const paidIds = new Set(pays.map((p) => Number(p.body.id)));
  for (const order of orders) {
    expect({ id: Number(order.id), status: order.status }).toEqual({
      id: Number(order.id),
      status: paidIds.has(Number(order.id)) ? 'PAID' : 'PENDING_PAYMENT',
    });
  }

  const payments = await db<Array<{ order_id: number; amount: number }>>(
    `SELECT order_id, amount FROM payments WHERE user_id IN (${userList})`,
  );
  expect(payments.map((p) => Number(p.order_id)).sort((a, b) => a - b)).toEqual(
    [...paidIds].sort((a, b) => a - b),
  );

  for (const userId of plan.users) {
    const userPaid = orders.filter(
      (o) => Number(o.user_id) === userId && paidIds.has(Number(o.id)),
    );
    const spent = userPaid.reduce((sum, o) => sum + Number(o.pay_amount), 0);
    const ledger = await db<Array<{ type: string; n: number; total: number }>>(
      `SELECT type, COUNT(*) AS n, CAST(COALESCE(SUM(amount), 0) AS SIGNED) AS total
         FROM balance_history WHERE user_id = ? GROUP BY type ORDER BY type`,
      [userId],
    );
    const row = (type: string) => ledger.find((l) => l.type === type);
    expect({
      userId,
      charges: Number(row('CHARGE')?.n ?? 0),
      charged: Number(row('CHARGE')?.total ?? 0),
      uses: Number(row('USE')?.n ?? 0),
      used: Number(row('USE')?.total ?? 0),
    }).toEqual({
      userId,
      charges: plan.rounds,
      charged: plan.rounds * plan.chargeAmount,
      uses: userPaid.length,
      used: spent,
    });
    const [balance] = await db<Array<{ amount: number }>>(
      'SELECT amount FROM balances WHERE user_id = ?',
      [userId],
    );
    const [last] = await db<Array<{ balance_after: number }>>(
      'SELECT balance_after FROM balance_history WHERE user_id = ? ORDER BY id DESC LIMIT 1',
      [userId],
    );
    expect({
      userId,
      balance: Number(balance.amount),
      lastBalanceAfter: Number(last.balance_after),
    }).toEqual({
      userId,
      balance: plan.rounds * plan.chargeAmount - spent,
      lastBalanceAfter: plan.rounds * plan.chargeAmount - spent,
    });
  }

  await expectStock(db, initialStock, PAID_OR_PENDING);

  const events = await db<Array<{ aggregate_id: number }>>(
    `SELECT aggregate_id FROM outbox_events WHERE type = 'ORDER_PAID'`,
  );
  expect(events.map((e) => Number(e.aggregate_id)).sort((a, b) => a - b)).toEqual(
    [...paidIds].sort((a, b) => a - b),
  );

  const keys = await db<Array<{ idem_key: string; status: string; response_status: number }>>(
    `SELECT idem_key, status, response_status FROM idempotency_keys WHERE idem_key LIKE ?`,
    [`${plan.runId}-%`],
  );
  expect(keys.map((k) => `${k.idem_key} ${k.status} ${k.response_status}`).sort()).toEqual(
    results.map((r) => `${r.key} COMPLETED ${r.status}`).sort(),
  );
}

/** Stock of each product equals its initial stock minus the units of orders in `statuses`. */
export async function expectStock(
  db: Query,
  initialStock: Map<number, number>,
  statuses: string,
): Promise<void> {
  for (const [productId, initial] of initialStock) {
    const [held] = await db<Array<{ units: number }>>(
      `SELECT CAST(COALESCE(SUM(i.quantity), 0) AS SIGNED) AS units
         FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE i.product_id = ? AND o.status IN ${statuses}`,
      [productId],
    );
    const [product] = await db<Array<{ stock: number }>>(
      'SELECT stock FROM products WHERE id = ?',
      [productId],
    );
    expect({ productId, stock: Number(product.stock) }).toEqual({
      productId,
      stock: initial - Number(held.units),
    });
  }
}

/** Polls `check` until it returns true or the timeout passes; returns how long it took. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      if (await check()) return Date.now() - started;
    } catch {
      // not yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Background work picks up again after the failure: the relay delivers every ORDER_PAID event
 * (each at least once), the projector counts each paid unit exactly once, and the expiry sweep
 * expires the unpaid orders once they are due, returning their stock.
 */
export async function expectBackgroundWorkResumes(
  db: Query,
  delivered: () => Set<string>,
  initialStock: Map<number, number>,
  timeoutMs = 10_000,
): Promise<{ relayMs: number; projectorMs: number; expiryMs: number }> {
  const relayMs = await waitFor(
    async () => {
      const rows = await db<Array<{ event_id: string; status: string }>>(
        'SELECT event_id, status FROM outbox_events',
      );
      const received = delivered();
      return (
        rows.length > 0 &&
        rows.every((row) => row.status === 'DELIVERED' && received.has(row.event_id))
      );
    },
    timeoutMs,
    'every outbox event DELIVERED and received by the data platform',
  );

  const paidUnits = async () => {
    const rows = await db<Array<{ product_id: number; units: number }>>(
      `SELECT i.product_id, CAST(SUM(i.quantity) AS SIGNED) AS units
         FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.status = 'PAID'
        GROUP BY i.product_id ORDER BY i.product_id`,
    );
    return rows.map((r) => `${r.product_id}:${r.units}`).join(',');
  };
  const projected = async () => {
    const rows = await db<Array<{ product_id: number; units: number }>>(
      `SELECT product_id, CAST(SUM(quantity) AS SIGNED) AS units FROM product_sales_daily
        GROUP BY product_id HAVING units <> 0 ORDER BY product_id`,
    );
    return rows.map((r) => `${r.product_id}:${r.units}`).join(',');
  };
  const projectorMs = await waitFor(
    async () => (await projected()) === (await paidUnits()),
    timeoutMs,
    'sales projection equal to the paid units',
  );

  const past = new Date(Date.now() - 60_000).toISOString().replace('T', ' ').replace('Z', '');
  await db(`UPDATE orders SET expires_at = ? WHERE status = 'PENDING_PAYMENT'`, [past]);
  const expiryMs = await waitFor(
    async () => {
      const [row] = await db<Array<{ n: number }>>(
        `SELECT COUNT(*) AS n FROM orders WHERE status = 'PENDING_PAYMENT'`,
      );
      return Number(row.n) === 0;
    },
    timeoutMs,
    'every due unpaid order EXPIRED',
  );
  await expectStock(db, initialStock, `('PAID')`);
  return { relayMs, projectorMs, expiryMs };
}
