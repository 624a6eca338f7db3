/**
 * Reminders for late work (nhắc việc), on the time-skipping test server with the real activities
 * and Postgres: before, on and after the registration deadline, over Tết 2027 (a week of
 * holidays), a unit registering between two reminders, escalation from the 3rd reminder, late
 * self-assessments and late amendments — and a worker that "crashes" right after a reminder was
 * written, whose retry must double nothing.
 */
import {
  campaignStateQuery,
  nominationStateQuery,
  registerUpdate,
  submitSelfAssessmentUpdate,
  type TdktActivities,
} from '@tdkt/contracts';
import { demoEmail, verifyAuditChain } from '@tdkt/persistence';
import { actor } from '../../test/support/actors';
import { eventually } from '../../test/support/eventually';
import { nominationHandle, startCampaign, startWorkflowHarness, type WorkflowHarness } from '../../test/support/workflow-harness';

jest.setTimeout(60_000);

const YEAR = 2027;
const CLUSTER = 'CUM-NHAC';
const UNITS = ['STP-R1', 'STP-R2', 'STP-R3'];
const ID = `${YEAR}:${CLUSTER}`;
const officer = (u: string) => actor(`canbo.${u.toLowerCase()}`, 'UNIT_OFFICER', u);

/** Activities that "crash" once right after each write of reminders was committed: Temporal retries them. */
const crashedOnce = new Set<string>();
let simulatedCrashes = 0;
/** The reminders of each write, in order (a retried write is not counted again). */
const reminderWrites: string[][] = [];
function crashOnceAfter(decisions: Parameters<TdktActivities['recordDecision']>[0][]) {
  const reminders = decisions.filter((d) => d.event.action === 'REMINDER_SENT').map((d) => d.event.eventId);
  if (reminders.length === 0 || reminders.some((id) => crashedOnce.has(id))) return;
  for (const id of reminders) crashedOnce.add(id);
  reminderWrites.push(reminders);
  simulatedCrashes += 1;
  throw new Error('simulated worker crash after the reminders were written');
}
function crashAfterReminderWrites(activities: TdktActivities): TdktActivities {
  return {
    ...activities,
    async recordDecision(input) {
      const result = await activities.recordDecision(input);
      crashOnceAfter([input]);
      return result;
    },
    // A round of reminders is one write of all the round's decisions (patch reminder-round-one-write).
    async recordDecisions(input) {
      const results = await activities.recordDecisions(input);
      crashOnceAfter(input.decisions);
      return results;
    },
  };
}

let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness({ wrapActivities: crashAfterReminderWrites });
  // The organisation the reminders are addressed to.
  for (const u of UNITS) {
    await h.db.dataSource.query("INSERT INTO unit (code, name, kind) VALUES ($1, $2, 'SO_TU_PHAP')", [u, `Sở Tư pháp thử nghiệm ${u.slice(-1)}`]);
    await h.db.dataSource.query("INSERT INTO app_user (username, password_hash, full_name, roles, unit_code, email) VALUES ($1, 'x', $2, ARRAY['UNIT_OFFICER'], $3, $4)", [
      `canbo.${u.toLowerCase()}`,
      `Cán bộ ${u}`,
      u,
      demoEmail(`canbo.${u.toLowerCase()}`),
    ]);
  }
  await h.db.dataSource.query("INSERT INTO app_user (username, password_hash, full_name, roles, unit_code, email) VALUES ('cumtruong.stp-r1', 'x', 'Cụm trưởng', ARRAY['CLUSTER_HEAD'], 'STP-R1', $1)", [demoEmail('cumtruong.stp-r1')]);
  await h.db.dataSource.query("INSERT INTO app_user (username, password_hash, full_name, roles, unit_code, email) VALUES ('vutdkt', 'x', 'Vụ TĐKT', ARRAY['DEPARTMENT_REVIEWER'], NULL, $1)", [demoEmail('vutdkt')]);
});
afterAll(async () => {
  await h?.stop();
});

/** Sleeps the test server's clock forward to an instant. */
async function until(iso: string) {
  const ms = Date.parse(iso) - Number(await h.env.currentTimeMs());
  if (ms > 0) await h.env.sleep(ms);
}
const campaign = () => h.env.client.workflow.getHandle(`campaign:${ID}`);
async function remindersOf(unit: string) {
  const view = await campaign().query(campaignStateQuery);
  return view.members.find((m) => m.unitCode === unit)!.remindersSent;
}
async function reminderEvents(kind: string) {
  const rows: { data: { unitCode?: string; sequence: number; escalate: boolean; workingDaysLate: number }; subject_id: string }[] = await h.db.dataSource.query(
    "SELECT data, subject_id FROM audit_event WHERE action = 'REMINDER_SENT' AND data->>'kind' = $1 ORDER BY seq",
    [kind],
  );
  return rows;
}

