import { Injectable, Logger } from '@nestjs/common';
import { DataPlatformClient } from '../domain/data-platform.client';
import { PlatformEvent } from '../domain/outbox-event';

/** Used when DATA_PLATFORM_URL is unset: events are "delivered" to the log. */
@Injectable()
export class LogDataPlatformClient extends DataPlatformClient {
  readonly transport = 'log';
  private readonly logger = new Logger('DataPlatform');

  async send(event: PlatformEvent): Promise<void> {
    this.logger.log({ msg: 'data platform event', event });
  }
}
