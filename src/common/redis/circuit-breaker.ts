/** Thrown by `CircuitBreaker.run` while the circuit is open: the work was not attempted. */
export class CircuitOpenError extends Error {
  constructor() {
    super('circuit open: not attempted');
  }
}

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit... */
  failureThreshold: number;
  /**
   * ...once they span at least this long (ms): calls fail together when the dependency
   * hiccups once (every call in flight at that moment), which is not an outage.
   */
  failingForMs: number;
  /** While open, how long between two probes (ms). */
  probeIntervalMs: number;
  /** Resolves once the dependency answers again; runs in the background, never for a caller. */
  probe: () => Promise<unknown>;
  /** Called once per outage, with the failure that opened the circuit. */
  onOpen?: (cause: unknown) => void;
  /** Called once per outage, when a probe succeeded and calls go through again. */
  onClose?: () => void;
}

/**
 * Stops calling a dependency that keeps failing. Closed, every call goes through; after
 * `failureThreshold` failures in a row spanning `failingForMs` (no success in between) it
 * opens: calls fail at once with `CircuitOpenError` (the caller uses its fallback) while a
 * background probe runs every `probeIntervalMs`. The first probe that succeeds closes it
 * again. No caller ever waits for a probe.
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private failingSince = 0;
  private open = false;
  private stopped = false;
  private probeTimer?: NodeJS.Timeout;

  constructor(private readonly options: CircuitBreakerOptions) {}

  get isOpen(): boolean {
    return this.open;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.open) throw new CircuitOpenError();
    try {
      const result = await work();
      this.consecutiveFailures = 0;
      return result;
    } catch (error) {
      this.recordFailure(error);
      throw error;
    }
  }

  /** Opens the circuit now, say for a dependency found unreachable at start-up. */
  trip(cause: unknown): void {
    if (this.open || this.stopped) return;
    this.open = true;
    this.options.onOpen?.(cause);
    this.scheduleProbe();
  }

  /** No more probes (shutdown); calls keep failing fast if it was open. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
  }

  private recordFailure(error: unknown): void {
    const now = Date.now();
    if (this.consecutiveFailures++ === 0) this.failingSince = now;
    if (
      this.consecutiveFailures >= this.options.failureThreshold &&
      now - this.failingSince >= this.options.failingForMs
    )
      this.trip(error);
  }

  private scheduleProbe(): void {
    this.probeTimer = setTimeout(() => void this.probeOnce(), this.options.probeIntervalMs);
    this.probeTimer.unref();
  }

  private async probeOnce(): Promise<void> {
    try {
      await this.options.probe();
    } catch {
      if (!this.stopped) this.scheduleProbe();
      return;
    }
    if (this.stopped) return;
    this.open = false;
    this.consecutiveFailures = 0;
    this.options.onClose?.();
  }
}
