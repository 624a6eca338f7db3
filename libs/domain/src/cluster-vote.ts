/**
 * The cluster's secret ballot (bình xét, suy tôn, bỏ phiếu kín), DOMAIN step 3: member units
 * choose the units to propose for the Ministry flag and, among them, for the Government flag.
 *
 * Rules (DOMAIN.md "cluster vote": no national rule, cluster practice, all in the rule set):
 *  - one secret ballot per member unit; the vote is valid with ≥ 2/3 of the members voting
 *    (rules.quorum);
 *  - a unit is selected with > 50 % of the ballots cast (rules.selection), ranked by votes, within
 *    the seats; a tie for the last seat goes to a run-off among the tied units only;
 *  - Government flag units are chosen among the Ministry flag units of the same vote
 *    (rules.governmentSubsetOfMinistry; Law 06/2022 art. 25, seed 003: 2 Government ⊆ 4 Ministry).
 * Ballots carry no voter identity. A void ballot (see validateClusterBallot) counts as cast for the
 * quorum and the threshold base, but its picks are not counted.
 *
 * A ballot may abstain on a title (`abstain: ['GOVERNMENT_FLAG']`: no pick for that title).
 * rules.abstentions says whether its ballot stays in that title's threshold base
 * (COUNT_IN_BALLOTS_CAST, the default) or not (EXCLUDE_FROM_BASE); rules.abstentionsInQuorum whether
 * it counts toward that title's quorum (COUNT_AS_PRESENT, the default: the unit has voted) or not
 * (COUNT_AS_ABSENT: a title whose quorum is then missed is decided for nobody).
 * When the rule set forbids a self vote (allowSelfVote: false), a unit's ballot may not choose
 * itself or its own sub-units, in the first round and in run-off rounds (checked before the ballot
 * is sealed: the tally does not know who cast which ballot).
 * Units the rule set finds ineligible for a title (`ineligible`, e.g. a missing prior title from
 * the award registry) keep their votes in the tally but are never selected; the reason is reported.
 */
import type { Ineligibility } from './eligibility';
import { TITLES, type Title } from './model';
import { DomainRuleError } from './nomination-rules';
import { clusterCounting, meetsQuorum, meetsThreshold, type ClusterCounting, type RuleSet, type Threshold } from './rule-set';

export type ClusterVoteRules = RuleSet['clusterVote'];

/** One member unit's secret ballot: the unit codes it chooses per title. */
export interface ClusterBallot {
  ministryFlag: string[];
  governmentFlag: string[];
  /** Titles the unit abstains on (no pick for them). Absent: none. */
  abstain?: Title[];
}

/** Units eligible per title (registered for it, when the rule set requires that). */
export interface ClusterCandidates {
  MINISTRY_FLAG: string[];
  GOVERNMENT_FLAG: string[];
}

/** A tie for the last seat(s): a run-off among these units only, for the seats left. */
export interface Runoff {
  title: Title;
  units: string[];
  seats: number;
}

export interface ClusterVoteInput {
  /** Member units of the cluster (the electorate). */
  memberCount: number;
  ministryFlagSeats: number;
  governmentFlagSeats: number;
  candidates: ClusterCandidates;
  ballots: ClusterBallot[];
  rules: ClusterVoteRules;
  /**
   * Winners of a run-off already held for this vote (`tallyRunoff(...).selected`). Tallying again
   * with them fills the tied seats and, after a Ministry flag run-off, settles the Government flag.
   */
  runoffWinners?: Partial<Record<Title, string[]>>;
  /** Units that may not be selected for a title, with the reason (e.g. a missing prior title). */
  ineligible?: Ineligibility;
}

export interface TitleTally {
  unitCode: string;
  votes: number;
  selected: boolean;
}

