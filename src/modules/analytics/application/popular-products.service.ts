import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { TtlCache } from '../../../common/cache/ttl-cache';
import { ResponseCache } from '../../../common/http/response-cache';
import { Clock } from '../../../common/clock/clock';
import { DAY_MS } from '../../../common/clock/durations';
import { Metrics } from '../../../common/metrics/metrics';
import { SharedRedis } from '../../../common/redis/shared-redis';
import { AppConfig } from '../../../config/app-config';
import { ProductService } from '../../product';
import { SalesRepository } from '../domain/sales.repository';

export interface PopularProduct {
  rank: number;
  productId: number;
  name: string;
  price: number;
  soldQuantity: number;
}

/** A ranking and when it was computed (it may be served from a cache since). */
export interface PopularRanking {
  products: PopularProduct[];
  /** Epoch ms: kept as a number so that it survives the shared cache's JSON. */
  computedAt: number;
  /** Epoch ms until which this process may serve the answer again as it is. */
  reusableUntil: number;
}

/** The response cache's tag of the popular answers. */
export const POPULAR_RANKINGS = 'popular-rankings';

const LOCAL_LAYER_MAX_MS = 1_000;

/**
 * Top sellers of the last `days` UTC calendar days (today included), from the per-day sales
 * aggregate. Answers are cached for POPULAR_CACHE_TTL_SECONDS in the shared cache
 * (`@nestjs/cache-manager`: Redis with REDIS_URL, memory otherwise; keys `popular:...`) behind
 * a 1 s in-process layer. While a configured Redis is down they are kept in-process for the
 * whole TTL instead, so an outage costs freshness across processes, not load on the database.
 */
@Injectable()
export class PopularProductsService {
  private readonly ttlMs: number;
  private readonly localLayerMs: number;
  private readonly local: TtlCache<Omit<PopularRanking, 'reusableUntil'>>;
  /**
   * Deployments sharing one Redis must not share answers: keys carry the database name. The
   * version changes with the stored format (v3: Keyv's entry), so that during a rolling upgrade
   * old and new processes never read each other's entries.
   */
  private readonly keyPrefix: string;
  private readonly redisConfigured: boolean;
  /** `cache_lookups_total{cache="popular_shared"}`: the shared cache behind the local layer. */
  private readonly sharedLookup: (hit: boolean) => void;

  constructor(
    private readonly sales: SalesRepository,
    private readonly products: ProductService,
    private readonly clock: Clock,
    @Inject(CACHE_MANAGER) private readonly shared: Cache,
    private readonly redis: SharedRedis,
    config: AppConfig,
    responses: ResponseCache,
    metrics: Metrics,
  ) {
    this.ttlMs = config.popularCacheTtlSeconds * 1000;
    this.localLayerMs = Math.min(this.ttlMs, LOCAL_LAYER_MAX_MS);
    this.local = new TtlCache(this.ttlMs, 1_000, Date.now, metrics.cacheLookup('popular'));
    this.sharedLookup = metrics.cacheLookup('popular_shared');
    this.keyPrefix = `v3:${config.db.name}`;
    this.redisConfigured = config.redisUrl !== null;
    // Answers kept for the whole TTL during an outage give way to the shared ones at once.
    redis.onRecovery(() => {
      this.local.clear();
      responses.invalidate(POPULAR_RANKINGS);
    });
  }

  async top(days: number, limit: number): Promise<PopularRanking> {
    const ranking = await this.cached(days, limit);
    // As long as this process would answer from its own layer: the whole TTL without Redis,
    // the short layer in front of a shared one; never past the TTL from when it was computed.
    const reuseMs = this.redisConfigured && this.redis.available ? this.localLayerMs : this.ttlMs;
    return {
      ...ranking,
      reusableUntil: Math.min(Date.now() + reuseMs, ranking.computedAt + this.ttlMs),
    };
  }

  private cached(days: number, limit: number): Promise<Omit<PopularRanking, 'reusableUntil'>> {
    if (this.ttlMs === 0) return this.compute(days, limit);
    const key = `${this.keyPrefix}:${days}:${limit}`;
    if (this.redisConfigured && !this.redis.available) {
      return this.local.getOrLoad(key, () => this.compute(days, limit));
    }
    // A short in-process layer in front of the shared cache: hot reads skip the Redis round
    // trip and its JSON parsing, and concurrent misses share one load.
    return this.local.getOrLoad(
      key,
      () => this.fromSharedCache(key, days, limit),
      this.localLayerMs,
    );
  }

  private async fromSharedCache(
    key: string,
    days: number,
    limit: number,
  ): Promise<Omit<PopularRanking, 'reusableUntil'>> {
    // A failed read is a miss and a failed write is skipped (cache-manager and Keyv never
    // throw for the store; the breaker in SharedRedis has seen the failure).
    const cached = await this.shared.get<Omit<PopularRanking, 'reusableUntil'>>(key);
    this.sharedLookup(Boolean(cached));
    if (cached) return cached;
    const fresh = await this.compute(days, limit);
    await this.shared.set(key, fresh, this.ttlMs);
    return fresh;
  }

  private async compute(
    days: number,
    limit: number,
  ): Promise<Omit<PopularRanking, 'reusableUntil'>> {
    const now = this.clock.now();
    const fromDate = new Date(now.getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    const sellers = await this.sales.topSellers(fromDate, limit);
    const products = new Map(
      (
        await this.products.findMany(
          sellers.map((s) => s.productId),
          'may-lag',
        )
      ).map((p) => [p.id, p]),
    );
    const ranked = sellers
      .filter((seller) => products.has(seller.productId))
      .map((seller, index) => {
        const product = products.get(seller.productId)!;
        return {
          rank: index + 1,
          productId: product.id,
          name: product.name,
          price: product.price,
          soldQuantity: seller.soldQuantity,
        };
      });
    return { products: ranked, computedAt: now.getTime() };
  }
}
