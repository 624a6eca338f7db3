/**
 * The officers' work tools over HTTP, on the real stack (Temporal dev server, worker, Postgres,
 * the API): claiming, assigning and handing over tasks (with a real claim race), due dates,
 * priorities, filters and sort of GET /me/tasks; comments kept in the audit chain; attachments
 * stored by SHA-256 and refused when the stored bytes were altered.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { eventually } from '../support/eventually';
import { ADMIN, DEMO_PASSWORD, startStack, type Stack } from '../support/stack';

jest.setTimeout(180_000);

const CLUSTER = 'KV-TP-TW';
const MEMBERS = ['STP-HN', 'STP-HCM'];
const DAY = 24 * 3600 * 1000;
/** A second officer of STP-HN, created by the test (the seed has one per unit). */
const OFFICER2 = 'canbo2.stp-hn';
const MAX_BYTES = 256 * 1024;

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const campaign = (year: number) => `${year}:${CLUSTER}`;
const registerKey = (year: number, unit = 'STP-HN') => `REGISTER|${campaign(year)}|${unit}`;

interface TaskView {
  key: string;
  action: string;
  subjectId: string;
  assignee: string | null;
  assignedBy: string | null;
  handoverNote: string | null;
  dueDate: string | null;
  followUpDate: string | null;
  priority: string;
  overdue: boolean;
  deadline: string | null;
}

