/**
 * The decision of the sector's Emulation and Commendation Council (Hội đồng Thi đua - Khen thưởng
 * ngành Tư pháp), DOMAIN step 5: a secret ballot per proposal, with a quorum and a threshold from
 * the rule set (DOMAIN.md "council quorum" and "council threshold, flags"):
 *  - default: quorum ≥ 2/3 of members present; a flag needs ≥ 70 % of the members present
 *    (Ministry of Education circular 35/2015, used as the model);
 *  - state-audit: a flag needs > 50 % of ALL council members (State Audit practice).
 */
import { DomainRuleError } from './nomination-rules';
import { councilCounting, meetsQuorum, meetsThreshold, type RuleSet, type Threshold, type ThresholdBase } from './rule-set';

export type CouncilRules = RuleSet['council'];

/**
 * Ballots on one title of one proposal. `abstain`: members who abstained explicitly (counted by the
 * rule set's `abstentions`); members present who cast nothing are blank ballots, as before.
 */
export interface CouncilTitleVotes {
  approve: number;
  reject: number;
  abstain?: number;
}

/** How one title of one nomination was decided, with the numbers the minutes show. */
export interface CouncilTitleOutcome {
  approved: boolean;
  /** The quorum of this title: present / members ≥ the rule set's quorum. */
  quorumMet: boolean;
  approve: number;
  reject: number;
  abstain: number;
  /** Members who declared a conflict of interest on the nomination (they do not vote on it). */
  conflicts: number;
  /** Members counted present for this title's quorum (abstentions and conflicts left out where the rule set says so). */
  present: number;
  /** Council members this title's quorum is measured against (conflicts left out where the rule set says so). */
  members: number;
  /**
   * Abstentions and conflicts left out of `present` for the quorum (a conflict left out under
   * LEAVE_OUT is also out of `members`). Absent in sessions closed before quorum counting was a
   * rule-set setting (then: conflicts out when they were out of the base, abstentions never).
   */
  excludedFromQuorum?: { abstentions: number; conflicts: number };
  /** What the threshold is measured against, and its size. */
  baseKind: ThresholdBase;
  base: number;
  /**
   * Abstentions and conflicts left out of the base (conflicts: every declared one when the rule set
   * leaves them out, whatever the base kind). Conflicts counted in a BALLOTS_CAST base are added to
   * it as ballots that do not approve.
   */
  excludedFromBase: { abstentions: number; conflicts: number };
  /** The fewest approvals that reach the threshold on this base (null when the base is 0). */
  required: number | null;
}

function assertCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new DomainRuleError('INVALID', `${what} must be a whole number ≥ 0, got ${value}`);
}

function assertAttendance(membersPresent: number, membersTotal: number): void {
  assertCount(membersPresent, 'Members present');
  assertCount(membersTotal, 'Council members');
  if (membersTotal === 0) throw new DomainRuleError('INVALID', 'The council has no members');
  if (membersPresent > membersTotal) {
    throw new DomainRuleError('INVALID', `${membersPresent} members present but the council has only ${membersTotal}`);
  }
}

/** Can the council decide: members present / all members ≥ the quorum (2/3 by default)? */
export function councilQuorumMet(membersPresent: number, membersTotal: number, rules: CouncilRules): boolean {
  assertAttendance(membersPresent, membersTotal);
  return meetsQuorum(membersPresent, membersTotal, rules.quorum);
}

/** The fewest approvals that meet the threshold on `base`; null when none can. */
export function approvalsRequired(base: number, t: Pick<Threshold, 'share' | 'inclusive'>): number | null {
  if (base <= 0) return null;
  for (let k = 0; k <= base; k++) if (meetsThreshold(k, base, t)) return k;
  return null;
}

