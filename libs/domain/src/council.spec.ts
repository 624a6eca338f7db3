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

/**
 * Every way of counting abstentions and conflicts, on one sitting: 15 members, 12 present; on the
 * title 7 approve, 1 rejects, 2 abstain and 2 members declared a conflict of interest on the
 * nomination. The quorum (2/3) and the threshold base are written out by hand per setting below;
 * every combination must give exactly those numbers (the quorum settings never move the base, the
 * base settings never move the quorum) and the decision they imply.
 */
describe('councilDecision — every abstention and conflict counting variant', () => {
  const votes = { approve: 7, reject: 1, abstain: 2 };
  const CONFLICTS = 2;
  const PRESENT = 12;
  const TOTAL = 15;

  type AbstQ = CouncilRules['abstentionsInQuorum'];
  type ConfQ = CouncilRules['conflictsInQuorum'];
  type Abst = NonNullable<CouncilRules['abstentions']>;
  type Conf = NonNullable<CouncilRules['conflicts']>;
  type Base = CouncilRules['flagThreshold']['base'];

  /** The quorum of the title: [present counted, members counted, met, left out of present]. */
  const QUORUM: Record<'COUNT_AS_PRESENT' | 'COUNT_AS_ABSENT', Record<'LEAVE_OUT' | 'COUNT_AS_PRESENT' | 'COUNT_AS_ABSENT', [number, number, boolean, { abstentions: number; conflicts: number }]>> = {
    COUNT_AS_PRESENT: {
      LEAVE_OUT: [10, 13, true, { abstentions: 0, conflicts: 2 }], // 10/13 ≥ 2/3
      COUNT_AS_PRESENT: [12, 15, true, { abstentions: 0, conflicts: 0 }], // 12/15
      COUNT_AS_ABSENT: [10, 15, true, { abstentions: 0, conflicts: 2 }], // 10/15 = 2/3 exactly
    },
    COUNT_AS_ABSENT: {
      LEAVE_OUT: [8, 13, false, { abstentions: 2, conflicts: 2 }], // 8/13 < 2/3
      COUNT_AS_PRESENT: [10, 15, true, { abstentions: 2, conflicts: 0 }], // 10/15 = 2/3 exactly
      COUNT_AS_ABSENT: [8, 15, false, { abstentions: 2, conflicts: 2 }], // 8/15 < 2/3
    },
  };
  /**
   * The threshold base: [base, approvals required, 7 approvals reach it]. PRESENT and BALLOTS_CAST
   * need ≥ 70 % (default), ALL_MEMBERS > 50 % (State Audit).
   */
  const BASE: Record<Base, Record<Abst, Record<Conf, [number, number, boolean]>>> = {
    PRESENT: {
      COUNT_AS_PRESENT_NOT_APPROVING: { EXCLUDE_FROM_BASE: [10, 7, true], COUNT_AS_PRESENT_NOT_APPROVING: [12, 9, false] },
      EXCLUDE_FROM_BASE: { EXCLUDE_FROM_BASE: [8, 6, true], COUNT_AS_PRESENT_NOT_APPROVING: [10, 7, true] },
    },
    ALL_MEMBERS: {
      COUNT_AS_PRESENT_NOT_APPROVING: { EXCLUDE_FROM_BASE: [13, 7, true], COUNT_AS_PRESENT_NOT_APPROVING: [15, 8, false] },
      EXCLUDE_FROM_BASE: { EXCLUDE_FROM_BASE: [11, 6, true], COUNT_AS_PRESENT_NOT_APPROVING: [13, 7, true] },
    },
    BALLOTS_CAST: {
      // 7 + 1 + 2 ballots; conflicts counted as present are ballots that do not approve.
      COUNT_AS_PRESENT_NOT_APPROVING: { EXCLUDE_FROM_BASE: [10, 7, true], COUNT_AS_PRESENT_NOT_APPROVING: [12, 9, false] },
      EXCLUDE_FROM_BASE: { EXCLUDE_FROM_BASE: [8, 6, true], COUNT_AS_PRESENT_NOT_APPROVING: [10, 7, true] },
    },
  };
  const THRESHOLD: Record<Base, CouncilRules['flagThreshold']> = {
    PRESENT: byDefault.flagThreshold,
    ALL_MEMBERS: stateAudit.flagThreshold,
    BALLOTS_CAST: ofBallotsCast.flagThreshold,
  };

  const cases: [Abst, Conf, Base, AbstQ, ConfQ][] = [];
  for (const abstentions of ['COUNT_AS_PRESENT_NOT_APPROVING', 'EXCLUDE_FROM_BASE'] as const)
    for (const conflicts of ['EXCLUDE_FROM_BASE', 'COUNT_AS_PRESENT_NOT_APPROVING'] as const)
      for (const base of ['PRESENT', 'ALL_MEMBERS', 'BALLOTS_CAST'] as const)
        for (const abstentionsInQuorum of [undefined, 'COUNT_AS_PRESENT', 'COUNT_AS_ABSENT'] as const)
          for (const conflictsInQuorum of [undefined, 'LEAVE_OUT', 'COUNT_AS_PRESENT', 'COUNT_AS_ABSENT'] as const)
            cases.push([abstentions, conflicts, base, abstentionsInQuorum, conflictsInQuorum]);

  it('covers 2 × 2 × 3 × 3 × 4 combinations', () => expect(cases).toHaveLength(144));

  it.each(cases)('abstentions %s, conflicts %s, base %s, abstentions in quorum %s, conflicts in quorum %s', (abstentions, conflicts, base, abstQ, confQ) => {
    const rules: CouncilRules = {
      quorum: { num: 2, den: 3 },
      flagThreshold: THRESHOLD[base],
      abstentions,
      conflicts,
      ...(abstQ ? { abstentionsInQuorum: abstQ } : {}),
      ...(confQ ? { conflictsInQuorum: confQ } : {}),
    };
    // Absent settings: abstentions count as present; conflicts follow their base rule.
    const effectiveConfQ = confQ ?? (conflicts === 'EXCLUDE_FROM_BASE' ? 'LEAVE_OUT' : 'COUNT_AS_PRESENT');
    const [present, members, quorumMet, excludedFromQuorum] = QUORUM[abstQ ?? 'COUNT_AS_PRESENT'][effectiveConfQ];
    const [baseSize, required, reached] = BASE[base][abstentions][conflicts];
    expect(councilDecision(votes, CONFLICTS, PRESENT, TOTAL, rules)).toEqual({
      approved: quorumMet && reached,
      quorumMet,
      approve: 7,
      reject: 1,
      abstain: 2,
      conflicts: 2,
      present,
      members,
      excludedFromQuorum,
      baseKind: base,
      base: baseSize,
      excludedFromBase: { abstentions: abstentions === 'EXCLUDE_FROM_BASE' ? 2 : 0, conflicts: conflicts === 'EXCLUDE_FROM_BASE' ? 2 : 0 },
      required,
    });
  });

  it('keeps a member with a conflict counted as present in a BALLOTS_CAST base, as a ballot not approving', () => {
    const counted: CouncilRules = { ...ofBallotsCast, conflicts: 'COUNT_AS_PRESENT_NOT_APPROVING' };
    // 7 of 7 + 1 + 2 ballots + 2 conflicts = 12: 58 %, not 70 % (7 of 10 if the conflicts were dropped).
    expect(councilDecision(votes, 2, 12, 15, counted)).toMatchObject({ approved: false, base: 12, required: 9, excludedFromBase: { abstentions: 0, conflicts: 0 } });
    expect(councilDecision(votes, 2, 12, 15, ofBallotsCast)).toMatchObject({ approved: true, base: 10, required: 7, excludedFromBase: { abstentions: 0, conflicts: 2 } });
  });

  it('gives the shipped rule sets today’s quorum counting: abstainers present, conflicts left out of the nomination', () => {
    for (const rules of [byDefault, stateAudit, findRuleSet('default', 1)!.council, findRuleSet('prior-titles')!.council]) {
      expect(councilDecision(votes, 2, 12, 15, rules)).toMatchObject({ present: 10, members: 13, quorumMet: true, excludedFromQuorum: { abstentions: 0, conflicts: 2 } });
    }
  });

  it('the strict rule set: abstentions out of quorum and base, conflicts present and in the base', () => {
    const strict = findRuleSet('strict')!.council;
    expect(councilDecision(votes, 2, 12, 15, strict)).toEqual(
      expect.objectContaining({ approved: true, quorumMet: true, present: 10, members: 15, base: 10, required: 7, excludedFromBase: { abstentions: 2, conflicts: 0 } }),
    );
    // Two more abstentions (one fewer approval, one fewer rejection): 8 of 15 count for the quorum, short of 2/3.
    expect(councilDecision({ approve: 6, reject: 0, abstain: 4 }, 2, 12, 15, strict)).toMatchObject({ approved: false, quorumMet: false, present: 8, base: 8, required: 6 });
  });
});
