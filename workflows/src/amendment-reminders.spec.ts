/**
 * Reminders of a late amendment after the Department returned a dossier (nhắc nộp hồ sơ bổ
 * sung), on the time-skipping test server with the real activities and Postgres.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  amendUpdate,
  campaignStateQuery,
  castBallotUpdate,
  closeVoteUpdate,
  nominationStateQuery,
  openVoteUpdate,
  registerUpdate,
  reviewUpdate,
  submitSelfAssessmentUpdate,
} from '@tdkt/contracts';
import { nominationId, plannedReminder } from '@tdkt/domain';
import { demoEmail } from '@tdkt/persistence';
import { actor } from '../../test/support/actors';
import { eventually } from '../../test/support/eventually';
import { DAY, nominationHandle, startCampaign, startWorkflowHarness, type WorkflowHarness } from '../../test/support/workflow-harness';

jest.setTimeout(60_000);

const YEAR = 2033;
const CLUSTER = 'CUM-BOSUNG';
const UNITS = ['STP-M1', 'STP-M2'];
const officer = (u: string) => actor(`canbo.${u.toLowerCase()}`, 'UNIT_OFFICER', u);
const leader = (u: string) => actor(`thutruong.${u.toLowerCase()}`, 'UNIT_LEADER', u);
const head = actor('cumtruong.stp-m1', 'CLUSTER_HEAD', 'STP-M1');
const reviewer = actor('vutdkt', 'DEPARTMENT_REVIEWER');

let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness();
  for (const u of UNITS) {
    await h.db.dataSource.query("INSERT INTO unit (code, name, kind) VALUES ($1, $2, 'SO_TU_PHAP')", [u, `Sở Tư pháp bổ sung ${u.slice(-1)}`]);
    await h.db.dataSource.query("INSERT INTO app_user (username, password_hash, full_name, roles, unit_code, email) VALUES ($1, 'x', $2, ARRAY['UNIT_OFFICER'], $3, $4)", [
      `canbo.${u.toLowerCase()}`,
      `Cán bộ ${u}`,
      u,
      demoEmail(`canbo.${u.toLowerCase()}`),
    ]);
  }
});
afterAll(async () => {
  await h?.stop();
});

const amendmentReminders = (): Promise<{ subject_id: string; data: { sequence: number } }[]> =>
  h.db.dataSource.query("SELECT subject_id, data FROM audit_event WHERE action = 'REMINDER_SENT' AND data->>'kind' = 'AMENDMENT' ORDER BY seq");

it('reminds a late amendment after a RETURN (before, on and after its deadline), and stops once it is filed', async () => {
  const campaign = await startCampaign(h, { year: YEAR, cluster: CLUSTER, members: UNITS, head: 'STP-M1' });
  for (const u of UNITS) await campaign.executeUpdate(registerUpdate, { args: [{ unitCode: u, targetTitles: ['MINISTRY_FLAG'], actor: officer(u) }] });
  for (const u of UNITS) {
    await eventually(() => nominationHandle(h, YEAR, CLUSTER, u).executeUpdate(submitSelfAssessmentUpdate, { args: [{ score: 90, achievementReport: 'Báo cáo', criteria: [], actor: officer(u) }] }));
  }
  await eventually(async () => expect((await campaign.query(campaignStateQuery)).members.every((m) => m.selfAssessedAt)).toBe(true));
  // Both units are selected: no nomination ends while the clock is skipped forward (the
  // time-skipping test server stops skipping once a child ends after its parent; see
  // docs/decisions/0007-reminders-exactly-once.md).
  await campaign.executeUpdate(openVoteUpdate, { args: [{ ministryFlagSeats: 2, governmentFlagSeats: 0, actor: head }] });
  for (const u of UNITS) {
    await campaign.executeUpdate(castBallotUpdate, {
      args: [{ unitCode: u, ministryFlag: UNITS, governmentFlag: [], receiptHash: createHash('sha256').update(randomUUID()).digest('hex'), actor: leader(u) }],
    });
  }
  await campaign.executeUpdate(closeVoteUpdate, { args: [{ actor: head }] });
  const m2 = nominationHandle(h, YEAR, CLUSTER, 'STP-M2');
  await eventually(async () => expect((await m2.query(nominationStateQuery)).stage).toBe('DEPARTMENT_REVIEW'));
  const returned = await m2.executeUpdate(reviewUpdate, { args: [{ decision: 'RETURN', reason: 'Thiếu biên bản', actor: reviewer }] });
  const deadline = new Date(Date.parse(`${returned.review!.amendmentDeadline!}T17:00:00+07:00`)).toISOString();

  // Three reminders: 3 working days before the deadline, on it, 2 working days after.
  const third = plannedReminder(deadline, 3)!;
  await h.env.sleep(Date.parse(third.at) - Number(await h.env.currentTimeMs()) + 3_600_000);
  await eventually(async () => expect((await amendmentReminders()).map((e) => e.data.sequence)).toEqual([1, 2, 3]));
  expect((await amendmentReminders()).every((e) => e.subject_id === nominationId(YEAR, CLUSTER, 'STP-M2'))).toBe(true);
  const inbox: { username: string; subject: string }[] = await h.db.dataSource.query("SELECT username, subject FROM notification WHERE kind = 'AMENDMENT' ORDER BY id");
  expect(inbox.map((n) => n.username)).toEqual(['canbo.stp-m2', 'canbo.stp-m2', 'canbo.stp-m2']);
  expect(inbox[2].subject).toBe('[Nhắc việc lần 3] Sở Tư pháp bổ sung 2 chậm nộp hồ sơ bổ sung theo yêu cầu của Vụ Thi đua - Khen thưởng 2 ngày làm việc');

  // Filed: the reminders stop.
  await m2.executeUpdate(amendUpdate, { args: [{ achievementReport: 'Đã bổ sung biên bản', note: 'Bổ sung', actor: officer('STP-M2') }] });
  await h.env.sleep(10 * DAY);
  expect(await amendmentReminders()).toHaveLength(3);
});
