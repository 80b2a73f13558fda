/** The work did not settle in time. The work itself goes on: a promise cannot be cancelled. */
export class DeadlineExceededError extends Error {}

/**
 * `work`'s outcome if it settles within `ms`; else a DeadlineExceededError saying `what`.
 *
 * The deadline is checked after the event loop's next poll for I/O (setImmediate from the
 * timer): when the process itself was busy past the deadline, an answer already waiting in a
 * socket is read first and still counts. The bound is on the peer's silence, not on our lag.
 */
export function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => setImmediate(() => reject(new DeadlineExceededError(`${what} within ${ms} ms`))),
      ms,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
