import {
  ClusterBallot,
  ClusterVoteInput,
  ClusterVoteResult,
  resolveClusterVote,
  tallyClusterVote,
  tallyRunoff,
  TitleTally,
  validateClusterBallot,
  validateRunoffBallot,
} from './cluster-vote';
import { DomainRuleError } from './nomination-rules';
import { findRuleSet, RuleSet } from './rule-set';

const rules: RuleSet['clusterVote'] = findRuleSet('default')!.clusterVote;
const noSubset = { ...rules, governmentSubsetOfMinistry: false };
const allMembersBase = { ...rules, selection: { ...rules.selection, base: 'ALL_MEMBERS' as const } };

/** `[count, 'A B C D', 'A B']`: count identical ballots (Ministry picks, Government picks). */
type BallotSpec = [number, string, string?];
const codes = (s = '') => s.split(' ').filter(Boolean);
function ballots(...specs: BallotSpec[]): ClusterBallot[] {
  return specs.flatMap(([n, m, g]) => Array.from({ length: n }, () => ({ ministryFlag: codes(m), governmentFlag: codes(g) })));
}
function runoffBallots(...specs: [number, string][]): string[][] {
  return specs.flatMap(([n, picks]) => Array.from({ length: n }, () => codes(picks)));
}

/** A cluster of 12 member units, 4 Ministry flag seats and 2 Government flag seats (seed 003). */
function vote(b: ClusterBallot[], over: Partial<ClusterVoteInput> = {}): ClusterVoteInput {
  return {
    memberCount: 12,
    ministryFlagSeats: 4,
    governmentFlagSeats: 2,
    candidates: { MINISTRY_FLAG: codes('A B C D E F'), GOVERNMENT_FLAG: codes('A B C D E F') },
    ballots: b,
    rules,
    ...over,
  };
}

const selected = (t: TitleTally[]) => t.filter((x) => x.selected).map((x) => x.unitCode);
const votesOf = (t: TitleTally[]) => Object.fromEntries(t.map((x) => [x.unitCode, x.votes]));

/** The main tie of these specs: A, B clear; C, D, E tie with 8 votes for the last 2 Ministry seats. */
const threeWayTie = ballots([4, 'A B C D', 'A C'], [4, 'A B C E', 'A C'], [4, 'A B D E', 'A B']);

