import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { ProcessCaches } from '../cache/process-caches';
import { Metrics } from '../metrics/metrics';

/** What a route says about an answer it allows this process to serve again as it is. */
export interface Reusable {
  /** Which data it shows, for `invalidate` (`product-list`, `popular`). */
  tag: string;
  /** When the data it shows was read (Age counts from there). */
  readAt: number;
  /** The last moment it may be served again (its route's freshness bound). */
  until: number;
}

export interface CachedResponse extends Reusable {
  body: string;
  etag: string;
  cacheControl: string;
}

const MAX_ENTRIES = 2_000;
const reusable = new WeakMap<FastifyRequest, Reusable>();

/**
 * The serialized answers of the public catalogue reads (a product page, the popular ranking),
 * served again from a Fastify hook before Nest's guards, pipes, controller and serializer run:
 * a hit costs little more than Fastify's routing (and the rate limit, which still counts it).
 *
 * An answer is kept only as long as its route's own freshness bound allows (`until`, from the
 * data's read time), and a tag's answers are dropped as soon as the data changes in this
 * process (`invalidate`: a stock change clears the product pages, as it clears the page cache).
 * Keyed by the full URL: an invalid query never produced a 200, so it is never a hit.
 */
@Injectable()
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  /**
   * `cache_lookups_total{cache="http_response"}`: a hit is an answer served from here, a miss a
   * reusable answer its route had to build (a GET of a route that never allows reuse is neither).
   */
  private readonly counted: (hit: boolean) => void;

  constructor(caches: ProcessCaches, metrics: Metrics) {
    caches.register(() => this.clear());
    this.counted = metrics.cacheLookup('http_response');
  }

  /** Marks this request's answer reusable (read by the onSend hook that stores it). */
  static allowReuse(request: FastifyRequest, reuse: Reusable): void {
    if (reuse.until > Date.now()) reusable.set(request, reuse);
  }

  static reuseOf(request: FastifyRequest): Reusable | undefined {
    return reusable.get(request);
  }

  lookup(url: string, now = Date.now()): CachedResponse | null {
    const entry = this.entries.get(url);
    if (!entry) return null;
    if (entry.until <= now) {
      this.entries.delete(url);
      return null;
    }
    this.counted(true);
    return entry;
  }

  store(url: string, entry: CachedResponse): void {
    this.counted(false);
    this.entries.delete(url);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(url, entry);
  }

  /** Drops every answer showing `tag`'s data. */
  invalidate(tag: string): void {
    for (const [url, entry] of this.entries) if (entry.tag === tag) this.entries.delete(url);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The strong tag of a body: a hash of its bytes, so two processes tag one answer alike. */
export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** Sends a kept answer: its headers (Age counted from its read time) and body, or a 304. */
export function replyFromCache(
  request: FastifyRequest,
  reply: FastifyReply,
  entry: CachedResponse,
  now = Date.now(),
): FastifyReply {
  void reply
    .header('cache-control', entry.cacheControl)
    .header('etag', entry.etag)
    .header('age', String(Math.max(1, Math.ceil((now - entry.readAt) / 1000))));
  if (matchesAny(request.headers['if-none-match'], entry.etag)) return reply.code(304).send();
  return reply.header('content-type', 'application/json; charset=utf-8').send(entry.body);
}

/** `If-None-Match` uses the weak comparison (RFC 9110 13.1.2): `W/` does not matter. */
export function matchesAny(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag.replace(/^W\//, '') === etag);
}
