/**
 * Fills a database with bulk data for benchmarks and query tuning:
 *   npm run seed:bulk -- --products 100000 --users 10000 --orders 1000000 [--database NAME]
 * Multi-row INSERTs in large batches; orders spread over the last 30 days, product choice
 * skewed (a few products sell most), ~85% paid, the rest pending, cancelled or expired.
 * The per-day sales aggregate is built from the paid orders at the end.
 */
import 'dotenv/config';
import { randomBytes } from 'node:crypto';
import { SingleBar, Presets } from 'cli-progress';
import { createPool, Pool } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { DAY_MS } from '../src/common/clock/durations';
import { dataSourceOptions } from '../src/common/database/data-source-options';
import { databaseEnv, locateDatabase } from '../src/common/database/launcher';
import { runMigrations } from '../src/common/database/run-migrations';
import { loadConfig } from '../src/config/load-config';

export interface BulkOptions {
  products: number;
  users: number;
  orders: number;
  database?: string;
  quiet?: boolean;
}

const BATCH = 5_000;

function parseArgs(argv: string[]): BulkOptions {
  const value = (flag: string, fallback: number) => {
    const index = argv.indexOf(flag);
    const parsed = index >= 0 ? Number(argv[index + 1]) : fallback;
    if (!Number.isSafeInteger(parsed) || parsed < 1)
      throw new Error(`${flag} must be a positive integer`);
    return parsed;
  };
  const dbIndex = argv.indexOf('--database');
  return {
    products: value('--products', 100_000),
    users: value('--users', 10_000),
    orders: value('--orders', 1_000_000),
    database: dbIndex >= 0 ? argv[dbIndex + 1] : undefined,
  };
}

