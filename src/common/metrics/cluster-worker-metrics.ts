import { AggregatorRegistry, Registry } from 'prom-client';

/**
 * In a cluster worker (WEB_CONCURRENCY > 1): answer the primary's requests for this worker's
 * metrics with `registry`, the app's own (prom-client's default would be its global registry).
 */
export function answerPrimaryScrapes(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // its constructor installs the worker's IPC listener
}
