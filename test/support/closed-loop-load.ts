/** One request a load client sends: what to fetch, and the statuses that count as success. */
export interface LoadRequest {
  path: string;
  init?: RequestInit;
  ok: number[];
}

export interface LoadSample {
  /** ms since the load started, when the request was sent */
  at: number;
  ms: number;
  /** the HTTP status, or the error's message when no answer came */
  outcome: number | string;
  ok: boolean;
}

export interface PhaseFigures {
  requests: number;
  failed: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * `clients` loops, each sending its next request as soon as the last one was answered (closed
 * loop: a slow server shows as lower throughput and higher latency, never as a pile-up). Bounded
 * by `deadlineMs` and by each request's own timeout, so a hung server cannot hang the test.
 */
export class ClosedLoopLoad {
  readonly samples: LoadSample[] = [];
  private origin = 0;
  private stopped = false;
  private running?: Promise<void>;

  constructor(
    private readonly baseUrl: string,
    private readonly clients: number,
    private readonly next: (client: number, round: number) => LoadRequest,
    private readonly options: { requestTimeoutMs: number; deadlineMs: number },
  ) {}

  start(): this {
    this.origin = Date.now();
    const deadline = this.origin + this.options.deadlineMs;
    const client = async (id: number) => {
      for (let round = 0; !this.stopped && Date.now() < deadline; round++) {
        const request = this.next(id, round);
        const sent = Date.now();
        let outcome: number | string;
        try {
          const response = await fetch(`${this.baseUrl}${request.path}`, {
            ...request.init,
            signal: AbortSignal.timeout(this.options.requestTimeoutMs),
          });
          await response.arrayBuffer();
          outcome = response.status;
        } catch (error) {
          outcome = (error as Error).message;
        }
        this.samples.push({
          at: sent - this.origin,
          ms: Date.now() - sent,
          outcome,
          ok: typeof outcome === 'number' && request.ok.includes(outcome),
        });
      }
    };
    this.running = Promise.all(Array.from({ length: this.clients }, (_, id) => client(id))).then(
      () => undefined,
    );
    return this;
  }

  /** ms since start(), on the same clock as the samples. */
  now(): number {
    return Date.now() - this.origin;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Figures for the requests sent in [from, to) ms since start. */
  figures(from: number, to: number): PhaseFigures {
    const inPhase = this.samples.filter((s) => s.at >= from && s.at < to);
    const latencies = inPhase.map((s) => s.ms).sort((a, b) => a - b);
    const percentile = (p: number) =>
      latencies.length
        ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]
        : 0;
    return {
      requests: inPhase.length,
      failed: inPhase.filter((s) => !s.ok).length,
      perSecond: Math.round((inPhase.length * 1000) / Math.max(1, to - from)),
      p50Ms: percentile(0.5),
      p99Ms: percentile(0.99),
    };
  }

  /** Each failed outcome with its count, e.g. { "500": 2, "This operation was aborted": 1 }. */
  failures(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const s of this.samples.filter((sample) => !sample.ok))
      counts[String(s.outcome)] = (counts[String(s.outcome)] ?? 0) + 1;
    return counts;
  }
}