export interface ClusterVoteResult {
  /** Quorum reached: ballots cast / memberCount ≥ rules.quorum. When false nobody is selected. */
  valid: boolean;
  /**
   * The quorum of each title: the ballots counted for it (less its abstentions where the rule set
   * counts them as absent) / memberCount ≥ rules.quorum. Nobody is selected for a title without it.
   */
  quorumMet: Record<Title, boolean>;
  ballotsCast: number;
  /** Void ballots (counted as cast, picks ignored). */
  invalidBallots: number;
  /** Every candidate, by votes descending then unit code. */
  ministryFlag: TitleTally[];
  governmentFlag: TitleTally[];
  /** Pending run-off: the Ministry flag's first; the Government flag waits for it under the subset rule. */
  runoff?: Runoff;
  /** Human-readable reasons: quorum missed, void ballots, ties, a Government flag waiting for a run-off. */
  problems: string[];
  /** Valid ballots abstaining on each title (of the first round). */
  abstentions: Record<Title, number>;
  /** What each title's threshold was measured against: ballots cast or member units, less abstentions where the rule set says so. */
  thresholdBase: Record<Title, number>;
  /** How this vote counted (the rule set's settings, defaults resolved): base kind, abstentions, self votes. */
  counting: ClusterCounting;
  /** Candidates that could not be selected for a title, with the reason. */
  ineligible: { unitCode: string; title: Title; reason: string }[];
}

export interface ClusterBallotContext {
  ministryFlagSeats: number;
  governmentFlagSeats: number;
  candidates: ClusterCandidates;
  rules: ClusterVoteRules;
  /** The voting unit and the units it answers for (its sub-units), checked when the rule set forbids a self vote. */
  voter?: BallotVoter;
}

/** Who casts a ballot: the unit and the units it answers for (its sub-units). */
export interface BallotVoter {
  unitCode: string;
  ownUnits?: string[];
}

/** What a run-off ballot is checked against besides the run-off: the rule set and, for a self vote, the voter. */
export interface RunoffBallotContext {
  rules: ClusterVoteRules;
  voter?: BallotVoter;
}

export interface RunoffInput {
  memberCount: number;
  runoff: Runoff;
  /** Each ballot: the unit codes chosen among runoff.units, at most runoff.seats. */
  ballots: string[][];
  /** Ballots of this round that abstain on its title (each also in `ballots`, with no pick). */
  abstentions?: number;
  rules: ClusterVoteRules;
}

export interface RunoffResult {
  valid: boolean;
  /** The quorum of the round's title (its abstentions left out where the rule set counts them as absent). */
  quorumMet: boolean;
  ballotsCast: number;
  invalidBallots: number;
  tallies: TitleTally[];
  /** Units selected in this round. */
  selected: string[];
  /** A new tie: run the run-off again among these units for the seats still left. */
  runoff?: Runoff;
  problems: string[];
  abstentions: number;
  thresholdBase: number;
}

// ---------------------------------------------------------------- ballot validation

function checkPicks(title: Title, picks: unknown, seats: number, candidates: string[], notCandidate: string): string[] {
  if (!Array.isArray(picks)) return [`${title}: the ballot has no list of choices`];
  const problems: string[] = [];
  if (picks.length > seats) problems.push(`${title}: ${picks.length} units chosen for ${seats} seat(s)`);
  const seen = new Set<string>();
  for (const unit of picks as string[]) {
    if (seen.has(unit)) problems.push(`${title}: ${unit} chosen more than once`);
    else if (!candidates.includes(unit)) problems.push(`${title}: ${unit} ${notCandidate}`);
    seen.add(unit);
  }
  return problems;
}

/** Problems with a ballot's abstentions: a list of titles, each without picks. */
function checkAbstentions(abstain: unknown, picks: Record<Title, unknown>): string[] {
  if (abstain === undefined) return [];
  if (!Array.isArray(abstain)) return ['abstain must be a list of titles'];
  const problems: string[] = [];
  const seen = new Set<unknown>();
  for (const title of abstain) {
    if (!(TITLES as readonly unknown[]).includes(title)) problems.push(`abstain: ${String(title)} is not a title`);
    else if (seen.has(title)) problems.push(`abstain: ${title} named more than once`);
    else if (Array.isArray(picks[title as Title]) && (picks[title as Title] as unknown[]).length > 0)
      problems.push(`${title}: the ballot abstains on this title but also chooses units`);
    seen.add(title);
  }
  return problems;
}

