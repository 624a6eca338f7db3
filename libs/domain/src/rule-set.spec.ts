import { DEFAULT_RULE_SET_ID, findRuleSet, listRuleSets, requiresConsultation } from './rule-set';

describe('versioned rule sets', () => {
  it('gives the newest version of a rule set by default, and any pinned version on demand', () => {
    expect(findRuleSet(DEFAULT_RULE_SET_ID)!.version).toBe(2);
    expect(findRuleSet('default', 1)!.version).toBe(1);
    expect(findRuleSet('default', 3)).toBeUndefined();
    expect(findRuleSet('no-such-rule-set')).toBeUndefined();
  });

  it('keeps a pinned version unchanged: version 1 asks no consultation, version 2 does for Cục and Chi cục THADS', () => {
    const v1 = findRuleSet('default', 1)!;
    const v2 = findRuleSet('default', 2)!;
    expect(requiresConsultation(v1, 'CUC_THADS')).toBe(false);
    expect(requiresConsultation(v2, 'CUC_THADS')).toBe(true);
    expect(requiresConsultation(v2, 'CHI_CUC_THADS')).toBe(true);
    expect(requiresConsultation(v2, 'SO_TU_PHAP')).toBe(false);
    expect(requiresConsultation(v2, undefined)).toBe(false);
    // Everything else of version 1 is carried over unchanged.
    expect({ ...v2, version: 1, description: v1.description, governmentFlag: v1.governmentFlag }).toEqual(v1);
  });

  it('expresses both council thresholds: ≥ 70 % of present (default) and > 50 % of all (State Audit)', () => {
    expect(findRuleSet('default')!.council.flagThreshold).toEqual({ share: { num: 7, den: 10 }, inclusive: true, base: 'PRESENT' });
    expect(findRuleSet('state-audit')!.council.flagThreshold).toEqual({ share: { num: 1, den: 2 }, inclusive: false, base: 'ALL_MEMBERS' });
    expect(new Set(listRuleSets().map((r) => `${r.id}@${r.version}`)).size).toBe(listRuleSets().length);
  });
});
