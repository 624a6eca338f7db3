/**
 * Versioned rule sets (bộ quy tắc). Every number the law leaves to the sector lives here, never
 * as a constant in code. A campaign is pinned to the rule set in force when it started: the id
 * and version are copied into the workflow's input, so a new rule set never changes it.
 */

import type { UnitKind } from './model';
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from './reminders';

/** A fraction written as numerator/denominator so 2/3 is exact. */
export interface Fraction {
  num: number;
  den: number;
}

/** Which count a threshold is measured against. */
export type ThresholdBase = 'PRESENT' | 'ALL_MEMBERS' | 'BALLOTS_CAST';

export interface Threshold {
  /** The share that must be reached. */
  share: Fraction;
  /** `true`: at least the share (≥). `false`: strictly more than the share (>). */
  inclusive: boolean;
  base: ThresholdBase;
}

export interface RuleSet {
  id: string;
  version: number;
  description: string;
  clusterVote: {
    /** Ballots cast / member units needed for the vote to be valid (≥). DOMAIN: 2/3. */
    quorum: Fraction;
    /** A unit is selected with more than this share of ballots cast. DOMAIN: > 50 %. */
    selection: Threshold;
    /** Government picks must be among the Ministry picks (Law 06/2022 art. 25). */
    governmentSubsetOfMinistry: boolean;
    /** A unit that did not register for a title cannot be proposed for it. */
    requireRegistrationForTitle: boolean;
    /**
     * May a member unit vote for itself (or for its own sub-units)? Absent: yes (cluster practice
     * varies; a rule set that forbids it says `false`).
     */
    allowSelfVote?: boolean;
  };
  council: {
    /** Members present / all council members needed to decide (≥). DOMAIN: 2/3. */
    quorum: Fraction;
    /** Approvals needed for a flag. default: ≥ 70 % of present; state-audit: > 50 % of all. */
    flagThreshold: Threshold;
  };
  governmentFlag: {
    /** ≤ this share of the units rated as leading clusters, rounded down (Công văn 5007/BNV-TĐKT). */
    quota: Fraction;
    /** At least one per cluster even where rounding gives 0. */
    atLeastOnePerCluster: boolean;
    /**
     * Unit kinds whose Government-flag dossier needs a consultation (hiệp y) before submission:
     * vertical units located in a province need the provincial People's Committee's opinion
     * (Decree 98/2023 art. 31). Absent in version 1 of the rule sets (no consultation).
     */
    consultationForKinds?: UnitKind[];
  };
  /** When late registrations, self-assessments and amendments are chased (nhắc việc). */
  reminders: ReminderPolicy;
  deadlines: {
    /** Working days a unit has to amend a returned dossier. */
    amendmentWorkingDays: number;
    /** Appraisal time limit of the Department (Decree 39/2012, kept as a default). */
    reviewWorkingDays: number;
    /** With consultation (hiệp y). */
    reviewWithConsultationWorkingDays: number;
    /** Optional public comment period before the council. */
    publicCommentWorkingDays: number;
  };
}

const DEFAULT_RULE_SET: RuleSet = {
  id: 'default',
  version: 1,
  description:
    'Defaults of DOMAIN.md: cluster quorum 2/3, selection > 50 % of ballots cast; council quorum 2/3, flags ≥ 70 % of members present; Government flag quota 20 %.',
  clusterVote: {
    quorum: { num: 2, den: 3 },
    selection: { share: { num: 1, den: 2 }, inclusive: false, base: 'BALLOTS_CAST' },
    governmentSubsetOfMinistry: true,
    requireRegistrationForTitle: true,
  },
  council: {
    quorum: { num: 2, den: 3 },
    flagThreshold: { share: { num: 7, den: 10 }, inclusive: true, base: 'PRESENT' },
  },
  governmentFlag: { quota: { num: 1, den: 5 }, atLeastOnePerCluster: true },
  reminders: DEFAULT_REMINDER_POLICY,
  deadlines: {
    amendmentWorkingDays: 10,
    reviewWorkingDays: 10,
    reviewWithConsultationWorkingDays: 20,
    publicCommentWorkingDays: 5,
  },
};

/** The State Audit model: a flag needs more than half of all council members. */
const STATE_AUDIT_RULE_SET: RuleSet = {
  ...DEFAULT_RULE_SET,
  id: 'state-audit',
  version: 1,
  description: 'As default, but council flags need > 50 % of all council members (State Audit practice).',
  council: {
    quorum: { num: 2, den: 3 },
    flagThreshold: { share: { num: 1, den: 2 }, inclusive: false, base: 'ALL_MEMBERS' },
  },
};

/**
 * Version 2 of the default rule set adds the consultation step for the Government flag.
 * Campaigns started under version 1 stay on version 1 (no consultation).
 */
const DEFAULT_RULE_SET_V2: RuleSet = {
  ...DEFAULT_RULE_SET,
  version: 2,
  description: `${DEFAULT_RULE_SET.description} Version 2: Government-flag dossiers of Cục and Chi cục THADS need the provincial consultation (hiệp y).`,
  governmentFlag: { ...DEFAULT_RULE_SET.governmentFlag, consultationForKinds: ['CUC_THADS', 'CHI_CUC_THADS'] },
};

const RULE_SETS: readonly RuleSet[] = [DEFAULT_RULE_SET, DEFAULT_RULE_SET_V2, STATE_AUDIT_RULE_SET];

/** Does a unit of this kind need a consultation (hiệp y) before its Government flag goes on? */
export function requiresConsultation(ruleSet: RuleSet, unitKind: UnitKind | undefined): boolean {
  return !!unitKind && (ruleSet.governmentFlag.consultationForKinds ?? []).includes(unitKind);
}

export const DEFAULT_RULE_SET_ID = 'default';

export function listRuleSets(): readonly RuleSet[] {
  return RULE_SETS;
}

/** The newest version of a rule set, or a given version; undefined when unknown. */
export function findRuleSet(id: string, version?: number): RuleSet | undefined {
  const candidates = RULE_SETS.filter((r) => r.id === id && (version === undefined || r.version === version));
  return candidates.sort((a, b) => b.version - a.version)[0];
}

/** Does `count` out of `base` reach the threshold? Exact integer arithmetic, no floating point. */
export function meetsThreshold(count: number, base: number, t: { share: Fraction; inclusive: boolean }): boolean {
  if (base <= 0) return false;
  const lhs = count * t.share.den;
  const rhs = base * t.share.num;
  return t.inclusive ? lhs >= rhs : lhs > rhs;
}

/** count / total ≥ fraction (quorums are always inclusive). */
export function meetsQuorum(count: number, total: number, quorum: Fraction): boolean {
  return meetsThreshold(count, total, { share: quorum, inclusive: true });
}
