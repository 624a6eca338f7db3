/**
 * The three workflows on Temporal's time-skipping test server, with the real activities writing
 * to a real Postgres test database: a 10-day registration window passes in milliseconds.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  amendUpdate,
  campaignStateQuery,
  castBallotUpdate,
  closeCouncilSessionUpdate,
  closeVoteUpdate,
  electLeadershipUpdate,
  signCovenantUpdate,
  councilVoteUpdate,
  governmentDecisionUpdate,
  governmentSubmissionUpdate,
  nominationStateQuery,
  openVoteUpdate,
  registerUpdate,
  reviewUpdate,
  submitSelfAssessmentUpdate,
} from '@tdkt/contracts';
import { councilSessionWorkflowId, nominationId, plannedReminder } from '@tdkt/domain';
import { AuditEventEntity, NominationEntity, verifyAuditChain } from '@tdkt/persistence';
import { actor } from '../../test/support/actors';
import { eventually } from '../../test/support/eventually';
import { ended, DAY, nominationHandle, rejection, startCampaign as startCampaignIn, startWorkflowHarness, type WorkflowHarness } from '../../test/support/workflow-harness';
import { keepHistory } from '../../test/support/histories';
import { TRAIL_AWARDED_AFTER_AMENDMENT } from '../../test/support/trails';
import type { councilSessionWorkflow } from './index';

jest.setTimeout(120_000);

const YEAR = 2031;
const CLUSTER = 'CUM-TEST';
const MEMBERS = ['STP-A', 'STP-B', 'THADS-A', 'THADS-B'];
const HEAD = 'STP-A';
const head = actor('cumtruong.stp-a', 'CLUSTER_HEAD', HEAD);
const officer = (u: string) => actor(`canbo.${u.toLowerCase()}`, 'UNIT_OFFICER', u);
const leader = (u: string) => actor(`thutruong.${u.toLowerCase()}`, 'UNIT_LEADER', u);
const reviewer = actor('vutdkt', 'DEPARTMENT_REVIEWER');
const chair = actor('chutich', 'COUNCIL_CHAIR');
const receiptHash = () => createHash('sha256').update(randomUUID()).digest('hex');

let h: WorkflowHarness;
let env: TestWorkflowEnvironment;
let db: WorkflowHarness['db'];

beforeAll(async () => {
  h = await startWorkflowHarness();
  ({ env, db } = h);
});

afterAll(async () => {
  await h?.stop();
});

const startCampaign = (cluster: string, deadlineInDays = 10, members: string[] = MEMBERS) =>
  startCampaignIn(h, { year: YEAR, cluster, members, head: HEAD, deadlineInDays });
const nomination = (cluster: string, unit: string) => nominationHandle(h, YEAR, cluster, unit);

describe('a cluster from registration to the Government decision', () => {
  const cluster = `${CLUSTER}-1`;

  it('runs every stage, writing each decision to the read model and the audit chain', async () => {
    const campaign = await startCampaign(cluster);

    // Registration (đăng ký thi đua): three of four units register before the deadline.
    await campaign.executeUpdate(registerUpdate, { args: [{ unitCode: 'STP-A', targetTitles: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'], actor: officer('STP-A') }] });
    await campaign.executeUpdate(registerUpdate, { args: [{ unitCode: 'STP-B', targetTitles: ['MINISTRY_FLAG'], actor: officer('STP-B') }] });
    await campaign.executeUpdate(registerUpdate, { args: [{ unitCode: 'THADS-A', targetTitles: ['MINISTRY_FLAG'], actor: officer('THADS-A') }] });
    expect(await rejection(campaign.executeUpdate(registerUpdate, { args: [{ unitCode: 'STP-B', targetTitles: ['MINISTRY_FLAG'], actor: officer('STP-B') }] }))).toBe('Duplicate');
    expect(await rejection(campaign.executeUpdate(registerUpdate, { args: [{ unitCode: 'STP-B', targetTitles: ['MINISTRY_FLAG'], actor: officer('STP-A') }] }))).toBe('Forbidden');
    // The covenant (ký giao ước thi đua): signed once, by a registered member.
    const signed = await campaign.executeUpdate(signCovenantUpdate, { args: [{ unitCode: 'STP-A', actor: leader('STP-A') }] });
    expect(signed.members.find((m) => m.unitCode === 'STP-A')!.covenantSignedAt).toEqual(expect.any(String));
    expect(await rejection(campaign.executeUpdate(signCovenantUpdate, { args: [{ unitCode: 'STP-A', actor: leader('STP-A') }] }))).toBe('Duplicate');
    expect(await rejection(campaign.executeUpdate(signCovenantUpdate, { args: [{ unitCode: 'THADS-B', actor: leader('THADS-B') }] }))).toBe('StageConflict');

    // Self-assessment is not accepted while registration is open.
    expect(
      await rejection(nomination(cluster, 'STP-A').executeUpdate(submitSelfAssessmentUpdate, { args: [{ score: 95, achievementReport: 'Báo cáo', criteria: [], actor: officer('STP-A') }] })),
    ).toBe('StageConflict');

    // The deadline passes (10 days, skipped in time): registration closes.
    await env.sleep(11 * DAY);
    await eventually(async () => expect((await campaign.query(campaignStateQuery)).phase).toBe('SELF_ASSESSMENT'));
    await eventually(async () => expect((await nomination(cluster, 'STP-A').query(nominationStateQuery)).registrationClosed).toBe(true));
    expect((await nomination(cluster, 'STP-A').query(nominationStateQuery)).titles).toEqual({ MINISTRY_FLAG: 'REGISTERED', GOVERNMENT_FLAG: 'REGISTERED' });
    // THADS-B never registered: it got every reminder of the policy due so far (nhắc việc:
    // 3 working days before the deadline, on it, ...), by the test server's clock.
    const lateView = await campaign.query(campaignStateQuery);
    const lateDeadline = lateView.registrationDeadline;
    const lateMember = lateView.members.find((m) => m.unitCode === 'THADS-B')!;
    expect(lateMember.registeredAt).toBeNull();
    const nowMs = Number(await env.currentTimeMs());
    const due = [1, 2, 3, 4].filter((seq) => Date.parse(plannedReminder(lateDeadline, seq)!.at) <= nowMs).length;
    expect(due).toBeGreaterThanOrEqual(1);
    expect(lateMember.remindersSent).toBe(due);

    // Self-assessment (tự đánh giá) of the three registered units.
    for (const [unit, score] of [['STP-A', 98], ['STP-B', 91], ['THADS-A', 90]] as const) {
      const v = await nomination(cluster, unit).executeUpdate(submitSelfAssessmentUpdate, {
        args: [{ score, achievementReport: `Báo cáo thành tích năm ${YEAR} của ${unit}: hoàn thành xuất sắc nhiệm vụ`, criteria: [{ code: 'TC1', score }], actor: officer(unit) }],
      });
      expect(v.stage).toBe('CLUSTER_VOTE');
    }
    await eventually(async () => expect((await campaign.query(campaignStateQuery)).members.filter((m) => m.selfAssessedAt)).toHaveLength(3));

    // The secret ballot (bỏ phiếu kín): 2 Ministry seats, 1 Government seat.
    expect(await rejection(campaign.executeUpdate(openVoteUpdate, { args: [{ ministryFlagSeats: 2, governmentFlagSeats: 1, actor: officer('STP-A') }] }))).toBe('Forbidden');
    const vote = await campaign.executeUpdate(openVoteUpdate, { args: [{ ministryFlagSeats: 2, governmentFlagSeats: 1, actor: head }] });
    // Self-assessment has closed for THADS-B, told by the campaign; the units that have
    // self-assessed are past that stage and are not told (patch vote-opened-to-unassessed-only).
    await eventually(async () =>
      expect(
        await rejection(nomination(cluster, 'THADS-B').executeUpdate(submitSelfAssessmentUpdate, { args: [{ score: 80, achievementReport: 'Báo cáo muộn', criteria: [], actor: officer('THADS-B') }] })),
      ).toBe('StageConflict'),
    );
    const signalsOf = async (unit: string) =>
      ((await nomination(cluster, unit).fetchHistory()).events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes.signalName] : []));
    expect(await signalsOf('THADS-B')).toContain('voteOpened');
    for (const unit of ['STP-A', 'STP-B', 'THADS-A']) expect(await signalsOf(unit)).not.toContain('voteOpened');
    // Late registration is possible until the vote opens, not after.
    expect(await rejection(campaign.executeUpdate(registerUpdate, { args: [{ unitCode: 'THADS-B', targetTitles: ['MINISTRY_FLAG'], actor: officer('THADS-B') }] }))).toBe('StageConflict');
    expect(vote.candidates).toEqual({ MINISTRY_FLAG: ['STP-A', 'STP-B', 'THADS-A'], GOVERNMENT_FLAG: ['STP-A'] });
    // Too early to close: quorum is 2/3 of the 4 members.
    expect(await rejection(campaign.executeUpdate(closeVoteUpdate, { args: [{ actor: head }] }))).toBe('RuleNotMet');
    const ballots: Record<string, { ministryFlag: string[]; governmentFlag: string[] }> = {
      'STP-A': { ministryFlag: ['STP-A', 'STP-B'], governmentFlag: ['STP-A'] },
      'STP-B': { ministryFlag: ['STP-A', 'STP-B'], governmentFlag: ['STP-A'] },
      'THADS-A': { ministryFlag: ['STP-A', 'THADS-A'], governmentFlag: [] },
    };
    for (const [unit, choice] of Object.entries(ballots)) {
      await campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: unit, ...choice, receiptHash: receiptHash(), actor: leader(unit) }] });
    }
    expect(
      await rejection(campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: 'STP-A', ...ballots['STP-A'], receiptHash: receiptHash(), actor: leader('STP-A') }] })),
    ).toBe('Duplicate');
    expect(
      await rejection(
        campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: 'THADS-B', ministryFlag: ['STP-A', 'STP-B', 'THADS-A'], governmentFlag: [], receiptHash: receiptHash(), actor: leader('THADS-B') }] }),
      ),
    ).toBe('Invalid');
    const closed = await campaign.executeUpdate(closeVoteUpdate, { args: [{ actor: head }] });
    expect(closed.status).toBe('CLOSED');
    expect(closed.result!.ministryFlag.filter((t) => t.selected).map((t) => t.unitCode)).toEqual(['STP-A', 'STP-B']);
    expect(closed.result!.governmentFlag.filter((t) => t.selected).map((t) => t.unitCode)).toEqual(['STP-A']);

    // Each nomination learns the outcome.
    await eventually(async () => expect((await nomination(cluster, 'STP-A').query(nominationStateQuery)).stage).toBe('DEPARTMENT_REVIEW'));
    await eventually(async () => expect((await nomination(cluster, 'STP-B').query(nominationStateQuery)).stage).toBe('DEPARTMENT_REVIEW'));
    expect(await ended(nomination(cluster, 'THADS-A'), nominationStateQuery)).toMatchObject({ stage: 'NOT_SELECTED' });
    expect(await ended(nomination(cluster, 'THADS-B'), nominationStateQuery)).toMatchObject({ stage: 'NOT_SELECTED', selfAssessment: null });
    // The campaign ends with next year's head and deputy (luân phiên cụm trưởng).
    expect(await rejection(campaign.executeUpdate(electLeadershipUpdate, { args: [{ headUnitCode: 'STP-B', deputyUnitCode: 'THADS-B', actor: officer('STP-A') }] }))).toBe('Forbidden');
    expect(await rejection(campaign.executeUpdate(electLeadershipUpdate, { args: [{ headUnitCode: 'STP-B', deputyUnitCode: 'STP-B', actor: head }] }))).toBe('Invalid');
    await campaign.executeUpdate(electLeadershipUpdate, { args: [{ headUnitCode: 'STP-B', deputyUnitCode: 'THADS-B', actor: head }] });
    const finalCampaign = await ended(campaign, campaignStateQuery);
    expect(finalCampaign).toMatchObject({ phase: 'CLOSED', nextYear: { headUnitCode: 'STP-B', deputyUnitCode: 'THADS-B', recordedBy: 'cumtruong.stp-a' } });

    // Department review (Vụ TĐKT): return STP-A for amendment, approve after the amendment.
    const a = nomination(cluster, 'STP-A');
    expect(await rejection(a.executeUpdate(reviewUpdate, { args: [{ decision: 'APPROVE', reason: 'Đạt', actor: officer('STP-A') }] }))).toBe('Forbidden');
    const returned = await a.executeUpdate(reviewUpdate, { args: [{ decision: 'RETURN', reason: 'Thiếu biên bản họp cụm', actor: reviewer }] });
    expect(returned.stage).toBe('AMENDMENT');
    expect(returned.review?.amendmentDeadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const amended = await a.executeUpdate(amendUpdate, { args: [{ achievementReport: 'Báo cáo đã bổ sung biên bản', note: 'Đã bổ sung', actor: officer('STP-A') }] });
    expect(amended.stage).toBe('DEPARTMENT_REVIEW');
    expect((await a.executeUpdate(reviewUpdate, { args: [{ decision: 'APPROVE', reason: 'Hồ sơ đầy đủ', actor: reviewer }] })).stage).toBe('COUNCIL_DECISION');
    const b = nomination(cluster, 'STP-B');
    expect((await b.executeUpdate(reviewUpdate, { args: [{ decision: 'REJECT', reason: 'Không đủ tiêu chuẩn', actor: reviewer }] })).stage).toBe('NOT_AWARDED');
    expect(await rejection(b.executeUpdate(reviewUpdate, { args: [{ decision: 'APPROVE', reason: 'x', actor: reviewer }] })).catch(() => 'completed')).toMatch(/StageConflict|completed/);

    // The council sitting (phiên họp Hội đồng): 9 members, 7 present, 6 approve both titles.
    const sessionId = `${YEAR}-1`;
    const session = await env.client.workflow.start<typeof councilSessionWorkflow>('councilSessionWorkflow', {
      workflowId: councilSessionWorkflowId(sessionId),
      taskQueue: h.taskQueue,
      args: [{ id: sessionId, year: YEAR, items: [{ nominationId: nominationId(YEAR, cluster, 'STP-A'), unitCode: 'STP-A', titles: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] }], membersTotal: 9, ruleSet: { id: 'default', version: 1 }, openedBy: chair }],
    });
    const nid = nominationId(YEAR, cluster, 'STP-A');
    for (let i = 1; i <= 6; i++) {
      const member = actor(`hoidong${i}`, 'COUNCIL_MEMBER');
      await session.executeUpdate(councilVoteUpdate, { args: [{ nominationId: nid, title: 'MINISTRY_FLAG', approve: true, actor: member }] });
      await session.executeUpdate(councilVoteUpdate, { args: [{ nominationId: nid, title: 'GOVERNMENT_FLAG', approve: i <= 5, actor: member }] });
    }
    expect(await rejection(session.executeUpdate(councilVoteUpdate, { args: [{ nominationId: nid, title: 'MINISTRY_FLAG', approve: true, actor: actor('hoidong1', 'COUNCIL_MEMBER') }] }))).toBe('Duplicate');
    expect(await rejection(session.executeUpdate(closeCouncilSessionUpdate, { args: [{ membersPresent: 5, actor: chair }] }))).toBe('Invalid');
    const sat = await session.executeUpdate(closeCouncilSessionUpdate, { args: [{ membersPresent: 7, actor: chair }] });
    // 6/7 = 85.7 % ≥ 70 % for the Ministry flag; 5/7 = 71.4 % ≥ 70 % for the Government flag.
    expect(sat.items[0].approved).toEqual({ MINISTRY_FLAG: true, GOVERNMENT_FLAG: true });
    await eventually(async () => expect((await a.query(nominationStateQuery)).stage).toBe('GOVERNMENT_DECISION'));
    expect((await a.query(nominationStateQuery)).titles).toEqual({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'APPROVED' });

    // Submitted to the Government (trình Chính phủ); the decision needs it first.
    expect(
      await rejection(a.executeUpdate(governmentDecisionUpdate, { args: [{ decision: 'AWARDED', decisionNumber: '1/QĐ-TTg', decisionDate: `${YEAR + 1}-03-15`, actor: reviewer }] })),
    ).toBe('StageConflict');
    await a.executeUpdate(governmentSubmissionUpdate, { args: [{ batchId: `${YEAR}-G1`, actor: reviewer }] });
    // The Government's decision (Quyết định của Thủ tướng Chính phủ).
    const final = await a.executeUpdate(governmentDecisionUpdate, { args: [{ decision: 'AWARDED', decisionNumber: '123/QĐ-TTg', decisionDate: `${YEAR + 1}-03-15`, actor: reviewer }] });
    expect(final.stage).toBe('AWARDED');
    expect(final.titles).toEqual({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'AWARDED' });
    expect((await ended(a, nominationStateQuery)).stage).toBe('AWARDED');

    // The read model and the audit chain hold every decision, in order, with Vietnamese intact.
    const row = await db.dataSource.getRepository(NominationEntity).findOneByOrFail({ id: nid });
    expect(row.stage).toBe('AWARDED');
    const trail = await db.dataSource.getRepository(AuditEventEntity).find({ where: { subjectId: nid }, order: { seq: 'ASC' } });
    expect(trail.map((e) => e.action)).toEqual(TRAIL_AWARDED_AFTER_AMENDMENT);
    expect(trail.find((e) => e.action === 'REVIEW_RETURNED')).toMatchObject({ actor: 'vutdkt', role: 'DEPARTMENT_REVIEWER', reason: 'Thiếu biên bản họp cụm', fromStage: 'DEPARTMENT_REVIEW', toStage: 'AMENDMENT' });
    expect(await verifyAuditChain(db.dataSource)).toMatchObject({ ok: true });

    if (process.env.RECORD_HISTORIES === '1') {
      const history = await a.fetchHistory();
      keepHistory(join(__dirname, '..', 'test', 'histories', 'nomination-awarded.json'), historyToJSON(history));
      const campaignHistory = await campaign.fetchHistory();
      keepHistory(join(__dirname, '..', 'test', 'histories', 'campaign-closed.json'), historyToJSON(campaignHistory));
      keepHistory(join(__dirname, '..', 'test', 'histories', 'campaign-covenant-leadership.json'), historyToJSON(campaignHistory));
      keepHistory(join(__dirname, '..', 'test', 'histories', 'council-session-closed.json'), historyToJSON(await session.fetchHistory()));
      // Patch nomination-created-with-campaign: the nomination starts at version 1, created by its campaign.
      keepHistory(join(__dirname, '..', 'test', 'histories', 'nomination-created-by-campaign-awarded.json'), historyToJSON(history));
      keepHistory(join(__dirname, '..', 'test', 'histories', 'campaign-closed-nominations-created-with-it.json'), historyToJSON(campaignHistory));
    }
  });
});

describe('registration', () => {
  it('closes as soon as every member has registered, before the deadline', async () => {
    const cluster = `${CLUSTER}-2`;
    const campaign = await startCampaign(cluster, 30);
    for (const unit of MEMBERS) {
      await campaign.executeUpdate(registerUpdate, { args: [{ unitCode: unit, targetTitles: ['MINISTRY_FLAG'], actor: officer(unit) }] });
    }
    await eventually(async () => expect((await campaign.query(campaignStateQuery)).phase).toBe('SELF_ASSESSMENT'));
    const now = Number(await env.currentTimeMs());
    expect(now).toBeLessThan(Date.parse((await campaign.query(campaignStateQuery)).registrationDeadline));
  });
});

describe('the cluster vote', () => {
  it('opens a run-off among the units tied for the last seat, and the run-off decides', async () => {
    const cluster = `${CLUSTER}-3`;
    const members = [...MEMBERS, 'STP-C'];
    const campaign = await startCampaign(cluster, 10, members);
    for (const unit of members) {
      await campaign.executeUpdate(registerUpdate, { args: [{ unitCode: unit, targetTitles: ['MINISTRY_FLAG'], actor: officer(unit) }] });
    }
    await eventually(async () => expect((await nomination(cluster, 'STP-A').query(nominationStateQuery)).registrationClosed).toBe(true));
    for (const unit of members) {
      await eventually(() =>
        nomination(cluster, unit).executeUpdate(submitSelfAssessmentUpdate, { args: [{ score: 90, achievementReport: 'Báo cáo', criteria: [], actor: officer(unit) }] }),
      );
    }
    await eventually(async () => expect((await campaign.query(campaignStateQuery)).members.every((m) => m.selfAssessedAt)).toBe(true));
    await campaign.executeUpdate(openVoteUpdate, { args: [{ ministryFlagSeats: 2, governmentFlagSeats: 0, actor: head }] });
    // Five ballots of two picks: THADS-A 4 votes (selected, > 50 %); STP-B and THADS-B 3 each,
    // both over the threshold, tied for the one seat left.
    const picks: Record<string, string[]> = {
      'STP-A': ['THADS-A', 'STP-B'],
      'STP-B': ['THADS-A', 'THADS-B'],
      'THADS-A': ['STP-B', 'THADS-B'],
      'THADS-B': ['THADS-A', 'STP-B'],
      'STP-C': ['THADS-A', 'THADS-B'],
    };
    for (const [unit, ministryFlag] of Object.entries(picks)) {
      await campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: unit, ministryFlag, governmentFlag: [], receiptHash: receiptHash(), actor: leader(unit) }] });
    }
    const first = await campaign.executeUpdate(closeVoteUpdate, { args: [{ actor: head }] });
    expect(first).toMatchObject({ status: 'OPEN', round: 2, candidates: { MINISTRY_FLAG: ['STP-B', 'THADS-B'], GOVERNMENT_FLAG: [] } });
    expect(first.result?.runoff).toEqual({ title: 'MINISTRY_FLAG', units: ['STP-B', 'THADS-B'], seats: 1 });
    // Run-off: only the tied units may be chosen.
    expect(
      await rejection(campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: 'STP-A', ministryFlag: ['STP-A'], governmentFlag: [], receiptHash: receiptHash(), actor: leader('STP-A') }] })),
    ).toBe('Invalid');
    for (const [unit, pick] of Object.entries({ 'STP-A': 'STP-B', 'STP-B': 'STP-B', 'THADS-A': 'THADS-B', 'STP-C': 'STP-B' })) {
      await campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: unit, ministryFlag: [pick], governmentFlag: [], receiptHash: receiptHash(), actor: leader(unit) }] });
    }
    const second = await campaign.executeUpdate(closeVoteUpdate, { args: [{ actor: head }] });
    expect(second.status).toBe('CLOSED');
    expect(second.result!.ministryFlag.filter((t) => t.selected).map((t) => t.unitCode).sort()).toEqual(['STP-B', 'THADS-A']);
    await eventually(async () => expect((await nomination(cluster, 'STP-B').query(nominationStateQuery)).stage).toBe('DEPARTMENT_REVIEW'));
    expect((await ended(nomination(cluster, 'THADS-B'), nominationStateQuery)).stage).toBe('NOT_SELECTED');
  });
});

describe('the read model', () => {
  it('holds a row per nomination, moved only by the workflows', async () => {
    const rows = await db.dataSource.getRepository(NominationEntity).count();
    expect(rows).toBeGreaterThanOrEqual(MEMBERS.length * 3);
    expect(await verifyAuditChain(db.dataSource)).toMatchObject({ ok: true });
  });
});
