/**
 * The decision stages and their legal rules, on the time-skipping test server with the real
 * activities and Postgres: sub-units proposed by their member, the Department's appraisal time
 * limit, withdrawal, consultation (hiệp y) and submission before the Government's decision, and
 * the later revocation of an award.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import {
  campaignStateQuery,
  castBallotUpdate,
  closeCouncilSessionUpdate,
  closeVoteUpdate,
  consultationUpdate,
  councilVoteUpdate,
  governmentDecisionUpdate,
  governmentSubmissionUpdate,
  nominationStateQuery,
  openVoteUpdate,
  registerUpdate,
  reviewUpdate,
  submitSelfAssessmentUpdate,
  withdrawUpdate,
  type AwardRevocationInput,
} from '@tdkt/contracts';
import { addWorkingDays, councilSessionWorkflowId, nominationId, toVietnamDate } from '@tdkt/domain';
import { AuditEventEntity, loadBallotKey, sealBallot, verifyAuditChain } from '@tdkt/persistence';
import { actor } from '../../test/support/actors';
import { eventually } from '../../test/support/eventually';
import { ended, DAY, nominationHandle, rejection, startCampaign, startWorkflowHarness, type WorkflowHarness } from '../../test/support/workflow-harness';
import { keepHistory } from '../../test/support/histories';
import type { awardRevocationWorkflow, councilSessionWorkflow } from './index';

jest.setTimeout(60_000);

const YEAR = 2032;
const CLUSTER = 'CUM-RULES';
const MEMBERS = ['STP-A', 'THADS-A', 'STP-B'];
const SUB_UNIT = 'CC-THADS-A1';
const officer = (u: string) => actor(`canbo.${u.toLowerCase()}`, 'UNIT_OFFICER', u);
const leader = (u: string) => actor(`thutruong.${u.toLowerCase()}`, 'UNIT_LEADER', u);
const head = actor('cumtruong.stp-a', 'CLUSTER_HEAD', 'STP-A');
const reviewer = actor('vutdkt', 'DEPARTMENT_REVIEWER');
const chair = actor('chutich', 'COUNCIL_CHAIR');
const receiptHash = () => createHash('sha256').update(randomUUID()).digest('hex');

let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness();
});
afterAll(async () => {
  await h?.stop();
});

const nomination = (unit: string) => nominationHandle(h, YEAR, CLUSTER, unit);
const trail = async (unit: string) =>
  (await h.db.dataSource.getRepository(AuditEventEntity).find({ where: { subjectId: nominationId(YEAR, CLUSTER, unit) }, order: { seq: 'ASC' } })).map((e) => e.action);

describe('the Department’s appraisal time limit (thời hạn thẩm định)', () => {
  it('flags a dossier overdue once 10 working days pass without a review', async () => {
    const cluster = 'CUM-SLA';
    const members = ['STP-X', 'STP-Y'];
    const campaign = await startCampaign(h, { year: YEAR, cluster, members, head: 'STP-X' });
    for (const u of members) await campaign.executeUpdate(registerUpdate, { args: [{ unitCode: u, targetTitles: ['MINISTRY_FLAG'], actor: officer(u) }] });
    const n = (u: string) => nominationHandle(h, YEAR, cluster, u);
    for (const u of members) {
      await eventually(() => n(u).executeUpdate(submitSelfAssessmentUpdate, { args: [{ score: 90, achievementReport: 'Báo cáo', criteria: [], actor: officer(u) }] }));
    }
    await eventually(async () => expect((await campaign.query(campaignStateQuery)).members.every((m) => m.selfAssessedAt)).toBe(true));
    await campaign.executeUpdate(openVoteUpdate, { args: [{ ministryFlagSeats: 2, governmentFlagSeats: 0, actor: actor('cumtruong.stp-x', 'CLUSTER_HEAD', 'STP-X') }] });
    // Sealed ballots (as the API sends them): the ballot box stays empty until the vote closes.
    const hashes = members.map(() => receiptHash());
    for (const [i, u] of members.entries()) {
      const sealedBallot = sealBallot(loadBallotKey(), { receiptHash: hashes[i], ministryFlag: members, governmentFlag: [] });
      await campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: u, sealedBallot, actor: leader(u) }] });
    }
    const boxed = () => h.db.dataSource.query('SELECT receipt_hash FROM ballot_box WHERE campaign_id = $1 ORDER BY receipt_hash', [`${YEAR}:${cluster}`]);
    expect(await boxed()).toEqual([]);
    const history = JSON.stringify(await campaign.fetchHistory());
    for (const hash of hashes) expect(history).not.toContain(hash);
    const closedVote = await campaign.executeUpdate(closeVoteUpdate, { args: [{ actor: actor('cumtruong.stp-x', 'CLUSTER_HEAD', 'STP-X') }] });
    expect(closedVote.result!.ministryFlag.map((t) => [t.unitCode, t.votes, t.selected])).toEqual([
      ['STP-X', 2, true],
      ['STP-Y', 2, true],
    ]);
    expect((await boxed()).map((r: { receipt_hash: string }) => r.receipt_hash)).toEqual([...hashes].sort());
    const x = n('STP-X');
    const inReview = await eventually(async () => {
      const view = await x.query(nominationStateQuery);
      expect(view.stage).toBe('DEPARTMENT_REVIEW');
      return view;
    });
    expect(inReview.reviewDue).toEqual({ dueDate: addWorkingDays(toVietnamDate(new Date(inReview.updatedAt)), 10), overdue: false });
    // 20 days pass on the test server's clock.
    await h.env.sleep(20 * DAY);
    await eventually(async () => expect((await x.query(nominationStateQuery)).reviewDue).toMatchObject({ overdue: true }));
    expect(Number(await h.env.currentTimeMs())).toBeGreaterThan(Date.parse(`${inReview.reviewDue!.dueDate}T17:00:00Z`));
    const [overdue] = await h.db.dataSource.query("SELECT actor, data FROM audit_event WHERE subject_id = $1 AND action = 'REVIEW_OVERDUE'", [nominationId(YEAR, cluster, 'STP-X')]);
    expect(overdue).toEqual({ actor: 'system', data: { dueDate: inReview.reviewDue!.dueDate } });
    // The review still goes ahead late.
    await x.executeUpdate(reviewUpdate, { args: [{ decision: 'REJECT', reason: 'Không đủ tiêu chuẩn', actor: reviewer }] });
    expect((await ended(x, nominationStateQuery)).stage).toBe('NOT_AWARDED');
    await n('STP-Y').executeUpdate(withdrawUpdate, { args: [{ reason: 'Rút hồ sơ', actor: officer('STP-Y') }] });
    if (process.env.RECORD_HISTORIES === '1') {
      keepHistory(join(__dirname, '..', 'test', 'histories', 'nomination-review-overdue.json'), historyToJSON(await x.fetchHistory()));
      keepHistory(join(__dirname, '..', 'test', 'histories', 'campaign-sealed-ballots.json'), historyToJSON(await campaign.fetchHistory()));
    }
  });
});

describe(`cluster ${CLUSTER}: the decision stages with their rules`, () => {
  it('lets a member register its sub-unit, which becomes a candidate the cluster can propose', async () => {
    const campaign = await startCampaign(h, {
      year: YEAR,
      cluster: CLUSTER,
      members: MEMBERS,
      head: 'STP-A',
      // Version 2 of the default rule set: Cục THADS dossiers need the consultation (hiệp y).
      ruleSet: { id: 'default', version: 2 },
      subUnits: [{ unitCode: SUB_UNIT, parentUnitCode: 'THADS-A' }],
      unitKinds: { 'STP-A': 'SO_TU_PHAP', 'THADS-A': 'CUC_THADS', 'STP-B': 'SO_TU_PHAP', [SUB_UNIT]: 'CHI_CUC_THADS' },
    });
    // Only its own member may register a sub-unit.
    expect(
      await rejection(
        campaign.executeUpdate(registerUpdate, {
          args: [{ unitCode: 'STP-A', targetTitles: ['MINISTRY_FLAG'], subUnits: [{ unitCode: SUB_UNIT, targetTitles: ['MINISTRY_FLAG'] }], actor: officer('STP-A') }],
        }),
      ),
    ).toBe('Invalid');
    await campaign.executeUpdate(registerUpdate, {
      args: [{ unitCode: 'THADS-A', targetTitles: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'], subUnits: [{ unitCode: SUB_UNIT, targetTitles: ['MINISTRY_FLAG'] }], actor: officer('THADS-A') }],
    });
    for (const unit of ['STP-A', 'STP-B']) {
      await campaign.executeUpdate(registerUpdate, { args: [{ unitCode: unit, targetTitles: ['MINISTRY_FLAG'], actor: officer(unit) }] });
    }
    await eventually(async () => expect((await campaign.query(campaignStateQuery)).phase).toBe('SELF_ASSESSMENT'));
    const sub = await eventually(async () => {
      const view = await nomination(SUB_UNIT).query(nominationStateQuery);
      expect(view).toMatchObject({ parentUnitCode: 'THADS-A', registrationClosed: true, titles: { MINISTRY_FLAG: 'REGISTERED' } });
      return view;
    });
    expect(sub.stage).toBe('SELF_ASSESSMENT');

    // The member's officer files the sub-unit's self-assessment; another unit's officer may not.
    const report = { score: 92, achievementReport: 'Chi cục hoàn thành xuất sắc chỉ tiêu thi hành án', criteria: [] };
    expect(await rejection(nomination(SUB_UNIT).executeUpdate(submitSelfAssessmentUpdate, { args: [{ ...report, actor: officer('STP-B') }] }))).toBe('Forbidden');
    await nomination(SUB_UNIT).executeUpdate(submitSelfAssessmentUpdate, { args: [{ ...report, actor: officer('THADS-A') }] });
    for (const unit of MEMBERS) {
      await nomination(unit).executeUpdate(submitSelfAssessmentUpdate, { args: [{ ...report, actor: officer(unit) }] });
    }
    await eventually(async () => {
      const view = await campaign.query(campaignStateQuery);
      expect(view.subUnits).toEqual([expect.objectContaining({ unitCode: SUB_UNIT, parentUnitCode: 'THADS-A', selfAssessedAt: expect.any(String) })]);
      expect(view.members.every((m) => m.selfAssessedAt)).toBe(true);
    });

    const vote = await campaign.executeUpdate(openVoteUpdate, { args: [{ ministryFlagSeats: 3, governmentFlagSeats: 1, actor: head }] });
    expect(vote.candidates.MINISTRY_FLAG.sort()).toEqual([SUB_UNIT, ...MEMBERS].sort());
    expect(vote.candidates.GOVERNMENT_FLAG).toEqual(['THADS-A']);
    // A sub-unit does not vote (it is no member); a Government pick must also be a Ministry pick.
    expect(
      await rejection(campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: 'STP-B', ministryFlag: [SUB_UNIT], governmentFlag: ['THADS-A'], receiptHash: receiptHash(), actor: leader('STP-B') }] })),
    ).toBe('Invalid');
    for (const unit of MEMBERS) {
      await campaign.executeUpdate(castBallotUpdate, {
        args: [{ unitCode: unit, ministryFlag: ['THADS-A', SUB_UNIT, 'STP-B'], governmentFlag: ['THADS-A'], receiptHash: receiptHash(), actor: leader(unit) }],
      });
    }
    const closed = await campaign.executeUpdate(closeVoteUpdate, { args: [{ actor: head }] });
    expect(closed.result!.ministryFlag.filter((t) => t.selected).map((t) => t.unitCode).sort()).toEqual([SUB_UNIT, 'STP-B', 'THADS-A'].sort());
    expect(closed.result!.governmentFlag.filter((t) => t.selected).map((t) => t.unitCode)).toEqual(['THADS-A']);
    for (const unit of [SUB_UNIT, 'THADS-A', 'STP-B']) {
      await eventually(async () => expect((await nomination(unit).query(nominationStateQuery)).stage).toBe('DEPARTMENT_REVIEW'));
    }
    expect((await ended(nomination('STP-A'), nominationStateQuery)).stage).toBe('NOT_SELECTED');
  });

  it('starts the appraisal time limit when a dossier reaches the Department', async () => {
    const view = await nomination(SUB_UNIT).query(nominationStateQuery);
    expect(view.reviewDue).toEqual({ dueDate: addWorkingDays(toVietnamDate(new Date(view.updatedAt)), 10), overdue: false });
    const approved = await nomination(SUB_UNIT).executeUpdate(reviewUpdate, { args: [{ decision: 'APPROVE', reason: 'Đủ điều kiện', actor: reviewer }] });
    expect(approved).toMatchObject({ stage: 'COUNCIL_DECISION', reviewDue: null });
  });

  it('lets the unit withdraw its dossier before the council, with a reason', async () => {
    expect(await rejection(nomination('STP-B').executeUpdate(withdrawUpdate, { args: [{ reason: ' ', actor: officer('STP-B') }] }))).toBe('Invalid');
    expect(await rejection(nomination('STP-B').executeUpdate(withdrawUpdate, { args: [{ reason: 'Rút', actor: officer('STP-A') }] }))).toBe('Forbidden');
    const withdrawn = await nomination('STP-B').executeUpdate(withdrawUpdate, { args: [{ reason: 'Đơn vị xin rút hồ sơ để bổ sung thành tích năm sau', actor: officer('STP-B') }] });
    expect(withdrawn).toMatchObject({ stage: 'WITHDRAWN', withdrawal: { reason: 'Đơn vị xin rút hồ sơ để bổ sung thành tích năm sau', by: 'canbo.stp-b' } });
    expect((await ended(nomination('STP-B'), nominationStateQuery)).stage).toBe('WITHDRAWN');
    // Once at the council, a dossier can no longer be withdrawn.
    expect(await rejection(nomination(SUB_UNIT).executeUpdate(withdrawUpdate, { args: [{ reason: 'Rút', actor: officer('THADS-A') }] }))).toBe('StageConflict');
  });

  it('needs the consultation (hiệp y) and the submission before the Government decides; an award can be revoked later', async () => {
    const a = nomination('THADS-A');
    await a.executeUpdate(reviewUpdate, { args: [{ decision: 'APPROVE', reason: 'Đủ điều kiện', actor: reviewer }] });
    const sessionId = `${YEAR}-1`;
    const nid = nominationId(YEAR, CLUSTER, 'THADS-A');
    const session = await h.env.client.workflow.start<typeof councilSessionWorkflow>('councilSessionWorkflow', {
      workflowId: councilSessionWorkflowId(sessionId),
      taskQueue: h.taskQueue,
      args: [{ id: sessionId, year: YEAR, items: [{ nominationId: nid, unitCode: 'THADS-A', titles: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] }], membersTotal: 3, ruleSet: { id: 'default', version: 2 }, openedBy: chair }],
    });
    for (const member of ['hoidong1', 'hoidong2', 'hoidong3']) {
      for (const title of ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] as const) {
        await session.executeUpdate(councilVoteUpdate, { args: [{ nominationId: nid, title, approve: true, actor: actor(member, 'COUNCIL_MEMBER') }] });
      }
    }
    await session.executeUpdate(closeCouncilSessionUpdate, { args: [{ membersPresent: 3, actor: chair }] });
    await eventually(async () => expect((await a.query(nominationStateQuery)).stage).toBe('GOVERNMENT_DECISION'));

    const submit = (batchId: string) => a.executeUpdate(governmentSubmissionUpdate, { args: [{ batchId, actor: reviewer }] });
    expect(await rejection(submit(`${YEAR}-G1`))).toBe('RuleNotMet');
    await a.executeUpdate(consultationUpdate, { args: [{ opinion: 'DISAGREE', reference: '11/UBND-NC', actor: reviewer }] });
    expect(await rejection(submit(`${YEAR}-G1`))).toBe('RuleNotMet');
    await a.executeUpdate(consultationUpdate, { args: [{ opinion: 'AGREE', reference: '12/UBND-NC', actor: reviewer }] });
    expect((await submit(`${YEAR}-G1`)).governmentSubmission).toMatchObject({ batchId: `${YEAR}-G1`, by: 'vutdkt' });
    expect(await rejection(submit(`${YEAR}-G2`))).toBe('Duplicate');
    const decided = await a.executeUpdate(governmentDecisionUpdate, { args: [{ decision: 'AWARDED', decisionNumber: '77/QĐ-TTg', decisionDate: `${YEAR + 1}-04-01`, actor: reviewer }] });
    expect(decided).toMatchObject({ stage: 'AWARDED', titles: { MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'AWARDED' } });
    expect((await ended(a, nominationStateQuery)).stage).toBe('AWARDED');

    // Years later: the Government flag is revoked (thu hồi), in the same audit chain.
    const revoke = (title: 'GOVERNMENT_FLAG' | 'MINISTRY_FLAG') => {
      const input: AwardRevocationInput = {
        nominationId: nid,
        title,
        reason: 'Phát hiện kê khai thành tích không trung thực',
        decisionNumber: '5/QĐ-TTg',
        decisionDate: `${YEAR + 3}-01-10`,
        actor: reviewer,
      };
      return h.env.client.workflow.execute<typeof awardRevocationWorkflow>('awardRevocationWorkflow', {
        workflowId: `revocation:${nid}:${title}:${randomUUID()}`,
        taskQueue: h.taskQueue,
        args: [input],
      });
    };
    const revoked = await revoke('GOVERNMENT_FLAG');
    expect(revoked.titles).toEqual({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REVOKED' });
    expect(revoked.revocations).toEqual([expect.objectContaining({ title: 'GOVERNMENT_FLAG', decisionNumber: '5/QĐ-TTg', by: 'vutdkt' })]);
    await expect(revoke('GOVERNMENT_FLAG')).rejects.toBeInstanceOf(WorkflowFailedError);
    const [row] = await h.db.dataSource.query('SELECT titles FROM nomination WHERE id = $1', [nid]);
    expect(row.titles).toEqual({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REVOKED' });
    expect(await trail('THADS-A')).toEqual(expect.arrayContaining(['CONSULTATION_RECORDED', 'GOVERNMENT_SUBMITTED', 'GOVERNMENT_DECISION_RECORDED', 'AWARD_REVOKED']));
    expect(await verifyAuditChain(h.db.dataSource)).toMatchObject({ ok: true });

    if (process.env.RECORD_HISTORIES === '1') {
      const dir = join(__dirname, '..', 'test', 'histories');
      keepHistory(join(dir, 'nomination-consulted-awarded-v2.json'), historyToJSON(await a.fetchHistory()));
      keepHistory(join(dir, 'nomination-sub-unit.json'), historyToJSON(await nomination(SUB_UNIT).fetchHistory()));
      keepHistory(join(dir, 'campaign-with-sub-unit.json'), historyToJSON(await h.env.client.workflow.getHandle(`campaign:${YEAR}:${CLUSTER}`).fetchHistory()));
      keepHistory(join(dir, 'nomination-withdrawn.json'), historyToJSON(await nomination('STP-B').fetchHistory()));
    }
  });
});
