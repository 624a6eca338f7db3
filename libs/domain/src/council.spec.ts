import { councilApproves, councilQuorumMet, CouncilRules } from './council';
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
