/**
 * Versioned rule sets (bộ quy tắc). Every number the law leaves to the sector lives here, never
 * as a constant in code. A campaign is pinned to the rule set in force when it started: the id
 * and version are copied into the workflow's input, so a new rule set never changes it.
 */

import type { Title, UnitKind } from './model';
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

/**
 * How a member unit's abstention on a title (phiếu không bầu cho danh hiệu) counts in the threshold
 * base of that title in the cluster vote (for its quorum, see QuorumCounting):
 *  - COUNT_IN_BALLOTS_CAST: the ballot stays in the threshold base of the title (a unit needs
 *    > 50 % of all ballots cast, abstentions included); today's behaviour, and the default.
 *  - EXCLUDE_FROM_BASE: the ballot is left out of the title's threshold base (ballots cast, or all
 *    member units when the base is ALL_MEMBERS, minus the abstentions on that title).
 */
export type ClusterAbstentionRule = 'COUNT_IN_BALLOTS_CAST' | 'EXCLUDE_FROM_BASE';

/**
 * How a council member's abstention on a title (không biểu quyết) counts in the threshold base of
 * that title (for its quorum, see QuorumCounting):
 *  - COUNT_AS_PRESENT_NOT_APPROVING: the member stays in the base (members present, all members,
 *    or the ballots cast) without approving, like a blank ballot; the default (today's behaviour).
 *  - EXCLUDE_FROM_BASE: the member is left out of the threshold base of that title.
 */
export type CouncilAbstentionRule = 'COUNT_AS_PRESENT_NOT_APPROVING' | 'EXCLUDE_FROM_BASE';

/**
 * How a council member with a declared conflict of interest on a nomination counts in the
 * threshold base of its titles (the member never votes on it: such a vote is refused). The quorum
 * is a separate setting (CouncilConflictQuorumRule), which by default follows this one.
 *  - EXCLUDE_FROM_BASE: the member is left out of the base (out of the members present and of all
 *    members; with a BALLOTS_CAST base the member cast no ballot); the default.
 *  - COUNT_AS_PRESENT_NOT_APPROVING: the member stays in the base without approving, like an
 *    abstention kept in the base: in the members present, in all members, and with a BALLOTS_CAST
 *    base as a ballot that does not approve.
 */
export type CouncilConflictRule = 'EXCLUDE_FROM_BASE' | 'COUNT_AS_PRESENT_NOT_APPROVING';

/**
 * How an abstention on a title counts toward that title's quorum (cluster vote: ballots cast / member
 * units; council: members present / council members):
 *  - COUNT_AS_PRESENT: the abstainer voted, or was present: it counts toward the quorum; today's
 *    behaviour, and the default.
 *  - COUNT_AS_ABSENT: an abstention is no vote on that title: the abstainer is left out of the
 *    ballots cast (or members present) counted for that title's quorum, and stays in the member
 *    units (or council members) it is measured against. A title whose quorum is then missed is
 *    decided for nobody.
 */
export type QuorumCounting = 'COUNT_AS_PRESENT' | 'COUNT_AS_ABSENT';

/**
 * How a council member with a declared conflict of interest counts toward the quorum of the
 * nomination (members present / council members):
 *  - LEAVE_OUT: the member is taken out of both the members present and the council members for
 *    that nomination (as if not on the council for it); the default when `conflicts` is
 *    EXCLUDE_FROM_BASE (today's behaviour).
 *  - COUNT_AS_PRESENT: the member counts as present; the default when `conflicts` is
 *    COUNT_AS_PRESENT_NOT_APPROVING (today's behaviour).
 *  - COUNT_AS_ABSENT: the member is left out of the members present and stays among the council
 *    members (the quorum gets harder to reach).
 */
export type CouncilConflictQuorumRule = 'LEAVE_OUT' | 'COUNT_AS_PRESENT' | 'COUNT_AS_ABSENT';

/**
 * A title a unit must already hold, from the award registry, before it can be proposed for another:
 * at least `count` awards of `title` in the `inLastYears` years before the campaign's year
 * (revoked awards do not count; awards under a unit's former codes do).
 */
