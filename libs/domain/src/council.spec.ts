import { approvalsRequired, councilApproves, councilDecision, councilQuorumMet, CouncilRules } from './council';
import { DomainRuleError } from './nomination-rules';
import { findRuleSet } from './rule-set';

const byDefault = findRuleSet('default')!.council; // ≥ 70 % of members present
const stateAudit = findRuleSet('state-audit')!.council; // > 50 % of all members
const ofBallotsCast: CouncilRules = { ...byDefault, flagThreshold: { ...byDefault.flagThreshold, base: 'BALLOTS_CAST' } };

describe('councilQuorumMet — Hội đồng họp hợp lệ khi có ít nhất 2/3 thành viên', () => {
  it.each([
    [10, 15, true], // exactly 2/3
    [9, 15, false],
    [15, 15, true],
    [8, 12, true],
    [7, 12, false],
    [2, 3, true],
    [0, 15, false],
  ])('%i of %i members present → %s', (present, total, ok) => {
    expect(councilQuorumMet(present, total, byDefault)).toBe(ok);
    expect(councilQuorumMet(present, total, stateAudit)).toBe(ok);
  });
});

describe('councilApproves — biểu quyết Cờ thi đua', () => {
  it.each([
    // default: ≥ 70 % of the members present
    ['default', byDefault, 7, 3, 10, 15, true, '7/10 present = 70 %'],
    ['default', byDefault, 6, 3, 9, 12, false, '6/9 present = 66.7 %'],
    ['default', byDefault, 7, 0, 10, 15, true, 'blank ballots do not lower the share of those present'],
    ['default', byDefault, 6, 0, 10, 15, false, '6/10 even with no one against'],
    ['default', byDefault, 11, 4, 15, 15, true, '11/15 = 73 %'],
    ['default', byDefault, 10, 5, 15, 15, false, '10/15 = 66.7 %'],
    ['default', byDefault, 9, 0, 9, 15, false, 'unanimous but no quorum (9 of 15 present)'],
    // state-audit: > 50 % of ALL council members
    ['state-audit', stateAudit, 8, 2, 10, 15, true, '8/15 members'],
    ['state-audit', stateAudit, 7, 3, 10, 15, false, '7/15 members although 70 % of those present approve'],
    ['state-audit', stateAudit, 7, 8, 15, 15, false, '7/15 with everyone present'],
    ['state-audit', stateAudit, 10, 0, 10, 15, true, 'all 10 present approve: 10/15'],
    ['state-audit', stateAudit, 8, 8, 16, 16, false, 'exactly half is not more than half'],
    ['state-audit', stateAudit, 9, 0, 9, 15, false, 'no quorum'],
    // a rule set measuring against the ballots cast (abstentions do not count)
    ['ballots-cast', ofBallotsCast, 6, 2, 10, 15, true, '6/8 ballots = 75 %'],
    ['ballots-cast', ofBallotsCast, 6, 3, 10, 15, false, '6/9 ballots = 66.7 %'],
    ['ballots-cast', ofBallotsCast, 0, 0, 10, 15, false, 'nobody voted'],
  ])('%s: %i approve, %i reject, %i present of %i → %s (%s)', (_id, rules, approve, reject, present, total, expected) => {
    expect(councilApproves({ approve, reject }, present, total, rules)).toBe(expected);
  });

  it.each([
    ['more members present than the council has', { approve: 1, reject: 0 }, 16, 15],
    ['more ballots than members present', { approve: 8, reject: 3 }, 10, 15],
    ['a negative count', { approve: -1, reject: 0 }, 10, 15],
    ['a fractional count', { approve: 7.5, reject: 0 }, 10, 15],
    ['a council without members', { approve: 0, reject: 0 }, 0, 0],
  ])('refuses impossible counts: %s', (_name, votes, present, total) => {
    expect(() => councilApproves(votes, present, total, byDefault)).toThrow(DomainRuleError);
  });
});

