/**
 * Reminders end to end: a campaign whose registration deadline has passed, a real SMTP server on
 * loopback receiving the reminder e-mails sent by the worker's dispatcher, the in-app inbox, the
 * officers' campaign status and the sector overview, a late registration, and the bulk start of a
 * year's campaigns from a file (progress, resumable, idempotent).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { demoEmail, SEED_CLUSTERS } from '@tdkt/persistence';
import { EmailDispatcher } from '../../apps/worker/src/mailer';
import { eventually } from '../support/eventually';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp';
import { ADMIN, startStack, type Stack } from '../support/stack';

jest.setTimeout(180_000);

const YEAR = 2036;
const CLUSTER = 'KV-TP-TW';
const ID = `${YEAR}:${CLUSTER}`;
const MEMBERS = ['STP-HN', 'STP-HCM', 'STP-HP', 'STP-DN'];
const ROOT = join(__dirname, '..', '..');

let stack: Stack;
let smtp: SmtpReceiver;
let dispatcher: EmailDispatcher;
let crashes = 0;

beforeAll(async () => {
  [stack, smtp] = await Promise.all([startStack(), startSmtpReceiver()]);
  dispatcher = new EmailDispatcher({
    dataSource: stack.db.dataSource,
    smtpUrl: smtp.url,
    intervalMs: 200,
    // The worker "crashes" once after the SMTP server accepted a message and before it was marked
    // sent: the message goes out again, with the same Message-ID.
    afterSend: () => {
      if (crashes === 0) {
        crashes += 1;
        throw new Error('simulated crash between sending and recording');
      }
    },
  });
  dispatcher.start();
});
afterAll(async () => {
  await dispatcher?.stop();
  await stack?.stop();
  await smtp?.stop();
});

const post = (username: string, path: string, body: object, headers: Record<string, string> = {}) => stack.post(username, path, body, headers);
const get = (username: string, path: string) => stack.get(username, path);

describe('reminders of a late registration', () => {
  it('e-mails each late unit’s officer once, in Vietnamese, through the real SMTP server', async () => {
    const started = await post(ADMIN.username, '/api/v1/campaigns', {
      clusterCode: CLUSTER,
      clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương',
      year: YEAR,
      memberUnitCodes: MEMBERS,
      headUnitCode: 'STP-HN',
      // The deadline passed an hour ago and nobody has registered.
      registrationDeadline: new Date(Date.now() - 3600_000).toISOString(),
    });
    expect(started.status).toBe(201);
    const officers = MEMBERS.map((u) => demoEmail(`canbo.${u.toLowerCase()}`)).sort();
    await eventually(async () => expect(smtp.mailbox().flatMap((m) => m.to).sort()).toEqual(officers), 30_000, 200);
    // Exactly one message per officer, though one was sent twice after the simulated crash.
    await eventually(async () => expect(smtp.received).toHaveLength(officers.length + 1), 10_000, 200);
    expect(crashes).toBe(1);
    expect(smtp.mailbox()).toHaveLength(officers.length);
    const mail = smtp.mailbox().find((m) => m.to.includes(demoEmail('canbo.stp-hp')))!;
    expect(mail.subject).toMatch(/^\[Nhắc việc lần \d\] Sở Tư pháp TP Hải Phòng/);
    expect(mail.text).toContain('chưa đăng ký thi đua cho Khu vực thi đua các thành phố trực thuộc Trung ương');
    expect(mail.text).toContain(`/campaigns/${ID}`);
    // The dispatcher marks a message SENT once the SMTP server has accepted it: a moment after it arrives.
    await eventually(async () => {
      const [outbox] = await stack.db.dataSource.query("SELECT count(*)::int AS n, count(*) FILTER (WHERE state = 'SENT')::int AS sent FROM email_outbox");
      expect(outbox).toEqual({ n: officers.length, sent: officers.length });
    }, 10_000, 100);
  });

  it('shows the reminder in the officer’s in-app inbox, and marks it read', async () => {
    const inbox = await get('canbo.stp-hcm', '/api/v1/me/notifications');
    expect(inbox.status).toBe(200);
    expect(inbox.body).toMatchObject({ total: 1, unread: 1 });
    expect(inbox.body.items[0]).toMatchObject({ kind: 'REGISTRATION', unitCode: 'STP-HCM', readAt: null });
    expect(inbox.body.items[0].subject).toContain('Sở Tư pháp TP Hồ Chí Minh');
    const read = await stack.http
      .post(`/api/v1/me/notifications/${inbox.body.items[0].id}/read`)
      .set('Authorization', `Bearer ${await stack.token('canbo.stp-hcm')}`);
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await get('canbo.stp-hcm', '/api/v1/me/notifications?unread=true')).body).toMatchObject({ total: 0, unread: 0 });
    // Another user's notification is not found.
    expect((await stack.http.post(`/api/v1/me/notifications/${inbox.body.items[0].id}/read`).set('Authorization', `Bearer ${await stack.token('canbo.stp-hn')}`)).status).toBe(404);
    expect((await get('canbo.stp-hn', '/api/v1/me/notifications?unread=maybe')).status).toBe(400);
  });

  it('tells officers who is late, by how many working days, with how many reminders; and the sector overview', async () => {
    const campaign = await get('cumtruong.stp-hn', `/api/v1/campaigns/${ID}`);
    expect(campaign.status).toBe(200);
    expect(campaign.body.status).toMatchObject({ registered: 0, late: 4 });
    expect(campaign.body.status.members.find((m: { unitCode: string }) => m.unitCode === 'STP-DN')).toMatchObject({
      registeredAt: null,
      remindersSent: 1,
      late: { kind: 'REGISTRATION', deadline: campaign.body.registrationDeadline, workingDaysLate: expect.any(Number) },
    });
    const overview = await get('vutdkt', `/api/v1/campaigns/overview?year=${YEAR}`);
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({ year: YEAR, campaigns: 1, lateUnits: 4, byKind: { REGISTRATION: 4, SELF_ASSESSMENT: 0 } });
    expect(overview.body.items[0]).toMatchObject({ campaignId: ID, kind: 'REGISTRATION', remindersSent: 1 });
    expect((await get('canbo.stp-hn', `/api/v1/campaigns/overview?year=${YEAR}`)).status).toBe(403);
  });

  it('accepts a late registration (đăng ký muộn) until the vote opens', async () => {
    const late = await post('canbo.stp-dn', `/api/v1/campaigns/${ID}/registrations`, { unitCode: 'STP-DN', targetTitles: ['MINISTRY_FLAG'] });
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ unitCode: 'STP-DN', registeredLate: true, remindersSent: 1 });
    await eventually(async () => {
      const n = await get('canbo.stp-dn', `/api/v1/nominations/${ID}:STP-DN`);
      expect(n.body.titles).toEqual({ MINISTRY_FLAG: 'REGISTERED' });
    });
    const campaign = (await get('cumtruong.stp-hn', `/api/v1/campaigns/${ID}`)).body;
    expect(campaign.status).toMatchObject({ registered: 1, late: 3 });
    // The read model keeps the mark (đăng ký muộn), not only the update's answer.
    expect(campaign.members.find((m: { unitCode: string }) => m.unitCode === 'STP-DN')).toMatchObject({ registeredLate: true });
  });
});

describe('bulk start of a year’s campaigns from a file', () => {
  it('shows progress, resumes after an interruption, and starts nothing twice', async () => {
    const server = await stack.app.listen(0, '127.0.0.1');
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    const file = join(mkdtempSync(join(tmpdir(), 'tdkt-bulk-')), 'clusters.json');
    writeFileSync(file, JSON.stringify({ clusters: SEED_CLUSTERS }));
    const run = async (...extra: string[]) => {
      const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'infra/scripts/bulk-campaigns.mjs'), '--file', file, '--year', '2037', '--api', api, ...extra], {
        env: { ...process.env, ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password },
      }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
      });
      return stdout;
    };
    const interrupted = await run('--stop-after', '1');
    expect(interrupted).toContain('[bulk] [1/3] campaign 2037:KV-TP-TW started');
    expect(interrupted).toContain('[bulk] done: 1 started, 0 already running, 0 failed');
    const resumed = await run();
    expect(resumed).toContain('[bulk] [1/3] campaign 2037:KV-TP-TW already running');
    expect(resumed).toContain('[bulk] [3/3] campaign 2037:CUM-III-BTP started');
    expect(resumed).toContain('[bulk] done: 2 started, 1 already running, 0 failed');
    const again = await run();
    expect(again).toContain('[bulk] done: 0 started, 3 already running, 0 failed');
    const list = await get('vutdkt', '/api/v1/campaigns?year=2037');
    expect(list.body.items.map((c: { id: string; headUnitCode: string }) => [c.id, c.headUnitCode])).toEqual([
      ['2037:CUM-III-BTP', 'CCN'],
      ['2037:KV-MNBG-PB', 'STP-LCA'],
      ['2037:KV-TP-TW', 'STP-HCM'],
    ]);
  });
});

describe('a campaign’s own reminder time (giờ gửi nhắc việc)', () => {
  const body = (reminderTime: unknown) => ({
    clusterCode: 'KV-TP-TW',
    clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương',
    year: 2038,
    memberUnitCodes: MEMBERS,
    headUnitCode: 'STP-HN',
    registrationDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    reminderTime,
  });

  it('refuses a time that is not HH:MM, naming the field', async () => {
    for (const bad of ['8:30', '24:00', '14:60', '14h30', 1430]) {
      const res = await post(ADMIN.username, '/api/v1/campaigns', body(bad));
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      expect(res.body.message).toContain('reminderTime must be HH:MM, 24-hour Vietnam time (00:00 to 23:59)');
    }
    expect((await get('vutdkt', '/api/v1/campaigns?year=2038')).body.total).toBe(0);
  });

  it('shows the campaign’s time to its officers, and the rule set’s where it set none', async () => {
    expect((await post(ADMIN.username, '/api/v1/campaigns', body('14:30'))).status).toBe(201);
    expect((await get('cumtruong.stp-hn', '/api/v1/campaigns/2038:KV-TP-TW')).body).toMatchObject({ reminderTime: '14:30' });
    expect((await get('cumtruong.stp-hn', `/api/v1/campaigns/${ID}`)).body).toMatchObject({ reminderTime: '08:00' });
  });
});
