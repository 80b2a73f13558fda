export interface CoalescerOptions {
  /** How long the first request of a batch waits for others to join it. */
  maxWaitMs: number;
  /** A batch that reaches this size runs at once. */
  maxBatch: number;
}

/** The outcome of one request of a batch: its result, or the error that request gets. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<I, R> {
  item: I;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Gathers concurrent requests for one key (a coupon id) into batches, so one unit of work can
 * serve many of them: the first request of a batch waits at most `maxWaitMs` for others, a batch
 * runs at once when it is full, and one batch per key runs at a time (the next one gathers
 * meanwhile: under load, batches fill while the previous one holds its lock).
 *
 * `run` answers every item of the batch, in order; if it throws, `fallback` answers each item
 * on its own (a batch never half-succeeds silently).
 */
export class Coalescer<K, I, R> {
  private readonly queues = new Map<K, Waiting<I, R>[]>();
  private readonly running = new Set<K>();
  private readonly timers = new Map<K, NodeJS.Timeout>();

  constructor(
    private readonly options: CoalescerOptions,
    private readonly run: (key: K, items: I[]) => Promise<Settled<R>[]>,
    private readonly fallback: (key: K, item: I) => Promise<R>,
  ) {}

  submit(key: K, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let queue = this.queues.get(key);
      if (!queue) {
        queue = [];
        this.queues.set(key, queue);
      }
      queue.push({ item, resolve, reject });
      if (this.running.has(key)) return; // runs when the batch ahead of it is done
      if (queue.length >= this.options.maxBatch) this.flush(key);
      else if (!this.timers.has(key)) {
        this.timers.set(
          key,
          setTimeout(() => this.flush(key), this.options.maxWaitMs),
        );
      }
    });
  }

  private flush(key: K): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const queue = this.queues.get(key);
    if (!queue || queue.length === 0 || this.running.has(key)) return;
    const batch = queue.splice(0, this.options.maxBatch);
    if (queue.length === 0) this.queues.delete(key);
    this.running.add(key);
    void this.runBatch(key, batch).finally(() => {
      this.running.delete(key);
      // Whatever gathered while this batch ran goes next, without waiting any longer.
      if (this.queues.has(key)) this.flush(key);
    });
  }

  private async runBatch(key: K, batch: Waiting<I, R>[]): Promise<void> {
    let outcomes: Settled<R>[];
    try {
      outcomes = await this.run(
        key,
        batch.map((waiting) => waiting.item),
      );
      if (outcomes.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} got ${outcomes.length} outcomes`);
      }
    } catch {
      await Promise.all(
        batch.map((waiting) =>
          this.fallback(key, waiting.item).then(waiting.resolve, waiting.reject),
        ),
      );
      return;
    }
    outcomes.forEach((outcome, index) => {
      if (outcome.ok) batch[index].resolve(outcome.value);
      else batch[index].reject(outcome.error);
    });
  }
}