describe('tallyClusterVote — bình xét, suy tôn Cờ thi đua cấp Bộ', () => {
  it.each<{
    name: string;
    input: ClusterVoteInput;
    valid: boolean;
    ministry: string[];
    government: string[];
    runoff?: ClusterVoteResult['runoff'];
  }>([
    {
      name: 'chọn 4 đơn vị quá bán, xếp theo số phiếu; Cờ Chính phủ cho 2 đơn vị trong số đó',
      input: vote(ballots([7, 'A B C D', 'A B'], [5, 'A B E F', 'A E'])),
      valid: true,
      ministry: ['A', 'B', 'C', 'D'],
      government: ['A', 'B'],
    },
    {
      name: '6/12 phiếu không quá bán: ghế để trống, không bỏ phiếu lại',
      input: vote(ballots([6, 'A B C D', 'A'], [6, 'A B E F', 'A'])),
      valid: true,
      ministry: ['A', 'B'],
      government: ['A'],
    },
    {
      name: 'bằng phiếu ở suất cuối: không ai trong nhóm bằng phiếu được chọn, bỏ phiếu lại cho 2 suất',
      input: vote(threeWayTie),
      valid: true,
      ministry: ['A', 'B'],
      government: [],
      runoff: { title: 'MINISTRY_FLAG', units: ['C', 'D', 'E'], seats: 2 },
    },
    {
      name: 'hai đơn vị bằng phiếu tranh 1 suất còn lại',
      input: vote(ballots([5, 'A B'], [5, 'A C'], [2, 'B C']), { ministryFlagSeats: 2 }),
      valid: true,
      ministry: ['A'],
      government: [],
      runoff: { title: 'MINISTRY_FLAG', units: ['B', 'C'], seats: 1 },
    },
    {
      name: 'bằng phiếu nhưng đủ suất cho tất cả: cùng được chọn',
      input: vote(ballots([12, 'A B', 'A B']), { ministryFlagSeats: 2 }),
      valid: true,
      ministry: ['A', 'B'],
      government: ['A', 'B'],
    },
    {
      name: 'chưa đủ 2/3 đơn vị bỏ phiếu (7/12): kết quả không hợp lệ, không ai được chọn',
      input: vote(ballots([7, 'A B C D', 'A B'])),
      valid: false,
      ministry: [],
      government: [],
    },
    {
      name: 'đúng 2/3 đơn vị bỏ phiếu (8/12): hợp lệ',
      input: vote(ballots([8, 'A B C D', 'A B'])),
      valid: true,
      ministry: ['A', 'B', 'C', 'D'],
      government: ['A', 'B'],
    },
    {
      name: 'nhiều phiếu hơn số đơn vị thành viên: cuộc bỏ phiếu vô hiệu',
      input: vote(ballots([13, 'A B C D', 'A B'])),
      valid: false,
      ministry: [],
      government: [],
    },
    {
      name: 'không có suất Cờ Chính phủ: không ai được chọn cho danh hiệu đó',
      input: vote(ballots([12, 'A B C D', '']), { governmentFlagSeats: 0 }),
      valid: true,
      ministry: ['A', 'B', 'C', 'D'],
      government: [],
    },
  ])('$name', ({ input, valid, ministry, government, runoff }) => {
    const r = tallyClusterVote(input);
    expect(r.valid).toBe(valid);
    expect(r.ballotsCast).toBe(input.ballots.length);
    expect(selected(r.ministryFlag)).toEqual(ministry);
    expect(selected(r.governmentFlag)).toEqual(government);
    expect(r.runoff).toEqual(runoff);
  });

  it('lists every candidate, by votes descending then unit code, with zero-vote candidates last', () => {
    const r = tallyClusterVote(vote(ballots([7, 'D C B A', 'B A'], [5, 'E B A', 'A'])));
    expect(r.ministryFlag).toEqual([
      { unitCode: 'A', votes: 12, selected: true },
      { unitCode: 'B', votes: 12, selected: true },
      { unitCode: 'C', votes: 7, selected: true },
      { unitCode: 'D', votes: 7, selected: true },
      { unitCode: 'E', votes: 5, selected: false },
      { unitCode: 'F', votes: 0, selected: false },
    ]);
    expect(votesOf(r.governmentFlag)).toEqual({ A: 12, B: 7, C: 0, D: 0, E: 0, F: 0 });
  });

  it('explains a missed quorum, yet still shows the votes counted', () => {
    const r = tallyClusterVote(vote(ballots([7, 'A B C D', 'A B'])));
    expect(r.problems).toEqual([expect.stringMatching(/Quorum not reached: 7 of 12 member units voted, at least 2\/3 needed/)]);
    expect(votesOf(r.ministryFlag)).toMatchObject({ A: 7, B: 7, C: 7, D: 7 });
  });

  it('explains a tie for the last seats', () => {
    const r = tallyClusterVote(vote(threeWayTie));
    expect(r.problems).toContain('MINISTRY_FLAG: C, D, E tie with 8 votes for the last 2 seat(s); a run-off among them is needed');
  });

  it('a void ballot counts as cast (quorum, threshold base) but its choices are not counted', () => {
    // 11 good ballots + 1 with five picks for four seats: A has 6 of 12, not more than half.
    const r = tallyClusterVote(
      vote([...ballots([6, 'A B C D'], [5, 'B C D E']), { ministryFlag: codes('A B C D E'), governmentFlag: [] }]),
    );
    expect(r.ballotsCast).toBe(12);
    expect(r.invalidBallots).toBe(1);
    expect(votesOf(r.ministryFlag)).toMatchObject({ A: 6, B: 11, C: 11, D: 11, E: 5 });
    expect(selected(r.ministryFlag)).toEqual(['B', 'C', 'D']);
    expect(r.problems).toEqual([
      expect.stringMatching(/^Ballot 12 is void and was not counted: MINISTRY_FLAG: 5 units chosen for 4 seat\(s\)/),
    ]);
  });

  it.each([
    { base: 'BALLOTS_CAST (mặc định): 6/9 phiếu quá bán', rs: rules, selectedA: true },
    { base: 'ALL_MEMBERS: 6/12 đơn vị không quá bán', rs: allMembersBase, selectedA: false },
  ])('threshold base $base', ({ rs, selectedA }) => {
    const r = tallyClusterVote(vote(ballots([6, 'A'], [3, 'B']), { rules: rs }));
    expect(r.valid).toBe(true);
    expect(r.ministryFlag.find((t) => t.unitCode === 'A')!.selected).toBe(selectedA);
  });

  it.each([
    ['no member units', { memberCount: 0 }],
    ['negative seats', { ministryFlagSeats: -1 }],
    ['fractional seats', { governmentFlagSeats: 1.5 }],
  ])('rejects impossible input: %s', (_name, over) => {
    expect(() => tallyClusterVote(vote([], over))).toThrow(DomainRuleError);
  });
});

