/** Turns the runs of each row into one line (medians of rate and latency, sums of counts), prints the table and the targets. */
import type { RowResult } from './context';
import { summarizeWarnings } from './server';
import { median, round } from './stats';

export interface ReportRow {
  scenario: string;
  connections: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  verified: boolean | null;
  runs: number;
  errors: number;
  cpuMsPerRequest: number | null;
  rssMaxMB: number | null;
  note: string | null;
  problems: string[];
  serverWarnings: string | null;
  perRun: {
    requests: number;
    rps: number;
    p50Ms: number;
    p99Ms: number;
    status2xx: number;
    status4xx: number;
    status5xx: number;
    errors: number;
    cpuMsPerRequest: number | null;
    rssMaxMB: number | null;
    verified: boolean | null;
    notes: string[];
    problems: string[];
  }[];
}

export function aggregate(row: RowResult): ReportRow {
  const samples = row.samples;
  const sum = (pick: (s: (typeof samples)[number]) => number) =>
    samples.reduce((total, s) => total + pick(s), 0);
  const verdicts = samples.map((s) => s.verified).filter((v): v is boolean => v !== null);
  const cpu = samples.map((s) => s.cpuMsPerRequest).filter((v): v is number => v !== null);
  const rss = samples.map((s) => s.rssMaxMB).filter((v): v is number => v !== null);
  const warnings = samples.flatMap((s) => s.warnings);
  return {
    scenario: row.scenario,
    connections: samples[0]?.connections ?? 0,
    requests: sum((s) => s.requests),
    rps: round(median(samples.map((s) => s.rps)), 0),
    p50Ms: round(median(samples.map((s) => s.p50Ms)), 1),
    p99Ms: round(median(samples.map((s) => s.p99Ms)), 1),
    status2xx: sum((s) => s.status2xx),
    status4xx: sum((s) => s.status4xx),
    status5xx: sum((s) => s.status5xx),
    verified:
      verdicts.length === 0 ? null : verdicts.every(Boolean) && verdicts.length === samples.length,
    runs: samples.length,
    errors: sum((s) => s.errors),
    cpuMsPerRequest: cpu.length > 0 ? round(median(cpu), 3) : null,
    rssMaxMB: rss.length > 0 ? Math.max(...rss) : null,
    note: row.note ?? null,
    problems: [...new Set(samples.flatMap((s) => s.problems))],
    serverWarnings:
      warnings.length > 0 ? `${warnings.length} warnings: ${summarizeWarnings(warnings)}` : null,
    perRun: samples.map((s) => ({
      requests: s.requests,
      rps: s.rps,
      p50Ms: s.p50Ms,
      p99Ms: s.p99Ms,
      status2xx: s.status2xx,
      status4xx: s.status4xx,
      status5xx: s.status5xx,
      errors: s.errors,
      cpuMsPerRequest: s.cpuMsPerRequest,
      rssMaxMB: s.rssMaxMB,
      verified: s.verified,
      notes: s.notes,
      problems: s.problems,
    })),
  };
}

const fmt = (value: number | null, digits = 0): string =>
  value === null || !Number.isFinite(value)
    ? '-'
    : value.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      });

export function table(rows: ReportRow[]): string {
  const header = [
    'scenario',
    'conns',
    'runs',
    'requests',
    'req/s',
    'p50 ms',
    'p99 ms',
    '2xx',
    '4xx',
    '5xx',
    'err',
    'cpu ms/req',
    'max RSS MB',
    'verified',
  ];
  const lines = rows.map((row) => [
    row.scenario,
    String(row.connections),
    String(row.runs),
    fmt(row.requests),
    fmt(row.rps),
    fmt(row.p50Ms, 1),
    fmt(row.p99Ms, 1),
    fmt(row.status2xx),
    fmt(row.status4xx),
    fmt(row.status5xx),
    fmt(row.errors),
    fmt(row.cpuMsPerRequest, 2),
    fmt(row.rssMaxMB, 0),
    row.verified === null ? '-' : row.verified ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...lines.map((line) => line[i].length)),
  );
  const render = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [render(header), rule, ...lines.map(render)].join('\n');
}

export interface TargetCheck {
  what: string;
  measured: string;
  ok: boolean | null;
}

/** The second configurations of the bench (see PASSES in run-bench.ts): a suffix on the row name. */
export const passLabel = (scenario: string, label: string) => `${scenario} [${label}]`;

