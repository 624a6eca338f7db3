/**
 * The decision of the sector's Emulation and Commendation Council (Hội đồng Thi đua - Khen thưởng
 * ngành Tư pháp), DOMAIN step 5: a secret ballot per proposal, with a quorum and a threshold from
 * the rule set (DOMAIN.md "council quorum" and "council threshold, flags"):
 *  - default: quorum ≥ 2/3 of members present; a flag needs ≥ 70 % of the members present
 *    (Ministry of Education circular 35/2015, used as the model);
 *  - state-audit: a flag needs > 50 % of ALL council members (State Audit practice).
 */
import { DomainRuleError } from './nomination-rules';
import { meetsQuorum, meetsThreshold, type RuleSet, type Threshold, type ThresholdBase } from './rule-set';

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
  /** The quorum of this nomination (members with a conflict left out where the rule set says so). */
  quorumMet: boolean;
  approve: number;
  reject: number;
  abstain: number;
  /** Members who declared a conflict of interest on the nomination (they do not vote on it). */
  conflicts: number;
  /** Members present counted for this nomination. */
  present: number;
  /** Council members counted for this nomination. */
  members: number;
  /** What the threshold is measured against, and its size. */
  baseKind: ThresholdBase;
  base: number;
  /** Abstentions and conflicts left out of the base. */
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
 * Decides one title of one nomination. The rule set says how abstentions (`abstentions`) and the
 * members with a declared conflict (`conflicts`) count:
 *  - conflicts EXCLUDE_FROM_BASE (default): those members are taken out of the members present and
 *    of all members for this nomination, for its quorum and its threshold base;
 *    COUNT_AS_PRESENT_NOT_APPROVING: they stay in both, approving nothing;
 *  - abstentions COUNT_AS_PRESENT_NOT_APPROVING (default): abstainers stay in the base (and are
 *    ballots cast for a BALLOTS_CAST base); EXCLUDE_FROM_BASE: they are taken out of the base.
 *    Abstainers are present either way (quorum).
 * The threshold base is rules.flagThreshold.base: PRESENT → members present, ALL_MEMBERS → all
 * council members, BALLOTS_CAST → approve + reject (+ abstain when they count), each as above.
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
  const conflictsOut = (rules.conflicts ?? 'EXCLUDE_FROM_BASE') === 'EXCLUDE_FROM_BASE' ? conflicts : 0;
  const abstentionsOut = (rules.abstentions ?? 'COUNT_AS_PRESENT_NOT_APPROVING') === 'EXCLUDE_FROM_BASE' ? abstain : 0;
  const present = membersPresent - conflictsOut;
  const members = membersTotal - conflictsOut;
  const quorumMet = members > 0 && meetsQuorum(present, members, rules.quorum);
  const baseKind = rules.flagThreshold.base;
  const base = {
    PRESENT: present - abstentionsOut,
    ALL_MEMBERS: members - abstentionsOut,
    BALLOTS_CAST: participating - abstentionsOut,
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
