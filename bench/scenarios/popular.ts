/**
 * popular: GET /products/popular on the bulk order history.
 *   popular:cached          100 connections, server with POPULAR_CACHE_TTL_SECONDS=60 (warm cache)
 *   popular:uncached        1 connection, a fresh server with the cache off: the query's own latency
 *   popular:uncached-c16    16 connections, cache off: what the database sustains
 *   popular:uncached-30d    1 connection, days=30&limit=50 (the widest window the API allows)
 */
import { API, BenchContext, describeSample, RowResult } from '../lib/context';
import { runLoad, Sample } from '../lib/load';
import type { ServerProcess } from '../lib/server';

const DEFAULT_QUERY = `${API}/products/popular?days=3&limit=5`;
const WIDE_QUERY = `${API}/products/popular?days=30&limit=50`;

async function probe(server: ServerProcess, path: string): Promise<number> {
  const response = await fetch(`${server.baseUrl}${path}`, { signal: AbortSignal.timeout(60_000) });
  const body = (await response.json()) as unknown;
  if (response.status !== 200 || !Array.isArray(body) || body.length === 0) {
    throw new Error(
      `GET ${path} answered ${response.status} with ${JSON.stringify(body).slice(0, 200)}`,
    );
  }
  return body.length;
}

async function measure(
  ctx: BenchContext,
  server: ServerProcess,
  scenario: string,
  path: string,
  connections: number,
  load: { amount?: number; durationSeconds?: number },
  warmup: { amount?: number; durationSeconds?: number },
): Promise<RowResult> {
  const request = { method: 'GET' as const, path };
  await runLoad({ baseUrl: server.baseUrl, connections, ...warmup, requests: [request] });
  const samples: Sample[] = [];
  for (let run = 1; run <= ctx.runs; run++) {
    const sample = await runLoad({
      baseUrl: server.baseUrl,
      connections,
      ...load,
      requests: [request],
      server,
    });
    if (sample.status2xx !== sample.requests)
      sample.notes.push(`non-2xx answers: ${sample.requests - sample.status2xx}`);
    ctx.log(describeSample(scenario, run, ctx.runs, sample));
    samples.push(sample);
  }
  return { scenario, samples, note: path.replace(API, '') };
}

/** popular:cached alone, on the current server. */
export async function popularCached(ctx: BenchContext): Promise<RowResult[]> {
  const { durationSeconds, warmupSeconds } = ctx.sizes;
  const server = ctx.server();
  const items = await probe(server, DEFAULT_QUERY);
  ctx.log(`  ${DEFAULT_QUERY} answers ${items} products`);
  const row = await measure(
    ctx,
    server,
    'popular:cached',
    DEFAULT_QUERY,
    ctx.sizes.read.connections,
    { durationSeconds },
    { durationSeconds: warmupSeconds },
  );
  return [row];
}

export async function popular(ctx: BenchContext): Promise<RowResult[]> {
  const { durationSeconds, warmupSeconds } = ctx.sizes;
  const { uncachedRequests, uncachedWideRequests, uncachedLoadConnections } = ctx.sizes.popular;
  const rows = await popularCached(ctx);

  const uncached = await ctx.switchToUncachedServer();
  await probe(uncached, DEFAULT_QUERY);
  rows.push(
    await measure(
      ctx,
      uncached,
      'popular:uncached',
      DEFAULT_QUERY,
      1,
      { amount: uncachedRequests },
      { amount: 10 },
    ),
  );
  rows.push(
    await measure(
      ctx,
      uncached,
      'popular:uncached-c16',
      DEFAULT_QUERY,
      uncachedLoadConnections,
      { durationSeconds },
      { durationSeconds: warmupSeconds },
    ),
  );
  rows.push(
    await measure(
      ctx,
      uncached,
      'popular:uncached-30d',
      WIDE_QUERY,
      1,
      { amount: uncachedWideRequests },
      { amount: 2 },
    ),
  );
  return rows;
}
