/**
 * Government flag quota (DOMAIN.md "Government flag quota"): at most 20 % of the units rated as
 * leading their clusters, rounded down (Công văn 5007/BNV-TĐKT, 2023, under old Decree 91/2017
 * art. 11), but at least one per cluster where the rule set says so — and never more than the
 * leading units themselves.
 */
import { DomainRuleError } from './nomination-rules';
import type { RuleSet } from './rule-set';

export function governmentFlagQuota(leadingUnits: number, rules: RuleSet['governmentFlag'], clusters = 1): number {
  for (const [what, v] of [
    ['Leading units', leadingUnits],
    ['Clusters', clusters],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new DomainRuleError('INVALID', `${what} must be a whole number ≥ 0, got ${v}`);
  }
  // Integer arithmetic: floor(n × num / den) without a floating-point share.
  const scaled = leadingUnits * rules.quota.num;
  const quota = (scaled - (scaled % rules.quota.den)) / rules.quota.den;
  const floor = rules.atLeastOnePerCluster ? Math.max(quota, clusters) : quota;
  return Math.min(floor, leadingUnits);
}