const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(0)}%`;

/** The performance issue's targets, reported (never asserted). */
export function targets(rows: ReportRow[], rss: { name: string; maxMB: number }[]): TargetCheck[] {
  const get = (name: string) => rows.find((row) => row.scenario === name);
  const checks: TargetCheck[] = [];
  const add = (what: string, measured: string, ok: boolean | null) =>
    checks.push({ what, measured, ok });
  const exact = (row: ReportRow) => row.verified === true && row.status5xx === 0;

  const coupon = get('coupon-issue');
  const ceiling = get('coupon-issue-sql');
  if (coupon && ceiling && ceiling.rps > 0) {
    add(
      'coupon-issue / coupon-issue-sql req/s >= 1.0',
      `${fmt(coupon.rps)} / ${fmt(ceiling.rps)} = ${(coupon.rps / ceiling.rps).toFixed(2)}`,
      coupon.rps >= ceiling.rps,
    );
  }
  if (coupon) {
    add(
      'coupon-issue p99 <= 100 ms, exact counts, no 5xx',
      `${fmt(coupon.p99Ms, 1)} ms, verified ${coupon.verified ? 'yes' : 'NO'}, 5xx ${coupon.status5xx}`,
      coupon.p99Ms <= 100 && exact(coupon),
    );
  }
  const wins = get('coupon-issue-wins');
  const winsCeiling = get('coupon-issue-sql-wins');
  if (wins && winsCeiling && winsCeiling.rps > 0) {
    add(
      'coupon-issue-wins / coupon-issue-sql-wins req/s >= 2.0, exact',
      `${fmt(wins.rps)} / ${fmt(winsCeiling.rps)} = ${(wins.rps / winsCeiling.rps).toFixed(2)}, verified ${wins.verified && winsCeiling.verified ? 'yes' : 'NO'}`,
      wins.rps >= 2 * winsCeiling.rps && exact(wins) && exact(winsCeiling),
    );
  }
  for (const name of ['products-page:first', 'popular:cached']) {
    const row = get(name);
    if (row)
      add(
        `${name} >= 12,000 req/s, p99 <= 25 ms at 100 connections`,
        `${fmt(row.rps)} req/s, p99 ${fmt(row.p99Ms, 1)} ms`,
        row.rps >= 12_000 && row.p99Ms <= 25,
      );
  }
  const first = get('products-page:first');
  const deep = get('products-page:deep');
  if (first && deep && first.rps > 0) {
    add(
      'keyset deep page >= 90% of page 1',
      `${fmt(deep.rps)} vs ${fmt(first.rps)} req/s (${percent(deep.rps, first.rps)})`,
      deep.rps >= 0.9 * first.rps,
    );
  }
  for (const name of ['order-pay:order', 'order-pay:pay']) {
    const row = get(name);
    if (row)
      add(
        `${name} p99 <= 100 ms at 64 connections, no 5xx`,
        `${fmt(row.p99Ms, 1)} ms, 5xx ${row.status5xx}`,
        row.p99Ms <= 100 && row.status5xx === 0,
      );
  }
  // The relay rows count events, not requests: their rate follows the payments' rate.
  for (const quiet of rows.filter((row) => !row.scenario.startsWith('relay'))) {
    const loud = get(passLabel(quiet.scenario, 'LOG_LEVEL=info'));
    if (loud && quiet.rps > 0)
      add(
        `${quiet.scenario} with the default LOG_LEVEL (info) within 10% of LOG_LEVEL=warn`,
        `${fmt(loud.rps)} vs ${fmt(quiet.rps)} req/s (${percent(loud.rps, quiet.rps)})`,
        loud.rps >= 0.9 * quiet.rps,
      );
  }
  const uncached = get('popular:uncached');
  if (uncached)
    add('popular uncached median <= 50 ms', `${fmt(uncached.p50Ms, 1)} ms`, uncached.p50Ms <= 50);
  for (const server of rss)
    add(
      `server ${server.name} RSS <= 200 MB throughout (largest process)`,
      `max ${fmt(server.maxMB, 0)} MB`,
      server.maxMB > 0 ? server.maxMB <= 200 : null,
    );
  return checks;
}

/** What the second configurations change (no target: the figures for the report). */
export function comparisons(rows: ReportRow[]): string[] {
  const lines: string[] = [];
  for (const base of rows) {
    for (const label of ['METRICS_PORT=0', 'WEB_CONCURRENCY=2']) {
      const other = rows.find((row) => row.scenario === passLabel(base.scenario, label));
      if (!other || base.rps === 0) continue;
      const cpu =
        base.cpuMsPerRequest !== null && other.cpuMsPerRequest !== null
          ? `, cpu ${fmt(other.cpuMsPerRequest, 3)} vs ${fmt(base.cpuMsPerRequest, 3)} ms/req`
          : '';
      lines.push(
        `${base.scenario} ${label}: ${fmt(other.rps)} vs ${fmt(base.rps)} req/s (${(other.rps / base.rps).toFixed(2)}x), p99 ${fmt(other.p99Ms, 1)} vs ${fmt(base.p99Ms, 1)} ms${cpu}`,
      );
    }
  }
  return lines;
}
