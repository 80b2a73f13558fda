/**
 * charge: U users x N charges each, shuffled (so some of a user's charges overlap in time),
 * at 64 connections, starting from no balance row. Verified: every balance = the sum of that
 * user's successful charges, its ledger has exactly that many CHARGE rows with that sum, and
 * the last balance_after equals the balance.
 */
import type { Pool } from 'mysql2/promise';
import { API, BenchContext, describeSample, range, RowResult, USER_BASE } from '../lib/context';
import { exec, select } from '../lib/db';
import { jsonHeaders, oneEach, runLoad, Sample } from '../lib/load';
import { errorCode, shuffle, Tally } from '../lib/stats';

interface Charge {
  userId: number;
  amount: number;
}

function plan(users: number[], perUser: number, seed: number): Charge[] {
  const charges: Charge[] = [];
  for (const userId of users) {
    for (let k = 0; k < perUser; k++)
      charges.push({ userId, amount: 1_000 * (1 + ((userId + 3 * k) % 10)) });
  }
  return shuffle(charges, seed);
}

async function reset(db: Pool, users: number[]): Promise<void> {
  const [first, last] = [users[0], users[users.length - 1]];
  await exec(db, 'DELETE FROM balance_history WHERE user_id BETWEEN ? AND ?', [first, last]);
  await exec(db, 'DELETE FROM balances WHERE user_id BETWEEN ? AND ?', [first, last]);
}

async function chargeAll(
  ctx: BenchContext,
  charges: Charge[],
  applied: Map<number, { sum: number; count: number }>,
  outcomes: Tally,
): Promise<Sample> {
  charges.forEach(({ userId }) => ctx.token(userId)); // signed before the clock starts
  return runLoad({
    baseUrl: ctx.server().baseUrl,
    connections: ctx.sizes.charge.connections,
    amount: charges.length,
    server: ctx.server(),
    requests: [
      oneEach(
        charges,
        ({ userId, amount }) => ({
          method: 'POST',
          path: `${API}/users/${userId}/balance/charge`,
          headers: jsonHeaders(ctx.token(userId)),
          body: JSON.stringify({ amount }),
        }),
        (status, body, charge) => {
          if (status === 200) {
            const entry = applied.get(charge.userId) ?? { sum: 0, count: 0 };
            entry.sum += charge.amount;
            entry.count += 1;
            applied.set(charge.userId, entry);
            outcomes.add('200');
          } else {
            outcomes.add(`${status} ${status < 300 ? '' : errorCode(body)}`.trim());
          }
        },
      ),
    ],
  });
}

async function verify(
  db: Pool,
  users: number[],
  charges: Charge[],
  applied: Map<number, { sum: number; count: number }>,
  sample: Sample,
): Promise<void> {
  const problems = sample.problems;
  const [first, last] = [users[0], users[users.length - 1]];
  if (sample.status2xx !== charges.length)
    problems.push(`${sample.status2xx} of ${charges.length} charges succeeded`);
  if (sample.status5xx > 0) problems.push(`${sample.status5xx} 5xx`);
  if (sample.errors > 0) problems.push(`${sample.errors} socket errors`);

  const balances = new Map(
    (
      await select<{ user_id: number; amount: number }>(
        db,
        'SELECT user_id, amount FROM balances WHERE user_id BETWEEN ? AND ?',
        [first, last],
      )
    ).map((row) => [Number(row.user_id), Number(row.amount)]),
  );
  const ledger = new Map(
    (
      await select<{ user_id: number; n: number; total: number; last_after: number }>(
        db,
        `SELECT h.user_id, COUNT(*) AS n, SUM(h.amount) AS total,
                (SELECT balance_after FROM balance_history x WHERE x.user_id = h.user_id ORDER BY x.id DESC LIMIT 1) AS last_after
           FROM balance_history h WHERE h.user_id BETWEEN ? AND ? AND h.type = 'CHARGE' GROUP BY h.user_id`,
        [first, last],
      )
    ).map((row) => [
      Number(row.user_id),
      { n: Number(row.n), total: Number(row.total), lastAfter: Number(row.last_after) },
    ]),
  );
  let wrongBalance = 0;
  let wrongLedger = 0;
  for (const userId of users) {
    const expected = applied.get(userId) ?? { sum: 0, count: 0 };
    const balance = balances.get(userId) ?? 0;
    const rows = ledger.get(userId) ?? { n: 0, total: 0, lastAfter: 0 };
    if (balance !== expected.sum) wrongBalance++;
    if (rows.n !== expected.count || rows.total !== expected.sum || rows.lastAfter !== balance)
      wrongLedger++;
  }
  if (wrongBalance > 0)
    problems.push(`${wrongBalance} users' balance differs from the sum of their charges`);
  if (wrongLedger > 0)
    problems.push(`${wrongLedger} users' ledger differs (row count, sum or last balance_after)`);
  sample.verified = problems.length === 0;
}

export async function charge(ctx: BenchContext): Promise<RowResult[]> {
  const { users: userCount, chargesPerUser, warmupUsers } = ctx.sizes.charge;
  const users = range(USER_BASE.charge, userCount);

  const warmUsers = range(USER_BASE.chargeWarmup, warmupUsers);
  await reset(ctx.db, warmUsers);
  const warm = await chargeAll(ctx, plan(warmUsers, 2, 7), new Map(), new Tally());
  ctx.log(`  warm-up: ${warm.requests} charges, ${warm.rps} req/s`);

  const samples: Sample[] = [];
  for (let run = 1; run <= ctx.runs; run++) {
    await reset(ctx.db, users);
    const charges = plan(users, chargesPerUser, 1000 + run);
    const applied = new Map<number, { sum: number; count: number }>();
    const outcomes = new Tally();
    const sample = await chargeAll(ctx, charges, applied, outcomes);
    await verify(ctx.db, users, charges, applied, sample);
    sample.notes.push(`outcomes: ${outcomes.toString()}`);
    ctx.log(describeSample('charge', run, ctx.runs, sample));
    samples.push(sample);
  }
  return [{ scenario: 'charge', samples }];
}
