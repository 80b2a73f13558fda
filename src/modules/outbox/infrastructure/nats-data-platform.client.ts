import { Logger, OnModuleDestroy } from '@nestjs/common';
import { connect, JetStreamClient, NatsConnection, StringCodec } from 'nats';
import { DataPlatformClient, DeliveryFailedError } from '../domain/data-platform.client';
import { PlatformEvent } from '../domain/outbox-event';

export interface NatsPlatformOptions {
  servers: string[];
  /** Events go to `<subjectPrefix>.<type>`. */
  subjectPrefix: string;
  /** Created with subjects `<subjectPrefix>.>` when missing. */
  stream: string;
  timeoutMs: number;
}

const codec = StringCodec();

/**
 * Publishes events to NATS JetStream with `Nats-Msg-Id: <eventId>`: the stream's duplicate
 * window absorbs a redelivery after a crash between publish and acknowledgement. JetStream's
 * publish acknowledgement (the message is stored) is the delivery.
 *
 * The connection is opened on the first send and kept; the client reconnects by itself. While
 * NATS is down a send fails after `timeoutMs` and the relay retries later; a failed first
 * connection is tried again on the next send.
 */
export class NatsDataPlatformClient extends DataPlatformClient implements OnModuleDestroy {
  readonly transport = 'nats';
  private readonly logger = new Logger('DataPlatform');
  private connection: Promise<{ nc: NatsConnection; js: JetStreamClient }> | null = null;

  constructor(private readonly options: NatsPlatformOptions) {
    super();
  }

  async send(event: PlatformEvent): Promise<void> {
    const { js } = await this.connected();
    try {
      await js.publish(
        `${this.options.subjectPrefix}.${event.type}`,
        codec.encode(JSON.stringify(event)),
        {
          msgID: event.eventId,
          timeout: this.options.timeoutMs,
        },
      );
    } catch (error) {
      throw new DeliveryFailedError(`JetStream publish failed: ${(error as Error).message}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    const connection = await this.connection?.catch(() => null);
    await connection?.nc.drain().catch(() => undefined);
  }

  private connected(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    this.connection ??= this.open().catch((error: Error) => {
      this.connection = null;
      throw new DeliveryFailedError(`NATS unreachable: ${error.message}`);
    });
    return this.connection;
  }

  private async open(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    const { servers, stream, subjectPrefix, timeoutMs } = this.options;
    const nc = await connect({
      servers,
      name: 'ecommerce-api outbox relay',
      timeout: timeoutMs,
      reconnect: true,
      maxReconnectAttempts: -1,
    });
    try {
      const jsm = await nc.jetstreamManager({ timeout: timeoutMs });
      try {
        await jsm.streams.info(stream);
      } catch (error) {
        if (!/stream not found/i.test((error as Error).message)) throw error;
        await jsm.streams.add({ name: stream, subjects: [`${subjectPrefix}.>`] });
        this.logger.log(`created JetStream stream ${stream} for ${subjectPrefix}.>`);
      }
      return { nc, js: nc.jetstream({ timeout: timeoutMs }) };
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  }
}
