/** The outbox module's front door: all that other modules may use of it. */
export { OutboxModule } from './outbox.module';
export { OutboxService } from './application/outbox.service';
export { OutboxEventType, PlatformEvent, PlatformOrder } from './domain/outbox-event';
