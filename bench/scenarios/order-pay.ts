/**
 * order-pay: U users (balance set by SQL) each order 1 unit of one hot product with stock S < U,
 * then every created order is paid. Two rows: order-pay:order (all U orders) and order-pay:pay
 * (the created ones). Verified after the pay step: stock = S - paid units, each paid user's
 * balance = initial - price, the others untouched, every refused order OUT_OF_STOCK, no 5xx.
 */
import type { Pool } from 'mysql2/promise';
import { API, BenchContext, describeSample, range, RowResult, USER_BASE } from '../lib/context';
import { exec, scalar, select } from '../lib/db';
import { jsonHeaders, oneEach, runLoad, Sample } from '../lib/load';
import { errorCode, Tally } from '../lib/stats';
import { relayLagSince } from './relay';

interface Placed {
  orderId: number;
  userId: number;
}

interface Fixture {
  productId: number;
  warmupProductId: number;
  /** Every order this scenario creates has a larger id (the seeded ones are below). */
  orderIdBase: number;
  outboxIdBase: number;
}

async function createProduct(
  db: Pool,
  name: string,
  price: number,
  stock: number,
): Promise<number> {
  const [result] = await db.query(
    'INSERT INTO products (name, price, stock, created_at, updated_at) VALUES (?, ?, ?, NOW(3), NOW(3))',
    [name, price, stock],
  );
  return (result as { insertId: number }).insertId;
}

async function setBalances(db: Pool, users: number[], amount: number): Promise<void> {
  for (let i = 0; i < users.length; i += 1_000) {
    const rows = users.slice(i, i + 1_000).map((userId) => [userId, amount, new Date()]);
    await db.query(
      'INSERT INTO balances (user_id, amount, updated_at) VALUES ? ON DUPLICATE KEY UPDATE amount = VALUES(amount)',
      [rows],
    );
  }
}

/** Back to the known state: no bench orders, full stock, initial balances, no ledger rows. */
async function reset(ctx: BenchContext, fixture: Fixture, users: number[]): Promise<void> {
  const { db } = ctx;
  const { stock, initialBalance } = ctx.sizes.orderPay;
  await exec(db, 'DELETE FROM order_items WHERE order_id > ?', [fixture.orderIdBase]);
  await exec(db, 'DELETE FROM payments WHERE order_id > ?', [fixture.orderIdBase]);
  await exec(db, 'DELETE FROM orders WHERE id > ?', [fixture.orderIdBase]);
  await exec(db, 'DELETE FROM outbox_events WHERE id > ?', [fixture.outboxIdBase]);
  await exec(db, 'DELETE FROM balance_history WHERE user_id BETWEEN ? AND ?', [
    users[0],
    users[users.length - 1],
  ]);
  await exec(
    db,
    'DELETE FROM product_sales_daily WHERE sales_date >= CURRENT_DATE - INTERVAL 2 DAY AND product_id IN (?, ?)',
    [fixture.productId, fixture.warmupProductId],
  );
  await setBalances(db, users, initialBalance);
  await exec(db, 'UPDATE products SET stock = ? WHERE id = ?', [stock, fixture.productId]);
}

async function placeAll(
  ctx: BenchContext,
  productId: number,
  users: number[],
  placed: Placed[],
  outcomes: Tally,
): Promise<Sample> {
  users.forEach((userId) => ctx.token(userId)); // signed before the clock starts
  return runLoad({
    baseUrl: ctx.server().baseUrl,
    connections: ctx.sizes.orderPay.connections,
    amount: users.length,
    server: ctx.server(),
    requests: [
      oneEach(
        users,
        (userId) => ({
          method: 'POST',
          path: `${API}/orders`,
          headers: jsonHeaders(ctx.token(userId)),
          body: JSON.stringify({ userId, items: [{ productId, quantity: 1 }] }),
        }),
        (status, body, userId) => {
          if (status === 201) {
            const order = JSON.parse(body) as { id: number; userId: number };
            placed.push({ orderId: order.id, userId });
            outcomes.add('201');
          } else {
            outcomes.add(`${status} ${errorCode(body)}`);
          }
        },
      ),
    ],
  });
}