describe('tallyClusterVote — Cờ thi đua của Chính phủ chọn trong số đơn vị được suy tôn Cờ cấp Bộ', () => {
  // Ministry: A 11, B 9, C 8, D 8, E 7 → A B C D; E has a majority but ranks fifth.
  // Government: A 7, E 7, B 5.
  const rankedOut = ballots([4, 'A B D E', 'E A'], [3, 'A C D E', 'E A'], [1, 'B C D', 'B'], [4, 'A B C', 'B']);

  it.each([
    { name: 'subset rule on: E is not a Ministry flag unit, so its seat stays empty', rs: rules, government: ['A'] },
    { name: 'subset rule off: E is selected on its own votes', rs: noSubset, government: ['A', 'E'] },
  ])('$name', ({ rs, government }) => {
    const r = tallyClusterVote(vote(rankedOut, { rules: rs }));
    expect(selected(r.ministryFlag)).toEqual(['A', 'B', 'C', 'D']);
    expect(votesOf(r.governmentFlag)).toMatchObject({ A: 7, E: 7, B: 5 });
    expect(selected(r.governmentFlag)).toEqual(government);
  });

  it('the Government flag waits while the Ministry flag goes to a run-off', () => {
    const r = tallyClusterVote(vote(threeWayTie));
    expect(votesOf(r.governmentFlag)).toMatchObject({ A: 12, C: 8 });
    expect(selected(r.governmentFlag)).toEqual([]);
    expect(r.problems).toContain(
      'GOVERNMENT_FLAG: no unit is selected until the MINISTRY_FLAG run-off is decided (Government flag units come from the Ministry flag units)',
    );
  });

  it('without the subset rule the Government flag does not wait for the Ministry run-off', () => {
    const r = tallyClusterVote(vote(threeWayTie, { rules: noSubset }));
    expect(r.runoff?.title).toBe('MINISTRY_FLAG');
    expect(selected(r.governmentFlag)).toEqual(['A', 'C']);
  });

  it('with the run-off winners the Ministry seats are filled and the Government flag is settled', () => {
    const r = tallyClusterVote(vote(threeWayTie, { runoffWinners: { MINISTRY_FLAG: ['C', 'E'] } }));
    expect(selected(r.ministryFlag)).toEqual(['A', 'B', 'C', 'E']);
    expect(selected(r.governmentFlag)).toEqual(['A', 'C']);
    expect(r.runoff).toBeUndefined();
  });

  it('a tie for the Government flag goes to its own run-off', () => {
    const r = tallyClusterVote(vote(ballots([4, 'A B C D', 'A B'], [4, 'A B C D', 'A C'], [4, 'A B C D', 'B C'])));
    expect(selected(r.ministryFlag)).toEqual(['A', 'B', 'C', 'D']);
    expect(selected(r.governmentFlag)).toEqual([]);
    expect(r.runoff).toEqual({ title: 'GOVERNMENT_FLAG', units: ['A', 'B', 'C'], seats: 2 });
  });

  it.each([
    ['no run-off is pending', vote(ballots([12, 'A B C D'])), { MINISTRY_FLAG: ['A'] }, /No run-off is pending for MINISTRY_FLAG/],
    ['a winner outside the run-off', vote(threeWayTie), { MINISTRY_FLAG: ['F'] }, /do not fit the run-off/],
    ['more winners than seats', vote(threeWayTie), { MINISTRY_FLAG: ['C', 'D', 'E'] }, /do not fit the run-off/],
  ])('refuses run-off winners that do not fit: %s', (_name, input, winners, message) => {
    expect(() => tallyClusterVote({ ...input, runoffWinners: winners })).toThrow(message);
  });
});

describe('validateClusterBallot — kiểm tra phiếu bầu', () => {
  const ctx = {
    ministryFlagSeats: 4,
    governmentFlagSeats: 2,
    candidates: { MINISTRY_FLAG: codes('A B C D E'), GOVERNMENT_FLAG: codes('A B C D') },
    rules,
  };
  it.each<[string, ClusterBallot, typeof rules, string[]]>([
    ['a valid ballot', { ministryFlag: codes('A B C D'), governmentFlag: codes('A B') }, rules, []],
    ['a blank ballot (phiếu trắng) is valid', { ministryFlag: [], governmentFlag: [] }, rules, []],
    ['fewer picks than seats', { ministryFlag: codes('A'), governmentFlag: codes('A') }, rules, []],
    [
      'more picks than seats',
      { ministryFlag: codes('A B C D E'), governmentFlag: [] },
      rules,
      ['MINISTRY_FLAG: 5 units chosen for 4 seat(s)'],
    ],
    [
      'too many Government picks',
      { ministryFlag: codes('A B C'), governmentFlag: codes('A B C') },
      rules,
      ['GOVERNMENT_FLAG: 3 units chosen for 2 seat(s)'],
    ],
    ['a unit chosen twice', { ministryFlag: codes('A B A'), governmentFlag: [] }, rules, ['MINISTRY_FLAG: A chosen more than once']],
    [
      'a unit not a candidate',
      { ministryFlag: codes('A Z'), governmentFlag: [] },
      rules,
      ['MINISTRY_FLAG: Z is not a candidate for this title'],
    ],
    [
      'a Ministry candidate not registered for the Government flag',
      { ministryFlag: codes('A E'), governmentFlag: codes('E') },
      rules,
      ['GOVERNMENT_FLAG: E is not a candidate for this title'],
    ],
    [
      'a Government pick not among this ballot’s Ministry picks',
      { ministryFlag: codes('A B'), governmentFlag: codes('A C') },
      rules,
      ["GOVERNMENT_FLAG: C is not among this ballot's MINISTRY_FLAG choices"],
    ],
    ['the same ballot without the subset rule', { ministryFlag: codes('A B'), governmentFlag: codes('A C') }, noSubset, []],
    [
      'a malformed ballot',
      { ministryFlag: undefined, governmentFlag: [] } as unknown as ClusterBallot,
      rules,
      ['MINISTRY_FLAG: the ballot has no list of choices'],
    ],
  ])('%s', (_name, ballot, rs, problems) => {
    expect(validateClusterBallot(ballot, { ...ctx, rules: rs })).toEqual(problems);
  });

  it('reports every problem of a ballot', () => {
    expect(validateClusterBallot({ ministryFlag: codes('A A Z B C'), governmentFlag: codes('D') }, ctx)).toEqual([
      'MINISTRY_FLAG: 5 units chosen for 4 seat(s)',
      'MINISTRY_FLAG: A chosen more than once',
      'MINISTRY_FLAG: Z is not a candidate for this title',
      "GOVERNMENT_FLAG: D is not among this ballot's MINISTRY_FLAG choices",
    ]);
  });
});

