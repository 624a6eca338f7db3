// A local SMTP server for `npm start` when no SMTP_URL is given: reminder e-mails are received
// for real over SMTP and kept as .eml files in <DATA_DIR>/mail, one per Message-ID (a message
// re-sent after a crash overwrites its own file). Usage: node infra/scripts/mail-sink.mjs <port> <dir>
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const port = Number(process.argv[2] ?? 2525);
const dir = process.argv[3] ?? '.data/mail';
mkdirSync(dir, { recursive: true });

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      const id = /^message-id:\s*<([^>]+)>/im.exec(raw.toString('utf8'))?.[1] ?? `${Date.now()}`;
      const file = path.join(dir, `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
      writeFileSync(file, raw);
      const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
      console.log(`received a reminder for ${to}: ${file}`);
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => console.log(`SMTP sink on smtp://127.0.0.1:${port}, messages in ${dir}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