async function payAll(ctx: BenchContext, placed: Placed[], outcomes: Tally): Promise<Sample> {
  return runLoad({
    baseUrl: ctx.server().baseUrl,
    connections: ctx.sizes.orderPay.connections,
    amount: placed.length,
    server: ctx.server(),
    requests: [
      oneEach(
        placed,
        // No body and no content-type: the route takes none.
        ({ orderId, userId }) => ({
          method: 'POST',
          path: `${API}/orders/${orderId}/payment`,
          headers: { authorization: `Bearer ${ctx.token(userId)}` },
        }),
        (status, body) =>
          outcomes.add(status < 300 ? String(status) : `${status} ${errorCode(body)}`),
      ),
    ],
  });
}

async function verify(
  ctx: BenchContext,
  fixture: Fixture,
  users: number[],
  placed: Placed[],
  order: { sample: Sample; outcomes: Tally },
  pay: { sample: Sample; outcomes: Tally },
): Promise<string[]> {
  const { db } = ctx;
  const { stock, price, initialBalance } = ctx.sizes.orderPay;
  const [first, last] = [users[0], users[users.length - 1]];
  const problems: string[] = [];
  const expectedOrders = Math.min(users.length, stock);

  if (order.sample.status5xx + pay.sample.status5xx > 0)
    problems.push(`5xx: order ${order.sample.status5xx}, pay ${pay.sample.status5xx}`);
  if (order.sample.errors + pay.sample.errors > 0) problems.push('socket errors');
  if (placed.length !== expectedOrders)
    problems.push(
      `${placed.length} orders created, expected ${expectedOrders} (stock ${stock}, ${users.length} users)`,
    );
  const outOfStock = order.outcomes.get('409 OUT_OF_STOCK');
  if (order.sample.status4xx !== outOfStock || outOfStock !== users.length - placed.length) {
    problems.push(`order refusals: ${order.outcomes.toString()} (expected only 409 OUT_OF_STOCK)`);
  }
  if (pay.sample.status2xx !== placed.length)
    problems.push(`payments: ${pay.outcomes.toString()}, expected ${placed.length} x 200`);

  const stockLeft = await scalar(db, 'SELECT stock FROM products WHERE id = ?', [
    fixture.productId,
  ]);
  const [orders] = await select<{ paid: number; other: number; units: number }>(
    db,
    `SELECT SUM(o.status = 'PAID') AS paid, SUM(o.status <> 'PAID') AS other,
            (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders x ON x.id = i.order_id
              WHERE x.user_id BETWEEN ? AND ? AND x.status = 'PAID' AND i.product_id = ?) AS units
       FROM orders o WHERE o.user_id BETWEEN ? AND ?`,
    [first, last, fixture.productId, first, last],
  );
  const paid = Number(orders?.paid ?? 0);
  const units = Number(orders?.units ?? 0);
  if (paid !== placed.length)
    problems.push(`${paid} PAID orders in the database, ${placed.length} created`);
  if (Number(orders?.other ?? 0) > 0) problems.push(`${orders.other} orders not PAID`);
  if (stockLeft !== stock - units)
    problems.push(`stock ${stockLeft}, expected ${stock} - ${units} paid units = ${stock - units}`);

  const wrongBalances = await scalar(
    db,
    `SELECT COUNT(*) FROM balances b
       LEFT JOIN orders o ON o.user_id = b.user_id AND o.id > ? AND o.status = 'PAID'
      WHERE b.user_id BETWEEN ? AND ? AND b.amount <> IF(o.id IS NULL, ?, ? - ?)`,
    [fixture.orderIdBase, first, last, initialBalance, initialBalance, price],
  );
  if (wrongBalances > 0)
    problems.push(`${wrongBalances} balances differ from initial (- price when paid)`);
  const [ledger] = await select<{ n: number; total: number }>(
    db,
    "SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS total FROM balance_history WHERE user_id BETWEEN ? AND ? AND type = 'USE'",
    [first, last],
  );
  if (Number(ledger.n) !== paid || Number(ledger.total) !== paid * price) {
    problems.push(
      `ledger has ${ledger.n} USE rows totalling ${ledger.total}, expected ${paid} totalling ${paid * price}`,
    );
  }
  const payments = await scalar(
    db,
    'SELECT COUNT(*) FROM payments WHERE order_id > ? AND amount = ?',
    [fixture.orderIdBase, price],
  );
  if (payments !== paid) problems.push(`${payments} payment rows, expected ${paid}`);
  return problems;
}

