/**
 * Stage transitions of one nomination (hồ sơ đề nghị của một đơn vị trong một năm), pure so the
 * nomination workflow and its tests share them. Pipeline of DOMAIN.md: cluster vote (3) →
 * Department review (4) → council decision (5) → Government flag (6).
 * Every function returns new objects and never changes its arguments.
 */
import type { GovernmentDecision, ReviewDecision, Stage, Title, TitleStatus } from './model';

export type TitleStatuses = Partial<Record<Title, TitleStatus>>;

export type DomainRuleErrorKind = 'STAGE_CONFLICT' | 'INVALID' | 'FORBIDDEN' | 'DUPLICATE';

/** A business rule refused an action. `kind` maps to an HTTP status at the edge (409, 400, 403, 409). */
export class DomainRuleError extends Error {
  constructor(
    readonly kind: DomainRuleErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DomainRuleError';
    Object.setPrototypeOf(this, DomainRuleError.prototype);
  }
}

export interface Transition {
  titles: TitleStatuses;
  stage: Stage;
}

/** Throws STAGE_CONFLICT unless the nomination is in one of the `allowed` stages. */
export function assertStage(current: Stage, allowed: Stage[], action: string): void {
  if (!allowed.includes(current)) {
    throw new DomainRuleError('STAGE_CONFLICT', `${action} is not possible in stage ${current}; expected ${allowed.join(', ')}`);
  }
}

function entries(titles: TitleStatuses): [Title, TitleStatus][] {
  return Object.entries(titles) as [Title, TitleStatus][];
}

function awardedOrNot(titles: TitleStatuses): Transition {
  return { titles, stage: entries(titles).some(([, s]) => s === 'AWARDED') ? 'AWARDED' : 'NOT_AWARDED' };
}

/**
 * After the cluster's secret ballot (DOMAIN step 3): the titles the cluster proposes become
 * PROPOSED and the others are dropped. Registration is enforced earlier, when the candidate lists
 * of the vote are built (rule set `requireRegistrationForTitle`).
 */
export function titlesAfterClusterVote(_titles: TitleStatuses, selected: { MINISTRY_FLAG: boolean; GOVERNMENT_FLAG: boolean }): Transition {
  // The outcome depends on the vote alone; the registered titles are taken for uniform call sites.
  const next: TitleStatuses = {};
  if (selected.MINISTRY_FLAG) next.MINISTRY_FLAG = 'PROPOSED';
  if (selected.GOVERNMENT_FLAG) next.GOVERNMENT_FLAG = 'PROPOSED';
  return { titles: next, stage: Object.keys(next).length > 0 ? 'DEPARTMENT_REVIEW' : 'NOT_SELECTED' };
}

/**
 * The Department's appraisal (DOMAIN step 4): APPROVE sends the dossier to the council, RETURN to
 * the unit for amendment, REJECT ends it with every title REJECTED.
 */
export function titlesAfterReview(titles: TitleStatuses, decision: ReviewDecision): Transition {
  switch (decision) {
    case 'APPROVE':
      return { titles: { ...titles }, stage: 'COUNCIL_DECISION' };
    case 'RETURN':
      return { titles: { ...titles }, stage: 'AMENDMENT' };
    case 'REJECT': {
      const next: TitleStatuses = {};
      for (const [title] of entries(titles)) next[title] = 'REJECTED';
      return { titles: next, stage: 'NOT_AWARDED' };
    }
    default:
      throw new DomainRuleError('INVALID', `Unknown review decision ${String(decision)}`);
  }
}

/**
 * The council's vote (DOMAIN step 5), for the titles still PROPOSED. A title missing from
 * `approved` counts as not approved.
 *  - Ministry flag: approved → AWARDED (the Minister awards on the council's advice), else REJECTED.
 *  - Government flag: approved → APPROVED and the stage becomes GOVERNMENT_DECISION (the Minister
 *    proposes it to the Prime Minister, DOMAIN step 6), else REJECTED.
 * Otherwise the stage is AWARDED when any title is AWARDED, else NOT_AWARDED.
 */
export function titlesAfterCouncil(titles: TitleStatuses, approved: Partial<Record<Title, boolean>>): Transition {
  const next: TitleStatuses = { ...titles };
  for (const [title, status] of entries(titles)) {
    if (status !== 'PROPOSED') continue;
    const yes = approved[title] === true;
    if (title === 'MINISTRY_FLAG') next[title] = yes ? 'AWARDED' : 'REJECTED';
    else next[title] = yes ? 'APPROVED' : 'REJECTED';
  }
  if (next.GOVERNMENT_FLAG === 'APPROVED') return { titles: next, stage: 'GOVERNMENT_DECISION' };
  return awardedOrNot(next);
}

/** The Government's decision on the flag (DOMAIN step 6): APPROVED → AWARDED or DECLINED. */
export function titlesAfterGovernment(titles: TitleStatuses, decision: GovernmentDecision): Transition {
  if (titles.GOVERNMENT_FLAG !== 'APPROVED') {
    throw new DomainRuleError('INVALID', 'No Government flag proposal awaits a Government decision');
  }
  if (decision !== 'AWARDED' && decision !== 'DECLINED') {
    throw new DomainRuleError('INVALID', `Unknown Government decision ${String(decision)}`);
  }
  return awardedOrNot({ ...titles, GOVERNMENT_FLAG: decision });
}

/** Stages from which a unit may withdraw its dossier (rút hồ sơ): before the council has it. */
export const WITHDRAWABLE_STAGES: readonly Stage[] = ['SELF_ASSESSMENT', 'DEPARTMENT_REVIEW', 'AMENDMENT'];

/** An award recorded as AWARDED is revoked later: the title becomes REVOKED, the others stay. */
export function titlesAfterRevocation(titles: TitleStatuses, title: Title): TitleStatuses {
  if (titles[title] !== 'AWARDED') throw new DomainRuleError('STAGE_CONFLICT', `${title} was not awarded (status ${titles[title] ?? 'none'}); nothing to revoke`);
  return { ...titles, [title]: 'REVOKED' };
}