describe('tallyRunoff — bỏ phiếu lại giữa các đơn vị bằng phiếu', () => {
  const runoff = { title: 'MINISTRY_FLAG' as const, units: codes('C D E'), seats: 2 };
  it.each<{ name: string; b: string[][]; selected: string[]; again?: typeof runoff; invalid?: number; valid?: boolean }>([
    { name: 'clear result: the two most voted win', b: runoffBallots([8, 'C D'], [4, 'D E']), selected: ['D', 'C'] },
    { name: 'one clear winner, the second seat stays empty below the majority', b: runoffBallots([6, 'C D'], [6, 'C E']), selected: ['C'] },
    {
      name: 'a narrower tie: C wins, D and E tie again for the last seat',
      b: runoffBallots([5, 'C D'], [5, 'C E'], [2, 'D E']),
      selected: ['C'],
      again: { title: 'MINISTRY_FLAG', units: ['D', 'E'], seats: 1 },
    },
    {
      name: 'the same tie again: nobody selected, run-off reported again',
      b: runoffBallots([4, 'C D'], [4, 'C E'], [4, 'D E']),
      selected: [],
      again: runoff,
    },
    {
      name: 'ballots naming a unit outside the run-off or too many units are void',
      b: [...runoffBallots([7, 'C D'], [3, 'D E']), codes('A C'), codes('C D E')],
      selected: ['D', 'C'],
      invalid: 2,
    },
    { name: 'quorum missed: nobody selected', b: runoffBallots([7, 'C D']), selected: [], valid: false },
  ])('$name', ({ b, selected: expected, again, invalid = 0, valid = true }) => {
    const r = tallyRunoff({ memberCount: 12, runoff, ballots: b, rules });
    expect(r.valid).toBe(valid);
    expect(r.selected).toEqual(expected);
    expect(r.runoff).toEqual(again);
    expect(r.invalidBallots).toBe(invalid);
    expect(r.ballotsCast).toBe(b.length);
  });

  it.each([
    [codes('C D'), []],
    [codes('C F'), ['MINISTRY_FLAG: F is not in the run-off']],
    [codes('C C'), ['MINISTRY_FLAG: C chosen more than once']],
    [codes('C D E'), ['MINISTRY_FLAG: 3 units chosen for 2 seat(s)']],
  ])('validateRunoffBallot(%j)', (ballot, problems) => {
    expect(validateRunoffBallot(ballot, runoff)).toEqual(problems);
  });
});

describe('resolveClusterVote — kết quả cả vòng chính và các vòng bỏ phiếu lại', () => {
  const main = vote(threeWayTie);
  const round1 = {
    title: 'MINISTRY_FLAG' as const,
    units: codes('C D E'),
    seats: 2,
    ballots: runoffBallots([5, 'C D'], [5, 'C E'], [2, 'D E']),
  };
  const round2 = { title: 'MINISTRY_FLAG' as const, units: codes('D E'), seats: 1, ballots: runoffBallots([8, 'D'], [4, 'E']) };

  it('without run-off rounds it is the first round’s tally', () => {
    expect(resolveClusterVote(main)).toEqual(tallyClusterVote(main));
  });

  it('a chain of two run-offs fills the Ministry seats, then the Government flag is chosen among them', () => {
    const r = resolveClusterVote(main, [round1, round2]);
    expect(selected(r.ministryFlag)).toEqual(['A', 'B', 'C', 'D']);
    expect(selected(r.governmentFlag)).toEqual(['A', 'C']);
    expect(r.runoff).toBeUndefined();
    expect(r.problems).toEqual([
      'Run-off round 1: MINISTRY_FLAG: D, E tie with 7 votes for the last 1 seat(s); a run-off among them is needed',
    ]);
  });

  it('a chain still open: winners so far are selected and the next round is named', () => {
    const r = resolveClusterVote(main, [round1]);
    expect(selected(r.ministryFlag)).toEqual(['A', 'B', 'C']);
    expect(selected(r.governmentFlag)).toEqual([]);
    expect(r.runoff).toEqual({ title: 'MINISTRY_FLAG', units: ['D', 'E'], seats: 1 });
  });

  it('after the Ministry run-off, a Government tie goes to its own run-off, then is settled', () => {
    // Government: A, B and C have 8 votes each: a tie for 2 seats once the Ministry seats are known.
    const input = vote(ballots([4, 'A B C D', 'A C'], [4, 'A B C E', 'B C'], [4, 'A B D E', 'A B']));
    const ministryRound = { title: 'MINISTRY_FLAG' as const, units: codes('C D E'), seats: 2, ballots: runoffBallots([12, 'C D']) };
    const pending = resolveClusterVote(input, [ministryRound]);
    expect(selected(pending.ministryFlag)).toEqual(['A', 'B', 'C', 'D']);
    expect(pending.runoff).toEqual({ title: 'GOVERNMENT_FLAG', units: ['A', 'B', 'C'], seats: 2 });

    const govRound = { ...pending.runoff!, ballots: runoffBallots([9, 'A B'], [3, 'C']) };
    const r = resolveClusterVote(input, [ministryRound, govRound]);
    expect(selected(r.governmentFlag)).toEqual(['A', 'B']);
    expect(r.runoff).toBeUndefined();
  });

  it.each([
    ['a round for another title', [{ ...round1, title: 'GOVERNMENT_FLAG' as const }]],
    ['a round among other units', [{ ...round1, units: codes('C D') }]],
    ['a round when nothing is pending', [round1, round2, round2]],
  ])('refuses %s', (_name, rounds) => {
    expect(() => resolveClusterVote(main, rounds)).toThrow(/does not match the pending run-off/);
  });
});