export interface PriorTitleRequirement {
  title: Title;
  inLastYears: number;
  count: number;
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
    /** Abstentions on a title in its threshold base (see ClusterAbstentionRule). Absent: COUNT_IN_BALLOTS_CAST. */
    abstentions?: ClusterAbstentionRule;
    /** Abstentions on a title toward its quorum (see QuorumCounting). Absent: COUNT_AS_PRESENT. */
    abstentionsInQuorum?: QuorumCounting;
  };
  council: {
    /** Members present / all council members needed to decide (≥). DOMAIN: 2/3. */
    quorum: Fraction;
    /** Approvals needed for a flag. default: ≥ 70 % of present; state-audit: > 50 % of all. */
    flagThreshold: Threshold;
    /** Abstentions on a title in its threshold base (see CouncilAbstentionRule). Absent: COUNT_AS_PRESENT_NOT_APPROVING. */
    abstentions?: CouncilAbstentionRule;
    /** Abstentions on a title toward its quorum (see QuorumCounting). Absent: COUNT_AS_PRESENT. */
    abstentionsInQuorum?: QuorumCounting;
    /** Members with a declared conflict of interest, in the threshold base (see CouncilConflictRule). Absent: EXCLUDE_FROM_BASE. */
    conflicts?: CouncilConflictRule;
    /**
     * Members with a declared conflict of interest, toward the nomination's quorum (see
     * CouncilConflictQuorumRule). Absent: follows `conflicts` (EXCLUDE_FROM_BASE → LEAVE_OUT,
     * COUNT_AS_PRESENT_NOT_APPROVING → COUNT_AS_PRESENT), today's behaviour.
     */
    conflictsInQuorum?: CouncilConflictQuorumRule;
  };
  /**
   * Who may be proposed for a title. `priorTitles`: per title, the title the unit must already hold
   * (from the award registry), checked when the cluster vote closes: a unit lacking it is reported
   * ineligible with the reason and is not selected. Absent: no requirement.
   */
  eligibility?: {
    priorTitles?: Partial<Record<Title, PriorTitleRequirement>>;
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
    abstentions: 'COUNT_IN_BALLOTS_CAST',
  },
  council: {
    quorum: { num: 2, den: 3 },
    flagThreshold: { share: { num: 7, den: 10 }, inclusive: true, base: 'PRESENT' },
    abstentions: 'COUNT_AS_PRESENT_NOT_APPROVING',
    conflicts: 'EXCLUDE_FROM_BASE',
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
    ...DEFAULT_RULE_SET.council,
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

/**
 * An example of a prior-title rule (not the default: campaigns on `default` are unchanged): as
 * `default` v2, and a unit is proposed for the Government flag only if the award registry holds a
 * Ministry flag of the year before the campaign's year (not revoked, under any of its codes).
 * Pick it at the campaign's start with `ruleSet: "prior-titles"`.
 */
const PRIOR_TITLES_RULE_SET: RuleSet = {
  ...DEFAULT_RULE_SET_V2,
  id: 'prior-titles',
  version: 1,
  description: `${DEFAULT_RULE_SET_V2.description} Prior titles: the Government flag needs a Ministry flag awarded for the previous year (award registry).`,
  eligibility: { priorTitles: { GOVERNMENT_FLAG: { title: 'MINISTRY_FLAG', inLastYears: 1, count: 1 } } },
};

/**
 * Stricter counting (not the default: pick it at the campaign's start with `ruleSet: "strict"`): as
 * `default` v2, but a member unit may not vote for itself or its own sub-units; an abstention is no
 * vote on that title, in the cluster vote and at the council (left out of the title's quorum and of
 * its threshold base); and a council member with a declared conflict of interest stays present and
 * in the threshold base without approving, so a conflict never lowers the number of approvals needed.
 */
const STRICT_RULE_SET: RuleSet = {
  ...DEFAULT_RULE_SET_V2,
  id: 'strict',
  version: 1,
  description: `${DEFAULT_RULE_SET_V2.description} Strict counting: no vote for one's own unit or sub-units; an abstention is no vote on that title (out of its quorum and its threshold base), in the cluster and at the council; a council member with a conflict of interest counts as present and in the base, not approving.`,
  clusterVote: {
    ...DEFAULT_RULE_SET_V2.clusterVote,
    allowSelfVote: false,
    abstentions: 'EXCLUDE_FROM_BASE',
    abstentionsInQuorum: 'COUNT_AS_ABSENT',
  },
  council: {
    ...DEFAULT_RULE_SET_V2.council,
    abstentions: 'EXCLUDE_FROM_BASE',
    abstentionsInQuorum: 'COUNT_AS_ABSENT',
    conflicts: 'COUNT_AS_PRESENT_NOT_APPROVING',
    conflictsInQuorum: 'COUNT_AS_PRESENT',
  },
};

const RULE_SETS: readonly RuleSet[] = [DEFAULT_RULE_SET, DEFAULT_RULE_SET_V2, STATE_AUDIT_RULE_SET, PRIOR_TITLES_RULE_SET, STRICT_RULE_SET];

/** How a rule set's cluster vote counts, every setting resolved (an absent one has its default). */
export interface ClusterCounting {
  allowSelfVote: boolean;
  /** What the selection threshold is measured against. */
  base: ThresholdBase;
  abstentions: ClusterAbstentionRule;
  abstentionsInQuorum: QuorumCounting;
}

export function clusterCounting(rules: RuleSet['clusterVote']): ClusterCounting {
  return {
    allowSelfVote: rules.allowSelfVote ?? true,
    base: rules.selection.base,
    abstentions: rules.abstentions ?? 'COUNT_IN_BALLOTS_CAST',
    abstentionsInQuorum: rules.abstentionsInQuorum ?? 'COUNT_AS_PRESENT',
  };
}

/** How a rule set's council counts, every setting resolved (an absent one has its default). */
export interface CouncilCounting {
  /** What the flag threshold is measured against. */
  base: ThresholdBase;
  abstentions: CouncilAbstentionRule;
  abstentionsInQuorum: QuorumCounting;
  conflicts: CouncilConflictRule;
  conflictsInQuorum: CouncilConflictQuorumRule;
}

export function councilCounting(rules: RuleSet['council']): CouncilCounting {
  const conflicts = rules.conflicts ?? 'EXCLUDE_FROM_BASE';
  return {
    base: rules.flagThreshold.base,
    abstentions: rules.abstentions ?? 'COUNT_AS_PRESENT_NOT_APPROVING',
    abstentionsInQuorum: rules.abstentionsInQuorum ?? 'COUNT_AS_PRESENT',
    conflicts,
    conflictsInQuorum: rules.conflictsInQuorum ?? (conflicts === 'EXCLUDE_FROM_BASE' ? 'LEAVE_OUT' : 'COUNT_AS_PRESENT'),
  };
}

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
