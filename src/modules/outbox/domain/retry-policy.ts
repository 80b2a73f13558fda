export interface RetryPolicy {
  /** 0: no limit, retries go on until the event is delivered. */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": after the n-th failed attempt wait between half and
 * all of min(max, base * 2^(n-1)). Returns null when no attempt is left (the event is FAILED),
 * which only an operator's OUTBOX_MAX_ATTEMPTS makes happen.
 */
export function nextRetryDelayMs(
  failedAttempts: number,
  policy: RetryPolicy,
  random = Math.random(),
): number | null {
  if (policy.maxAttempts > 0 && failedAttempts >= policy.maxAttempts) return null;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