/** Deterministic pseudo-random numbers, so two runs build the same data. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function insertBatches(
  pool: Pool,
  sql: string,
  total: number,
  row: (index: number) => unknown[],
  progress: (done: number) => void,
): Promise<void> {
  for (let start = 0; start < total; start += BATCH) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(total, start + BATCH); i++) rows.push(row(i));
    await pool.query(sql, [rows]);
    progress(Math.min(total, start + BATCH));
  }
}

export async function seedBulk(
  options: BulkOptions,
): Promise<{ seconds: number; orderLines: number }> {
  const config = loadConfig({
    ...process.env,
    // Seeding signs no token; the loader insists on a secret all the same.
    JWT_SECRET: randomBytes(24).toString('hex'),
    ...(options.database ? { DB_NAME: options.database } : {}),
  });
  const started = Date.now();
  const log = (message: string) => options.quiet || process.stdout.write(`${message}\n`);

  const admin = createPool({
    host: config.db.host,
    port: config.db.port,
    user: config.db.user,
    password: config.db.password,
  });
  await admin.query(
    `CREATE DATABASE IF NOT EXISTS \`${config.db.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await admin.end();
  const migrations = new DataSource({ ...dataSourceOptions(config), poolSize: 2 });
  await migrations.initialize();
  await runMigrations(migrations);
  await migrations.destroy();

  const pool = createPool({
    host: config.db.host,
    port: config.db.port,
    user: config.db.user,
    password: config.db.password,
    database: config.db.name,
    connectionLimit: 2,
    timezone: 'Z',
  });
  const [[{ existing }]] = (await pool.query(
    'SELECT COUNT(*) AS existing FROM products',
  )) as unknown as [[{ existing: number }]];
  if (Number(existing) > 0) {
    await pool.end();
    throw new Error(
      `database ${config.db.name} already has products; seed:bulk fills an empty database`,
    );
  }

  const random = mulberry32(20261125);
  const now = Date.now();
  const bar = new SingleBar(
    {
      format: '{step} [{bar}] {percentage}% {value}/{total}',
      hideCursor: true,
      noTTYOutput: !process.stdout.isTTY,
    },
    Presets.shades_classic,
  );
  const step = async (
    name: string,
    total: number,
    work: (progress: (done: number) => void) => Promise<void>,
  ) => {
    if (!options.quiet) bar.start(total, 0, { step: name.padEnd(9) });
    await work((done) => options.quiet || bar.update(done));
    if (!options.quiet) bar.stop();
  };

  const prices: number[] = [];
  await step('products', options.products, (progress) =>
    insertBatches(
      pool,
      'INSERT INTO products (name, price, stock, created_at, updated_at) VALUES ?',
      options.products,
      (i) => {
        const price = (1 + Math.floor(random() * 500)) * 100;
        prices.push(price);
        const at = new Date(now - 40 * DAY_MS);
        return [`Product ${i + 1}`, price, 1_000_000, at, at];
      },
      progress,
    ),
  );

  await step('users', options.users, (progress) =>
    insertBatches(
      pool,
      'INSERT INTO balances (user_id, amount, updated_at) VALUES ?',
      options.users,
      (i) => [i + 1, 1_000_000, new Date(now)],
      progress,
    ),
  );

  // Skew: a power law over product ids, so the first few hundred products sell most.
  const pickProduct = () =>
    Math.min(options.products, 1 + Math.floor(options.products * random() ** 4));
  const orderStatus = () => {
    const r = random();
    return r < 0.85 ? 'PAID' : r < 0.93 ? 'CANCELLED' : r < 0.98 ? 'EXPIRED' : 'PENDING_PAYMENT';
  };
  const [[{ firstId }]] = (await pool.query(
    'SELECT COALESCE(MAX(id), 0) + 1 AS firstId FROM orders',
  )) as unknown as [[{ firstId: number }]];
  const lines: { productId: number; quantity: number }[] = new Array(options.orders);

  await step('orders', options.orders, (progress) =>
    insertBatches(
      pool,
      `INSERT INTO orders (id, user_id, status, total_amount, discount_amount, pay_amount, issued_coupon_id,
         created_at, expires_at, paid_at, closed_at) VALUES ?`,
      options.orders,
      (i) => {
        const productId = pickProduct();
        const quantity = 1 + Math.floor(random() * 3);
        lines[i] = { productId, quantity };
        const amount = prices[productId - 1] * quantity;
        const createdAt = new Date(now - Math.floor(random() * 30 * DAY_MS));
        const status = orderStatus();
        const pending = status === 'PENDING_PAYMENT';
        const expiresAt = new Date(pending ? now + 600_000 : createdAt.getTime() + 600_000);
        const paidAt =
          status === 'PAID' || (status === 'CANCELLED' && random() < 0.5)
            ? new Date(createdAt.getTime() + 30_000)
            : null;
        const closedAt =
          status === 'CANCELLED' || status === 'EXPIRED'
            ? new Date(createdAt.getTime() + 60_000)
            : null;
        return [
          firstId + i,
          1 + Math.floor(random() * options.users),
          status,
          amount,
          0,
          amount,
          null,
          createdAt,
          expiresAt,
          paidAt,
          closedAt,
        ];
      },
      progress,
    ),
  );

  await step('lines', options.orders, (progress) =>
    insertBatches(
      pool,
      'INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity, amount) VALUES ?',
      options.orders,
      (i) => {
        const { productId, quantity } = lines[i];
        const price = prices[productId - 1];
        return [firstId + i, productId, `Product ${productId}`, price, quantity, price * quantity];
      },
      progress,
    ),
  );

  log('building payments and the per-day sales aggregate...');
  await pool.query(
    `INSERT INTO payments (order_id, user_id, amount, paid_at, refunded_at)
     SELECT id, user_id, pay_amount, paid_at, IF(status = 'CANCELLED', closed_at, NULL) FROM orders WHERE paid_at IS NOT NULL`,
  );
  // Units held by pending and paid orders, as placing them would have counted.
  await pool.query(
    `UPDATE products p
       JOIN (SELECT i.product_id, SUM(i.quantity) AS quantity
               FROM order_items i JOIN orders o ON o.id = i.order_id
              WHERE o.status IN ('PENDING_PAYMENT', 'PAID')
              GROUP BY i.product_id) held ON held.product_id = p.id
        SET p.reserved = held.quantity`,
  );
  await pool.query(
    `INSERT INTO product_sales_daily (sales_date, product_id, quantity)
     SELECT DATE(o.paid_at), i.product_id, SUM(i.quantity)
       FROM orders o JOIN order_items i ON i.order_id = o.id
      WHERE o.status = 'PAID'
      GROUP BY DATE(o.paid_at), i.product_id`,
  );
  const [[counts]] = (await pool.query(
    `SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COUNT(*) FROM balances) AS users,
            (SELECT COUNT(*) FROM orders) AS orders, (SELECT COUNT(*) FROM order_items) AS lines_,
            (SELECT COUNT(*) FROM product_sales_daily) AS salesRows`,
  )) as unknown as [[Record<string, number>]];
  await pool.end();

  const seconds = (Date.now() - started) / 1000;
  log(
    `seeded ${config.db.name}: ${counts.products} products, ${counts.users} users with balance, ` +
      `${counts.orders} orders / ${counts.lines_} order lines over 30 days, ${counts.salesRows} per-day sales rows ` +
      `in ${seconds.toFixed(1)} s`,
  );
  return { seconds, orderLines: Number(counts.lines_) };
}

/** Without DB_HOST the data goes to a throwaway private server, deleted when the seed ends. */
async function seedFromCommandLine(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const database = await locateDatabase({ env: process.env, purpose: { kind: 'throwaway' } });
  Object.assign(process.env, databaseEnv(database));
  if (database.owned) {
    process.stdout.write(
      `No DB_HOST: seeding ${database.where}, deleted at the end (set DB_HOST to keep the data).\n`,
    );
  }
  try {
    await seedBulk(options);
  } finally {
    await database.release();
  }
}

if (require.main === module) {
  seedFromCommandLine().catch((error: Error) => {
    process.stderr.write(`seed:bulk failed: ${error.message}\n`);
    process.exit(1);
  });
}