/** Problems with one ballot; [] when it is valid. */
export function validateClusterBallot(ballot: ClusterBallot, ctx: ClusterBallotContext): string[] {
  const problems = [
    ...checkAbstentions(ballot?.abstain, { MINISTRY_FLAG: ballot?.ministryFlag, GOVERNMENT_FLAG: ballot?.governmentFlag }),
    ...checkPicks(
      'MINISTRY_FLAG',
      ballot?.ministryFlag,
      ctx.ministryFlagSeats,
      ctx.candidates.MINISTRY_FLAG,
      'is not a candidate for this title',
    ),
    ...checkPicks(
      'GOVERNMENT_FLAG',
      ballot?.governmentFlag,
      ctx.governmentFlagSeats,
      ctx.candidates.GOVERNMENT_FLAG,
      'is not a candidate for this title',
    ),
  ];
  problems.push(...selfVotes(ctx.rules, ctx.voter, [['MINISTRY_FLAG', ballot?.ministryFlag], ['GOVERNMENT_FLAG', ballot?.governmentFlag]]));
  if (ctx.rules.governmentSubsetOfMinistry && Array.isArray(ballot?.governmentFlag) && Array.isArray(ballot?.ministryFlag)) {
    for (const unit of new Set(ballot.governmentFlag)) {
      if (!ballot.ministryFlag.includes(unit)) problems.push(`GOVERNMENT_FLAG: ${unit} is not among this ballot's MINISTRY_FLAG choices`);
    }
  }
  return problems;
}

/** Picks of a voter for itself or its own sub-units, when the rule set forbids a self vote. */
function selfVotes(rules: ClusterVoteRules, voter: BallotVoter | undefined, picks: (readonly [Title, unknown])[]): string[] {
  if (clusterCounting(rules).allowSelfVote || !voter) return [];
  const own = new Set([voter.unitCode, ...(voter.ownUnits ?? [])]);
  const problems: string[] = [];
  for (const [title, chosen] of picks) {
    for (const unit of Array.isArray(chosen) ? new Set(chosen as string[]) : []) {
      if (own.has(unit)) problems.push(`${title}: ${voter.unitCode} may not vote for ${unit === voter.unitCode ? 'itself' : `its own unit ${unit}`} under this rule set`);
    }
  }
  return problems;
}

/**
 * Problems with one run-off ballot; [] when it is valid. `abstain`: the ballot's abstentions, if
 * any. `ctx`: the rule set and the voter, to refuse a self vote where the rule set forbids it.
 */
export function validateRunoffBallot(ballot: string[], runoff: Runoff, abstain?: Title[], ctx?: RunoffBallotContext): string[] {
  return [
    ...checkPicks(runoff.title, ballot, runoff.seats, runoff.units, 'is not in the run-off'),
    ...checkAbstentions(abstain, { MINISTRY_FLAG: [], GOVERNMENT_FLAG: [], [runoff.title]: ballot } as Record<Title, unknown>),
    ...(ctx ? selfVotes(ctx.rules, ctx.voter, [[runoff.title, ballot]]) : []),
  ];
}

// ---------------------------------------------------------------- tally

function assertWhole(value: number, what: string, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new DomainRuleError('INVALID', `${what} must be a whole number ≥ ${min}, got ${value}`);
}

/** Quorum and plausibility of the turnout; records the reason when the vote is not valid. */
function turnoutValid(ballotsCast: number, memberCount: number, rules: ClusterVoteRules, problems: string[]): boolean {
  if (ballotsCast > memberCount) {
    problems.push(`${ballotsCast} ballots for only ${memberCount} member units: the vote is void`);
    return false;
  }
  if (!meetsQuorum(ballotsCast, memberCount, rules.quorum)) {
    const { num, den } = rules.quorum;
    problems.push(
      `Quorum not reached: ${ballotsCast} of ${memberCount} member units voted, at least ${num}/${den} needed; nobody is selected`,
    );
    return false;
  }
  return true;
}

function thresholdBase(rules: ClusterVoteRules, ballotsCast: number, memberCount: number, abstentions: number): number {
  const t: Threshold = rules.selection;
  const left = clusterCounting(rules).abstentions === 'EXCLUDE_FROM_BASE' ? abstentions : 0;
  // Units present at a secret ballot are the units that cast one.
  return (t.base === 'ALL_MEMBERS' ? memberCount : ballotsCast) - left;
}

/**
 * The quorum of one title, once the turnout is valid: its abstentions leave the ballots counted for
 * it where the rule set counts them as absent. Records the reason when it is missed.
 */
