import { DataPlatformClient, DeliveryFailedError } from '../domain/data-platform.client';
import { PlatformEvent } from '../domain/outbox-event';

/** POSTs events to DATA_PLATFORM_URL with `Idempotency-Key: <eventId>` and a timeout. */
export class HttpDataPlatformClient extends DataPlatformClient {
  readonly transport = 'http';
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  async send(event: PlatformEvent): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': event.eventId },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new DeliveryFailedError(`data platform unreachable: ${(error as Error).message}`);
    }
    await response.body?.cancel();
    if (!response.ok) throw new DeliveryFailedError(`data platform answered ${response.status}`);
  }
}
