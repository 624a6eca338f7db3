import { governmentFlagQuota } from './government-quota';
import { DomainRuleError } from './nomination-rules';
import { findRuleSet, RuleSet } from './rule-set';

const rules = findRuleSet('default')!.governmentFlag; // 20 %, at least one per cluster
const noMinimum: RuleSet['governmentFlag'] = { ...rules, atLeastOnePerCluster: false };

describe('governmentFlagQuota — tối đa 20 % số đơn vị dẫn đầu cụm, làm tròn xuống', () => {
  it.each([
    ['4 × 20 % = 0.8 rounds down to 0', 4, noMinimum, 1, 0],
    ['4 leading units: raised to at least one per cluster', 4, rules, 1, 1],
    ['5 × 20 % = 1', 5, noMinimum, 1, 1],
    ['10 × 20 % = 2', 10, rules, 1, 2],
    ['14 × 20 % = 2.8 rounds down to 2', 14, rules, 1, 2],
    ['15 × 20 % = 3', 15, rules, 1, 3],
    ['no leading unit, no flag even with one per cluster', 0, rules, 1, 0],
    ['no leading unit, no flag', 0, noMinimum, 1, 0],
    ['two clusters of 12 leading units: 4.8 → 4', 24, rules, 2, 4],
    ['three clusters: 2.4 → 2, raised to one per cluster', 12, rules, 3, 3],
    ['never more than the leading units', 2, rules, 3, 2],
  ])('%s', (_name, leading, rs, clusters, expected) => {
    expect(governmentFlagQuota(leading, rs, clusters)).toBe(expected);
  });

  it('counts one cluster by default', () => {
    expect(governmentFlagQuota(4, rules)).toBe(1);
  });

  it.each([[-1], [2.5], [Number.NaN]])('refuses %p leading units', (n) => {
    expect(() => governmentFlagQuota(n, rules)).toThrow(DomainRuleError);
  });
});