describe('validateClusterBallot — bỏ phiếu cho chính mình (allowSelfVote)', () => {
  const base = {
    ministryFlagSeats: 2,
    governmentFlagSeats: 1,
    candidates: { MINISTRY_FLAG: codes('A B C CC-A1'), GOVERNMENT_FLAG: codes('A B') },
  };
  const forbid = { ...rules, allowSelfVote: false };
  it.each<[string, ClusterBallot, typeof rules, string[]]>([
    ['allowed when the rule set says nothing', { ministryFlag: codes('A B'), governmentFlag: codes('A') }, rules, []],
    ['allowed when the rule set allows it', { ministryFlag: codes('A B'), governmentFlag: codes('A') }, { ...rules, allowSelfVote: true }, []],
    [
      'refused for itself, per title',
      { ministryFlag: codes('A B'), governmentFlag: codes('A') },
      forbid,
      ['MINISTRY_FLAG: A may not vote for itself under this rule set', 'GOVERNMENT_FLAG: A may not vote for itself under this rule set'],
    ],
    ['refused for its own sub-unit', { ministryFlag: codes('CC-A1 B'), governmentFlag: [] }, forbid, ['MINISTRY_FLAG: A may not vote for its own unit CC-A1 under this rule set']],
    ['other units are fine', { ministryFlag: codes('B C'), governmentFlag: codes('B') }, forbid, []],
  ])('%s', (_name, ballot, r, problems) => {
    expect(validateClusterBallot(ballot, { ...base, rules: r, voter: { unitCode: 'A', ownUnits: ['CC-A1'] } })).toEqual(problems);
  });
});

