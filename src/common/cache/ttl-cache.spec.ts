import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 0));

  it('serves a loaded value until its TTL passes, then loads again', async () => {
    const cache = new TtlCache<number>(100, 10, now);
    let loads = 0;
    const load = async () => ++loads;

    expect(await cache.getOrLoad('k', load)).toBe(1);
    clock = 99;
    expect(await cache.getOrLoad('k', load)).toBe(1);
    clock = 100;
    expect(await cache.getOrLoad('k', load)).toBe(2);
  });

  it('keeps a value loaded with a TTL of its own for that TTL', async () => {
    const cache = new TtlCache<number>(100, 10, now);
    let loads = 0;
    const load = async () => ++loads;

    expect(await cache.getOrLoad('k', load, 1_000)).toBe(1);
    clock = 999;
    expect(await cache.getOrLoad('k', load)).toBe(1);
    clock = 1_000;
    expect(await cache.getOrLoad('k', load)).toBe(2);
  });

  it('with a TTL of 0 always loads', async () => {
    const cache = new TtlCache<number>(0, 10, now);
    let loads = 0;
    await cache.getOrLoad('k', async () => ++loads);
    await cache.getOrLoad('k', async () => ++loads);
    expect(loads).toBe(2);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const cache = new TtlCache<string>(1_000, 2, now);
    await cache.getOrLoad('a', async () => 'a1');
    await cache.getOrLoad('b', async () => 'b1');
    await cache.getOrLoad('c', async () => 'c1');

    expect(await cache.getOrLoad('b', async () => 'b2')).toBe('b1');
    expect(await cache.getOrLoad('a', async () => 'a2')).toBe('a2');
  });

  it('shares one load between concurrent misses of a key', async () => {
    const cache = new TtlCache<number>(1_000, 10, now);
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = async () => {
      loads++;
      await gate;
      return loads;
    };

    const answers = Promise.all([
      cache.getOrLoad('k', load),
      cache.getOrLoad('k', load),
      cache.getOrLoad('k', load),
    ]);
    release();

    expect(await answers).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load', async () => {
    const cache = new TtlCache<number>(1_000, 10, now);
    await expect(
      cache.getOrLoad('k', async () => Promise.reject(new Error('db down'))),
    ).rejects.toThrow('db down');
    expect(await cache.getOrLoad('k', async () => 7)).toBe(7);
  });

  it('forgets everything on clear', async () => {
    const cache = new TtlCache<string>(1_000, 2, now);
    await cache.getOrLoad('a', async () => 'a1');
    cache.clear();
    expect(await cache.getOrLoad('a', async () => 'a2')).toBe('a2');
  });

  it('does not keep, nor share, a load that began before a clear', async () => {
    const cache = new TtlCache<string>(1_000, 10, now);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const early = cache.getOrLoad('k', async () => {
      await gate;
      return 'read before the change';
    });
    cache.clear();
    const late = cache.getOrLoad('k', async () => 'read after the change');
    release();

    expect(await early).toBe('read before the change');
    expect(await late).toBe('read after the change');
    expect(await cache.getOrLoad('k', async () => 'loaded again')).toBe('read after the change');
  });

  it('tells each lookup whether the answer was kept', async () => {
    const lookups: boolean[] = [];
    const cache = new TtlCache<number>(1_000, 10, now, (hit) => lookups.push(hit));
    await cache.getOrLoad('a', async () => 1);
    await cache.getOrLoad('a', async () => 2);
    await cache.getOrLoad('b', async () => 3);
    expect(lookups).toEqual([false, true, false]);
  });
});
