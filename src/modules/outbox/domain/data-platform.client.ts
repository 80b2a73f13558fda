import { PlatformEvent } from './outbox-event';

/** The outside data platform. `send` resolves once the platform accepted the event (2xx). */
export abstract class DataPlatformClient {
  abstract send(event: PlatformEvent): Promise<void>;
}

export class DeliveryFailedError extends Error {}
