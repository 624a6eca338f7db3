/**
 * Rules that need a prior title (danh hiệu đã đạt): a unit may be proposed for a title only if the
 * award registry holds the title the rule set asks for, in the years before the campaign's year
 * (rule set `eligibility.priorTitles`). Pure: the workflow reads the registry through an activity
 * and hands the awards found here.
 */
import { TITLE_NAMES_VI, type Title } from './model';
import type { PriorTitleRequirement, RuleSet } from './rule-set';

export type PriorTitleRules = NonNullable<NonNullable<RuleSet['eligibility']>['priorTitles']>;

/** An award of the registry as the eligibility check needs it (revoked awards are never passed). */
export interface PriorAward {
  title: string;
  year: number;
  decisionNumber: string;
  /** The code the award was recorded under (a former code of the unit, after a rename or merger). */
  unitCode: string;
}

/** Units not eligible for a title, with the reason: title → unit code → reason. */
export type Ineligibility = Partial<Record<Title, Record<string, string>>>;

/** The years [from, to] a requirement looks at, for a campaign of `year`: the `inLastYears` years before it. */
export function priorTitleYears(req: PriorTitleRequirement, year: number): { fromYear: number; toYear: number } {
  return { fromYear: year - req.inLastYears, toYear: year - 1 };
}

/** The titles and the span of years the registry must be read for, or null when the rule set asks nothing. */
export function priorTitleLookup(rules: PriorTitleRules | undefined, year: number): { titles: Title[]; fromYear: number; toYear: number } | null {
  const reqs = Object.values(rules ?? {}).filter((r): r is PriorTitleRequirement => !!r);
  if (reqs.length === 0) return null;
  return {
    titles: [...new Set(reqs.map((r) => r.title))],
    fromYear: Math.min(...reqs.map((r) => priorTitleYears(r, year).fromYear)),
    toYear: year - 1,
  };
}

/** Why a unit does not meet one requirement, or null when it does. */
export function priorTitleProblem(forTitle: Title, req: PriorTitleRequirement, year: number, awards: PriorAward[]): string | null {
  const { fromYear, toYear } = priorTitleYears(req, year);
  const held = awards.filter((a) => a.title === req.title && a.year >= fromYear && a.year <= toYear);
  if (held.length >= req.count) return null;
  const years = fromYear === toYear ? `${toYear}` : `${fromYear}–${toYear}`;
  return (
    `${forTitle} needs ${req.count} × ${req.title} (${TITLE_NAMES_VI[req.title]}) awarded for ${years}; ` +
    `the award registry holds ${held.length}${held.length ? ` (${held.map((a) => `${a.year}, ${a.decisionNumber}`).join('; ')})` : ''}`
  );
}

/**
 * Candidates lacking a required prior title, per title, with the reason. `awards` holds each
 * candidate's awards (not revoked) by the unit code it is a candidate under.
 */
export function priorTitleIneligibility(
  rules: PriorTitleRules | undefined,
  year: number,
  candidates: Partial<Record<Title, string[]>>,
  awards: Record<string, PriorAward[]>,
): Ineligibility {
  const out: Ineligibility = {};
  for (const [title, req] of Object.entries(rules ?? {}) as [Title, PriorTitleRequirement | undefined][]) {
    if (!req) continue;
    for (const unit of candidates[title] ?? []) {
      const problem = priorTitleProblem(title, req, year, awards[unit] ?? []);
      if (problem) (out[title] ??= {})[unit] = problem;
    }
  }
  return out;
}