/**
 * Decides one title of one nomination. The rule set says how abstentions and the members with a
 * declared conflict count, for the threshold base and, separately, for the quorum (see
 * councilCounting for the defaults):
 *  - base, conflicts (`conflicts`): EXCLUDE_FROM_BASE (default) takes them out of the members
 *    present and of all members (and they cast no ballot); COUNT_AS_PRESENT_NOT_APPROVING keeps them
 *    in, approving nothing (with a BALLOTS_CAST base, as ballots that do not approve);
 *  - base, abstentions (`abstentions`): COUNT_AS_PRESENT_NOT_APPROVING (default) keeps abstainers
 *    in the base (and they are ballots cast); EXCLUDE_FROM_BASE takes them out;
 *  - quorum, conflicts (`conflictsInQuorum`): LEAVE_OUT (out of present and of members),
 *    COUNT_AS_PRESENT, or COUNT_AS_ABSENT (out of present only); by default as `conflicts` says;
 *  - quorum, abstentions (`abstentionsInQuorum`): COUNT_AS_PRESENT (default) or COUNT_AS_ABSENT
 *    (out of present for this title).
 * The threshold base is rules.flagThreshold.base: PRESENT → members present, ALL_MEMBERS → all
 * council members, BALLOTS_CAST → approve + reject + abstain, each as above. A title whose quorum is
 * missed is not approved.
 */
export function councilDecision(
  votes: CouncilTitleVotes,
  conflicts: number,
  membersPresent: number,
  membersTotal: number,
  rules: CouncilRules,
): CouncilTitleOutcome {
  const abstain = votes.abstain ?? 0;
  assertCount(votes.approve, 'Approvals');
  assertCount(votes.reject, 'Rejections');
  assertCount(abstain, 'Abstentions');
  assertCount(conflicts, 'Conflicts of interest');
  assertAttendance(membersPresent, membersTotal);
  const participating = votes.approve + votes.reject + abstain;
  if (participating + conflicts > membersPresent) {
    throw new DomainRuleError(
      'INVALID',
      `${participating} ballots and ${conflicts} declared conflicts from only ${membersPresent} members present`,
    );
  }
  const counting = councilCounting(rules);
  // The quorum of this title.
  const conflictsOutOfQuorum = counting.conflictsInQuorum === 'COUNT_AS_PRESENT' ? 0 : conflicts;
  const abstentionsOutOfQuorum = counting.abstentionsInQuorum === 'COUNT_AS_ABSENT' ? abstain : 0;
  const present = membersPresent - conflictsOutOfQuorum - abstentionsOutOfQuorum;
  const members = membersTotal - (counting.conflictsInQuorum === 'LEAVE_OUT' ? conflicts : 0);
  const quorumMet = members > 0 && meetsQuorum(present, members, rules.quorum);
  // The threshold base.
  const conflictsOut = counting.conflicts === 'EXCLUDE_FROM_BASE' ? conflicts : 0;
  const abstentionsOut = counting.abstentions === 'EXCLUDE_FROM_BASE' ? abstain : 0;
  const baseKind = rules.flagThreshold.base;
  const base = {
    PRESENT: membersPresent - conflictsOut - abstentionsOut,
    ALL_MEMBERS: membersTotal - conflictsOut - abstentionsOut,
    // Members with a conflict cast no ballot: counted as present, they are ballots not approving.
    BALLOTS_CAST: participating - abstentionsOut + (conflicts - conflictsOut),
  }[baseKind];
  return {
    approved: quorumMet && meetsThreshold(votes.approve, base, rules.flagThreshold),
    quorumMet,
    approve: votes.approve,
    reject: votes.reject,
    abstain,
    conflicts,
    present,
    members,
    excludedFromQuorum: { abstentions: abstentionsOutOfQuorum, conflicts: conflictsOutOfQuorum },
    baseKind,
    base,
    excludedFromBase: { abstentions: abstentionsOut, conflicts: conflictsOut },
    required: approvalsRequired(base, rules.flagThreshold),
  };
}

/**
 * Does the council approve the title? False when the quorum is not met. No conflicts of interest
 * declared: see councilDecision for them and for how abstentions count.
 */
export function councilApproves(votes: CouncilTitleVotes, membersPresent: number, membersTotal: number, rules: CouncilRules): boolean {
  return councilDecision(votes, 0, membersPresent, membersTotal, rules).approved;
}
