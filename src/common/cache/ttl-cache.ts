/**
 * A small in-process cache with a time-to-live and a size bound (oldest entries go first).
 * For answers that may be a moment old and are read far more often than they change.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  /** Loads in progress: concurrent misses of one key share a single load. */
  private readonly loading = new Map<string, Promise<T>>();
  /** Bumped by `clear`: a load that began before it may have read what the clear is about. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
    /** Told of each lookup: `true` for an answer kept in the cache (for the hit-rate metric). */
    private readonly onLookup: (hit: boolean) => void = () => undefined,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** `ttlMs` overrides the cache's TTL for the value this call loads. */
  async getOrLoad(key: string, load: () => Promise<T>, ttlMs = this.ttlMs): Promise<T> {
    if (!this.enabled) return load();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) {
      this.onLookup(true);
      return hit.value;
    }
    this.onLookup(false);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const loaded = load()
      .then((value) => {
        if (generation === this.generation) this.store(key, value, ttlMs);
        return value;
      })
      .finally(() => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
      });
    this.loading.set(key, loaded);
    return loaded;
  }

  private store(key: string, value: T, ttlMs: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries)
      this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  /**
   * Forgets every entry. A load already in progress still answers the callers that were
   * waiting for it, but is not kept, and later callers start a load of their own: what it read
   * may predate the change the clear is for.
   */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.loading.clear();
  }
}
