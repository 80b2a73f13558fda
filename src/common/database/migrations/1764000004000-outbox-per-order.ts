import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay sends an event only when no earlier event of the same order is undelivered; this
 * index answers that check (by aggregate, in id order) without scanning the outbox.
 */
export class OutboxPerOrder1764000004000 implements MigrationInterface {
  name = 'OutboxPerOrder1764000004000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE outbox_events ADD KEY idx_outbox_aggregate (aggregate_id, id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE outbox_events DROP KEY idx_outbox_aggregate');
  }
}
