/**
 * One load run through autocannon's programmatic API, measured by the harness itself:
 * every response's latency is kept (exact percentiles, 0.1 ms resolution, error responses
 * included) and the rate is completed responses over the time from start to the last response
 * (autocannon's own `duration` of an `amount` run includes up to a second of idle tail).
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { ServerProcess, ServerWarning } from './server';
import { percentile, round } from './stats';

export type LoadRequest = autocannon.Request;

export interface LoadSpec {
  baseUrl: string;
  connections: number;
  /** Exactly this many requests (one per user in the per-user scenarios)... */
  amount?: number;
  /** ...or run for this long. */
  durationSeconds?: number;
  requests: LoadRequest[];
  /** The process to read CPU and memory from during the run. */
  server?: ServerProcess | null;
}

/** One run of one row. */
export interface Sample {
  connections: number;
  requests: number;
  elapsedMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  status2xx: number;
  status4xx: number;
  status5xx: number;
  /** Socket errors, timeouts and 1xx/3xx answers: none is expected. */
  errors: number;
  cpuMsPerRequest: number | null;
  rssMaxMB: number | null;
  warnings: ServerWarning[];
  /** true/false once verified by SQL, null when the scenario has nothing to verify. */
  verified: boolean | null;
  problems: string[];
  notes: string[];
}

export function emptySample(connections: number): Sample {
  return {
    connections,
    requests: 0,
    elapsedMs: 0,
    rps: 0,
    p50Ms: NaN,
    p99Ms: NaN,
    status2xx: 0,
    status4xx: 0,
    status5xx: 0,
    errors: 0,
    cpuMsPerRequest: null,
    rssMaxMB: null,
    warnings: [],
    verified: null,
    problems: [],
    notes: [],
  };
}

/** Builds a Sample from raw per-request latencies and status counts (used by the SQL scenario too). */
export function sampleOf(
  connections: number,
  latencies: ArrayLike<number>,
  elapsedMs: number,
  counts: { status2xx: number; status4xx: number; status5xx: number; errors: number },
): Sample {
  const requests = counts.status2xx + counts.status4xx + counts.status5xx;
  return {
    ...emptySample(connections),
    ...counts,
    requests,
    elapsedMs: round(elapsedMs, 0),
    rps: elapsedMs > 0 ? round((requests * 1000) / elapsedMs, 0) : 0,
    p50Ms: round(percentile(latencies, 0.5), 1),
    p99Ms: round(percentile(latencies, 0.99), 1),
  };
}

export function runLoad(spec: LoadSpec): Promise<Sample> {
  const amount = spec.amount;
  if (amount !== undefined && amount < 1) return Promise.resolve(emptySample(0));
  // autocannon refuses more connections than requests in an `amount` run.
  const connections = amount !== undefined ? Math.min(spec.connections, amount) : spec.connections;
  const latencies: number[] = [];
  const counts = { status2xx: 0, status4xx: 0, status5xx: 0, errors: 0 };
  let lastResponseAt = 0;
  const window = spec.server?.beginWindow() ?? null;
  const startedAt = performance.now();

  return new Promise<Sample>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.baseUrl,
        connections,
        amount,
        duration: spec.durationSeconds ?? 10,
        requests: spec.requests,
        // A timed-out request is abandoned by the client but may still complete on the server,
        // which would break exact counts: be patient rather than fast.
        timeout: 60,
        excludeErrorStats: false,
      },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const elapsedMs = (lastResponseAt || performance.now()) - startedAt;
        counts.errors += result.errors;
        const sample = sampleOf(connections, latencies, elapsedMs, counts);
        if (window) {
          const cpuMs = window.cpuMs();
          sample.cpuMsPerRequest =
            cpuMs !== null && sample.requests > 0 ? round(cpuMs / sample.requests, 3) : null;
          sample.rssMaxMB = window.rssMaxMB();
          sample.warnings = window.warnings();
        }
        resolve(sample);
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      lastResponseAt = performance.now();
      latencies.push(responseTime);
      if (statusCode >= 200 && statusCode < 300) counts.status2xx++;
      else if (statusCode >= 400 && statusCode < 500) counts.status4xx++;
      else if (statusCode >= 500) counts.status5xx++;
      else counts.errors++;
    });
  });
}

/**
 * A request that hands out `items` one per request, in order, across all connections; the item
 * travels in the connection's context to `onResponse` (one request in flight per connection).
 */
export function oneEach<T>(
  items: T[],
  build: (item: T, index: number) => LoadRequest,
  onResponse?: (status: number, body: string, item: T) => void,
): LoadRequest {
  let next = 0;
  type Context = { item?: T };
  return {
    setupRequest: (request, context) => {
      // autocannon builds exactly one request per request it sends in an `amount` run, so this
      // never wraps; if it ever did, the verification would catch the repeated item.
      const index = next++ % items.length;
      (context as Context).item = items[index];
      return { ...request, ...build(items[index], index) };
    },
    onResponse: onResponse
      ? (status, body, context) => {
          const item = (context as Context).item;
          if (item !== undefined) onResponse(status, body, item);
        }
      : undefined,
  };
}

export function jsonHeaders(token: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${token}` };
}
