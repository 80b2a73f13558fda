import { PlatformEvent } from './outbox-event';

/** The outside data platform. `send` resolves once the platform accepted the event (2xx). */
export abstract class DataPlatformClient {
  /** Which transport this is, for the delivery metrics. */
  abstract readonly transport: 'http' | 'nats' | 'log';
  abstract send(event: PlatformEvent): Promise<void>;
}

export class DeliveryFailedError extends Error {}
