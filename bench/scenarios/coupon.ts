/**
 * coupon-issue: one coupon of N, M distinct users racing for it over HTTP, one request each.
 * coupon-issue-sql: the same transaction straight through mysql2, no HTTP: the ceiling.
 * coupon-issue-sql-app (opt-in): the ceiling with START TRANSACTION before the pre-check, the
 *   shape the app had before the pre-check moved out of the transaction; kept to show that cost.
 */
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { performance } from 'node:perf_hooks';
import { DAY_MS } from '../../src/common/clock/durations';
import { API, BenchContext, describeSample, range, RowResult, USER_BASE } from '../lib/context';
import { exec, select } from '../lib/db';
import { jsonHeaders, oneEach, runLoad, Sample, sampleOf } from '../lib/load';
import { errorCode, Tally } from '../lib/stats';

/** The columns CouponRow reads (src/modules/coupon/infrastructure/coupon-rows.ts). */
const COUPON_COLUMNS =
  'id, name, discount_type, discount_value, max_discount_amount, min_order_amount, total_quantity, ' +
  'issued_quantity, issue_starts_at, issue_ends_at, valid_days, created_at';
const VALID_DAYS = 30;

async function resetCoupons(db: Pool): Promise<void> {
  await exec(db, 'DELETE FROM issued_coupons');
  await exec(db, 'DELETE FROM coupons');
}

async function createCoupon(db: Pool, name: string, quantity: number): Promise<number> {
  const [result] = await db.query(
    `INSERT INTO coupons (name, discount_type, discount_value, max_discount_amount, min_order_amount,
       total_quantity, issued_quantity, issue_starts_at, issue_ends_at, valid_days, created_at)
     VALUES (?, 'FIXED', 1000, NULL, 0, ?, 0, NULL, NULL, ?, NOW(3))`,
    [name, quantity, VALID_DAYS],
  );
  return (result as { insertId: number }).insertId;
}

/** Exactly `quantity` issued, to distinct users of the run, and the coupon's counter agrees. */
async function verifyCoupon(
  db: Pool,
  couponId: number,
  quantity: number,
  users: number[],
  sample: Sample,
  outcomes: Tally,
): Promise<void> {
  const problems = sample.problems;
  const expectedIssued = Math.min(quantity, users.length);
  const [coupon] = await select<{ issued_quantity: number }>(
    db,
    'SELECT issued_quantity FROM coupons WHERE id = ?',
    [couponId],
  );
  const [rows] = await select<{ n: number; distinct_users: number; outside: number }>(
    db,
    `SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS distinct_users,
            SUM(user_id < ? OR user_id > ?) AS outside
       FROM issued_coupons WHERE coupon_id = ?`,
    [users[0], users[users.length - 1], couponId],
  );
  if (Number(coupon?.issued_quantity) !== expectedIssued) {
    problems.push(
      `coupons.issued_quantity = ${coupon?.issued_quantity}, expected ${expectedIssued}`,
    );
  }
  if (Number(rows.n) !== expectedIssued)
    problems.push(`${rows.n} issued_coupons rows, expected ${expectedIssued}`);
  if (Number(rows.distinct_users) !== Number(rows.n))
    problems.push(`only ${rows.distinct_users} distinct users among ${rows.n} copies`);
  if (Number(rows.outside ?? 0) > 0)
    problems.push(`${rows.outside} copies went to users outside the run`);
  if (sample.status2xx !== expectedIssued)
    problems.push(`${sample.status2xx} successes, expected ${expectedIssued}`);
  if (sample.status5xx > 0) problems.push(`${sample.status5xx} 5xx`);
  if (sample.errors > 0) problems.push(`${sample.errors} socket errors`);
  const soldOut = outcomes.get('409 COUPON_SOLD_OUT');
  if (soldOut !== users.length - expectedIssued || sample.status4xx !== soldOut) {
    problems.push(
      `4xx: ${outcomes.toString()} (expected ${users.length - expectedIssued} x 409 COUPON_SOLD_OUT)`,
    );
  }
  sample.verified = problems.length === 0;
}