export async function orderPay(ctx: BenchContext): Promise<RowResult[]> {
  const { users: userCount, stock, price, initialBalance, warmupUsers } = ctx.sizes.orderPay;
  const users = range(USER_BASE.orderPay, userCount);
  const warmUsers = range(USER_BASE.orderPayWarmup, warmupUsers);
  const fixture: Fixture = {
    productId: await createProduct(ctx.db, 'Bench hot product', price, stock),
    warmupProductId: await createProduct(ctx.db, 'Bench warm-up product', price, warmupUsers),
    orderIdBase: await scalar(ctx.db, 'SELECT COALESCE(MAX(id), 0) FROM orders'),
    outboxIdBase: await scalar(ctx.db, 'SELECT COALESCE(MAX(id), 0) FROM outbox_events'),
  };

  await setBalances(ctx.db, warmUsers, initialBalance);
  const warmPlaced: Placed[] = [];
  const warmOrder = await placeAll(
    ctx,
    fixture.warmupProductId,
    warmUsers,
    warmPlaced,
    new Tally(),
  );
  const warmPay = await payAll(ctx, warmPlaced, new Tally());
  ctx.log(
    `  warm-up: ${warmOrder.requests} orders ${warmOrder.rps} req/s, ${warmPay.requests} payments ${warmPay.rps} req/s`,
  );

  const orderSamples: Sample[] = [];
  const paySamples: Sample[] = [];
  const lagSamples: Sample[] = [];
  for (let run = 1; run <= ctx.runs; run++) {
    await reset(ctx, fixture, users);
    const placed: Placed[] = [];
    const order = { sample: {} as Sample, outcomes: new Tally() };
    const pay = { sample: {} as Sample, outcomes: new Tally() };
    order.sample = await placeAll(ctx, fixture.productId, users, placed, order.outcomes);
    pay.sample = await payAll(ctx, placed, pay.outcomes);
    const problems = await verify(ctx, fixture, users, placed, order, pay);
    for (const sample of [order.sample, pay.sample]) {
      sample.problems.push(...problems);
      sample.verified = problems.length === 0;
    }
    order.sample.notes.push(`outcomes: ${order.outcomes.toString()}`);
    pay.sample.notes.push(`outcomes: ${pay.outcomes.toString()}`);
    ctx.log(describeSample('order-pay:order', run, ctx.runs, order.sample));
    ctx.log(describeSample('order-pay:pay', run, ctx.runs, pay.sample));
    orderSamples.push(order.sample);
    paySamples.push(pay.sample);
    if (ctx.nats) {
      const lag = await relayLagSince(ctx, fixture.outboxIdBase);
      ctx.log(
        `  relay:lag run ${run}/${ctx.runs}: ${lag.requests} events, commit to JetStream ack p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, ${lag.rps} events/s`,
      );
      lagSamples.push(lag);
    }
  }
  // Leave nothing behind: a later pass runs this scenario again on the same users.
  await reset(ctx, fixture, users);
  return [
    { scenario: 'order-pay:order', samples: orderSamples },
    { scenario: 'order-pay:pay', samples: paySamples },
    ...(lagSamples.length > 0
      ? [{ scenario: 'relay:lag', note: 'payment commit to JetStream ack', samples: lagSamples }]
      : []),
  ];
}
