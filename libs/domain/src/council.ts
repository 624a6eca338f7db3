/**
 * The decision of the sector's Emulation and Commendation Council (Hội đồng Thi đua - Khen thưởng
 * ngành Tư pháp), DOMAIN step 5: a secret ballot per proposal, with a quorum and a threshold from
 * the rule set (DOMAIN.md "council quorum" and "council threshold, flags"):
 *  - default: quorum ≥ 2/3 of members present; a flag needs ≥ 70 % of the members present
 *    (Ministry of Education circular 35/2015, used as the model);
 *  - state-audit: a flag needs > 50 % of ALL council members (State Audit practice).
 */
import { DomainRuleError } from './nomination-rules';
import { meetsQuorum, meetsThreshold, RuleSet } from './rule-set';

export type CouncilRules = RuleSet['council'];

/** Ballots on one title of one proposal. Blank ballots (abstentions) are simply not counted here. */
export interface CouncilTitleVotes {
  approve: number;
  reject: number;
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

/**
 * Does the council approve the title? False when the quorum is not met. The threshold is measured
 * against rules.flagThreshold.base: PRESENT → members present, ALL_MEMBERS → all council members,
 * BALLOTS_CAST → approve + reject.
 */
export function councilApproves(votes: CouncilTitleVotes, membersPresent: number, membersTotal: number, rules: CouncilRules): boolean {
  assertCount(votes.approve, 'Approvals');
  assertCount(votes.reject, 'Rejections');
  if (!councilQuorumMet(membersPresent, membersTotal, rules)) return false;
  if (votes.approve + votes.reject > membersPresent) {
    throw new DomainRuleError('INVALID', `${votes.approve + votes.reject} ballots from only ${membersPresent} members present`);
  }
  const base = { PRESENT: membersPresent, ALL_MEMBERS: membersTotal, BALLOTS_CAST: votes.approve + votes.reject }[rules.flagThreshold.base];
  return meetsThreshold(votes.approve, base, rules.flagThreshold);
}