async function issueOverHttp(
  ctx: BenchContext,
  couponId: number,
  users: number[],
  outcomes: Tally,
): Promise<Sample> {
  const body = JSON.stringify({ couponId });
  users.forEach((userId) => ctx.token(userId)); // signed before the clock starts
  return runLoad({
    baseUrl: ctx.server().baseUrl,
    connections: ctx.sizes.coupon.connections,
    amount: users.length,
    server: ctx.server(),
    requests: [
      oneEach(
        users,
        (userId) => ({
          method: 'POST',
          path: `${API}/users/${userId}/coupons`,
          headers: jsonHeaders(ctx.token(userId)),
          body,
        }),
        (status, responseBody) =>
          outcomes.add(status < 300 ? String(status) : `${status} ${errorCode(responseBody)}`),
      ),
    ],
  });
}

export function couponIssue(ctx: BenchContext): Promise<RowResult[]> {
  return couponIssueRow(ctx, 'coupon-issue', ctx.sizes.coupon.quantity);
}

/** As many copies as users: every request wins (the coalesced grants at their widest). */
export function couponIssueWins(ctx: BenchContext): Promise<RowResult[]> {
  return couponIssueRow(ctx, 'coupon-issue-wins', ctx.sizes.coupon.users);
}

async function couponIssueRow(
  ctx: BenchContext,
  scenario: string,
  quantity: number,
): Promise<RowResult[]> {
  const { users: userCount, warmupUsers, warmupQuantity } = ctx.sizes.coupon;
  const users = range(USER_BASE.coupon, userCount);

  await resetCoupons(ctx.db);
  const warmupId = await createCoupon(ctx.db, 'bench warm-up', warmupQuantity);
  const warm = await issueOverHttp(
    ctx,
    warmupId,
    range(USER_BASE.couponWarmup, warmupUsers),
    new Tally(),
  );
  ctx.log(`  warm-up: ${warm.requests} req on a coupon of ${warmupQuantity}, ${warm.rps} req/s`);

  const samples: Sample[] = [];
  for (let run = 1; run <= ctx.runs; run++) {
    await resetCoupons(ctx.db);
    const couponId = await createCoupon(ctx.db, `bench run ${run}`, quantity);
    const outcomes = new Tally();
    const sample = await issueOverHttp(ctx, couponId, users, outcomes);
    await verifyCoupon(ctx.db, couponId, quantity, users, sample, outcomes);
    sample.notes.push(`outcomes: ${outcomes.toString()}`);
    ctx.log(describeSample(scenario, run, ctx.runs, sample));
    samples.push(sample);
  }
  return [{ scenario, samples }];
}

type SqlOutcome = 'issued' | 'sold-out' | 'already-issued' | 'not-found';

async function rollback(connection: PoolConnection): Promise<void> {
  await connection.query('ROLLBACK').catch(() => undefined);
}

/**
 * CouponService.issue as SQL: the plain pre-check (coupon + "already holds it?"), then, only if
 * it passes, BEGIN; SELECT ... FOR UPDATE; INSERT issued_coupons; UPDATE coupons; COMMIT.
 * `beginFirst` opens the transaction before the pre-check, as TransactionRunner.run does.
 */