function titleQuorum(
  title: Title,
  valid: boolean,
  ballotsCast: number,
  memberCount: number,
  abstentions: number,
  rules: ClusterVoteRules,
  problems: string[],
): boolean {
  if (!valid) return false;
  if (clusterCounting(rules).abstentionsInQuorum !== 'COUNT_AS_ABSENT' || abstentions === 0) return true;
  const voted = ballotsCast - abstentions;
  if (meetsQuorum(voted, memberCount, rules.quorum)) return true;
  const { num, den } = rules.quorum;
  problems.push(
    `${title}: quorum not reached on this title: ${voted} of ${memberCount} member units voted on it (${abstentions} abstained, counted as not voting), at least ${num}/${den} needed; nobody is selected for it`,
  );
  return false;
}

function countPicks(counts: Map<string, number>, picks: string[]): void {
  for (const unit of picks) counts.set(unit, (counts.get(unit) ?? 0) + 1);
}

interface SeatOutcome {
  tallies: TitleTally[];
  tie?: { units: string[]; seats: number };
}

/**
 * Rank every candidate and fill the seats with those that qualify (threshold, and `eligible`).
 * When the qualifying units tied on the last seat would overflow the seats, none of the tied units
 * is selected and they are returned as a tie for the seats left.
 */
function fillSeats(
  candidates: string[],
  counts: Map<string, number>,
  seats: number,
  qualifies: (votes: number) => boolean,
  eligible: (unit: string) => boolean = () => true,
): SeatOutcome {
  const tallies: TitleTally[] = [...new Set(candidates)]
    .map((unitCode) => ({ unitCode, votes: counts.get(unitCode) ?? 0, selected: false }))
    .sort((a, b) => b.votes - a.votes || (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0));
  const contenders = tallies.filter((t) => qualifies(t.votes) && eligible(t.unitCode));
  let chosen = contenders;
  let tie: SeatOutcome['tie'];
  if (contenders.length > seats) {
    if (seats === 0) chosen = [];
    else {
      const last = contenders[seats - 1].votes;
      if (contenders[seats].votes < last) chosen = contenders.slice(0, seats);
      else {
        chosen = contenders.filter((t) => t.votes > last);
        tie = { units: contenders.filter((t) => t.votes === last).map((t) => t.unitCode), seats: seats - chosen.length };
      }
    }
  }
  for (const t of chosen) t.selected = true;
  return { tallies, tie };
}

function describeTie(title: Title, tallies: TitleTally[], tie: { units: string[]; seats: number }): string {
  const votes = tallies.find((t) => t.unitCode === tie.units[0])?.votes ?? 0;
  return `${title}: ${tie.units.join(', ')} tie with ${votes} votes for the last ${tie.seats} seat(s); a run-off among them is needed`;
}

/** Apply the winners of a run-off already held to a tie of this tally. */
function settleRunoff(title: Title, outcome: SeatOutcome, winners: string[] | undefined): void {
  if (winners === undefined) return;
  const tie = outcome.tie;
  if (!tie) throw new DomainRuleError('INVALID', `No run-off is pending for ${title}`);
  if (new Set(winners).size !== winners.length || winners.length > tie.seats || winners.some((u) => !tie.units.includes(u))) {
    throw new DomainRuleError(
      'INVALID',
      `${title}: run-off winners ${winners.join(', ')} do not fit the run-off among ${tie.units.join(', ')} for ${tie.seats} seat(s)`,
    );
  }
  for (const t of outcome.tallies) if (winners.includes(t.unitCode)) t.selected = true;
  outcome.tie = undefined;
}