describe('abstentions on a seat (đơn vị không bầu cho một danh hiệu)', () => {
  const excluded: RuleSet['clusterVote'] = { ...rules, abstentions: 'EXCLUDE_FROM_BASE' };
  const abstaining = (n: number, abstain: ('MINISTRY_FLAG' | 'GOVERNMENT_FLAG')[], m = '', g = ''): ClusterBallot[] =>
    Array.from({ length: n }, () => ({ ministryFlag: codes(m), governmentFlag: codes(g), abstain }));

  it('keeps today’s rule in the existing rule sets: abstentions stay in the ballots cast', () => {
    expect(findRuleSet('default', 1)!.clusterVote.abstentions).toBe('COUNT_IN_BALLOTS_CAST');
    expect(findRuleSet('state-audit')!.clusterVote.abstentions).toBe('COUNT_IN_BALLOTS_CAST');
  });

  it('counted in the ballots cast: 5 of 10 is not more than half, nobody is selected', () => {
    const r = tallyClusterVote(vote([...ballots([5, 'A B']), ...abstaining(5, ['MINISTRY_FLAG'])]));
    expect(r.valid).toBe(true);
    expect(selected(r.ministryFlag)).toEqual([]);
    expect(r.abstentions).toEqual({ MINISTRY_FLAG: 5, GOVERNMENT_FLAG: 0 });
    expect(r.thresholdBase).toEqual({ MINISTRY_FLAG: 10, GOVERNMENT_FLAG: 10 });
  });

  it('excluded from the base: 5 of 10 − 5 abstentions is more than half', () => {
    const r = tallyClusterVote(vote([...ballots([5, 'A B']), ...abstaining(5, ['MINISTRY_FLAG'])], { rules: excluded }));
    expect(selected(r.ministryFlag)).toEqual(['A', 'B']);
    expect(r.thresholdBase).toEqual({ MINISTRY_FLAG: 5, GOVERNMENT_FLAG: 10 });
  });

  it('per title: abstaining on the Government flag only changes that title’s base', () => {
    const b = [...ballots([6, 'A B', 'A']), ...abstaining(6, ['GOVERNMENT_FLAG'], 'A B')];
    const counted = tallyClusterVote(vote(b));
    expect(selected(counted.ministryFlag)).toEqual(['A', 'B']);
    expect(selected(counted.governmentFlag)).toEqual([]); // 6 of 12 is exactly half
    const left = tallyClusterVote(vote(b, { rules: excluded }));
    expect(selected(left.governmentFlag)).toEqual(['A']); // 6 of 6
    expect(left.abstentions).toEqual({ MINISTRY_FLAG: 0, GOVERNMENT_FLAG: 6 });
    expect(left.thresholdBase).toEqual({ MINISTRY_FLAG: 12, GOVERNMENT_FLAG: 6 });
  });

  it('on the all-members base: 12 member units less the abstentions', () => {
    const b = [...ballots([5, 'A B']), ...abstaining(5, ['MINISTRY_FLAG'])];
    expect(selected(tallyClusterVote(vote(b, { rules: allMembersBase })).ministryFlag)).toEqual([]); // 5 of 12
    const r = tallyClusterVote(vote(b, { rules: { ...allMembersBase, abstentions: 'EXCLUDE_FROM_BASE' } }));
    expect(r.thresholdBase.MINISTRY_FLAG).toBe(7);
    expect(selected(r.ministryFlag)).toEqual(['A', 'B']); // 5 of 7
  });

  it('a tie for the last seat appears only once the abstentions leave the base', () => {
    const b = [...ballots([3, 'A B'], [3, 'A C'], [1, 'B C']), ...abstaining(3, ['MINISTRY_FLAG'])];
    const two = { ministryFlagSeats: 2, governmentFlagSeats: 0 };
    const counted = tallyClusterVote(vote(b, two));
    expect(selected(counted.ministryFlag)).toEqual(['A']); // B, C: 4 of 10
    expect(counted.runoff).toBeUndefined();
    const left = tallyClusterVote(vote(b, { ...two, rules: excluded }));
    expect(selected(left.ministryFlag)).toEqual(['A']);
    expect(left.runoff).toEqual({ title: 'MINISTRY_FLAG', units: ['B', 'C'], seats: 1 }); // 4 of 7 each
  });

  it('counts an abstaining ballot for the quorum either way', () => {
    expect(tallyClusterVote(vote(abstaining(8, ['MINISTRY_FLAG', 'GOVERNMENT_FLAG']), { rules: excluded })).valid).toBe(true);
    const short = tallyClusterVote(vote(abstaining(7, ['MINISTRY_FLAG', 'GOVERNMENT_FLAG']), { rules: excluded }));
    expect(short.valid).toBe(false);
    expect(short.problems[0]).toMatch(/Quorum not reached: 7 of 12/);
  });

  it('refuses an abstention with picks for the same title, an unknown title, or a title twice', () => {
    const ctx = { ministryFlagSeats: 4, governmentFlagSeats: 2, candidates: vote([]).candidates, rules };
    expect(validateClusterBallot({ ministryFlag: ['A'], governmentFlag: [], abstain: ['MINISTRY_FLAG'] }, ctx)).toEqual([
      'MINISTRY_FLAG: the ballot abstains on this title but also chooses units',
    ]);
    expect(validateClusterBallot({ ministryFlag: [], governmentFlag: [], abstain: ['GOLD' as 'MINISTRY_FLAG'] }, ctx)).toEqual(['abstain: GOLD is not a title']);
    expect(validateClusterBallot({ ministryFlag: [], governmentFlag: [], abstain: ['GOVERNMENT_FLAG', 'GOVERNMENT_FLAG'] }, ctx)).toEqual([
      'abstain: GOVERNMENT_FLAG named more than once',
    ]);
    expect(validateClusterBallot({ ministryFlag: ['A'], governmentFlag: [], abstain: ['GOVERNMENT_FLAG'] }, ctx)).toEqual([]);
    // A void ballot's abstention is not counted.
    const r = tallyClusterVote(vote([...ballots([8, 'A B']), { ministryFlag: ['A'], governmentFlag: [], abstain: ['MINISTRY_FLAG'] }], { rules: excluded }));
    expect(r).toMatchObject({ invalidBallots: 1, abstentions: { MINISTRY_FLAG: 0, GOVERNMENT_FLAG: 0 }, thresholdBase: { MINISTRY_FLAG: 9 } });
  });

  it('in a run-off round: abstentions counted or left out of the round’s base', () => {
    const runoff = { title: 'MINISTRY_FLAG' as const, units: ['B', 'C'], seats: 1 };
    const b = runoffBallots([4, 'B'], [3, 'C'], [3, '']);
    expect(validateRunoffBallot([], runoff, ['MINISTRY_FLAG'])).toEqual([]);
    expect(validateRunoffBallot(['B'], runoff, ['MINISTRY_FLAG'])).toEqual(['MINISTRY_FLAG: the ballot abstains on this title but also chooses units']);
    const counted = tallyRunoff({ memberCount: 10, runoff, ballots: b, abstentions: 3, rules });
    expect(counted).toMatchObject({ selected: [], thresholdBase: 10, abstentions: 3 });
    const left = tallyRunoff({ memberCount: 10, runoff, ballots: b, abstentions: 3, rules: excluded });
    expect(left).toMatchObject({ selected: ['B'], thresholdBase: 7 });
  });
});

