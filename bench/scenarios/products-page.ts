/**
 * products-page: GET /products page 1 and a deep page, 100 connections, on the bulk catalogue.
 *
 * The deep page is keyset when the API has it: if page 1's response carries a `nextCursor`
 * field, the deep row requests `?cursor=<the nextCursor of a page whose last id is ~99% of the
 * catalogue>`. That cursor is made by rewriting page 1's cursor (when its encoding is a plain
 * or base64(url) text holding the last id, and the server accepts the result), otherwise by
 * following nextCursor from page 1. Without cursors it is the offset page `?page=N&size=25`
 * whose rows are the last 25 (page 4000 of 100k).
 */
import { API, BenchContext, describeSample, RowResult } from '../lib/context';
import { runLoad, Sample } from '../lib/load';

interface ProductPage {
  items: { id: number }[];
  nextCursor?: string | null;
}

async function getPage(
  baseUrl: string,
  path: string,
): Promise<{ status: number; page: ProductPage | null }> {
  const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, page: null };
  return { status: 200, page: JSON.parse(text) as ProductPage };
}

const lastId = (page: ProductPage): number => page.items[page.items.length - 1]?.id ?? 0;

/** Candidate cursors for "after `targetId`", made from a cursor known to mean "after `sampleId`". */
function rewriteCursor(sample: string, sampleId: number, targetId: number): string[] {
  const pattern = new RegExp(`(?<![0-9])${sampleId}(?![0-9])`);
  const candidates: string[] = [];
  if (pattern.test(sample)) candidates.push(sample.replace(pattern, String(targetId)));
  for (const encoding of ['base64url', 'base64'] as const) {
    const decoded = Buffer.from(sample, encoding).toString('utf8');
    const again = Buffer.from(decoded, 'utf8').toString(encoding);
    if (again.replace(/=+$/, '') !== sample.replace(/=+$/, '') || !pattern.test(decoded)) continue;
    let encoded = Buffer.from(decoded.replace(pattern, String(targetId)), 'utf8').toString(
      encoding,
    );
    if (!sample.endsWith('=')) encoded = encoded.replace(/=+$/, '');
    candidates.push(encoded);
  }
  return [...new Set(candidates)];
}

async function deepCursor(
  ctx: BenchContext,
  baseUrl: string,
  first: ProductPage,
  targetId: number,
): Promise<{ cursor: string; how: string }> {
  const size = ctx.sizes.read.pageSize;
  const firstCursor = first.nextCursor;
  if (typeof firstCursor !== 'string' || firstCursor === '')
    throw new Error('page 1 has no nextCursor to start from');
  for (const candidate of rewriteCursor(firstCursor, lastId(first), targetId)) {
    const { status, page } = await getPage(
      baseUrl,
      `${API}/products?cursor=${encodeURIComponent(candidate)}&size=${size}`,
    );
    if (status === 200 && page && page.items[0]?.id === targetId + 1)
      return { cursor: candidate, how: `cursor after id ${targetId}` };
  }
  // Opaque or signed cursor: walk there, 100 rows a step.
  let cursor = firstCursor;
  let page: ProductPage | null = first;
  for (let steps = 0; page && lastId(page) < targetId; steps++) {
    if (steps > ctx.sizes.products / 100 + 10)
      throw new Error('following nextCursor did not reach the deep page');
    const next = await getPage(
      baseUrl,
      `${API}/products?cursor=${encodeURIComponent(cursor)}&size=100`,
    );
    page = next.page;
    if (!page || typeof page.nextCursor !== 'string')
      throw new Error(`following nextCursor stopped at status ${next.status}`);
    if (lastId(page) < targetId) cursor = page.nextCursor;
    else return { cursor: page.nextCursor, how: `cursor after id ${lastId(page)} (followed)` };
  }
  throw new Error('could not reach the deep page by cursor');
}

export async function productsPage(ctx: BenchContext): Promise<RowResult[]> {
  const server = ctx.server();
  const { connections, pageSize } = ctx.sizes.read;
  const products = ctx.sizes.products;

  let firstPath = `${API}/products?page=1&size=${pageSize}`;
  let probe = await getPage(server.baseUrl, firstPath);
  if (probe.status !== 200) {
    firstPath = `${API}/products?size=${pageSize}`;
    probe = await getPage(server.baseUrl, firstPath);
  }
  if (!probe.page || probe.page.items[0]?.id !== 1 || probe.page.items.length !== pageSize) {
    throw new Error(
      `GET ${firstPath} did not return the first ${pageSize} products (status ${probe.status})`,
    );
  }

  let deepPath: string;
  let deepNote: string;
  if (probe.page.nextCursor !== undefined) {
    const targetId = Math.round(products * 0.99);
    const { cursor, how } = await deepCursor(ctx, server.baseUrl, probe.page, targetId);
    deepPath = `${API}/products?cursor=${encodeURIComponent(cursor)}&size=${pageSize}`;
    deepNote = `keyset: ${how}`;
  } else {
    const page = Math.floor(products / pageSize);
    deepPath = `${API}/products?page=${page}&size=${pageSize}`;
    deepNote = `offset: page=${page}&size=${pageSize} (no nextCursor on page 1)`;
  }
  const deepProbe = await getPage(server.baseUrl, deepPath);
  if (!deepProbe.page || deepProbe.page.items.length === 0)
    throw new Error(`GET ${deepPath} returned no rows (status ${deepProbe.status})`);
  deepNote += `, rows ${deepProbe.page.items[0].id}..${lastId(deepProbe.page)}`;
  ctx.log(`  page 1: ${firstPath}; deep: ${deepPath} (${deepNote})`);

  const rows: RowResult[] = [];
  for (const [scenario, path, note] of [
    ['products-page:first', firstPath, `${firstPath.replace(API, '')}`],
    ['products-page:deep', deepPath, deepNote],
  ] as const) {
    const request = { method: 'GET' as const, path };
    await runLoad({
      baseUrl: server.baseUrl,
      connections,
      durationSeconds: ctx.sizes.warmupSeconds,
      requests: [request],
    });
    const samples: Sample[] = [];
    for (let run = 1; run <= ctx.runs; run++) {
      const sample = await runLoad({
        baseUrl: server.baseUrl,
        connections,
        durationSeconds: ctx.sizes.durationSeconds,
        requests: [request],
        server,
      });
      if (sample.status2xx !== sample.requests)
        sample.notes.push(`non-2xx answers: ${sample.requests - sample.status2xx}`);
      ctx.log(describeSample(scenario, run, ctx.runs, sample));
      samples.push(sample);
    }
    rows.push({ scenario, note, samples });
  }
  return rows;
}