/** Tally the cluster's secret ballot for both titles. */
export function tallyClusterVote(input: ClusterVoteInput): ClusterVoteResult {
  const { memberCount, candidates, ballots, rules } = input;
  assertWhole(memberCount, 'Member units', 1);
  assertWhole(input.ministryFlagSeats, 'Ministry flag seats', 0);
  assertWhole(input.governmentFlagSeats, 'Government flag seats', 0);

  const problems: string[] = [];
  const ballotsCast = ballots.length;
  const valid = turnoutValid(ballotsCast, memberCount, rules, problems);

  const counts = { MINISTRY_FLAG: new Map<string, number>(), GOVERNMENT_FLAG: new Map<string, number>() };
  const abstentions: Record<Title, number> = { MINISTRY_FLAG: 0, GOVERNMENT_FLAG: 0 };
  let invalidBallots = 0;
  ballots.forEach((ballot, i) => {
    const errors = validateClusterBallot(ballot, input);
    if (errors.length > 0) {
      invalidBallots++;
      problems.push(`Ballot ${i + 1} is void and was not counted: ${errors.join('; ')}`);
      return;
    }
    countPicks(counts.MINISTRY_FLAG, ballot.ministryFlag);
    countPicks(counts.GOVERNMENT_FLAG, ballot.governmentFlag);
    for (const title of ballot.abstain ?? []) abstentions[title] += 1;
  });

  const base: Record<Title, number> = {
    MINISTRY_FLAG: thresholdBase(rules, ballotsCast, memberCount, abstentions.MINISTRY_FLAG),
    GOVERNMENT_FLAG: thresholdBase(rules, ballotsCast, memberCount, abstentions.GOVERNMENT_FLAG),
  };
  const quorumMet: Record<Title, boolean> = {
    MINISTRY_FLAG: titleQuorum('MINISTRY_FLAG', valid, ballotsCast, memberCount, abstentions.MINISTRY_FLAG, rules, problems),
    GOVERNMENT_FLAG: titleQuorum('GOVERNMENT_FLAG', valid, ballotsCast, memberCount, abstentions.GOVERNMENT_FLAG, rules, problems),
  };
  const qualifies = (title: Title) => (votes: number) => quorumMet[title] && meetsThreshold(votes, base[title], rules.selection);
  const ineligible: ClusterVoteResult['ineligible'] = [];
  for (const title of TITLES) {
    for (const unitCode of [...new Set(candidates[title])]) {
      const reason = input.ineligible?.[title]?.[unitCode];
      if (reason) {
        ineligible.push({ unitCode, title, reason });
        problems.push(`${title}: ${unitCode} is not eligible and cannot be proposed: ${reason}`);
      }
    }
  }
  const eligibleFor = (title: Title) => (unit: string) => !input.ineligible?.[title]?.[unit];

  const ministry = fillSeats(candidates.MINISTRY_FLAG, counts.MINISTRY_FLAG, input.ministryFlagSeats, qualifies('MINISTRY_FLAG'), eligibleFor('MINISTRY_FLAG'));
  settleRunoff('MINISTRY_FLAG', ministry, input.runoffWinners?.MINISTRY_FLAG);

  // Government flag: only among the units selected for the Ministry flag (filter after its tally).
  const subset = rules.governmentSubsetOfMinistry;
  const waiting = subset && ministry.tie !== undefined;
  const ministrySelected = new Set(ministry.tallies.filter((t) => t.selected).map((t) => t.unitCode));
  const government = fillSeats(
    candidates.GOVERNMENT_FLAG,
    counts.GOVERNMENT_FLAG,
    input.governmentFlagSeats,
    (votes) => !waiting && qualifies('GOVERNMENT_FLAG')(votes),
    (unit) => (!subset || ministrySelected.has(unit)) && eligibleFor('GOVERNMENT_FLAG')(unit),
  );
  settleRunoff('GOVERNMENT_FLAG', government, input.runoffWinners?.GOVERNMENT_FLAG);

  let runoff: Runoff | undefined;
  if (ministry.tie) {
    problems.push(describeTie('MINISTRY_FLAG', ministry.tallies, ministry.tie));
    runoff = { title: 'MINISTRY_FLAG', ...ministry.tie };
  }
  if (waiting)
    problems.push(
      'GOVERNMENT_FLAG: no unit is selected until the MINISTRY_FLAG run-off is decided (Government flag units come from the Ministry flag units)',
    );
  if (government.tie) {
    problems.push(describeTie('GOVERNMENT_FLAG', government.tallies, government.tie));
    runoff ??= { title: 'GOVERNMENT_FLAG', ...government.tie };
  }

  return {
    valid,
    quorumMet,
    ballotsCast,
    invalidBallots,
    ministryFlag: ministry.tallies,
    governmentFlag: government.tallies,
    runoff,
    problems,
    abstentions,
    thresholdBase: base,
    counting: clusterCounting(rules),
    ineligible,
  };
}

/**
 * Tally a run-off round among the tied units only, for the seats left: same quorum and threshold
 * (base: the ballots cast in this round), abstentions counted as the rule set says. A new tie
 * leaves the tied units unselected and reports the run-off again.
 */
