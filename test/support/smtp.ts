/**
 * A real SMTP server on loopback for tests (the `smtp-server` package): every message accepted
 * is parsed and kept. `mailbox()` collapses messages by Message-ID, as a mail store does.
 */
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
}

export interface SmtpReceiver {
  url: string;
  /** Every SMTP transaction, in order. */
  received: ReceivedMail[];
  /** Messages by Message-ID (a re-sent message counts once). */
  mailbox(): ReceivedMail[];
  stop(): Promise<void>;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
          received.push({ messageId: mail.messageId ?? '', to, subject: mail.subject ?? '', text: mail.text ?? '' });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    mailbox: () => [...new Map(received.map((m) => [m.messageId, m])).values()],
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