describe('councilDecision — phiếu không biểu quyết (abstentions) and xung đột lợi ích (conflicts of interest)', () => {
  const abstainExcluded: CouncilRules = { ...byDefault, abstentions: 'EXCLUDE_FROM_BASE' };
  const conflictsCounted: CouncilRules = { ...byDefault, conflicts: 'COUNT_AS_PRESENT_NOT_APPROVING' };
  const stateAuditAbstainExcluded: CouncilRules = { ...stateAudit, abstentions: 'EXCLUDE_FROM_BASE' };
  const ballotsCastAbstainExcluded: CouncilRules = { ...ofBallotsCast, abstentions: 'EXCLUDE_FROM_BASE' };

  it('keeps the existing rule sets as they were: default counts abstentions as present, excludes conflicts', () => {
    expect(byDefault).toMatchObject({ abstentions: 'COUNT_AS_PRESENT_NOT_APPROVING', conflicts: 'EXCLUDE_FROM_BASE' });
    expect(stateAudit).toMatchObject({ abstentions: 'COUNT_AS_PRESENT_NOT_APPROVING', conflicts: 'EXCLUDE_FROM_BASE' });
    // A rule set written before these settings existed (no fields) behaves like the defaults.
    const legacy: CouncilRules = { quorum: byDefault.quorum, flagThreshold: byDefault.flagThreshold };
    expect(councilDecision({ approve: 6, reject: 1, abstain: 2 }, 1, 10, 15, legacy)).toEqual(councilDecision({ approve: 6, reject: 1, abstain: 2 }, 1, 10, 15, byDefault));
  });

  it.each<[string, CouncilRules, { approve: number; reject: number; abstain: number }, number, number, number, { approved: boolean; quorumMet: boolean; base: number }]>([
    // ≥ 70 % of members present
    ['abstentions count as present: 6 of 10 present', byDefault, { approve: 6, reject: 1, abstain: 3 }, 0, 10, 15, { approved: false, quorumMet: true, base: 10 }],
    ['abstentions excluded: 6 of 10 − 3 = 7 present', abstainExcluded, { approve: 6, reject: 1, abstain: 3 }, 0, 10, 15, { approved: true, quorumMet: true, base: 7 }],
    ['abstentions counted, threshold met exactly: 7 of 10', byDefault, { approve: 7, reject: 0, abstain: 3 }, 0, 10, 15, { approved: true, quorumMet: true, base: 10 }],
    ['a conflict leaves the base: 8 of 12 − 1 = 11 → 72.7 %', byDefault, { approve: 8, reject: 3, abstain: 0 }, 1, 12, 15, { approved: true, quorumMet: true, base: 11 }],
    ['the same conflict counted as present not approving: 8 of 12', conflictsCounted, { approve: 8, reject: 3, abstain: 0 }, 1, 12, 15, { approved: false, quorumMet: true, base: 12 }],
    ['two conflicts excluded: 7 of 12 − 2 = 10 → 70 %', byDefault, { approve: 7, reject: 3, abstain: 0 }, 2, 12, 15, { approved: true, quorumMet: true, base: 10 }],
    ['two conflicts counted as present: 7 of 12', conflictsCounted, { approve: 7, reject: 3, abstain: 0 }, 2, 12, 15, { approved: false, quorumMet: true, base: 12 }],
    ['a conflict excluded breaks this nomination’s quorum: 10 − 1 of 15 − 1 < 2/3', byDefault, { approve: 7, reject: 1, abstain: 0 }, 1, 10, 15, { approved: false, quorumMet: false, base: 9 }],
    ['the same conflict counted as present keeps the quorum: 7 of 10 = 70 %', conflictsCounted, { approve: 7, reject: 1, abstain: 0 }, 1, 10, 15, { approved: true, quorumMet: true, base: 10 }],
    ['a tie for and against is not 70 %', byDefault, { approve: 5, reject: 5, abstain: 0 }, 0, 10, 15, { approved: false, quorumMet: true, base: 10 }],
    ['no quorum at all', abstainExcluded, { approve: 9, reject: 0, abstain: 0 }, 0, 9, 15, { approved: false, quorumMet: false, base: 9 }],
    // > 50 % of all members (State Audit)
    ['all members, abstentions counted: 7 of 15', stateAudit, { approve: 7, reject: 1, abstain: 4 }, 0, 12, 15, { approved: false, quorumMet: true, base: 15 }],
    ['all members, abstentions excluded: 7 of 15 − 4 = 11', stateAuditAbstainExcluded, { approve: 7, reject: 1, abstain: 4 }, 0, 12, 15, { approved: true, quorumMet: true, base: 11 }],
    ['all members, a conflict leaves the base: 7 of 15 − 1 = 14 is exactly half, a tie', stateAudit, { approve: 7, reject: 3, abstain: 0 }, 1, 12, 15, { approved: false, quorumMet: true, base: 14 }],
    ['all members, two conflicts: 7 of 13 > 50 %', stateAudit, { approve: 7, reject: 3, abstain: 0 }, 2, 12, 15, { approved: true, quorumMet: true, base: 13 }],
    // base = ballots cast
    ['ballots cast with abstentions counted: 6 of 6 + 1 + 2 = 9', ofBallotsCast, { approve: 6, reject: 1, abstain: 2 }, 0, 10, 15, { approved: false, quorumMet: true, base: 9 }],
    ['ballots cast with abstentions excluded: 6 of 7', ballotsCastAbstainExcluded, { approve: 6, reject: 1, abstain: 2 }, 0, 10, 15, { approved: true, quorumMet: true, base: 7 }],
    ['ballots cast, everyone abstains: base 0', ballotsCastAbstainExcluded, { approve: 0, reject: 0, abstain: 10 }, 0, 10, 15, { approved: false, quorumMet: true, base: 0 }],
  ])('%s', (_name, rules, votes, conflicts, present, total, expected) => {
    const outcome = councilDecision(votes, conflicts, present, total, rules);
    expect(outcome).toMatchObject({ ...expected, approve: votes.approve, reject: votes.reject, abstain: votes.abstain, conflicts });
  });

  it('reports what was left out of the base and the approvals needed', () => {
    expect(councilDecision({ approve: 6, reject: 1, abstain: 2 }, 1, 10, 15, abstainExcluded)).toMatchObject({
      present: 9,
      members: 14,
      baseKind: 'PRESENT',
      base: 7,
      excludedFromBase: { abstentions: 2, conflicts: 1 },
      required: 5, // ≥ 70 % of 7 = 4.9
    });
    expect(councilDecision({ approve: 0, reject: 0 }, 0, 16, 16, stateAudit)).toMatchObject({ base: 16, required: 9 }); // > 8
    expect(approvalsRequired(10, byDefault.flagThreshold)).toBe(7);
    expect(approvalsRequired(0, byDefault.flagThreshold)).toBeNull();
  });

  it.each([
    ['ballots and conflicts beyond the members present', { approve: 8, reject: 0, abstain: 1 }, 2, 10],
    ['a negative abstention count', { approve: 1, reject: 0, abstain: -1 }, 0, 10],
    ['a fractional conflict count', { approve: 1, reject: 0, abstain: 0 }, 0.5, 10],
  ])('refuses impossible counts: %s', (_name, votes, conflicts, present) => {
    expect(() => councilDecision(votes, conflicts, present, 15, byDefault)).toThrow(DomainRuleError);
  });
});