/** A small but well-formed PDF (header, objects, cross-reference table, trailer). */
function pdf(text: string): Buffer {
  const content = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

let stack: Stack;
let attachmentDir: string;
const logLines: string[] = [];

async function startCampaign(year: number, deadlineInDays: number): Promise<void> {
  const res = await stack.post(ADMIN.username, '/api/v1/campaigns', {
    clusterCode: CLUSTER,
    clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương',
    year,
    memberUnitCodes: MEMBERS,
    headUnitCode: 'STP-HN',
    registrationDeadline: new Date(Date.now() + deadlineInDays * DAY).toISOString(),
  });
  if (res.status !== 201) throw new Error(`campaign ${year}: ${res.status} ${JSON.stringify(res.body)}`);
}

async function tasks(username: string, query = ''): Promise<TaskView[]> {
  const res = await stack.get(username, `/api/v1/me/tasks${query}`);
  if (res.status !== 200) throw new Error(`tasks of ${username}${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

async function upload(username: string, nominationId: string, bytes: Buffer, filename: string, contentType: string, headers: Record<string, string> = {}) {
  return stack.http
    .post(`/api/v1/nominations/${nominationId}/attachments`)
    .set('Authorization', `Bearer ${await stack.token(username)}`)
    .set(headers)
    .attach('file', bytes, { filename, contentType });
}

async function download(username: string, nominationId: string, attachmentId: string) {
  return stack.http
    .get(`/api/v1/nominations/${nominationId}/attachments/${attachmentId}`)
    .set('Authorization', `Bearer ${await stack.token(username)}`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

beforeAll(async () => {
  attachmentDir = mkdtempSync(path.join(tmpdir(), 'tdkt-attachments-'));
  const logDestination = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  stack = await startStack({ env: { ATTACHMENT_DIR: attachmentDir, ATTACHMENT_MAX_BYTES: String(MAX_BYTES) }, app: { logDestination } });
  const created = await stack.post(ADMIN.username, '/api/v1/users', {
    username: OFFICER2,
    password: DEMO_PASSWORD,
    fullName: 'Cán bộ thi đua 2 - Sở Tư pháp TP Hà Nội',
    roles: ['UNIT_OFFICER'],
    unitCode: 'STP-HN',
  });
  if (created.status !== 201) throw new Error(`user: ${created.status} ${JSON.stringify(created.body)}`);
  // 2041: the claim race; 2042-2044: filters and sort; 2041's nomination: comments and attachments.
  for (const [year, days] of [
    [2041, 40],
    [2042, 30],
    [2043, 20],
    [2044, 10],
  ]) {
    await startCampaign(year, days);
  }
});

afterAll(async () => {
  await stack?.stop();
  rmSync(attachmentDir, { recursive: true, force: true });
});

describe('tasks: claim, assign, hand over, release', () => {
  const key = registerKey(2041);

  it('every task has a stable key, no holder and NORMAL priority to begin with', async () => {
    const mine = await tasks('canbo.stp-hn');
    const task = mine.find((t) => t.key === key);
    expect(task).toMatchObject({ action: 'REGISTER', subjectId: campaign(2041), assignee: null, dueDate: null, followUpDate: null, priority: 'NORMAL', overdue: false });
    // The colleague of the same unit has the same task, under the same key; another unit's officer has its own.
    expect((await tasks(OFFICER2)).map((t) => t.key)).toContain(key);
    const other = (await tasks('canbo.stp-hcm')).map((t) => t.key);
    expect(other).toContain(registerKey(2041, 'STP-HCM'));
    expect(other).not.toContain(key);
  });

  it('two officers claim the same task at once: exactly one wins, the other gets 409', async () => {
    // One race per campaign task, so that a lucky ordering cannot make the test pass.
    for (const year of [2041, 2042, 2043]) {
      const k = registerKey(year);
      const [a, b] = await Promise.all([
        stack.post('canbo.stp-hn', '/api/v1/me/tasks/claim', { taskKey: k }),
        stack.post(OFFICER2, '/api/v1/me/tasks/claim', { taskKey: k }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const [winner, loser] = a.status === 200 ? ['canbo.stp-hn', b] : [OFFICER2, a];
      expect(loser.body.message).toBe(`task ${k} is already held by ${winner}`);
      expect((a.status === 200 ? a : b).body).toMatchObject({ key: k, assignee: winner, assignedBy: winner });
      // Both see the winner as the holder.
      for (const who of ['canbo.stp-hn', OFFICER2]) expect((await tasks(who)).find((t) => t.key === k)?.assignee).toBe(winner);
      if (year !== 2041) expect((await stack.post(winner, '/api/v1/me/tasks/release', { taskKey: k })).status).toBe(200);
    }
  });

  it('the holder hands the task over to a colleague with a note; others cannot', async () => {
    const holder = (await tasks('canbo.stp-hn')).find((t) => t.key === key)!.assignee!;
    const colleague = holder === OFFICER2 ? 'canbo.stp-hn' : OFFICER2;
    const note = 'Đã chuẩn bị hồ sơ đăng ký, nhờ anh/chị nộp giúp trước hạn';
    // Not the holder: 409.
    expect((await stack.post(colleague, '/api/v1/me/tasks/handover', { taskKey: key, username: holder, note })).status).toBe(409);
    // A note of only spaces, tabs and line breaks says nothing: 400 naming the field; one too long, too.
    for (const blank of ['   ', ' \t\n ', '']) {
      const refused = await stack.post(holder, '/api/v1/me/tasks/handover', { taskKey: key, username: colleague, note: blank });
      expect({ blank, status: refused.status, message: refused.body.message }).toEqual({ blank, status: 400, message: ['note must not be blank'] });
    }
    const tooLong = await stack.post(holder, '/api/v1/me/tasks/handover', { taskKey: key, username: colleague, note: 'x'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toEqual(['note must be shorter than or equal to 2000 characters']);
    // The note is kept trimmed.
    const handed = await stack.post(holder, '/api/v1/me/tasks/handover', { taskKey: key, username: colleague, note: `  ${note}\n` });
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ key, assignee: colleague, assignedBy: holder, handoverNote: note });
    expect((await tasks(colleague, '?assignee=me')).map((t) => t.key)).toContain(key);
    expect((await tasks(holder, '?assignee=others')).map((t) => t.key)).toContain(key);
    // A bad hand-over: no note, oneself.
    expect((await stack.post(colleague, '/api/v1/me/tasks/handover', { taskKey: key, username: holder })).status).toBe(400);
    expect((await stack.post(colleague, '/api/v1/me/tasks/handover', { taskKey: key, username: colleague, note })).status).toBe(400);
  });

  it('assigning to a user of another unit or role is refused, naming why', async () => {
    const holder = (await tasks('canbo.stp-hn')).find((t) => t.key === key)!.assignee!;
    const otherUnit = await stack.post(holder, '/api/v1/me/tasks/assign', { taskKey: key, username: 'canbo.stp-hcm' });
    expect(otherUnit.status).toBe(403);
    expect(otherUnit.body.message).toMatch(/user canbo\.stp-hcm \(UNIT_OFFICER of STP-HCM\) cannot take task REGISTER\|2041:KV-TP-TW\|STP-HN: it is not among their tasks/);
    const otherRole = await stack.post(holder, '/api/v1/me/tasks/handover', { taskKey: key, username: 'vutdkt', note: 'Nhờ Vụ xử lý' });
    expect(otherRole.status).toBe(403);
    const unknown = await stack.post(holder, '/api/v1/me/tasks/assign', { taskKey: key, username: 'nobody.here' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/^username: no active user/);
    // Another unit's officer cannot claim or plan STP-HN's task: not theirs (404).
    expect((await stack.post('canbo.stp-hcm', '/api/v1/me/tasks/claim', { taskKey: key })).status).toBe(404);
    expect((await stack.post('canbo.stp-hcm', '/api/v1/me/tasks/plan', { taskKey: key, priority: 'HIGH' })).status).toBe(404);
    expect((await stack.post('canbo.stp-hn', '/api/v1/me/tasks/claim', { taskKey: 'REVIEW|2041:KV-TP-TW:STP-HN|STP-HN' })).status).toBe(404);
    // Still held by the same officer.
    expect((await tasks('canbo.stp-hn')).find((t) => t.key === key)?.assignee).toBe(holder);
  });

  it("a task held by a colleague cannot be taken by assignment, but the unit's leader may reassign it", async () => {
    const holder = (await tasks('canbo.stp-hn')).find((t) => t.key === key)!.assignee!;
    const colleague = holder === OFFICER2 ? 'canbo.stp-hn' : OFFICER2;
    const taken = await stack.post(colleague, '/api/v1/me/tasks/assign', { taskKey: key, username: colleague });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(new RegExp(`is held by ${holder.replace('.', '\\.')}`));
    const reassigned = await stack.post('thutruong.stp-hn', '/api/v1/me/tasks/assign', { taskKey: key, username: colleague });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body).toMatchObject({ key, assignee: colleague, assignedBy: 'thutruong.stp-hn' });
    // Another unit's leader may not.
    expect((await stack.post('thutruong.stp-hcm', '/api/v1/me/tasks/assign', { taskKey: key, username: holder })).status).toBe(404);
  });

  it('release gives the task back; a claim with an Idempotency-Key replays its answer', async () => {
    const holder = (await tasks('canbo.stp-hn')).find((t) => t.key === key)!.assignee!;
    const released = await stack.post(holder, '/api/v1/me/tasks/release', { taskKey: key });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ key, assignee: null });
    expect((await stack.post(holder, '/api/v1/me/tasks/release', { taskKey: key })).status).toBe(409);
    const first = await stack.post('canbo.stp-hn', '/api/v1/me/tasks/claim', { taskKey: key }, { 'Idempotency-Key': 'claim-2041-1' });
    const again = await stack.post('canbo.stp-hn', '/api/v1/me/tasks/claim', { taskKey: key }, { 'Idempotency-Key': 'claim-2041-1' });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    // Without the key, a second claim is a conflict.
    expect((await stack.post('canbo.stp-hn', '/api/v1/me/tasks/claim', { taskKey: key })).body.message).toBe(`you already hold task ${key}`);
  });
});

describe('tasks: due dates, priorities, filters and sort', () => {
  const ours = [2042, 2043, 2044].map((y) => campaign(y));
  const only = (items: TaskView[]) => items.filter((t) => ours.includes(t.subjectId) && t.action === 'REGISTER').map((t) => t.subjectId);

  beforeAll(async () => {
    const plans = [
      // The latest registration deadline, but urgent.
      { taskKey: registerKey(2042), priority: 'URGENT', dueDate: '2099-03-01' },
      // A due date already past: late.
      { taskKey: registerKey(2043), priority: 'LOW', dueDate: '2020-01-01', followUpDate: '2099-01-10' },
      { taskKey: registerKey(2044), priority: 'HIGH', followUpDate: '2099-01-05' },
    ];
    for (const plan of plans) {
      const res = await stack.post('canbo.stp-hn', '/api/v1/me/tasks/plan', plan);
      if (res.status !== 200) throw new Error(`plan: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect((await stack.post(OFFICER2, '/api/v1/me/tasks/claim', { taskKey: registerKey(2044) })).status).toBe(200);
  });

  it('shows the plan on every task, to every officer who has it', async () => {
    const seen = (await tasks(OFFICER2)).filter((t) => ours.includes(t.subjectId));
    expect(seen.find((t) => t.subjectId === campaign(2042))).toMatchObject({ priority: 'URGENT', dueDate: '2099-03-01', followUpDate: null, overdue: false });
    expect(seen.find((t) => t.subjectId === campaign(2043))).toMatchObject({ priority: 'LOW', dueDate: '2020-01-01', followUpDate: '2099-01-10', overdue: true });
    expect(seen.find((t) => t.subjectId === campaign(2044))).toMatchObject({ priority: 'HIGH', dueDate: null, followUpDate: '2099-01-05', assignee: OFFICER2 });
  });

  it('orders late tasks first, then the soonest deadline, by default', async () => {
    // 2043 is late (due 2020); 2044's registration closes in 10 days, 2042's in 30.
    expect(only(await tasks('canbo.stp-hn'))).toEqual([campaign(2043), campaign(2044), campaign(2042)]);
  });

  it('sorts by deadline, priority and follow-up date, either way', async () => {
    expect(only(await tasks('canbo.stp-hn', '?sort=deadline'))).toEqual([campaign(2043), campaign(2044), campaign(2042)]);
    expect(only(await tasks('canbo.stp-hn', '?sort=deadline&order=desc'))).toEqual([campaign(2042), campaign(2044), campaign(2043)]);
    expect(only(await tasks('canbo.stp-hn', '?sort=priority'))).toEqual([campaign(2042), campaign(2044), campaign(2043)]);
    expect(only(await tasks('canbo.stp-hn', '?sort=priority&order=asc'))).toEqual([campaign(2043), campaign(2044), campaign(2042)]);
    // Without a follow-up date last, whichever the order.
    expect(only(await tasks('canbo.stp-hn', '?sort=followUp'))).toEqual([campaign(2044), campaign(2043), campaign(2042)]);
    expect(only(await tasks('canbo.stp-hn', '?sort=followUp&order=desc'))).toEqual([campaign(2043), campaign(2044), campaign(2042)]);
  });

  it('filters by action, holder, priority and lateness', async () => {
    expect(only(await tasks('canbo.stp-hn', '?overdue=true'))).toEqual([campaign(2043)]);
    expect(only(await tasks('canbo.stp-hn', '?overdue=false&sort=priority'))).toEqual([campaign(2042), campaign(2044)]);
    expect(only(await tasks('canbo.stp-hn', '?priority=HIGH'))).toEqual([campaign(2044)]);
    expect(only(await tasks('canbo.stp-hn', '?assignee=others'))).toEqual([campaign(2044)]);
    expect(only(await tasks(OFFICER2, '?assignee=me'))).toEqual([campaign(2044)]);
    expect(only(await tasks('canbo.stp-hn', '?assignee=unassigned&sort=deadline'))).toEqual([campaign(2043), campaign(2042)]);
    expect(only(await tasks('canbo.stp-hn', '?action=REGISTER&priority=URGENT'))).toEqual([campaign(2042)]);
    expect(await tasks('canbo.stp-hn', '?action=REVIEW')).toEqual([]);
  });

  it('refuses a bad filter or plan with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['?priority=SOMETIMES', /^priority must be one of LOW, NORMAL, HIGH, URGENT/],
      ['?sort=name', /^sort must be one of deadline, priority, followUp/],
      ['?order=up', /^order must be asc or desc/],
      ['?overdue=yes', /^overdue must be true or false/],
      ['?assignee=everyone', /^assignee must be one of me, unassigned, others/],
      ['?action=DANCE', /^action must be one of/],
      ['?colour=red', /colour should not exist/],
      ['?pageSize=501', /^pageSize must be a whole number from 1 to 500/],
      ['?pageSize=ten', /^pageSize must be a whole number from 1 to 500/],
      ['?page=0', /^page must be a whole number from 1/],
    ] as const) {
      const res = await stack.get('canbo.stp-hn', `/api/v1/me/tasks${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.message.join('\n')).toMatch(field);
    }
    const badDate = await stack.post('canbo.stp-hn', '/api/v1/me/tasks/plan', { taskKey: registerKey(2042), dueDate: '2026-02-30' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.message).toEqual(['dueDate must be a date YYYY-MM-DD (or null to clear it)']);
    expect((await stack.post('canbo.stp-hn', '/api/v1/me/tasks/plan', { taskKey: registerKey(2042), priority: 'SOON' })).status).toBe(400);
    expect((await stack.post('canbo.stp-hn', '/api/v1/me/tasks/plan', { taskKey: registerKey(2042) })).body.message).toBe('give at least one of dueDate, followUpDate, priority');
    expect((await stack.post('canbo.stp-hn', '/api/v1/me/tasks/claim', { taskKey: 'not a key' })).status).toBe(400);
  });

  it('once a task is held, only the holder, who assigned it or the leader plans it; null clears a date', async () => {
    // 2044 is held by OFFICER2, who claimed it: canbo.stp-hn may no longer change its plan.
    const refused = await stack.post('canbo.stp-hn', '/api/v1/me/tasks/plan', { taskKey: registerKey(2044), priority: 'LOW' });
    expect(refused.status).toBe(403);
    const cleared = await stack.post(OFFICER2, '/api/v1/me/tasks/plan', { taskKey: registerKey(2044), followUpDate: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ priority: 'HIGH', followUpDate: null, assignee: OFFICER2 });
    const byLeader = await stack.post('thutruong.stp-hn', '/api/v1/me/tasks/plan', { taskKey: registerKey(2044), priority: 'URGENT', followUpDate: '2099-01-05' });
    expect(byLeader.status).toBe(200);
    expect(byLeader.body).toMatchObject({ priority: 'URGENT', followUpDate: '2099-01-05' });
    // A leader plans a task of the unit's officers that nobody touched yet; they see it.
    const fresh = registerKey(2042, 'STP-HCM');
    const planned = await stack.post('thutruong.stp-hcm', '/api/v1/me/tasks/plan', { taskKey: fresh, priority: 'HIGH', dueDate: '2099-02-01' });
    expect(planned.status).toBe(200);
    expect((await tasks('canbo.stp-hcm')).find((t) => t.key === fresh)).toMatchObject({ priority: 'HIGH', dueDate: '2099-02-01', assignee: null });
    // But not one of another unit.
    expect((await stack.post('thutruong.stp-hcm', '/api/v1/me/tasks/plan', { taskKey: registerKey(2042), priority: 'LOW' })).status).toBe(404);
  });
});

describe('a claim binds the action the task stands for', () => {
  const YEAR = 2045;
  const C = campaign(YEAR);
  const HN = `${C}:STP-HN`;
  const HCM = `${C}:STP-HCM`;
  const CHAIR2 = 'chutich2';
  const heldBy = (key: string, holder: string) => `task ${key} is held by ${holder}: only they may do it now (ask them to hand it over or release it)`;
  /** The task_assignment row of a key (undefined once the task is done). */
  const rowOf = async (key: string): Promise<{ assignee: string | null; due_date: string | null } | undefined> =>
    (await stack.db.dataSource.query('SELECT assignee, due_date::text AS due_date FROM task_assignment WHERE task_key = $1', [key]))[0];
  const claim = (username: string, taskKey: string) => stack.post(username, '/api/v1/me/tasks/claim', { taskKey });
  const keysOf = async (username: string, query = '') => (await tasks(username, query)).map((t) => t.key);
  const review = (username: string, id: string, decision: string) => stack.post(username, `/api/v1/nominations/${id}/review`, { decision, reason: 'Thiếu biên bản họp cụm' });
  const amend = (username: string) =>
    stack.post(username, `/api/v1/nominations/${HN}/amendment`, { achievementReport: 'Báo cáo đã bổ sung biên bản họp cụm', note: 'Bổ sung biên bản' });
  const stageOf = async (id: string) => (await stack.get('vutdkt', `/api/v1/nominations/${id}`)).body.stage as string;

  beforeAll(async () => {
    await startCampaign(YEAR, 40);
    const created = await stack.post(ADMIN.username, '/api/v1/users', {
      username: CHAIR2,
      password: DEMO_PASSWORD,
      fullName: 'Phó Chủ tịch Hội đồng Thi đua - Khen thưởng',
      roles: ['COUNCIL_CHAIR'],
    });
    if (created.status !== 201) throw new Error(`user: ${created.status} ${JSON.stringify(created.body)}`);
  });

  it("a claimed registration is refused to the colleague with 409 naming the holder; another unit's goes its own way; the holder's clears the task", async () => {
    const key = registerKey(YEAR);
    const path = `/api/v1/campaigns/${C}/registrations`;
    expect((await claim('canbo.stp-hn', key)).status).toBe(200);
    const refused = await stack.post(OFFICER2, path, { unitCode: 'STP-HN', targetTitles: ['MINISTRY_FLAG'] });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(heldBy(key, 'canbo.stp-hn'));
    // An officer for whom it is not a task gets the route's own answer (another unit: 403), not the holder's name.
    const otherUnit = await stack.post('canbo.stp-hcm', path, { unitCode: 'STP-HN', targetTitles: ['MINISTRY_FLAG'] });
    expect(otherUnit.status).toBe(403);
    expect(JSON.stringify(otherUnit.body)).not.toContain('canbo.stp-hn');
    // The holder's registration goes through, and the task with its claim is gone.
    expect((await stack.post('canbo.stp-hn', path, { unitCode: 'STP-HN', targetTitles: ['MINISTRY_FLAG'] })).status).toBe(201);
    expect(await rowOf(key)).toBeUndefined();
    expect(await keysOf(OFFICER2)).not.toContain(key);
    // A task nobody holds stays open to everyone who has it.
    expect((await stack.post('canbo.stp-hcm', path, { unitCode: 'STP-HCM', targetTitles: ['MINISTRY_FLAG'] })).status).toBe(201);
  });

  it("reviewer A claims; reviewer B's review is 409 naming A; A's review goes through and the task is gone", async () => {
    // Through the cluster vote to the Department: both units self-assess, both are voted for.
    for (const unit of MEMBERS) {
      await eventually(async () => {
        const res = await stack.post(`canbo.${unit.toLowerCase()}`, `/api/v1/nominations/${C}:${unit}/self-assessment`, { score: 95, achievementReport: `Báo cáo thành tích năm ${YEAR}` });
        expect(res.status).toBe(201);
      }, 30_000, 250);
    }
    await eventually(async () => expect((await stack.post('cumtruong.stp-hn', `/api/v1/campaigns/${C}/vote/open`, { ministryFlagSeats: 2, governmentFlagSeats: 0 })).status).toBe(201), 30_000, 250);
    for (const unit of MEMBERS) {
      const ballot = await stack.post(`thutruong.${unit.toLowerCase()}`, `/api/v1/campaigns/${C}/vote/ballots`, { unitCode: unit, ministryFlag: MEMBERS, governmentFlag: [] });
      expect(ballot.status).toBe(201);
    }
    expect((await stack.post('cumtruong.stp-hn', `/api/v1/campaigns/${C}/vote/close`, {})).status).toBe(201);
    const key = `REVIEW|${HN}|STP-HN`;
    await eventually(async () => expect(await keysOf('vutdkt2')).toEqual(expect.arrayContaining([key, `REVIEW|${HCM}|STP-HCM`])), 30_000, 250);

    expect((await claim('vutdkt', key)).status).toBe(200);
    expect((await tasks('vutdkt2')).find((t) => t.key === key)?.assignee).toBe('vutdkt');
    const refused = await review('vutdkt2', HN, 'RETURN');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(heldBy(key, 'vutdkt'));
    expect(await stageOf(HN)).toBe('DEPARTMENT_REVIEW');
    // The holder's review, with an Idempotency-Key: it goes through, and its retry is the same answer.
    const returned = await stack.post('vutdkt', `/api/v1/nominations/${HN}/review`, { decision: 'RETURN', reason: 'Thiếu biên bản họp cụm' }, { 'Idempotency-Key': 'review-hn-1' });
    expect(returned.status).toBe(201);
    expect(returned.body.stage).toBe('AMENDMENT');
    const retried = await stack.post('vutdkt', `/api/v1/nominations/${HN}/review`, { decision: 'RETURN', reason: 'Thiếu biên bản họp cụm' }, { 'Idempotency-Key': 'review-hn-1' });
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.status).toBe(201);
    expect(await rowOf(key)).toBeUndefined();
    await eventually(async () => {
      for (const who of ['vutdkt', 'vutdkt2']) expect(await keysOf(who)).not.toContain(key);
    });
    // An unclaimed review is open to every reviewer.
    expect((await review('vutdkt2', HCM, 'APPROVE')).status).toBe(201);
  });

  it('a second round is a new task: after a second RETURN the amendment starts unclaimed and unplanned', async () => {
    const round1 = `SUBMIT_AMENDMENT|${HN}|STP-HN`;
    await eventually(async () => expect(await keysOf('canbo.stp-hn')).toContain(round1));
    expect((await claim('canbo.stp-hn', round1)).status).toBe(200);
    expect((await stack.post('canbo.stp-hn', '/api/v1/me/tasks/plan', { taskKey: round1, dueDate: '2099-05-01', priority: 'HIGH' })).status).toBe(200);
    const refused = await amend(OFFICER2);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(heldBy(round1, 'canbo.stp-hn'));
    expect((await amend('canbo.stp-hn')).status).toBe(201);
    expect(await rowOf(round1)).toBeUndefined();

    // The second review is a task of its own (round 2), which nobody holds yet.
    const review2 = `REVIEW|${HN}|STP-HN|r2`;
    await eventually(async () => expect((await tasks('vutdkt')).find((t) => t.action === 'REVIEW' && t.subjectId === HN)).toMatchObject({ key: review2, assignee: null, dueDate: null }));
    expect((await claim('vutdkt2', review2)).status).toBe(200);
    expect((await stack.post('vutdkt2', '/api/v1/me/tasks/plan', { taskKey: review2, dueDate: '2099-06-01', priority: 'URGENT' })).status).toBe(200);
    expect((await review('vutdkt', HN, 'RETURN')).body.message).toBe(heldBy(review2, 'vutdkt2'));
    expect((await review('vutdkt2', HN, 'RETURN')).status).toBe(201);
    expect(await rowOf(review2)).toBeUndefined();

    // The second amendment: a new key, no holder, no plan; the first round's key is gone for good.
    const round2 = `SUBMIT_AMENDMENT|${HN}|STP-HN|r2`;
    await eventually(async () => {
      const amendment = (await tasks(OFFICER2)).filter((t) => t.action === 'SUBMIT_AMENDMENT' && t.subjectId === HN);
      expect(amendment).toEqual([expect.objectContaining({ key: round2, assignee: null, assignedBy: null, handoverNote: null, dueDate: null, followUpDate: null, priority: 'NORMAL' })]);
    });
    expect(await keysOf('canbo.stp-hn')).not.toContain(round1);
    // Nobody holds it: any of the unit's officers may amend.
    expect((await amend(OFFICER2)).status).toBe(201);
  });

  it('a task beyond the 500th is claimed by its key, and the list pages through every task', async () => {
    const review3 = `REVIEW|${HN}|STP-HN|r3`;
    await eventually(async () => expect(await keysOf('vutdkt', '?action=REVIEW')).toContain(review3));
    // 600 other nominations waiting for the Department, all older than this one (read-model rows only).
    await stack.db.dataSource.query(
      `INSERT INTO nomination (id, campaign_id, year, cluster_code, unit_code, stage, titles, view, version, updated_at)
       SELECT $1 || lpad(g::text, 4, '0'), campaign_id, year, cluster_code, 'SYN-' || lpad(g::text, 4, '0'), 'DEPARTMENT_REVIEW', titles, view, 1,
              timestamptz '2001-01-01 00:00:00+00' + make_interval(secs => g)
         FROM nomination, generate_series(1, 600) g WHERE id = $2`,
      [`${YEAR}:SYN:`, HN],
    );
    try {
      const pages = await Promise.all([1, 2, 3].map((page) => stack.get('vutdkt', `/api/v1/me/tasks?action=REVIEW&pageSize=250&page=${page}`)));
      expect(pages.map((p) => [p.status, p.body.items.length, p.body.total, p.body.pageSize])).toEqual([
        [200, 250, 601, 250],
        [200, 250, 601, 250],
        [200, 101, 601, 250],
      ]);
      const keys = pages.flatMap((p) => p.body.items.map((t: TaskView) => t.key));
      expect(new Set(keys).size).toBe(601);
      expect(keys).toContain(review3);
      // By default, one page of at most 500.
      const first = await stack.get('vutdkt', '/api/v1/me/tasks?action=REVIEW');
      expect([first.body.items.length, first.body.total, first.body.page, first.body.pageSize]).toEqual([500, 601, 1, 500]);
      // The 601st nomination by age: claimed (and refused to the other reviewer) by its key.
      const claimed = await claim('vutdkt', review3);
      expect(claimed.status).toBe(200);
      expect(claimed.body).toMatchObject({ key: review3, assignee: 'vutdkt' });
      expect((await claim('vutdkt2', review3)).status).toBe(409);
      expect((await stack.post('vutdkt', '/api/v1/me/tasks/release', { taskKey: review3 })).status).toBe(200);
    } finally {
      await stack.db.dataSource.query('DELETE FROM nomination WHERE id LIKE $1', [`${YEAR}:SYN:%`]);
    }
  });

  it('council chairs: a sitting to open or to close that one chair claimed is refused to the other', async () => {
    const openKey = `OPEN_COUNCIL_SESSION|${HCM}|STP-HCM`;
    await eventually(async () => expect(await keysOf(CHAIR2)).toContain(openKey));
    expect((await claim('chutich', openKey)).status).toBe(200);
    const refused = await stack.post(CHAIR2, '/api/v1/council-sessions', { year: YEAR, nominationIds: [HCM] });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(heldBy(openKey, 'chutich'));
    const opened = await stack.post('chutich', '/api/v1/council-sessions', { year: YEAR, nominationIds: [HCM] });
    expect(opened.status).toBe(201);
    expect(await rowOf(openKey)).toBeUndefined();

    const closeKey = `CLOSE_COUNCIL_SESSION|${opened.body.id}`;
    expect(await keysOf('chutich')).toContain(closeKey);
    expect((await claim(CHAIR2, closeKey)).status).toBe(200);
    const notTheirs = await stack.post('chutich', `/api/v1/council-sessions/${opened.body.id}/close`, { membersPresent: opened.body.membersTotal });
    expect(notTheirs.status).toBe(409);
    expect(notTheirs.body.message).toBe(heldBy(closeKey, CHAIR2));
    expect((await stack.post(CHAIR2, `/api/v1/council-sessions/${opened.body.id}/close`, { membersPresent: opened.body.membersTotal })).status).toBe(201);
    expect(await rowOf(closeKey)).toBeUndefined();
    await eventually(async () => expect(await keysOf('chutich')).not.toContain(closeKey));
  });
});

describe('comments on a nomination', () => {
  const NOMINATION = `${campaign(2041)}:STP-HN`;
  const TEXT = 'Đề nghị bổ sung báo cáo thành tích năm 2025';
  const REPLY = 'Đơn vị sẽ bổ sung biên bản họp và báo cáo tài chính trước ngày 15/12 — Sở Tư pháp Hà Nội';

  it('are kept in the history as events of the audit chain, Vietnamese intact, and the chain still verifies', async () => {
    const first = await stack.post('vutdkt', `/api/v1/nominations/${NOMINATION}/comments`, { text: TEXT });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ nominationId: NOMINATION, text: TEXT, author: 'vutdkt', role: 'DEPARTMENT_REVIEWER', stage: 'SELF_ASSESSMENT' });
    const reply = await stack.post('canbo.stp-hn', `/api/v1/nominations/${NOMINATION}/comments`, { text: REPLY }, { 'Idempotency-Key': 'reply-1' });
    expect(reply.status).toBe(201);
    const replay = await stack.post('canbo.stp-hn', `/api/v1/nominations/${NOMINATION}/comments`, { text: REPLY }, { 'Idempotency-Key': 'reply-1' });
    expect(replay.body).toEqual(reply.body);

    const list = await stack.get('thutruong.stp-hn', `/api/v1/nominations/${NOMINATION}/comments`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { text: string; author: string; unitCode: string | null }) => [c.author, c.unitCode, c.text])).toEqual([
      ['vutdkt', null, TEXT],
      ['canbo.stp-hn', 'STP-HN', REPLY],
    ]);

    const history = await stack.get('kiemtra', `/api/v1/nominations/${NOMINATION}/history`);
    const comments = history.body.items.filter((e: { action: string }) => e.action === 'COMMENT_ADDED');
    expect(comments).toEqual([
      expect.objectContaining({ actor: 'vutdkt', reason: TEXT, fromStage: 'SELF_ASSESSMENT', toStage: 'SELF_ASSESSMENT', seq: first.body.seq, hash: first.body.hash }),
      expect.objectContaining({ actor: 'canbo.stp-hn', reason: REPLY, fromStage: 'SELF_ASSESSMENT', toStage: 'SELF_ASSESSMENT', seq: reply.body.seq }),
    ]);
    // Byte for byte, as UTF-8.
    expect(Buffer.from(comments[0].reason, 'utf8').equals(Buffer.from(TEXT, 'utf8'))).toBe(true);
    const verify = await stack.get('kiemtra', '/api/v1/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.checked).toBeGreaterThanOrEqual(reply.body.seq);
  });

  it('only staff who can see the nomination may comment; auditors read', async () => {
    const otherUnit = await stack.post('canbo.stp-hcm', `/api/v1/nominations/${NOMINATION}/comments`, { text: 'Ý kiến của đơn vị khác' });
    expect(otherUnit.status).toBe(403);
    expect((await stack.get('canbo.stp-hcm', `/api/v1/nominations/${NOMINATION}/comments`)).status).toBe(403);
    expect((await stack.post('kiemtra', `/api/v1/nominations/${NOMINATION}/comments`, { text: 'Kiểm tra' })).status).toBe(403);
    expect((await stack.get('kiemtra', `/api/v1/nominations/${NOMINATION}/comments`)).status).toBe(200);
    // The cluster head of the campaign's head unit sees it, and may comment.
    expect((await stack.post('cumtruong.stp-hn', `/api/v1/nominations/${NOMINATION}/comments`, { text: 'Cụm trưởng đã xem' })).status).toBe(201);
    expect((await stack.post('vutdkt', `/api/v1/nominations/${NOMINATION}/comments`, { text: '' })).status).toBe(400);
    const blank = await stack.post('vutdkt', `/api/v1/nominations/${NOMINATION}/comments`, { text: ' \n\t ' });
    expect(blank.status).toBe(400);
    expect(blank.body.message).toEqual(['text must not be blank']);
    expect((await stack.post('vutdkt', '/api/v1/nominations/2041:KV-TP-TW:NO-SUCH/comments', { text: 'Không có' })).status).toBe(404);
  });
});

describe('attachments to a dossier', () => {
  const NOMINATION = `${campaign(2041)}:STP-HN`;
  const NAME = 'Báo cáo thành tích năm 2025 (Sở Tư pháp).pdf';
  const PDF = pdf('Bao cao thanh tich nam 2025');
  let attachmentId: string;

  it('stores a PDF, lists it and gives back the same bytes under its Vietnamese name', async () => {
    const res = await upload('canbo.stp-hn', NOMINATION, PDF, NAME, 'application/pdf');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ nominationId: NOMINATION, fileName: NAME, contentType: 'application/pdf', kind: 'PDF', size: PDF.length, sha256: sha256(PDF), uploadedBy: 'canbo.stp-hn' });
    attachmentId = res.body.id;

    const list = await stack.get('vutdkt', `/api/v1/nominations/${NOMINATION}/attachments`);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([res.body]);

    const got = await download('thutruong.stp-hn', NOMINATION, attachmentId);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(got.body as Buffer, PDF)).toBe(0);
    const disposition = got.headers['content-disposition'] as string;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1])).toBe(NAME);
    expect(got.headers['repr-digest']).toBe(`sha-256=:${createHash('sha256').update(PDF).digest('base64')}:`);

    // In the content-addressed store, under its SHA-256.
    expect(readFileSync(path.join(attachmentDir, sha256(PDF).slice(0, 2), sha256(PDF))).equals(PDF)).toBe(true);
  });

  it('records name, size, type and SHA-256 in the audit chain, which still verifies', async () => {
    const history = await stack.get('kiemtra', `/api/v1/nominations/${NOMINATION}/history`);
    const added = history.body.items.filter((e: { action: string }) => e.action === 'ATTACHMENT_ADDED');
    expect(added).toEqual([
      expect.objectContaining({
        actor: 'canbo.stp-hn',
        role: 'UNIT_OFFICER',
        reason: NAME,
        fromStage: 'SELF_ASSESSMENT',
        toStage: 'SELF_ASSESSMENT',
        data: { attachmentId, fileName: NAME, size: PDF.length, contentType: 'application/pdf', kind: 'PDF', sha256: sha256(PDF) },
      }),
    ]);
    expect((await stack.get('kiemtra', '/api/v1/audit/verify')).body).toMatchObject({ ok: true });
  });

  it('refuses a file that is too large, of another type, or pretending to be a PDF', async () => {
    const tooLarge = await upload('canbo.stp-hn', NOMINATION, Buffer.concat([PDF, Buffer.alloc(MAX_BYTES + 1 - PDF.length, 0x20)]), 'lớn.pdf', 'application/pdf');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.message).toBe('file: larger than the limit of 262144 bytes (ATTACHMENT_MAX_BYTES)');
    const exe = await upload('canbo.stp-hn', NOMINATION, Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(200)]), 'setup.exe', 'application/x-msdownload');
    expect(exe.status).toBe(415);
    expect(exe.body.error).toBe('Unsupported Media Type');
    expect(exe.body.message).toMatch(/^file: "setup\.exe" is not an accepted type; accepted: PDF \(\.pdf\), Word \(DOCX\)/);
    const fake = await upload('canbo.stp-hn', NOMINATION, Buffer.from('Đây không phải là tệp PDF', 'utf8'), 'giả mạo.pdf', 'application/pdf');
    expect(fake.status).toBe(415);
    expect(fake.body.message).toBe('file: the content of "giả mạo.pdf" is not a PDF file (its bytes match none of the accepted types)');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
    expect((await upload('canbo.stp-hn', NOMINATION, png, 'ảnh.pdf', 'application/pdf')).body.message).toMatch(/is not a PDF file \(it is PNG\)/);
    expect((await upload('canbo.stp-hn', NOMINATION, PDF, 'báo cáo.pdf', 'image/png')).status).toBe(415);
    const none = await stack.post('canbo.stp-hn', `/api/v1/nominations/${NOMINATION}/attachments`, {});
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/^file: attach the document/);
    // Nothing of these was recorded.
    expect((await stack.get('vutdkt', `/api/v1/nominations/${NOMINATION}/attachments`)).body.items).toHaveLength(1);
  });

  it("is only for the unit's officers and leader and the Department; others cannot read it either", async () => {
    expect((await upload('canbo.stp-hcm', NOMINATION, PDF, 'x.pdf', 'application/pdf')).status).toBe(403);
    expect((await upload('cumtruong.stp-hn', NOMINATION, PDF, 'x.pdf', 'application/pdf')).status).toBe(403);
    expect((await download('canbo.stp-hcm', NOMINATION, attachmentId)).status).toBe(403);
    expect((await stack.get('canbo.stp-hcm', `/api/v1/nominations/${NOMINATION}/attachments`)).status).toBe(403);
    expect((await download('vutdkt', NOMINATION, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await download('vutdkt', NOMINATION, 'not-a-uuid')).status).toBe(400);
  });

  it('an upload with an Idempotency-Key is replayed for the same file and refused (422) for another', async () => {
    const doc = pdf('Bien ban hop cum');
    const first = await upload('vutdkt', NOMINATION, doc, 'Biên bản họp cụm.pdf', 'application/pdf', { 'Idempotency-Key': 'upload-1' });
    expect(first.status).toBe(201);
    const again = await upload('vutdkt', NOMINATION, doc, 'Biên bản họp cụm.pdf', 'application/pdf', { 'Idempotency-Key': 'upload-1' });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await upload('vutdkt', NOMINATION, pdf('Mot tep khac'), 'Biên bản họp cụm.pdf', 'application/pdf', { 'Idempotency-Key': 'upload-1' });
    expect(other.status).toBe(422);
    expect((await stack.get('vutdkt', `/api/v1/nominations/${NOMINATION}/attachments`)).body.items).toHaveLength(2);
  });

  it('refuses to serve a stored file that was altered, and logs it', async () => {
    const stored = path.join(attachmentDir, sha256(PDF).slice(0, 2), sha256(PDF));
    const tampered = Buffer.from(PDF);
    tampered.write('Bao cao da bi sua', PDF.indexOf('Bao cao'), 'latin1');
    writeFileSync(stored, tampered);
    const res = await download('vutdkt', NOMINATION, attachmentId);
    expect(res.status).toBe(409);
    const body = JSON.parse((res.body as Buffer).toString('utf8'));
    expect(body.message).toBe(
      `attachment ${attachmentId} ("${NAME}") failed its integrity check (SHA-256 mismatch: recorded ${sha256(PDF)}, stored file ${sha256(tampered)}); it is not served`,
    );
    expect(logLines.join('')).toContain(`integrity check failed for attachment ${attachmentId}`);
    // The SHA-256 of the audit event is the file's, not the altered one's.
    const history = await stack.get('kiemtra', `/api/v1/nominations/${NOMINATION}/history`);
    expect(history.body.items.find((e: { data: { attachmentId?: string } }) => e.data.attachmentId === attachmentId).data.sha256).toBe(sha256(PDF));

    // Uploading the original again repairs the store (same content, same place); it is served again.
    expect((await upload('canbo.stp-hn', NOMINATION, PDF, NAME, 'application/pdf')).status).toBe(201);
    expect(readFileSync(stored).equals(PDF)).toBe(true);
    const repaired = await download('vutdkt', NOMINATION, attachmentId);
    expect(repaired.status).toBe(200);
    expect(Buffer.compare(repaired.body as Buffer, PDF)).toBe(0);
  });

  describe('refuses a file whose record was altered', () => {
    const EVENT_ID = () => `attachment:${attachmentId}`;
    const refusal = (why: string) => `attachment ${attachmentId} ("${NAME}") failed its integrity check (${why}); it is not served`;
    const messageOf = (res: { body: unknown }) => JSON.parse((res.body as Buffer).toString('utf8')).message;
    const setRowSha = (sha: string) => stack.db.dataSource.query('UPDATE nomination_attachment SET sha256 = $2 WHERE id = $1', [attachmentId, sha]);
    /**
     * Rewrites the SHA-256 of the attachment's audit event, as the owner of the table can behind
     * the append-only trigger's back: the trigger is off inside this one transaction only.
     */
    const setEventSha = (sha: string) =>
      stack.db.dataSource.transaction(async (tx) => {
        await tx.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete');
        await tx.query(`UPDATE audit_event SET data = jsonb_set(data, '{sha256}', to_jsonb($2::text)) WHERE event_id = $1`, [EVENT_ID(), sha]);
        await tx.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete');
      });

    it('the metadata row no longer matches the SHA-256 of the audit chain', async () => {
      const other = sha256('another file');
      await setRowSha(other);
      try {
        const res = await download('vutdkt', NOMINATION, attachmentId);
        expect(res.status).toBe(409);
        expect(messageOf(res)).toBe(refusal('its metadata no longer matches the SHA-256 recorded in the audit chain'));
        expect(logLines.join('')).toContain('its metadata no longer matches the SHA-256 recorded in the audit chain');
      } finally {
        await setRowSha(sha256(PDF));
      }
      expect((await download('vutdkt', NOMINATION, attachmentId)).status).toBe(200);
    });

    it('a consistent forgery (another file, the row and the audit event rewritten to match it) is given away by the chain', async () => {
      // Without switching the append-only trigger off, the change is refused outright.
      await expect(stack.db.dataSource.query(`UPDATE audit_event SET data = data WHERE event_id = $1`, [EVENT_ID()])).rejects.toThrow(/append-only/);
      const forged = pdf('Bao cao da bi thay the');
      mkdirSync(path.join(attachmentDir, sha256(forged).slice(0, 2)), { recursive: true });
      writeFileSync(path.join(attachmentDir, sha256(forged).slice(0, 2), sha256(forged)), forged);
      await setEventSha(sha256(forged));
      await setRowSha(sha256(forged));
      try {
        const res = await download('vutdkt', NOMINATION, attachmentId);
        expect(res.status).toBe(409);
        expect(messageOf(res)).toBe(refusal('its audit event is missing or was altered'));
        // (The log is JSON: the quotes around the name are escaped there.)
        expect(logLines.join('')).toContain(`of nomination ${NOMINATION}: its audit event is missing or was altered`);
      } finally {
        await setEventSha(sha256(PDF));
        await setRowSha(sha256(PDF));
      }
      // Put back as it was: served, and the chain verifies again.
      expect((await download('vutdkt', NOMINATION, attachmentId)).status).toBe(200);
      expect((await stack.get('kiemtra', '/api/v1/audit/verify')).body).toMatchObject({ ok: true });
    });
  });
});
