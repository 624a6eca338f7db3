import { clusterCounting, councilCounting, DEFAULT_RULE_SET_ID, findRuleSet, listRuleSets, requiresConsultation } from './rule-set';

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

  it('adds the abstention and conflict settings with today’s behaviour, and a separate rule set for prior titles', () => {
    for (const r of [findRuleSet('default', 1)!, findRuleSet('default', 2)!, findRuleSet('state-audit')!]) {
      expect(r.clusterVote.abstentions).toBe('COUNT_IN_BALLOTS_CAST');
      expect(r.council).toMatchObject({ abstentions: 'COUNT_AS_PRESENT_NOT_APPROVING', conflicts: 'EXCLUDE_FROM_BASE' });
      expect(r.eligibility).toBeUndefined();
    }
    const prior = findRuleSet('prior-titles')!;
    expect(prior.version).toBe(1);
    // Everything but the prior-title rule is default v2.
    expect({ ...prior, id: 'default', version: 2, description: findRuleSet('default', 2)!.description, eligibility: undefined }).toEqual({ ...findRuleSet('default', 2)!, eligibility: undefined });
    // `default` still resolves to version 2: campaigns started on it are unchanged.
    expect(findRuleSet(DEFAULT_RULE_SET_ID)!.version).toBe(2);
  });

  it('resolves every counting setting of the rule sets shipped before them to today’s behaviour', () => {
    for (const r of listRuleSets().filter((x) => x.id !== 'strict')) {
      expect(clusterCounting(r.clusterVote)).toEqual({ allowSelfVote: true, base: 'BALLOTS_CAST', abstentions: 'COUNT_IN_BALLOTS_CAST', abstentionsInQuorum: 'COUNT_AS_PRESENT' });
      expect(councilCounting(r.council)).toEqual({
        base: r.id === 'state-audit' ? 'ALL_MEMBERS' : 'PRESENT',
        abstentions: 'COUNT_AS_PRESENT_NOT_APPROVING',
        abstentionsInQuorum: 'COUNT_AS_PRESENT',
        conflicts: 'EXCLUDE_FROM_BASE',
        conflictsInQuorum: 'LEAVE_OUT',
      });
      expect(r.clusterVote.abstentionsInQuorum).toBeUndefined();
      expect(r.council.abstentionsInQuorum).toBeUndefined();
      expect(r.council.conflictsInQuorum).toBeUndefined();
    }
    // A conflict rule without its quorum setting keeps the quorum it always had.
    expect(councilCounting({ ...findRuleSet('default')!.council, conflicts: 'COUNT_AS_PRESENT_NOT_APPROVING' }).conflictsInQuorum).toBe('COUNT_AS_PRESENT');
  });

  it('ships a strict rule set with every non-default counting setting, default v2 otherwise', () => {
    const strict = findRuleSet('strict')!;
    expect(strict.version).toBe(1);
    expect(clusterCounting(strict.clusterVote)).toEqual({ allowSelfVote: false, base: 'BALLOTS_CAST', abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT' });
    expect(councilCounting(strict.council)).toEqual({
      base: 'PRESENT',
      abstentions: 'EXCLUDE_FROM_BASE',
      abstentionsInQuorum: 'COUNT_AS_ABSENT',
      conflicts: 'COUNT_AS_PRESENT_NOT_APPROVING',
      conflictsInQuorum: 'COUNT_AS_PRESENT',
    });
    const v2 = findRuleSet('default', 2)!;
    const { clusterVote, council, ...rest } = strict;
    const { clusterVote: v2Cluster, council: v2Council, ...v2Rest } = v2;
    expect({ ...rest, id: 'default', version: 2, description: v2.description }).toEqual(v2Rest);
    expect({ ...clusterVote, allowSelfVote: undefined, abstentions: 'COUNT_IN_BALLOTS_CAST', abstentionsInQuorum: undefined }).toEqual({ ...v2Cluster, allowSelfVote: undefined, abstentionsInQuorum: undefined });
    expect({ quorum: council.quorum, flagThreshold: council.flagThreshold }).toEqual({ quorum: v2Council.quorum, flagThreshold: v2Council.flagThreshold });
    expect(findRuleSet(DEFAULT_RULE_SET_ID)!.id).toBe('default');
  });
});