describe('units not eligible for a title (e.g. no prior title in the award registry)', () => {
  const b = ballots([7, 'A B C D', 'A B'], [5, 'A B E F', 'A E']);
  it('keeps their votes but does not select them; the seat goes to the next unit over the threshold', () => {
    const r = tallyClusterVote(vote(b, { ineligible: { GOVERNMENT_FLAG: { A: 'no Ministry flag in 2029' }, MINISTRY_FLAG: { C: 'lacks X' } } }));
    expect(selected(r.ministryFlag)).toEqual(['A', 'B', 'D']);
    expect(votesOf(r.ministryFlag).C).toBe(7);
    expect(selected(r.governmentFlag)).toEqual(['B']);
    expect(r.ineligible).toEqual([
      { unitCode: 'C', title: 'MINISTRY_FLAG', reason: 'lacks X' },
      { unitCode: 'A', title: 'GOVERNMENT_FLAG', reason: 'no Ministry flag in 2029' },
    ]);
    expect(r.problems).toContain('GOVERNMENT_FLAG: A is not eligible and cannot be proposed: no Ministry flag in 2029');
    // Without the rule, A and B take the Government flag.
    expect(selected(tallyClusterVote(vote(b)).governmentFlag)).toEqual(['A', 'B']);
    expect(tallyClusterVote(vote(b)).ineligible).toEqual([]);
  });
});

/**
 * Every way of counting a cluster abstention, on one vote: 12 member units, 10 ballots, 2 Ministry
 * flag seats and 1 Government flag seat (Government picks not tied to the Ministry picks, so each
 * title is counted on its own). Ministry flag: A 6 votes, B 5, 2 abstentions; Government flag: A 5
 * votes, 3 abstentions. Threshold: > 50 % of the base. The base and the quorum (2/3 = 8 units) are
 * written out by hand per setting; every combination must give them and the selection they imply.
 */