export function tallyRunoff(input: RunoffInput): RunoffResult {
  const { memberCount, runoff, ballots, rules } = input;
  assertWhole(memberCount, 'Member units', 1);
  assertWhole(runoff.seats, 'Run-off seats', 0);

  const problems: string[] = [];
  const ballotsCast = ballots.length;
  const valid = turnoutValid(ballotsCast, memberCount, rules, problems);

  const counts = new Map<string, number>();
  let invalidBallots = 0;
  ballots.forEach((ballot, i) => {
    const errors = validateRunoffBallot(ballot, runoff);
    if (errors.length > 0) {
      invalidBallots++;
      problems.push(`Ballot ${i + 1} is void and was not counted: ${errors.join('; ')}`);
      return;
    }
    countPicks(counts, ballot);
  });

  const abstentions = input.abstentions ?? 0;
  assertWhole(abstentions, 'Run-off abstentions', 0);
  const base = thresholdBase(rules, ballotsCast, memberCount, abstentions);
  const quorumMet = titleQuorum(runoff.title, valid, ballotsCast, memberCount, abstentions, rules, problems);
  const outcome = fillSeats(runoff.units, counts, runoff.seats, (votes) => quorumMet && meetsThreshold(votes, base, rules.selection));
  let again: Runoff | undefined;
  if (outcome.tie) {
    problems.push(describeTie(runoff.title, outcome.tallies, outcome.tie));
    again = { title: runoff.title, ...outcome.tie };
  }
  const selected = outcome.tallies.filter((t) => t.selected).map((t) => t.unitCode);
  return { valid, quorumMet, ballotsCast, invalidBallots, tallies: outcome.tallies, selected, runoff: again, problems, abstentions, thresholdBase: base };
}

/** A run-off round as held: the run-off it settles and its ballots (unit codes among runoff.units). */
export interface RunoffRound extends Runoff {
  ballots: string[][];
  /** Ballots of the round abstaining on its title (they are in `ballots` with no pick). */
  abstentions?: number;
}

function sameRunoff(a: Runoff, b: Runoff): boolean {
  return a.title === b.title && a.seats === b.seats && a.units.length === b.units.length && a.units.every((u) => b.units.includes(u));
}

/**
 * The result of the whole vote: the first round, then each run-off round in order. Each round
 * must hold exactly the run-off the previous one left pending. A chain of run-offs for one title
 * (a new tie narrows it) ends when no tie remains; its winners then fill the tied seats. If the
 * last round given leaves a new tie, `runoff` names the next round to hold and the winners so far
 * are already marked selected. Problems of the run-off rounds are kept, prefixed by the round.
 */
export function resolveClusterVote(input: ClusterVoteInput, rounds: RunoffRound[] = []): ClusterVoteResult {
  const winners: Partial<Record<Title, string[]>> = { ...input.runoffWinners };
  const roundProblems: string[] = [];
  let result = tallyClusterVote({ ...input, runoffWinners: winners });
  let pending = result.runoff;
  let chainWinners: string[] = [];

  rounds.forEach((round, i) => {
    const label = `Run-off round ${i + 1}`;
    if (!pending || !sameRunoff(pending, round)) {
      const expected = pending ? `${pending.title} among ${pending.units.join(', ')} for ${pending.seats} seat(s)` : 'none';
      throw new DomainRuleError(
        'INVALID',
        `${label} (${round.title} among ${round.units.join(', ')}) does not match the pending run-off: ${expected}`,
      );
    }
    const r = tallyRunoff({ memberCount: input.memberCount, runoff: round, ballots: round.ballots, abstentions: round.abstentions, rules: input.rules });
    roundProblems.push(...r.problems.map((p) => `${label}: ${p}`));
    chainWinners = [...chainWinners, ...r.selected];
    if (r.runoff) {
      pending = r.runoff;
      return;
    }
    winners[round.title] = chainWinners;
    chainWinners = [];
    result = tallyClusterVote({ ...input, runoffWinners: winners });
    pending = result.runoff;
  });

  if (pending && result.runoff && !sameRunoff(pending, result.runoff)) {
    // A chain still open: keep the tally before it, with the winners so far and the next round.
    const tallies = pending.title === 'MINISTRY_FLAG' ? result.ministryFlag : result.governmentFlag;
    for (const t of tallies) if (chainWinners.includes(t.unitCode)) t.selected = true;
    result = { ...result, runoff: pending };
  }
  return { ...result, problems: [...result.problems, ...roundProblems] };
}