async function issueOverSql(
  pool: Pool,
  couponId: number,
  userId: number,
  beginFirst: boolean,
): Promise<SqlOutcome> {
  const connection = await pool.getConnection();
  let open = false;
  try {
    if (beginFirst) {
      await connection.query('START TRANSACTION');
      open = true;
    }
    const [checks] = await connection.query<RowDataPacket[]>(
      `SELECT ${COUPON_COLUMNS},
              EXISTS (SELECT 1 FROM issued_coupons WHERE coupon_id = coupons.id AND user_id = ?) AS already_issued
         FROM coupons WHERE id = ?`,
      [userId, couponId],
    );
    const check = checks[0];
    const reject = (outcome: SqlOutcome) =>
      open ? rollback(connection).then(() => outcome) : outcome;
    if (!check) return await reject('not-found');
    if (Number(check.already_issued) === 1) return await reject('already-issued');
    if (Number(check.issued_quantity) >= Number(check.total_quantity))
      return await reject('sold-out');

    if (!open) {
      await connection.query('START TRANSACTION');
      open = true;
    }
    const [locked] = await connection.query<RowDataPacket[]>(
      `SELECT ${COUPON_COLUMNS} FROM coupons WHERE id = ? FOR UPDATE`,
      [couponId],
    );
    const coupon = locked[0];
    if (Number(coupon.issued_quantity) >= Number(coupon.total_quantity))
      return await reject('sold-out');
    const now = new Date();
    try {
      await connection.query(
        `INSERT INTO issued_coupons (coupon_id, user_id, status, issued_at, expires_at, used_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [
          couponId,
          userId,
          'AVAILABLE',
          now,
          new Date(now.getTime() + Number(coupon.valid_days) * DAY_MS),
          null,
        ],
      );
    } catch (error) {
      if ((error as { errno?: number }).errno === 1062) return await reject('already-issued');
      throw error;
    }
    await connection.query('UPDATE coupons SET issued_quantity = ? WHERE id = ?', [
      Number(coupon.issued_quantity) + 1,
      couponId,
    ]);
    await connection.query('COMMIT');
    open = false;
    return 'issued';
  } catch (error) {
    if (open) await rollback(connection);
    throw error;
  } finally {
    connection.release();
  }
}

async function issueWithWorkers(
  pool: Pool,
  couponId: number,
  users: number[],
  workers: number,
  beginFirst: boolean,
  outcomes: Tally,
): Promise<Sample> {
  const latencies = new Float64Array(users.length);
  const counts = { status2xx: 0, status4xx: 0, status5xx: 0, errors: 0 };
  let next = 0;
  const startedAt = performance.now();
  const worker = async () => {
    for (let index = next++; index < users.length; index = next++) {
      const t0 = performance.now();
      try {
        const outcome = await issueOverSql(pool, couponId, users[index], beginFirst);
        outcomes.add(outcome);
        if (outcome === 'issued') counts.status2xx++;
        else counts.status4xx++;
      } catch (error) {
        outcomes.add(`error ${(error as { code?: string }).code ?? (error as Error).message}`);
        counts.status5xx++;
      }
      latencies[index] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, users.length) }, worker));
  return sampleOf(
    Math.min(workers, users.length),
    latencies,
    performance.now() - startedAt,
    counts,
  );
}

async function couponIssueSqlVariant(
  ctx: BenchContext,
  scenario: string,
  beginFirst: boolean,
  quantity = ctx.sizes.coupon.quantity,
): Promise<RowResult[]> {
  const { users: userCount, warmupUsers, warmupQuantity, connections } = ctx.sizes.coupon;
  const users = range(USER_BASE.couponSql, userCount);
  const pool = ctx.openAppLikePool();
  try {
    await resetCoupons(ctx.db);
    const warmupId = await createCoupon(ctx.db, 'bench sql warm-up', warmupQuantity);
    const warm = await issueWithWorkers(
      pool,
      warmupId,
      range(USER_BASE.couponSqlWarmup, warmupUsers),
      connections,
      beginFirst,
      new Tally(),
    );
    ctx.log(`  warm-up: ${warm.requests} tx on a coupon of ${warmupQuantity}, ${warm.rps} tx/s`);

    const samples: Sample[] = [];
    for (let run = 1; run <= ctx.runs; run++) {
      await resetCoupons(ctx.db);
      const couponId = await createCoupon(ctx.db, `bench sql run ${run}`, quantity);
      const outcomes = new Tally();
      const sample = await issueWithWorkers(
        pool,
        couponId,
        users,
        connections,
        beginFirst,
        outcomes,
      );
      // Same checks as over HTTP, with the SQL outcomes in the roles of the status codes.
      const asHttp = new Tally();
      asHttp.add('409 COUPON_SOLD_OUT', outcomes.get('sold-out'));
      await verifyCoupon(ctx.db, couponId, quantity, users, sample, asHttp);
      sample.notes.push(`outcomes: ${outcomes.toString()}`);
      ctx.log(describeSample(scenario, run, ctx.runs, sample));
      samples.push(sample);
    }
    return [
      {
        scenario,
        note: beginFirst ? 'BEGIN before the pre-check, as the app does' : undefined,
        samples,
      },
    ];
  } finally {
    await pool.end();
  }
}

export function couponIssueSql(ctx: BenchContext): Promise<RowResult[]> {
  return couponIssueSqlVariant(ctx, 'coupon-issue-sql', false);
}

/** The ceiling of coupon-issue-wins: one SQL transaction per issue, every one a winner. */
export function couponIssueSqlWins(ctx: BenchContext): Promise<RowResult[]> {
  return couponIssueSqlVariant(ctx, 'coupon-issue-sql-wins', false, ctx.sizes.coupon.users);
}

export function couponIssueSqlAppShape(ctx: BenchContext): Promise<RowResult[]> {
  return couponIssueSqlVariant(ctx, 'coupon-issue-sql-app', true);
}
