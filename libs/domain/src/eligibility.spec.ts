import { priorTitleIneligibility, priorTitleLookup, priorTitleProblem, type PriorAward } from './eligibility';
import { findRuleSet } from './rule-set';

const rules = findRuleSet('prior-titles')!.eligibility!.priorTitles!;
const award = (unitCode: string, title: string, year: number, decisionNumber = `${year}/QĐ-BTP`): PriorAward => ({ unitCode, title, year, decisionNumber });

describe('prior titles (danh hiệu đã đạt) from the award registry', () => {
  it('the example rule set asks a Ministry flag of the previous year for the Government flag; default asks nothing', () => {
    expect(rules).toEqual({ GOVERNMENT_FLAG: { title: 'MINISTRY_FLAG', inLastYears: 1, count: 1 } });
    expect(findRuleSet('default', 1)!.eligibility).toBeUndefined();
    expect(findRuleSet('default', 2)!.eligibility).toBeUndefined();
    expect(priorTitleLookup(undefined, 2030)).toBeNull();
    expect(priorTitleLookup(rules, 2030)).toEqual({ titles: ['MINISTRY_FLAG'], fromYear: 2029, toYear: 2029 });
    expect(priorTitleLookup({ GOVERNMENT_FLAG: { title: 'MINISTRY_FLAG', inLastYears: 3, count: 2 } }, 2030)).toEqual({ titles: ['MINISTRY_FLAG'], fromYear: 2027, toYear: 2029 });
  });

  it.each<[string, PriorAward[], boolean]>([
    ['a Ministry flag of the previous year', [award('A', 'MINISTRY_FLAG', 2029)], true],
    ['a Ministry flag recorded under a former code', [award('OLD-A', 'MINISTRY_FLAG', 2029)], true],
    ['only an older Ministry flag', [award('A', 'MINISTRY_FLAG', 2028)], false],
    ['a Ministry flag of the campaign’s own year', [award('A', 'MINISTRY_FLAG', 2030)], false],
    ['a Government flag instead', [award('A', 'GOVERNMENT_FLAG', 2029)], false],
    ['nothing', [], false],
  ])('%s → eligible: %s', (_name, awards, eligible) => {
    const problem = priorTitleProblem('GOVERNMENT_FLAG', rules.GOVERNMENT_FLAG!, 2030, awards);
    expect(problem === null).toBe(eligible);
    if (problem) expect(problem).toContain('GOVERNMENT_FLAG needs 1 × MINISTRY_FLAG (Cờ thi đua ngành Tư pháp) awarded for 2029');
  });

  it('counts several awards over several years', () => {
    const req = { title: 'MINISTRY_FLAG' as const, inLastYears: 3, count: 2 };
    expect(priorTitleProblem('GOVERNMENT_FLAG', req, 2030, [award('A', 'MINISTRY_FLAG', 2027), award('A', 'MINISTRY_FLAG', 2029)])).toBeNull();
    expect(priorTitleProblem('GOVERNMENT_FLAG', req, 2030, [award('A', 'MINISTRY_FLAG', 2026), award('A', 'MINISTRY_FLAG', 2029, '9/QĐ-BTP')])).toBe(
      'GOVERNMENT_FLAG needs 2 × MINISTRY_FLAG (Cờ thi đua ngành Tư pháp) awarded for 2027–2029; the award registry holds 1 (2029, 9/QĐ-BTP)',
    );
  });

  it('lists the candidates of each title lacking the prior title, with the reason', () => {
    const out = priorTitleIneligibility(rules, 2030, { MINISTRY_FLAG: ['A', 'B', 'C'], GOVERNMENT_FLAG: ['A', 'B'] }, { A: [award('A', 'MINISTRY_FLAG', 2029)], C: [] });
    expect(Object.keys(out)).toEqual(['GOVERNMENT_FLAG']);
    expect(Object.keys(out.GOVERNMENT_FLAG!)).toEqual(['B']);
    expect(out.GOVERNMENT_FLAG!.B).toMatch(/the award registry holds 0$/);
    expect(priorTitleIneligibility(undefined, 2030, { GOVERNMENT_FLAG: ['A'] }, {})).toEqual({});
  });
});
