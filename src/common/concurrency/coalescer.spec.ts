import { Coalescer, Settled } from './coalescer';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Coalescer', () => {
  it('serves requests that arrive within the wait in one batch, answering each in order', async () => {
    const batches: number[][] = [];
    const coalescer = new Coalescer<string, number, number>(
      { maxWaitMs: 20, maxBatch: 100 },
      async (_key, items) => {
        batches.push(items);
        return items.map((item) => ({ ok: true, value: item * 10 }));
      },
      async () => {
        throw new Error('no fallback expected');
      },
    );
    const answers = await Promise.all([1, 2, 3].map((n) => coalescer.submit('c1', n)));
    expect(answers).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('runs a full batch at once, one batch per key at a time, and the next without waiting', async () => {
    const running = new Map<string, number>();
    const overlaps: string[] = [];
    const log: string[] = [];
    const coalescer = new Coalescer<string, number, number>(
      { maxWaitMs: 1_000, maxBatch: 2 },
      async (key, items) => {
        running.set(key, (running.get(key) ?? 0) + 1);
        if (running.get(key)! > 1) overlaps.push(key);
        log.push(`${key}:${items.join(',')}`);
        await tick(5);
        running.set(key, running.get(key)! - 1);
        return items.map((item): Settled<number> => ({ ok: true, value: item }));
      },
      async () => {
        throw new Error('no fallback expected');
      },
    );
    const started = Date.now();
    await Promise.all([
      ...[1, 2, 3, 4].map((n) => coalescer.submit('a', n)),
      ...[5, 6].map((n) => coalescer.submit('b', n)),
    ]);
    expect(overlaps).toEqual([]);
    expect(log.filter((entry) => entry.startsWith('a:'))).toEqual(['a:1,2', 'a:3,4']);
    expect(log).toContain('b:5,6');
    expect(Date.now() - started).toBeLessThan(500); // full batches never waited for the timer
  });

  it('answers a request refused inside the batch with its own error, the others with their results', async () => {
    const coalescer = new Coalescer<string, number, number>(
      { maxWaitMs: 10, maxBatch: 10 },
      async (_key, items) =>
        items.map((item) =>
          item % 2 === 0
            ? { ok: false, error: new Error(`refused ${item}`) }
            : { ok: true, value: item },
        ),
      async () => 0,
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => coalescer.submit('k', n)));
    expect(
      outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message)),
    ).toEqual([1, 'refused 2', 3]);
  });

  it('falls back to one request at a time when the batch itself fails, never half-granted', async () => {
    const single: number[] = [];
    const coalescer = new Coalescer<string, number, number>(
      { maxWaitMs: 10, maxBatch: 10 },
      async () => {
        throw new Error('deadlock');
      },
      async (_key, item) => {
        single.push(item);
        if (item === 3) throw new Error('sold out');
        return item;
      },
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => coalescer.submit('k', n)));
    expect(single.sort()).toEqual([1, 2, 3]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });

  it('requests arriving while a batch runs form the next batch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const coalescer = new Coalescer<string, number, number>(
      { maxWaitMs: 5, maxBatch: 100 },
      async (_key, items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items.map((item) => ({ ok: true, value: item }));
      },
      async (_key, item) => item,
    );
    const first = coalescer.submit('k', 1);
    await tick(20); // the first batch is running, held by the gate
    const later = [2, 3, 4].map((n) => coalescer.submit('k', n));
    await tick(20);
    expect(batches).toEqual([[1]]);
    release();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });
});
