import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders (nhắc việc): users get an e-mail address; the in-app inbox; and the e-mail outbox,
 * written in the same transaction as the reminder's audit event and sent afterwards by the
 * worker's dispatcher (one row per event and recipient: a retried activity adds nothing).
 */
export class Reminders1764100000000 implements MigrationInterface {
  name = 'Reminders1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN email text`);
    await q.query(`
      CREATE TABLE notification (
        id bigserial PRIMARY KEY,
        event_id text NOT NULL,
        username text NOT NULL REFERENCES app_user(username),
        unit_code text NOT NULL,
        kind text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        link text NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz,
        UNIQUE (event_id, username)
      )`);
    await q.query(`CREATE INDEX notification_inbox ON notification (username, created_at DESC)`);
    await q.query(`
      CREATE TABLE email_outbox (
        id bigserial PRIMARY KEY,
        event_id text NOT NULL,
        username text NOT NULL,
        recipient text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        message_id text NOT NULL UNIQUE,
        state text NOT NULL DEFAULT 'PENDING',
        attempts int NOT NULL DEFAULT 0,
        claimed_at timestamptz,
        sent_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (event_id, username)
      )`);
    await q.query(`CREATE INDEX email_outbox_pending ON email_outbox (state, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS email_outbox`);
    await q.query(`DROP TABLE IF EXISTS notification`);
    await q.query(`ALTER TABLE app_user DROP COLUMN IF EXISTS email`);
  }
}
