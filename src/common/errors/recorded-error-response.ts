/**
 * An error answer recorded earlier (an Idempotency-Key's first response), sent again exactly as
 * it was first sent: same status, same body, timestamp included.
 */
export class RecordedErrorResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`recorded ${status} answer`);
  }
}
