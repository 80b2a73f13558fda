import { nextRetryDelayMs } from './retry-policy';

const policy = { maxAttempts: 5, baseMs: 1_000, maxMs: 6_000 };

describe('nextRetryDelayMs', () => {
  it('doubles the ceiling each attempt, up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => nextRetryDelayMs(n, policy, 1))).toEqual([
      1_000, 2_000, 4_000, 6_000,
    ]);
  });

  it('waits at least half the ceiling (jitter never collapses to zero)', () => {
    expect([1, 2, 3, 4].map((n) => nextRetryDelayMs(n, policy, 0))).toEqual([
      500, 1_000, 2_000, 3_000,
    ]);
  });

  it('never gives up without a limit (maxAttempts 0), the wait staying at the cap', () => {
    const unlimited = { ...policy, maxAttempts: 0 };
    expect(nextRetryDelayMs(10_000, unlimited, 1)).toBe(6_000);
    expect(nextRetryDelayMs(1, unlimited, 1)).toBe(1_000);
  });

  it('gives up after the last attempt when a limit is set', () => {
    expect(nextRetryDelayMs(5, policy, 0.5)).toBeNull();
    expect(nextRetryDelayMs(4, policy, 0.5)).not.toBeNull();
  });
});
