/**
 * Abstentions, conflicts of interest and prior titles, on the time-skipping test server with the
 * real activities and Postgres: a cluster vote under the `prior-titles` rule set (the Government
 * flag needs last year's Ministry flag in the award registry) with abstentions on a seat, then a
 * council sitting where a member declares a conflict of interest and others abstain.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import {
  campaignStateQuery,
  castBallotUpdate,
  closeCouncilSessionUpdate,
  closeVoteUpdate,
  councilSessionStateQuery,
  councilVoteUpdate,
  declareCouncilConflictUpdate,
  nominationStateQuery,
  openVoteUpdate,
  registerUpdate,
  reviewUpdate,
  submitSelfAssessmentUpdate,
} from '@tdkt/contracts';
import { councilSessionWorkflowId, nominationId } from '@tdkt/domain';
import { loadBallotKey, sealBallot, verifyAuditChain } from '@tdkt/persistence';
import { actor } from '../../test/support/actors';
import { eventually } from '../../test/support/eventually';
import { keepHistory } from '../../test/support/histories';
import { ended, nominationHandle, rejection, startCampaign, startWorkflowHarness, type WorkflowHarness } from '../../test/support/workflow-harness';
import type { councilSessionWorkflow } from './index';

jest.setTimeout(120_000);

const YEAR = 2033;
const CLUSTER = 'CUM-VOTES';
const MEMBERS = ['STP-A', 'STP-B', 'STP-C'];
const officer = (u: string) => actor(`canbo.${u.toLowerCase()}`, 'UNIT_OFFICER', u);
const leader = (u: string) => actor(`thutruong.${u.toLowerCase()}`, 'UNIT_LEADER', u);
const head = actor('cumtruong.stp-a', 'CLUSTER_HEAD', 'STP-A');
const reviewer = actor('vutdkt', 'DEPARTMENT_REVIEWER');
const chair = actor('chutich', 'COUNCIL_CHAIR');
const member = (n: number) => actor(`hoidong${n}`, 'COUNCIL_MEMBER');
const receiptHash = () => createHash('sha256').update(randomUUID()).digest('hex');
const nid = (u: string) => nominationId(YEAR, CLUSTER, u);
const record = process.env.RECORD_HISTORIES === '1';
const historyFile = (name: string) => join(__dirname, '..', 'test', 'histories', name);

let h: WorkflowHarness;
beforeAll(async () => {
  h = await startWorkflowHarness();
  const q = (sql: string, params: unknown[]) => h.db.dataSource.query(sql, params);
  await q("INSERT INTO unit (code, name, kind) VALUES ('STP-A', 'Sở Tư pháp A', 'SO_TU_PHAP'), ('OLD-A', 'Sở Tư pháp A (tên cũ)', 'SO_TU_PHAP')", []);
  // STP-A holds last year's Ministry flag under its former code; STP-B's was revoked; STP-C's is too old.
  await q("INSERT INTO unit_alias (old_code, new_code, reason, effective_date) VALUES ('OLD-A', 'STP-A', 'RENAMED', $1)", [`${YEAR - 1}-07-01`]);
  const award = `INSERT INTO award (unit_code, title, year, decision_number, issuing_body, source, revoked_at, revoked_reason)
                 VALUES ($1, 'MINISTRY_FLAG', $2, $3, 'Bộ trưởng Bộ Tư pháp', 'IMPORT', $4, $5)`;
  await q(award, ['OLD-A', YEAR - 1, `1/QĐ-BTP-${YEAR - 1}`, null, null]);
  await q(award, ['STP-B', YEAR - 1, `2/QĐ-BTP-${YEAR - 1}`, new Date().toISOString(), 'thu hồi']);
  await q(award, ['STP-C', YEAR - 2, `3/QĐ-BTP-${YEAR - 2}`, null, null]);
});
afterAll(async () => {
  await h?.stop();
});

describe('a cluster vote with abstentions under a prior-title rule', () => {
  it('counts abstentions per seat and proposes for the Government flag only units with last year’s Ministry flag', async () => {
    const campaign = await startCampaign(h, { year: YEAR, cluster: CLUSTER, members: MEMBERS, head: 'STP-A', ruleSet: { id: 'prior-titles', version: 1 } });
    for (const u of MEMBERS) {
      await campaign.executeUpdate(registerUpdate, { args: [{ unitCode: u, targetTitles: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'], actor: officer(u) }] });
    }
    for (const u of MEMBERS) {
      await eventually(() =>
        nominationHandle(h, YEAR, CLUSTER, u).executeUpdate(submitSelfAssessmentUpdate, { args: [{ score: 95, achievementReport: 'Báo cáo thành tích', criteria: [], actor: officer(u) }] }),
      );
    }
    await eventually(async () => expect((await campaign.query(campaignStateQuery)).members.every((m) => m.selfAssessedAt)).toBe(true));
    await campaign.executeUpdate(openVoteUpdate, { args: [{ ministryFlagSeats: 3, governmentFlagSeats: 2, actor: head }] });

    // An abstention with a pick for the same title is refused.
    expect(
      await rejection(
        campaign.executeUpdate(castBallotUpdate, {
          args: [{ unitCode: 'STP-C', ministryFlag: MEMBERS, governmentFlag: ['STP-A'], abstain: ['GOVERNMENT_FLAG'], receiptHash: receiptHash(), actor: leader('STP-C') }],
        }),
      ),
    ).toBe('Invalid');
    // Two ballots in clear, one sealed (as the API sends it) abstaining on the Government flag.
    for (const u of ['STP-A', 'STP-B']) {
      await campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: u, ministryFlag: MEMBERS, governmentFlag: ['STP-A', 'STP-B'], receiptHash: receiptHash(), actor: leader(u) }] });
    }
    const sealedHash = receiptHash();
    const sealedBallot = sealBallot(loadBallotKey(), { receiptHash: sealedHash, ministryFlag: MEMBERS, governmentFlag: [], abstain: ['GOVERNMENT_FLAG'] });
    await campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: 'STP-C', sealedBallot, actor: leader('STP-C') }] });

    const closed = await campaign.executeUpdate(closeVoteUpdate, { args: [{ actor: head }] });
    const result = closed.result!;
    expect(result.ministryFlag.filter((t) => t.selected).map((t) => t.unitCode)).toEqual(MEMBERS);
    // STP-A and STP-B both have 2 of 3 ballots (abstention kept in the base) for the Government flag;
    // STP-B's Ministry flag of last year was revoked, so only STP-A (under its old code OLD-A) qualifies.
    expect(result.governmentFlag.map((t) => [t.unitCode, t.votes, t.selected])).toEqual([
      ['STP-A', 2, true],
      ['STP-B', 2, false],
      ['STP-C', 0, false],
    ]);
    expect(result.abstentions).toEqual({ MINISTRY_FLAG: 0, GOVERNMENT_FLAG: 1 });
    expect(result.thresholdBase).toEqual({ MINISTRY_FLAG: 3, GOVERNMENT_FLAG: 3 });
    expect(result.ineligible!.map((i) => [i.unitCode, i.title])).toEqual([
      ['STP-B', 'GOVERNMENT_FLAG'],
      ['STP-C', 'GOVERNMENT_FLAG'],
    ]);
    expect(result.ineligible![0].reason).toBe(
      `GOVERNMENT_FLAG needs 1 × MINISTRY_FLAG (Cờ thi đua ngành Tư pháp) awarded for ${YEAR - 1}; the award registry holds 0`,
    );
    // The sealed ballot reached the ballot box with its abstention.
    const [boxed] = await h.db.dataSource.query('SELECT choices FROM ballot_box WHERE receipt_hash = $1', [sealedHash]);
    expect(boxed.choices).toEqual({ ministryFlag: MEMBERS, governmentFlag: [], abstain: ['GOVERNMENT_FLAG'] });

    const b = await eventually(async () => {
      const view = await nominationHandle(h, YEAR, CLUSTER, 'STP-B').query(nominationStateQuery);
      expect(view.stage).toBe('DEPARTMENT_REVIEW');
      return view;
    });
    expect(b.titles).toEqual({ MINISTRY_FLAG: 'PROPOSED' });
    expect(b.clusterVote?.ineligible?.GOVERNMENT_FLAG).toContain('MINISTRY_FLAG (Cờ thi đua ngành Tư pháp)');
    await eventually(async () => expect((await nominationHandle(h, YEAR, CLUSTER, 'STP-A').query(nominationStateQuery)).titles).toEqual({ MINISTRY_FLAG: 'PROPOSED', GOVERNMENT_FLAG: 'PROPOSED' }));
    if (record) keepHistory(historyFile('campaign-prior-titles-abstentions.json'), historyToJSON(await campaign.fetchHistory()));
  });
});

describe('a council sitting with a conflict of interest and abstentions', () => {
  it('refuses the vote of a member who declared a conflict and leaves the member out of that nomination’s count', async () => {
    for (const u of ['STP-A', 'STP-B']) {
      await nominationHandle(h, YEAR, CLUSTER, u).executeUpdate(reviewUpdate, { args: [{ decision: 'APPROVE', reason: 'Hồ sơ đầy đủ', actor: reviewer }] });
    }
    const sessionId = `${YEAR}-1`;
    const session = await h.env.client.workflow.start<typeof councilSessionWorkflow>('councilSessionWorkflow', {
      workflowId: councilSessionWorkflowId(sessionId),
      taskQueue: h.taskQueue,
      args: [
        {
          id: sessionId,
          year: YEAR,
          items: [
            { nominationId: nid('STP-A'), unitCode: 'STP-A', titles: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] },
            { nominationId: nid('STP-B'), unitCode: 'STP-B', titles: ['MINISTRY_FLAG'] },
          ],
          membersTotal: 5,
          ruleSet: { id: 'prior-titles', version: 1 },
          openedBy: chair,
        },
      ],
    });
    const vote = (who: ReturnType<typeof actor>, unit: string, title: 'MINISTRY_FLAG' | 'GOVERNMENT_FLAG', choice: { approve?: boolean; abstain?: boolean }) =>
      session.executeUpdate(councilVoteUpdate, { args: [{ nominationId: nid(unit), title, ...choice, actor: who }] });
    const declare = (who: ReturnType<typeof actor>, unit: string, reason: string) =>
      session.executeUpdate(declareCouncilConflictUpdate, { args: [{ nominationId: nid(unit), reason, actor: who }] });

    expect(await rejection(declare(member(1), 'STP-A', '  '))).toBe('Invalid');
    expect(await declare(member(1), 'STP-A', 'Nguyên Giám đốc Sở Tư pháp A')).toEqual({ nominationId: nid('STP-A'), member: 'hoidong1', conflicts: 1 });
    expect(await rejection(declare(member(1), 'STP-A', 'lần nữa'))).toBe('Duplicate');
    // Left out of that nomination: its vote is refused (409), on any title.
    expect(await rejection(vote(member(1), 'STP-A', 'MINISTRY_FLAG', { approve: true }))).toBe('RuleNotMet');
    expect(await rejection(vote(member(1), 'STP-A', 'GOVERNMENT_FLAG', { abstain: true }))).toBe('RuleNotMet');
    // A member who already voted on a nomination can no longer declare a conflict on it.
    await vote(member(2), 'STP-A', 'MINISTRY_FLAG', { approve: true });
    expect(await rejection(declare(member(2), 'STP-A', 'muộn'))).toBe('StageConflict');
    expect(await rejection(vote(member(3), 'STP-A', 'MINISTRY_FLAG', {}))).toBe('Invalid');
    expect(await rejection(vote(member(3), 'STP-A', 'MINISTRY_FLAG', { approve: true, abstain: true }))).toBe('Invalid');

    // STP-A, Ministry flag: 3 for, the chair abstains; hoidong1 (conflict) is out: 3 of 4 present = 75 %.
    await vote(member(3), 'STP-A', 'MINISTRY_FLAG', { approve: true });
    await vote(member(4), 'STP-A', 'MINISTRY_FLAG', { approve: true });
    await vote(chair, 'STP-A', 'MINISTRY_FLAG', { abstain: true });
    expect(await rejection(vote(chair, 'STP-A', 'MINISTRY_FLAG', { approve: true }))).toBe('Duplicate');
    // STP-A, Government flag: 2 for, 1 against, 1 abstains: 2 of 4 = 50 %.
    await vote(member(2), 'STP-A', 'GOVERNMENT_FLAG', { approve: true });
    await vote(member(3), 'STP-A', 'GOVERNMENT_FLAG', { approve: true });
    await vote(member(4), 'STP-A', 'GOVERNMENT_FLAG', { approve: false });
    await vote(chair, 'STP-A', 'GOVERNMENT_FLAG', { abstain: true });
    // STP-B, Ministry flag (hoidong1 may vote here): 3 for, 1 against, 1 abstains: 3 of 5 = 60 %.
    for (const n of [1, 2, 3]) await vote(member(n), 'STP-B', 'MINISTRY_FLAG', { approve: true });
    await vote(member(4), 'STP-B', 'MINISTRY_FLAG', { abstain: true });
    await vote(chair, 'STP-B', 'MINISTRY_FLAG', { approve: false });

    const open = await session.query(councilSessionStateQuery);
    expect(open.items[0].votes).toEqual({ MINISTRY_FLAG: { approve: 3, reject: 0, abstain: 1 }, GOVERNMENT_FLAG: { approve: 2, reject: 1, abstain: 1 } });
    expect(open.items[0].conflicts).toEqual([expect.objectContaining({ member: 'hoidong1', reason: 'Nguyên Giám đốc Sở Tư pháp A' })]);
    // 4 voted on STP-A's titles and 1 declared a conflict: 5 were present.
    expect(await rejection(session.executeUpdate(closeCouncilSessionUpdate, { args: [{ membersPresent: 4, actor: chair }] }))).toBe('Invalid');
    const sat = await session.executeUpdate(closeCouncilSessionUpdate, { args: [{ membersPresent: 5, actor: chair }] });
    expect(sat.items.map((i) => i.approved)).toEqual([{ MINISTRY_FLAG: true, GOVERNMENT_FLAG: false }, { MINISTRY_FLAG: false }]);
    expect(sat.items[0].outcome!.MINISTRY_FLAG).toMatchObject({
      approve: 3,
      abstain: 1,
      conflicts: 1,
      present: 4,
      members: 4,
      baseKind: 'PRESENT',
      base: 4,
      excludedFromBase: { abstentions: 0, conflicts: 1 },
      required: 3,
    });
    expect(sat.items[1].outcome!.MINISTRY_FLAG).toMatchObject({ approve: 3, reject: 1, abstain: 1, conflicts: 0, base: 5, required: 4 });

    await eventually(async () => expect((await nominationHandle(h, YEAR, CLUSTER, 'STP-A').query(nominationStateQuery)).titles).toEqual({ MINISTRY_FLAG: 'AWARDED', GOVERNMENT_FLAG: 'REJECTED' }));
    expect((await ended(nominationHandle(h, YEAR, CLUSTER, 'STP-B'), nominationStateQuery)).stage).toBe('NOT_AWARDED');
    const [declared] = await h.db.dataSource.query("SELECT actor, reason, data FROM audit_event WHERE action = 'COUNCIL_CONFLICT_DECLARED'");
    expect(declared).toEqual({ actor: 'hoidong1', reason: 'Nguyên Giám đốc Sở Tư pháp A', data: { nominationId: nid('STP-A') } });
    expect(await verifyAuditChain(h.db.dataSource)).toMatchObject({ ok: true });
    await ended(session, councilSessionStateQuery);
    if (record) keepHistory(historyFile('council-session-conflicts-abstentions.json'), historyToJSON(await session.fetchHistory()));
  });
});

describe('a cluster vote under the strict rule set', () => {
  it('refuses a self vote in the first round and in the run-off, and leaves abstentions out of the quorum and the base', async () => {
    const cluster = 'CUM-STRICT';
    const members = ['STP-A', 'STP-B', 'STP-C', 'STP-D', 'STP-E', 'STP-F'];
    const campaign = await startCampaign(h, { year: YEAR, cluster, members, head: 'STP-A', ruleSet: { id: 'strict', version: 1 } });
    for (const u of members) await campaign.executeUpdate(registerUpdate, { args: [{ unitCode: u, targetTitles: ['MINISTRY_FLAG'], actor: officer(u) }] });
    for (const u of members) {
      await eventually(() =>
        nominationHandle(h, YEAR, cluster, u).executeUpdate(submitSelfAssessmentUpdate, { args: [{ score: 90, achievementReport: 'Báo cáo thành tích', criteria: [], actor: officer(u) }] }),
      );
    }
    await eventually(async () => expect((await campaign.query(campaignStateQuery)).members.every((m) => m.selfAssessedAt)).toBe(true));
    await campaign.executeUpdate(openVoteUpdate, { args: [{ ministryFlagSeats: 2, governmentFlagSeats: 0, actor: head }] });
    const cast = (u: string, ministryFlag: string[], abstain?: 'MINISTRY_FLAG'[]) =>
      campaign.executeUpdate(castBallotUpdate, { args: [{ unitCode: u, ministryFlag, governmentFlag: [], ...(abstain ? { abstain } : {}), receiptHash: receiptHash(), actor: leader(u) }] });

    expect(await rejection(cast('STP-A', ['STP-A', 'STP-B']))).toBe('Invalid');
    // STP-A 4 votes, STP-B and STP-C 3 each; STP-F abstains: 3 of 6 − 1 = 5 is more than half, so
    // STP-B and STP-C tie for the last seat (with the abstention in the base, 3 of 6 would not be).
    const picks: Record<string, string[]> = {
      'STP-A': ['STP-B', 'STP-C'],
      'STP-B': ['STP-A', 'STP-C'],
      'STP-C': ['STP-A', 'STP-B'],
      'STP-D': ['STP-A', 'STP-B'],
      'STP-E': ['STP-A', 'STP-C'],
    };
    for (const [u, p] of Object.entries(picks)) await cast(u, p);
    await cast('STP-F', [], ['MINISTRY_FLAG']);
    const first = await campaign.executeUpdate(closeVoteUpdate, { args: [{ actor: head }] });
    expect(first).toMatchObject({ status: 'OPEN', round: 2 });
    expect(first.result).toMatchObject({
      runoff: { title: 'MINISTRY_FLAG', units: ['STP-B', 'STP-C'], seats: 1 },
      abstentions: { MINISTRY_FLAG: 1, GOVERNMENT_FLAG: 0 },
      thresholdBase: { MINISTRY_FLAG: 5 },
      quorumMet: { MINISTRY_FLAG: true },
      counting: { allowSelfVote: false, base: 'BALLOTS_CAST', abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT' },
    });

    // The run-off: a tied unit may not vote for itself either.
    expect(await rejection(cast('STP-B', ['STP-B']))).toBe('Invalid');
    expect(await rejection(cast('STP-C', ['STP-C']))).toBe('Invalid');
    for (const [u, p] of Object.entries({ 'STP-A': 'STP-B', 'STP-B': 'STP-C', 'STP-C': 'STP-B', 'STP-D': 'STP-B' })) await cast(u, [p]);
    // Two abstentions: 4 of 6 units vote on the run-off (quorum 2/3 met); STP-B has 3 of 4.
    await cast('STP-E', [], ['MINISTRY_FLAG']);
    await cast('STP-F', [], ['MINISTRY_FLAG']);
    const second = await campaign.executeUpdate(closeVoteUpdate, { args: [{ actor: head }] });
    expect(second.status).toBe('CLOSED');
    expect(second.result!.ministryFlag.filter((t) => t.selected).map((t) => t.unitCode)).toEqual(['STP-A', 'STP-B']);
    expect(second.result!.problems).toEqual([]);
    expect((await ended(nominationHandle(h, YEAR, cluster, 'STP-C'), nominationStateQuery)).stage).toBe('NOT_SELECTED');
    if (record) keepHistory(historyFile('campaign-strict-runoff.json'), historyToJSON(await campaign.fetchHistory()));
  });
});
