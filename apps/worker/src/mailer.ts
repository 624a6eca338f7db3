/**
 * The e-mail dispatcher: sends the reminder e-mails of the outbox (written with their audit
 * event, in the same transaction) through SMTP, then marks them sent. A row is claimed before it
 * is sent; a claim left by a crashed worker is taken over after `reclaimAfterMs`. Each e-mail has
 * a fixed Message-ID derived from its event and recipient, so a message re-sent after a crash
 * between the SMTP "250 OK" and the mark is the same message, which receivers (and our inbox)
 * collapse by Message-ID. See docs/decisions/0007-reminders-exactly-once.md.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { updateReturning } from '@tdkt/persistence';

export interface MailerOptions {
  dataSource: DataSource;
  /** smtp://host:port (no auth) or smtps://user:pass@host:port */
  smtpUrl: string;
  from?: string;
  intervalMs?: number;
  batchSize?: number;
  reclaimAfterMs?: number;
  /** Test hook: called after a message was accepted by the SMTP server, before it is marked sent. */
  afterSend?: (outboxId: number) => void | Promise<void>;
  log?: (line: string) => void;
}

interface OutboxRow {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  message_id: string;
}

export class EmailDispatcher {
  private readonly transport: Transporter;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly o: MailerOptions) {
    this.transport = nodemailer.createTransport(o.smtpUrl, { ignoreTLS: o.smtpUrl.startsWith('smtp://') });
  }

  /** Sends what is pending now; returns how many were sent. */
  async sweep(): Promise<number> {
    const reclaimSeconds = Math.ceil((this.o.reclaimAfterMs ?? 60_000) / 1000);
    const rows = await updateReturning<OutboxRow>(
      this.o.dataSource,
      `UPDATE email_outbox SET state = 'SENDING', attempts = attempts + 1, claimed_at = now()
        WHERE id IN (SELECT id FROM email_outbox
                      WHERE state = 'PENDING' OR (state = 'SENDING' AND claimed_at < now() - make_interval(secs => $1))
                      ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id, recipient, subject, body, message_id`,
      [reclaimSeconds, this.o.batchSize ?? 50],
    );
    let sent = 0;
    for (const row of rows.sort((a, b) => Number(a.id) - Number(b.id))) {
      try {
        await this.transport.sendMail({
          from: this.o.from ?? 'tdkt-flow <nhac-viec@tdkt-flow.local>',
          to: row.recipient,
          subject: row.subject,
          text: row.body,
          messageId: row.message_id,
          headers: { 'X-Tdkt-Outbox-Id': row.id },
        });
        await this.o.afterSend?.(Number(row.id));
        await this.o.dataSource.query("UPDATE email_outbox SET state = 'SENT', sent_at = now(), last_error = NULL WHERE id = $1", [row.id]);
        sent += 1;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // Back to PENDING: the next sweep tries again (same Message-ID).
        await this.o.dataSource
          .query("UPDATE email_outbox SET state = 'PENDING', last_error = $2 WHERE id = $1 AND state = 'SENDING'", [row.id, message])
          .catch(() => undefined);
        this.o.log?.(`[mailer] sending outbox ${row.id} failed: ${message}`);
        if (this.stopped) break;
      }
    }
    return sent;
  }

  start(): void {
    const tick = () => {
      this.running = this.sweep().catch((err) => {
        this.o.log?.(`[mailer] sweep failed: ${err instanceof Error ? err.message : err}`);
        return 0;
      });
      void this.running.finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.o.intervalMs ?? 2_000);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.transport.close();
  }
}