describe('reminders of late registrations, self-assessments and amendments', () => {
  // Deadlines just after Tết 2027 (holidays 4–10/2, with the weekend): Thursday 11/2, 17:00.
  const registrationDeadline = '2027-02-11T10:00:00.000Z';
  const selfAssessmentDeadline = '2027-02-25T10:00:00.000Z';

  it('reminds 3 working days before the registration deadline (across Tết), on it, then while late; escalates from the 3rd', async () => {
    expect(Number(await h.env.currentTimeMs())).toBeLessThan(Date.parse('2027-01-25T00:00:00Z'));
    await startCampaign(h, { year: YEAR, cluster: CLUSTER, members: UNITS, head: 'STP-R1', registrationDeadline, selfAssessmentDeadline });
    await campaign().executeUpdate(registerUpdate, { args: [{ unitCode: 'STP-R1', targetTitles: ['MINISTRY_FLAG'], actor: officer('STP-R1') }] });

    // 3 working days before 11/2 is Monday 1/2: Tết's holidays and the weekend do not count.
    await until('2027-01-31T23:00:00Z');
    expect(await remindersOf('STP-R2')).toBe(0);
    await until('2027-02-01T02:00:00Z');
    await eventually(async () => expect(await remindersOf('STP-R2')).toBe(1));
    expect(await remindersOf('STP-R3')).toBe(1);
    expect(await remindersOf('STP-R1')).toBe(0);
    // Nothing more during Tết, though ten calendar days pass.
    await until('2027-02-10T23:00:00Z');
    expect(await remindersOf('STP-R2')).toBe(1);

    // R2 registers between two reminders: it is reminded no more.
    await campaign().executeUpdate(registerUpdate, { args: [{ unitCode: 'STP-R2', targetTitles: ['MINISTRY_FLAG'], actor: officer('STP-R2') }] });
    await until('2027-02-11T02:00:00Z'); // the deadline's morning
    await eventually(async () => expect(await remindersOf('STP-R3')).toBe(2));
    // Late: every 2 working days (Mon 15/2, Wed 17/2); from the 3rd on, escalated.
    await until('2027-02-15T02:00:00Z');
    await eventually(async () => expect(await remindersOf('STP-R3')).toBe(3));
    expect(await remindersOf('STP-R2')).toBe(1);
    expect((await campaign().query(campaignStateQuery)).phase).toBe('SELF_ASSESSMENT');

    const events = await reminderEvents('REGISTRATION');
    expect(events.map((e) => [e.data.unitCode, e.data.sequence, e.data.escalate, e.data.workingDaysLate])).toEqual([
      ['STP-R2', 1, false, 0],
      ['STP-R3', 1, false, 0],
      ['STP-R3', 2, false, 0],
      ['STP-R3', 3, true, 2],
    ]);
    // The 3rd reminder goes to the unit's officer, the cluster head and the Department, in Vietnamese.
    const inbox: { username: string; subject: string; body: string }[] = await h.db.dataSource.query(
      "SELECT n.username, n.subject, n.body FROM notification n JOIN audit_event a ON a.event_id = n.event_id WHERE a.data->>'sequence' = '3' AND a.data->>'unitCode' = 'STP-R3' ORDER BY n.username",
    );
    expect(inbox.map((n) => n.username)).toEqual(['canbo.stp-r3', 'cumtruong.stp-r1', 'vutdkt']);
    expect(inbox[0].subject).toBe('[Nhắc việc lần 3] Sở Tư pháp thử nghiệm 3 chậm đăng ký thi đua 2 ngày làm việc');
    expect(inbox[0].body).toContain('Thời hạn là 17:00, 11/02/2027');
    expect(inbox[0].body).toContain(`/campaigns/${ID}`);
    const outbox: { recipient: string }[] = await h.db.dataSource.query('SELECT recipient FROM email_outbox ORDER BY id');
    expect(outbox.filter((o) => o.recipient === demoEmail('canbo.stp-r3'))).toHaveLength(3);

    // R3 registers late (đăng ký muộn): accepted before the vote, and the reminders stop.
    const late = await campaign().executeUpdate(registerUpdate, { args: [{ unitCode: 'STP-R3', targetTitles: ['MINISTRY_FLAG'], actor: officer('STP-R3') }] });
    expect(late.members.find((m) => m.unitCode === 'STP-R3')).toMatchObject({ registeredLate: true, remindersSent: 3 });
    await eventually(async () => expect((await nominationHandle(h, YEAR, CLUSTER, 'STP-R3').query(nominationStateQuery)).titles).toEqual({ MINISTRY_FLAG: 'REGISTERED' }));
  });

  it('reminds late self-assessments until they arrive', async () => {
    for (const u of ['STP-R1', 'STP-R3']) {
      await nominationHandle(h, YEAR, CLUSTER, u).executeUpdate(submitSelfAssessmentUpdate, { args: [{ score: 90, achievementReport: 'Báo cáo', criteria: [], actor: officer(u) }] });
    }
    // 3 working days before Thursday 25/2 is Monday 22/2.
    await until('2027-02-22T02:00:00Z');
    await eventually(async () => expect((await reminderEvents('SELF_ASSESSMENT')).map((e) => e.data.unitCode)).toEqual(['STP-R2']));
    await nominationHandle(h, YEAR, CLUSTER, 'STP-R2').executeUpdate(submitSelfAssessmentUpdate, { args: [{ score: 88, achievementReport: 'Báo cáo', criteria: [], actor: officer('STP-R2') }] });
    await until('2027-03-02T02:00:00Z');
    expect(await reminderEvents('SELF_ASSESSMENT')).toHaveLength(1);
  });

  it('doubles nothing when the worker crashed right after writing each reminder', async () => {
    // Every write of reminders was retried once: a round is one write (R2 and R3's first
    // reminders together, then R3's 2nd and 3rd, then R2's self-assessment reminder).
    expect(simulatedCrashes).toBe(4);
    const dupes = await h.db.dataSource.query(
      "SELECT event_id, count(*) FROM notification GROUP BY event_id, username HAVING count(*) > 1 UNION ALL SELECT event_id, count(*) FROM email_outbox GROUP BY event_id, username HAVING count(*) > 1",
    );
    expect(dupes).toEqual([]);
    // Each reminder is one audit event: as many as the campaign counted.
    const view = await campaign().query(campaignStateQuery);
    const counted = view.members.reduce((n, m) => n + m.remindersSent, 0);
    expect((await reminderEvents('REGISTRATION')).length + (await reminderEvents('SELF_ASSESSMENT')).length).toBe(counted);
    expect(await verifyAuditChain(h.db.dataSource)).toMatchObject({ ok: true });
  });
});