describe('tallyClusterVote — every abstention counting variant (base × abstentions × quorum)', () => {
  const b: ClusterBallot[] = [
    ...Array.from({ length: 5 }, () => ({ ministryFlag: codes('A B'), governmentFlag: codes('A') })),
    { ministryFlag: codes('A'), governmentFlag: [], abstain: ['GOVERNMENT_FLAG'] },
    ...Array.from({ length: 2 }, (): ClusterBallot => ({ ministryFlag: [], governmentFlag: [], abstain: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] })),
    ...Array.from({ length: 2 }, () => ({ ministryFlag: codes('C'), governmentFlag: codes('C') })),
  ];
  type Abst = RuleSet['clusterVote']['abstentions'];
  type Base = RuleSet['clusterVote']['selection']['base'];
  type Quorum = RuleSet['clusterVote']['abstentionsInQuorum'];

  /** [Ministry base, Ministry selected, Government base, Government selected if its quorum is met]. */
  const EXPECTED: Record<Base, Record<'COUNT_IN_BALLOTS_CAST' | 'EXCLUDE_FROM_BASE', [number, string[], number, string[]]>> = {
    // Units present at a secret ballot are those that cast one: PRESENT is BALLOTS_CAST.
    BALLOTS_CAST: { COUNT_IN_BALLOTS_CAST: [10, ['A'], 10, []], EXCLUDE_FROM_BASE: [8, ['A', 'B'], 7, ['A']] },
    PRESENT: { COUNT_IN_BALLOTS_CAST: [10, ['A'], 10, []], EXCLUDE_FROM_BASE: [8, ['A', 'B'], 7, ['A']] },
    // 6 of 12 is exactly half; 6 of 10 and 5 of 9 are more.
    ALL_MEMBERS: { COUNT_IN_BALLOTS_CAST: [12, [], 12, []], EXCLUDE_FROM_BASE: [10, ['A'], 9, ['A']] },
  };
  const cases: [Abst, Base, Quorum][] = [];
  for (const abstentions of [undefined, 'COUNT_IN_BALLOTS_CAST', 'EXCLUDE_FROM_BASE'] as const)
    for (const base of ['BALLOTS_CAST', 'PRESENT', 'ALL_MEMBERS'] as const)
      for (const quorum of [undefined, 'COUNT_AS_PRESENT', 'COUNT_AS_ABSENT'] as const) cases.push([abstentions, base, quorum]);

  it('covers 3 × 3 × 3 combinations', () => expect(cases).toHaveLength(27));

  it.each(cases)('abstentions %s, base %s, abstentions in quorum %s', (abstentions, base, quorum) => {
    const r: RuleSet['clusterVote'] = {
      quorum: rules.quorum,
      selection: { ...rules.selection, base },
      governmentSubsetOfMinistry: false,
      requireRegistrationForTitle: true,
      ...(abstentions ? { abstentions } : {}),
      ...(quorum ? { abstentionsInQuorum: quorum } : {}),
    };
    const result = tallyClusterVote(vote(b, { rules: r, ministryFlagSeats: 2, governmentFlagSeats: 1 }));
    const [mBase, mSelected, gBase, gSelected] = EXPECTED[base][abstentions ?? 'COUNT_IN_BALLOTS_CAST'];
    // Counted as absent, the Government flag's 3 abstentions leave 7 of 12 units: short of 8.
    const governmentQuorum = quorum !== 'COUNT_AS_ABSENT';
    expect(result).toMatchObject({
      valid: true,
      ballotsCast: 10,
      invalidBallots: 0,
      quorumMet: { MINISTRY_FLAG: true, GOVERNMENT_FLAG: governmentQuorum },
      abstentions: { MINISTRY_FLAG: 2, GOVERNMENT_FLAG: 3 },
      thresholdBase: { MINISTRY_FLAG: mBase, GOVERNMENT_FLAG: gBase },
      counting: { allowSelfVote: true, base, abstentions: abstentions ?? 'COUNT_IN_BALLOTS_CAST', abstentionsInQuorum: quorum ?? 'COUNT_AS_PRESENT' },
    });
    expect(votesOf(result.ministryFlag)).toEqual({ A: 6, B: 5, C: 2, D: 0, E: 0, F: 0 });
    expect(votesOf(result.governmentFlag)).toEqual({ A: 5, C: 2, B: 0, D: 0, E: 0, F: 0 });
    expect(selected(result.ministryFlag)).toEqual(mSelected);
    expect(selected(result.governmentFlag)).toEqual(governmentQuorum ? gSelected : []);
    const quorumProblem =
      'GOVERNMENT_FLAG: quorum not reached on this title: 7 of 12 member units voted on it (3 abstained, counted as not voting), at least 2/3 needed; nobody is selected for it';
    if (governmentQuorum) expect(result.problems).toEqual([]);
    else expect(result.problems).toEqual([quorumProblem]);
  });

  it('a run-off round’s abstentions counted as absent can miss its quorum', () => {
    const runoff = { title: 'MINISTRY_FLAG' as const, units: ['B', 'C'], seats: 1 };
    const round = { memberCount: 10, runoff, ballots: runoffBallots([5, 'B'], [1, 'C'], [4, '']), abstentions: 4 };
    expect(tallyRunoff({ ...round, rules })).toMatchObject({ valid: true, quorumMet: true, selected: [] }); // 5 of 10 is not more than half
    expect(tallyRunoff({ ...round, rules: { ...rules, abstentions: 'EXCLUDE_FROM_BASE' } })).toMatchObject({ quorumMet: true, selected: ['B'], thresholdBase: 6 });
    const absent = tallyRunoff({ ...round, rules: { ...rules, abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT' } });
    expect(absent).toMatchObject({ valid: true, quorumMet: false, selected: [], thresholdBase: 6 }); // 6 of 10 < 2/3
    expect(absent.problems).toEqual([
      'MINISTRY_FLAG: quorum not reached on this title: 6 of 10 member units voted on it (4 abstained, counted as not voting), at least 2/3 needed; nobody is selected for it',
    ]);
  });

  it('the shipped rule sets count as before; strict leaves abstentions out of quorum and base and forbids self votes', () => {
    for (const id of ['default', 'state-audit', 'prior-titles']) {
      expect(tallyClusterVote(vote(b, { ministryFlagSeats: 2, governmentFlagSeats: 1, rules: findRuleSet(id)!.clusterVote })).counting).toEqual({
        allowSelfVote: true,
        base: 'BALLOTS_CAST',
        abstentions: 'COUNT_IN_BALLOTS_CAST',
        abstentionsInQuorum: 'COUNT_AS_PRESENT',
      });
    }
    const strict = { ...findRuleSet('strict')!.clusterVote, governmentSubsetOfMinistry: false };
    const r = tallyClusterVote(vote(b, { ministryFlagSeats: 2, governmentFlagSeats: 1, rules: strict }));
    expect(r.counting).toEqual({ allowSelfVote: false, base: 'BALLOTS_CAST', abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT' });
    expect(selected(r.ministryFlag)).toEqual(['A', 'B']);
    expect(r.quorumMet.GOVERNMENT_FLAG).toBe(false);
  });
});

describe('validateRunoffBallot — bỏ phiếu cho chính mình in a run-off round (allowSelfVote)', () => {
  const runoff = { title: 'MINISTRY_FLAG' as const, units: codes('A CC-A1 B'), seats: 1 };
  const forbid = { ...rules, allowSelfVote: false };
  const voter = { unitCode: 'A', ownUnits: ['CC-A1'] };
  it.each<[string, string[], RuleSet['clusterVote'], string[]]>([
    ['allowed when the rule set says nothing', ['A'], rules, []],
    ['allowed when the rule set allows it', ['A'], { ...rules, allowSelfVote: true }, []],
    ['refused for itself', ['A'], forbid, ['MINISTRY_FLAG: A may not vote for itself under this rule set']],
    ['refused for its own sub-unit', ['CC-A1'], forbid, ['MINISTRY_FLAG: A may not vote for its own unit CC-A1 under this rule set']],
    ['another unit is fine', ['B'], forbid, []],
    ['an abstention is fine', [], forbid, []],
  ])('%s', (_name, picks, r, problems) => {
    expect(validateRunoffBallot(picks, runoff, picks.length ? undefined : ['MINISTRY_FLAG'], { rules: r, voter })).toEqual(problems);
  });

  it('checks the seats and the tied units as before, and no voter when none is given (the tally)', () => {
    expect(validateRunoffBallot(['A', 'B'], runoff, undefined, { rules: forbid, voter })).toEqual([
      'MINISTRY_FLAG: 2 units chosen for 1 seat(s)',
      'MINISTRY_FLAG: A may not vote for itself under this rule set',
    ]);
    expect(validateRunoffBallot(['A'], runoff)).toEqual([]);
    expect(validateRunoffBallot(['A'], runoff, undefined, { rules: forbid })).toEqual([]);
  });
});