describe('a campaign’s own reminder time (giờ gửi nhắc việc)', () => {
  const cluster = 'CUM-GIO';
  const other = () => h.env.client.workflow.getHandle(`campaign:${YEAR}:${cluster}`);

  it('sends its reminders at that minute, Vietnam time, on the rule set’s days, and hands it to the nominations', async () => {
    // Thursday 18/3/2027, 17:00: the first reminder is due Monday 15/3 — at 14:30, not 08:00.
    await startCampaign(h, { year: YEAR, cluster, members: UNITS, head: 'STP-R1', registrationDeadline: '2027-03-18T10:00:00.000Z', reminderTime: '14:30' });
    const before = (await reminderEvents('REGISTRATION')).length;
    const ours = async () => (await reminderEvents('REGISTRATION')).filter((e) => e.subject_id === `${YEAR}:${cluster}`).length;
    expect((await other().query(campaignStateQuery)).reminderTime).toBe('14:30');
    await until('2027-03-15T07:29:00Z'); // 14:29 in Vietnam
    expect(await ours()).toBe(0);
    await until('2027-03-15T07:31:00Z');
    await eventually(async () => expect(await ours()).toBe(UNITS.length));
    // Decided at 14:30 on the workflow's clock (the event's `at`), not at 08:00.
    const decided: { at: Date }[] = await h.db.dataSource.query("SELECT at FROM audit_event WHERE action = 'REMINDER_SENT' AND subject_id = $1", [`${YEAR}:${cluster}`]);
    for (const r of decided) expect(r.at.toISOString().slice(0, 16)).toBe('2027-03-15T07:30');
    expect((await reminderEvents('REGISTRATION')).length).toBe(before + UNITS.length);
    // The round's three reminders went out as one write, none ahead of the others.
    expect(reminderWrites.filter((w) => w.some((id) => id.startsWith(`campaign:${YEAR}:${cluster}#`))).map((w) => w.length)).toEqual([UNITS.length]);
    // The auditor sees the campaign's time with its start; each nomination got it for its amendments.
    const [started]: { data: { reminderTime?: string } }[] = await h.db.dataSource.query(
      "SELECT data FROM audit_event WHERE action = 'CAMPAIGN_STARTED' AND subject_id = $1",
      [`${YEAR}:${cluster}`],
    );
    expect(started.data.reminderTime).toBe('14:30');
    const history = await nominationHandle(h, YEAR, cluster, 'STP-R2').fetchHistory();
    const payload = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    expect(JSON.parse(Buffer.from(payload.data!).toString('utf8'))).toMatchObject({ reminderTime: '14:30' });
    // A campaign that sets none shows the rule set's time.
    expect((await campaign().query(campaignStateQuery)).reminderTime).toBe('08:00');
  });
});
