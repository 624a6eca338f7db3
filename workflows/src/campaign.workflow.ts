/**
 * One campaign (phong trào thi đua) per cluster × year: registration window (đăng ký thi đua),
 * self-assessment, the cluster's secret ballot (bỏ phiếu kín suy tôn) with run-off rounds for a
 * tie on the last seat, and the hand-off of the result to each member's nomination.
 */
import {
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  findRuleSet,
  nominationId,
  meetsQuorum,
  resolveClusterVote,
  priorTitleIneligibility,
  priorTitleLookup,
  type Ineligibility,
  TITLES,
  validateClusterBallot,
  validateRunoffBallot,
  type ClusterBallot,
  type RunoffRound,
  type Title,
  nominationWorkflowId,
  reminderTimeOf,
  withReminderTime,
  workingDaysLate,
  type PlannedReminder,
} from '../../libs/domain/src/index';
import {
  campaignStateQuery,
  castBallotUpdate,
  closeVoteUpdate,
  clusterVoteResultSignal,
  openVoteUpdate,
  registerUpdate,
  signCovenantUpdate,
  electLeadershipUpdate,
  registrationClosedSignal,
  SA_CLUSTER,
  SA_KIND,
  SA_STAGE,
  SA_YEAR,
  selfAssessmentFiledSignal,
  voteOpenedSignal,
  type CampaignInput,
  type CampaignView,
  type DecisionAction,
  type SecretBallotRecord,
  type TdktActivities,
  type NotificationRequest,
  type Projection,
  type NominationInput,
} from '../../libs/contracts/src/index';
import { DecisionRecorder, snapshot, workflowNow, type EventFields } from './recorder';
import { createdNominationView, initialNominationView, nominationCreatedFields, nominationSearchAttributes } from './nomination-view';

import { actingRole, reject, requireRole } from './guards';
import { nominationWorkflow } from './nomination.workflow';
import { runReminders } from './reminders';

const { openBallotBox, findPriorAwards } = proxyActivities<TdktActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function campaignWorkflow(input: CampaignInput): Promise<CampaignView> {
  const ruleSet = findRuleSet(input.ruleSet.id, input.ruleSet.version);
  if (!ruleSet) throw new Error(`unknown rule set ${input.ruleSet.id}@${input.ruleSet.version}`);
  const recorder = new DecisionRecorder('CAMPAIGN', input.id);
  const startedAt = workflowNow();
  const memberCodes = new Set(input.memberUnitCodes);

  const view: CampaignView = {
    id: input.id,
    year: input.year,
    clusterCode: input.clusterCode,
    clusterName: input.clusterName,
    headUnitCode: input.headUnitCode,
    deputyUnitCode: input.deputyUnitCode,
    registrationDeadline: input.registrationDeadline,
    selfAssessmentDeadline: input.selfAssessmentDeadline ?? null,
    reminderTime: input.reminderTime ?? reminderTimeOf(ruleSet.reminders),
    ruleSet: input.ruleSet,
    phase: 'REGISTRATION',
    members: input.memberUnitCodes.map((unitCode) => ({
      unitCode,
      registeredAt: null,
      targetTitles: [],
      remindersSent: 0,
      selfAssessedAt: null,
    })),
    subUnits: [],
    vote: null,
    nextYear: null,
    startedAt,
    updatedAt: startedAt,
    version: 0,
  };
  /** Ballots of the first round, without voters (the choices only). */
  const mainBallots: ClusterBallot[] = [];
  /** Run-off rounds after a tie for the last seat. */
  const runoffs: RunoffRound[] = [];
  /** Candidates of the first round (run-off rounds narrow the ballot's candidates). */
  let firstRoundCandidates: Record<Title, string[]> = { MINISTRY_FLAG: [], GOVERNMENT_FLAG: [] };
  /** Units the rule set's prior-title rule makes ineligible (read from the registry once, when the vote first closes). */
  let ineligible: Ineligibility | undefined;
  /** A run-off ballot's abstention on the round's title (the ballot itself is an empty pick). */
  const abstainsOnRunoff = (runoff: RunoffRound, abstain: Title[] | undefined) => {
    if (abstain?.includes(runoff.title)) runoff.abstentions = (runoff.abstentions ?? 0) + 1;
  };
  /** Sealed ballots of the round in progress: opened only when the round closes. */
  let sealedBallots: string[] = [];

  const member = (unitCode: string) => view.members.find((m) => m.unitCode === unitCode);
  /** Sub-units a member may register as candidates, with their member unit. */
  const subUnitParents = new Map((input.subUnits ?? []).map((su) => [su.unitCode, su.parentUnitCode]));
  const subUnit = (unitCode: string) => view.subUnits.find((su) => su.unitCode === unitCode);
  /** Every unit with a nomination in this campaign: members, then registered sub-units. */
  const candidateUnits = () => [...input.memberUnitCodes, ...view.subUnits.map((su) => su.unitCode)];
  const nominationIdOf = (unitCode: string) => nominationId(input.year, input.clusterCode, unitCode);
  const signalNominations = async (fn: (unitCode: string) => Promise<void>, units: string[] = input.memberUnitCodes) => {
    await Promise.all(units.map(fn));
  };

  upsertSearchAttributes([
    { key: SA_KIND, value: 'campaign' },
    { key: SA_YEAR, value: input.year },
    { key: SA_CLUSTER, value: input.clusterCode },
    { key: SA_STAGE, value: view.phase },
  ]);

  function decide(
    action: DecisionAction,
    change: () => void,
    fields: Partial<EventFields> = {},
    ballot?: SecretBallotRecord,
    notifications?: NotificationRequest[],
    otherSnapshots: Projection[] = [],
  ) {
    const fromPhase = view.phase;
    const at = workflowNow();
    change();
    view.updatedAt = at;
    view.version += 1;
    if (view.phase !== fromPhase) upsertSearchAttributes([{ key: SA_STAGE, value: view.phase }]);
    return recorder.record(
      view.version,
      at,
      { actor: 'system', action, fromStage: fromPhase, toStage: view.phase, ...fields },
      [{ kind: 'campaign', view: snapshot(view) }, ...otherSnapshots],
      ballot,
      notifications,
    );
  }

  /** The reminder decision of one late unit, with its notification (inbox and e-mail). */
  function remindUnit(kind: NotificationRequest['kind'], unitCode: string, reminder: PlannedReminder, deadline: string) {
    const late = workingDaysLate(deadline, workflowNow());
    return decide(
      'REMINDER_SENT',
      () => {
        const m = member(unitCode);
        if (m) {
          m.remindersSent += 1;
          m.lastReminderAt = workflowNow();
        }
      },
      { data: { kind, unitCode, sequence: reminder.sequence, escalate: reminder.escalate, workingDaysLate: late } },
      undefined,
      [{ kind, unitCode, campaignId: input.id, deadline, sequence: reminder.sequence, escalate: reminder.escalate, workingDaysLate: late }],
    );
  }

  /** One reminder decision per late unit, each with its notification (inbox and e-mail). */
  async function remindUnits(kind: NotificationRequest['kind'], units: string[], reminder: PlannedReminder, deadline: string) {
    // Patch `reminders-in-one-write`: the round's reminders are decided together, so the recorder
    // stores them in one write instead of one activity per late unit.
    const together = patched('reminders-in-one-write');
    // Patch `reminder-round-one-write`: and the first of them no longer goes out alone ahead of the
    // rest (group commit sends a decision at once when no write is in flight): one write a round.
    if (together && patched('reminder-round-one-write')) {
      await Promise.all(recorder.together(() => units.map((unitCode) => remindUnit(kind, unitCode, reminder, deadline))));
      return;
    }
    const writes: Promise<unknown>[] = [];
    for (const unitCode of units) {
      const write = remindUnit(kind, unitCode, reminder, deadline);
      if (together) writes.push(write);
      else await write;
    }
    await Promise.all(writes);
  }

  const byActor = (a: { actor: CampaignInput['startedBy']; requestId?: string }, role: Parameters<typeof actingRole>[1], data: Record<string, unknown> = {}) => ({
    actor: a.actor.username,
    role: actingRole(a.actor, role),
    actorUnitCode: a.actor.unitCode ?? null,
    requestId: a.requestId ?? null,
    data,
  });

  // ---- registration (đăng ký thi đua)
  setHandler(
    registerUpdate,
    async (a) => {
      const late = view.phase !== 'REGISTRATION';
      await decide('UNIT_REGISTERED', () => {
        const m = member(a.unitCode)!;
        m.registeredAt = workflowNow();
        m.targetTitles = [...new Set(a.targetTitles)];
        // Set with the registration so the write carries it (the read model shows đăng ký muộn).
        if (late) m.registeredLate = true;
        for (const su of a.subUnits ?? []) {
          view.subUnits.push({
            unitCode: su.unitCode,
            parentUnitCode: a.unitCode,
            registeredAt: m.registeredAt,
            targetTitles: [...new Set(su.targetTitles)],
            selfAssessedAt: null,
          });
        }
      }, byActor(a, ['UNIT_OFFICER'], { unitCode: a.unitCode, targetTitles: a.targetTitles, ...(a.subUnits?.length ? { subUnits: a.subUnits } : {}) }));
      if (late) {
        // A late registration (đăng ký muộn), after the deadline and before the vote: the
        // unit's nomination learns its titles now.
        const m = member(a.unitCode)!;
        await getExternalWorkflowHandle(nominationWorkflowId(nominationIdOf(a.unitCode))).signal(registrationClosedSignal, {
          targetTitles: m.targetTitles,
          at: m.registeredAt!,
        });
      }
      return snapshot(view);
    },
    {
      validator: (a) => {
        requireRole(a.actor, ['UNIT_OFFICER'], a.unitCode);
        const m = member(a.unitCode);
        if (!m) reject('Forbidden', `unit ${a.unitCode} is not a member of campaign ${input.id}`);
        if (m.registeredAt) reject('Duplicate', `unit ${a.unitCode} has already registered`);
        // After the deadline a late unit may still register until the vote opens.
        if (view.phase !== 'REGISTRATION' && view.phase !== 'SELF_ASSESSMENT') reject('StageConflict', `registration is closed (phase ${view.phase})`);
        if (view.phase !== 'REGISTRATION' && a.subUnits?.length) reject('StageConflict', 'sub-units can only be registered before the registration deadline');
        const titlesValid = (titles: unknown) =>
          Array.isArray(titles) && titles.length > 0 && titles.every((t) => (TITLES as readonly string[]).includes(t as string));
        if (!titlesValid(a.targetTitles)) reject('Invalid', `targetTitles must be a non-empty list of ${TITLES.join(', ')}`);
        const seen = new Set<string>();
        for (const su of a.subUnits ?? []) {
          if (subUnitParents.get(su.unitCode) !== a.unitCode) reject('Invalid', `${su.unitCode} is not a sub-unit of ${a.unitCode}`);
          if (seen.has(su.unitCode) || subUnit(su.unitCode)) reject('Duplicate', `sub-unit ${su.unitCode} is registered twice`);
          seen.add(su.unitCode);
          if (!titlesValid(su.targetTitles)) reject('Invalid', `subUnits.targetTitles of ${su.unitCode} must be a non-empty list of ${TITLES.join(', ')}`);
        }
      },
    },
  );

  // ---- the covenant (ký giao ước thi đua): each registered member confirms, once
  setHandler(
    signCovenantUpdate,
    async (a) => {
      await decide('COVENANT_SIGNED', () => {
        member(a.unitCode)!.covenantSignedAt = workflowNow();
      }, byActor(a, ['UNIT_LEADER', 'UNIT_OFFICER'], { unitCode: a.unitCode }));
      return snapshot(view);
    },
    {
      validator: (a) => {
        requireRole(a.actor, ['UNIT_LEADER', 'UNIT_OFFICER'], a.unitCode);
        const m = member(a.unitCode);
        if (!m) reject('Forbidden', `unit ${a.unitCode} is not a member of campaign ${input.id}`);
        if (!m.registeredAt) reject('StageConflict', `unit ${a.unitCode} signs the covenant after registering`);
        if (m.covenantSignedAt) reject('Duplicate', `unit ${a.unitCode} has already signed the covenant`);
        if (view.phase === 'CLOSED') reject('StageConflict', 'the campaign has closed');
      },
    },
  );

  // ---- next year's head and deputy (bầu cụm trưởng, cụm phó), once the vote is over
  setHandler(
    electLeadershipUpdate,
    async (a) => {
      await decide('LEADERSHIP_ELECTED', () => {
        view.nextYear = { headUnitCode: a.headUnitCode, deputyUnitCode: a.deputyUnitCode, electedAt: workflowNow(), recordedBy: a.actor.username };
      }, byActor(a, ['CLUSTER_HEAD'], { headUnitCode: a.headUnitCode, deputyUnitCode: a.deputyUnitCode, year: input.year + 1 }));
      return snapshot(view);
    },
    {
      validator: (a) => {
        requireRole(a.actor, ['CLUSTER_HEAD'], input.headUnitCode);
        if (view.phase !== 'CLOSED') reject('StageConflict', 'next year\'s head and deputy are elected after the vote has closed');
        if (view.nextYear) reject('Duplicate', 'next year\'s head and deputy have already been recorded');
        if (!memberCodes.has(a.headUnitCode) || !memberCodes.has(a.deputyUnitCode)) reject('Invalid', 'head and deputy must be member units of the cluster');
        if (a.headUnitCode === a.deputyUnitCode) reject('Invalid', 'head and deputy must be different units');
      },
    },
  );

  setHandler(selfAssessmentFiledSignal, ({ unitCode, at }) => {
    const m = member(unitCode) ?? subUnit(unitCode);
    if (!m || m.selfAssessedAt || view.phase !== 'SELF_ASSESSMENT') return;
    void decide('SELF_ASSESSMENT_SUBMITTED', () => {
      m.selfAssessedAt = at;
    }, { data: { unitCode } });
  });

  // ---- the secret ballot (bỏ phiếu kín)
  const candidatesFor = (title: Title) =>
    [...view.members, ...view.subUnits]
      .filter((m) => m.selfAssessedAt && (!ruleSet.clusterVote.requireRegistrationForTitle || m.targetTitles.includes(title)))
      .map((m) => m.unitCode);

  setHandler(
    openVoteUpdate,
    async (a) => {
      const openedAt = workflowNow();
      firstRoundCandidates = { MINISTRY_FLAG: candidatesFor('MINISTRY_FLAG'), GOVERNMENT_FLAG: candidatesFor('GOVERNMENT_FLAG') };
      await decide('VOTE_OPENED', () => {
        view.phase = 'VOTING';
        view.vote = {
          status: 'OPEN',
          round: 1,
          ministryFlagSeats: a.ministryFlagSeats,
          governmentFlagSeats: a.governmentFlagSeats,
          candidates: snapshot(firstRoundCandidates),
          ballotsCast: 0,
          votedUnits: [],
          openedAt,
          closedAt: null,
          result: null,
        };
      }, byActor(a, ['CLUSTER_HEAD'], { ministryFlagSeats: a.ministryFlagSeats, governmentFlagSeats: a.governmentFlagSeats }));
      // Patch `vote-opened-to-unassessed-only`: the signal closes self-assessment, so a unit whose
      // self-assessment the campaign has received (its nomination has left SELF_ASSESSMENT, never
      // to return) is not told; one whose filing is still on its way is told, which changes nothing.
      const toTell = patched('vote-opened-to-unassessed-only')
        ? candidateUnits().filter((u) => !(member(u) ?? subUnit(u))?.selfAssessedAt)
        : candidateUnits();
      await signalNominations(
        (u) => getExternalWorkflowHandle(nominationWorkflowId(nominationIdOf(u))).signal(voteOpenedSignal, { at: openedAt }),
        toTell,
      );
      return snapshot(view.vote!);
    },
    {
      validator: (a) => {
        requireRole(a.actor, ['CLUSTER_HEAD'], input.headUnitCode);
        if (view.phase !== 'SELF_ASSESSMENT') reject('StageConflict', `the vote opens after registration closes and before it has been held (phase ${view.phase})`);
        if (!Number.isInteger(a.ministryFlagSeats) || a.ministryFlagSeats < 1) reject('Invalid', 'ministryFlagSeats must be a whole number ≥ 1');
        if (!Number.isInteger(a.governmentFlagSeats) || a.governmentFlagSeats < 0 || a.governmentFlagSeats > a.ministryFlagSeats)
          reject('Invalid', 'governmentFlagSeats must be a whole number from 0 to ministryFlagSeats');
      },
    },
  );

  /** The reasons a unit cannot be proposed for some title, if any. */
  const ineligibleReasons = (unitCode: string): Partial<Record<Title, string>> | undefined => {
    const reasons = Object.fromEntries(TITLES.flatMap((t) => (ineligible?.[t]?.[unitCode] ? [[t, ineligible[t]![unitCode]]] : [])));
    return Object.keys(reasons).length ? reasons : undefined;
  };

  const currentRunoff = () => (view.vote && view.vote.round > 1 ? runoffs[view.vote.round - 2] : undefined);

  setHandler(
    castBallotUpdate,
    async (a) => {
      const vote = view.vote!;
      const round = vote.round;
      const runoff = currentRunoff();
      if (a.sealedBallot) sealedBallots.push(a.sealedBallot);
      else if (runoff) {
        runoff.ballots.push((runoff.title === 'MINISTRY_FLAG' ? a.ministryFlag : a.governmentFlag) ?? []);
        abstainsOnRunoff(runoff, a.abstain);
      } else mainBallots.push({ ministryFlag: a.ministryFlag ?? [], governmentFlag: a.governmentFlag ?? [], ...(a.abstain?.length ? { abstain: a.abstain } : {}) });
      await decide(
        'BALLOT_CAST',
        () => {
          vote.ballotsCast += 1;
          vote.votedUnits.push(a.unitCode);
        },
        byActor(a, ['UNIT_LEADER'], { unitCode: a.unitCode, round }),
        a.sealedBallot
          ? // Who voted only; what was chosen stays sealed until the round closes.
            { campaignId: input.id, round, voterUnitCode: a.unitCode }
          : {
              campaignId: input.id,
              round,
              voterUnitCode: a.unitCode,
              receiptHash: a.receiptHash,
              choices: { ministryFlag: a.ministryFlag ?? [], governmentFlag: a.governmentFlag ?? [], ...(a.abstain?.length ? { abstain: a.abstain } : {}) },
            },
      );
      return { round, ballotsCast: vote.ballotsCast };
    },
    {
      validator: (a) => {
        requireRole(a.actor, ['UNIT_LEADER'], a.unitCode);
        if (!memberCodes.has(a.unitCode)) reject('Forbidden', `unit ${a.unitCode} is not a member of this cluster`);
        const vote = view.vote;
        if (!vote || vote.status !== 'OPEN') reject('StageConflict', 'the ballot is not open');
        if (vote.votedUnits.includes(a.unitCode)) reject('Duplicate', `unit ${a.unitCode} has already cast its ballot in round ${vote.round}`);
        // A sealed ballot was checked against the candidates and seats by the API; it is checked
        // again when the box is opened (an invalid one then counts as invalid).
        if (a.sealedBallot !== undefined) {
          if (typeof a.sealedBallot !== 'string' || !a.sealedBallot.startsWith('v1.')) reject('Invalid', 'sealedBallot is not a sealed ballot');
          return;
        }
        if (!/^[0-9a-f]{64}$/.test(a.receiptHash ?? '')) reject('Invalid', 'receiptHash must be a sha256 hex digest');
        const ballot = { ministryFlag: a.ministryFlag ?? [], governmentFlag: a.governmentFlag ?? [], ...(a.abstain !== undefined ? { abstain: a.abstain } : {}) };
        const runoff = currentRunoff();
        // The voting unit and its sub-units: a rule set may forbid a vote for them, in every round.
        // (A validator only decides whether an update is accepted; it does not run on replay.)
        const voter = { unitCode: a.unitCode, ownUnits: view.subUnits.filter((su) => su.parentUnitCode === a.unitCode).map((su) => su.unitCode) };
        const problems = runoff
          ? [
              ...validateRunoffBallot(runoff.title === 'MINISTRY_FLAG' ? ballot.ministryFlag : ballot.governmentFlag, runoff, a.abstain, {
                rules: ruleSet.clusterVote,
                voter,
              }),
              ...((runoff.title === 'MINISTRY_FLAG' ? ballot.governmentFlag : ballot.ministryFlag).length
                ? [`this run-off round decides ${runoff.title} only`]
                : []),
            ]
          : validateClusterBallot(ballot, {
              ...vote,
              candidates: firstRoundCandidates,
              rules: ruleSet.clusterVote,
              voter,
            });
        if (problems.length) reject('Invalid', problems.join('; '));
      },
    },
  );

  setHandler(
    closeVoteUpdate,
    async (a) => {
      const vote = view.vote!;
      if (sealedBallots.length > 0) {
        // Open the round's sealed ballots: the choices come back sorted, unlinked from the voters.
        const runoff = currentRunoff();
        const opened = await openBallotBox({ campaignId: input.id, round: vote.round, sealed: [...sealedBallots].sort() });
        sealedBallots = [];
        for (const b of opened.ballots) {
          if (runoff) {
            runoff.ballots.push(runoff.title === 'MINISTRY_FLAG' ? b.ministryFlag : b.governmentFlag);
            abstainsOnRunoff(runoff, b.abstain);
          } else mainBallots.push(b);
        }
        // Unreadable ballots count as cast but invalid (an empty pick over every title is no vote).
        for (let i = 0; i < opened.unreadable; i++) {
          if (runoff) runoff.ballots.push([]);
          else mainBallots.push({ ministryFlag: [], governmentFlag: [] });
        }
      }
      // Patch `prior-title-eligibility`: under a rule set asking for prior titles, the award registry
      // is read once (an activity) for the candidates, and those lacking the title are not selected.
      const lookup = priorTitleLookup(ruleSet.eligibility?.priorTitles, input.year);
      if (lookup && ineligible === undefined && patched('prior-title-eligibility')) {
        const units = [...new Set(Object.keys(ruleSet.eligibility!.priorTitles!).flatMap((t) => firstRoundCandidates[t as Title] ?? []))];
        const awards = units.length ? await findPriorAwards({ unitCodes: units, ...lookup }) : {};
        ineligible = priorTitleIneligibility(ruleSet.eligibility?.priorTitles, input.year, firstRoundCandidates, awards);
      }
      const result = resolveClusterVote(
        {
          memberCount: input.memberUnitCodes.length,
          ministryFlagSeats: vote.ministryFlagSeats,
          governmentFlagSeats: vote.governmentFlagSeats,
          candidates: firstRoundCandidates,
          ballots: mainBallots,
          rules: ruleSet.clusterVote,
          ...(ineligible ? { ineligible } : {}),
        },
        runoffs,
      );
      const closedRound = vote.round;
      if (result.runoff) {
        // A tie for the last seat: a new round among the tied units only (bỏ phiếu lại).
        runoffs.push({ ...result.runoff, ballots: [] });
        await decide('VOTE_CLOSED', () => {
          vote.round += 1;
          vote.candidates = { MINISTRY_FLAG: [], GOVERNMENT_FLAG: [], [result.runoff!.title]: result.runoff!.units } as Record<Title, string[]>;
          vote.ballotsCast = 0;
          vote.votedUnits = [];
          vote.result = result;
        }, byActor(a, ['CLUSTER_HEAD'], { round: closedRound, runoff: result.runoff }));
        return snapshot(vote);
      }
      await decide('VOTE_CLOSED', () => {
        vote.status = 'CLOSED';
        vote.closedAt = workflowNow();
        vote.result = result;
        view.phase = 'CLOSED';
      }, byActor(a, ['CLUSTER_HEAD'], { round: closedRound, valid: result.valid, ballotsCast: result.ballotsCast }));
      const at = view.updatedAt;
      await signalNominations((u) => {
        const pick = (title: Title) => (title === 'MINISTRY_FLAG' ? result.ministryFlag : result.governmentFlag).find((t) => t.unitCode === u);
        return getExternalWorkflowHandle(nominationWorkflowId(nominationIdOf(u))).signal(clusterVoteResultSignal, {
          selected: { MINISTRY_FLAG: pick('MINISTRY_FLAG')?.selected ?? false, GOVERNMENT_FLAG: pick('GOVERNMENT_FLAG')?.selected ?? false },
          votes: { MINISTRY_FLAG: pick('MINISTRY_FLAG')?.votes ?? 0, GOVERNMENT_FLAG: pick('GOVERNMENT_FLAG')?.votes ?? 0 },
          at,
          ...(ineligibleReasons(u) ? { ineligible: ineligibleReasons(u) } : {}),
        });
      }, candidateUnits());
      return snapshot(vote);
    },
    {
      validator: (a) => {
        requireRole(a.actor, ['CLUSTER_HEAD'], input.headUnitCode);
        const vote = view.vote;
        if (!vote || vote.status !== 'OPEN') reject('StageConflict', 'the ballot is not open');
        if (!meetsQuorum(vote.ballotsCast, input.memberUnitCodes.length, ruleSet.clusterVote.quorum)) {
          const q = ruleSet.clusterVote.quorum;
          reject('RuleNotMet', `quorum not met: ${vote.ballotsCast} of ${input.memberUnitCodes.length} member units have voted, ${q.num}/${q.den} are needed`);
        }
      },
    },
  );
  setHandler(campaignStateQuery, () => view);

  // ---- start: the campaign, then one nomination per member unit (id = business key)
  const nominationInputOf = (unitCode: string, extra: Partial<NominationInput> = {}): NominationInput => ({
    id: nominationIdOf(unitCode),
    campaignId: input.id,
    year: input.year,
    clusterCode: input.clusterCode,
    unitCode,
    ruleSet: input.ruleSet,
    requestId: input.requestId,
    unitKind: input.unitKinds?.[unitCode],
    ...(input.reminderTime ? { reminderTime: input.reminderTime } : {}),
    ...extra,
  });
  // Patch `initial-nomination-snapshots`: the members' nominations reach the read model with the
  // campaign, in its first write, instead of each after its own workflow's first write.
  const initialSnapshotsPatch = patched('initial-nomination-snapshots');
  // Patch `nomination-created-with-campaign`: that write also holds each member's NOMINATION_CREATED
  // (its version 1, with the event id its own workflow would give it), and the nominations start
  // with their search attributes set: no first activity and no search-attribute update per nomination.
  const createdWithCampaign = initialSnapshotsPatch && patched('nomination-created-with-campaign');
  const initialSnapshots: Projection[] =
    initialSnapshotsPatch && !createdWithCampaign
      ? input.memberUnitCodes.map((u) => ({ kind: 'nomination', view: initialNominationView(nominationInputOf(u), startedAt) }))
      : [];
  const nominationCreated = (unitCode: string) => {
    const n = nominationInputOf(unitCode);
    return recorder.recordFor({ type: 'NOMINATION', id: n.id, workflowId: nominationWorkflowId(n.id) }, 1, startedAt, nominationCreatedFields(n), [
      { kind: 'nomination', view: createdNominationView(n, startedAt) },
    ]);
  };
  const campaignStarted = () =>
    decide(
      'CAMPAIGN_STARTED',
      () => undefined,
      {
        actor: input.startedBy.username,
        role: actingRole(input.startedBy, ['ADMIN', 'DEPARTMENT_REVIEWER']),
        actorUnitCode: input.startedBy.unitCode ?? null,
        requestId: input.requestId ?? null,
        data: {
          memberUnitCodes: input.memberUnitCodes,
          ruleSet: input.ruleSet,
          registrationDeadline: input.registrationDeadline,
          ...(input.reminderTime ? { reminderTime: input.reminderTime } : {}),
        },
      },
      undefined,
      undefined,
      initialSnapshots,
    );
  // (Awaited as before without the patch: one more promise step would reorder its commands on replay.)
  if (createdWithCampaign) await Promise.all(recorder.together(() => [campaignStarted(), ...input.memberUnitCodes.map(nominationCreated)]));
  else await campaignStarted();
  /** Starts a unit's nomination workflow (id = business key), abandoned by the campaign when it ends. */
  const startNomination = (unitCode: string, extra: Partial<NominationInput> = {}) => {
    const args = nominationInputOf(unitCode, extra);
    return startChild(nominationWorkflow, {
      workflowId: nominationWorkflowId(args.id),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [args],
      ...(createdWithCampaign ? { typedSearchAttributes: nominationSearchAttributes(args, 'SELF_ASSESSMENT') } : {}),
    });
  };
  await Promise.all(input.memberUnitCodes.map((unitCode) => startNomination(unitCode, createdWithCampaign ? { creationRecordedAt: startedAt } : {})));

  // ---- reminders of late registrations (nhắc đăng ký thi đua), until the vote opens
  const reminding = patched('reminders');
  // The campaign's own reminder time, if it set one (an input field: older campaigns have none).
  const reminderPolicy = withReminderTime(ruleSet.reminders, input.reminderTime);
  const reminderLoops: Promise<void>[] = [];
  const votingStarted = () => view.phase === 'VOTING' || view.phase === 'CLOSED';
  if (reminding) {
    reminderLoops.push(
      runReminders({
        deadline: input.registrationDeadline,
        policy: reminderPolicy,
        lateUnits: () => view.members.filter((m) => !m.registeredAt).map((m) => m.unitCode),
        stopped: votingStarted,
        remind: (units, r) => remindUnits('REGISTRATION', units, r, input.registrationDeadline),
      }),
    );
  }

  // ---- registration closes at the deadline, or as soon as every member has registered
  const msLeft = Date.parse(input.registrationDeadline) - Date.parse(workflowNow());
  const everyoneRegistered = () => view.members.every((m) => m.registeredAt);
  if (msLeft > 0) await condition(everyoneRegistered, msLeft);
  await decide('REGISTRATION_CLOSED', () => {
    view.phase = 'SELF_ASSESSMENT';
  }, { data: { registered: view.members.filter((m) => m.registeredAt).map((m) => m.unitCode) } });
  const closedAt = view.updatedAt;
  if (view.subUnits.length > 0 && patched('sub-unit-nominations')) {
    // Registered sub-units get their nomination now, already past registration.
    await Promise.all(
      view.subUnits.map((su) => startNomination(su.unitCode, { parentUnitCode: su.parentUnitCode, targetTitles: su.targetTitles })),
    );
  }
  await signalNominations((u) =>
    getExternalWorkflowHandle(nominationWorkflowId(nominationIdOf(u))).signal(registrationClosedSignal, {
      targetTitles: member(u)!.targetTitles,
      at: closedAt,
    }),
  );

  // ---- reminders of late self-assessments (nhắc nộp tự đánh giá), until the vote opens
  const selfAssessmentDeadline = view.selfAssessmentDeadline;
  if (reminding && selfAssessmentDeadline) {
    reminderLoops.push(
      runReminders({
        deadline: selfAssessmentDeadline,
        policy: reminderPolicy,
        lateUnits: () => [...view.members.filter((m) => m.registeredAt), ...view.subUnits].filter((m) => !m.selfAssessedAt).map((m) => m.unitCode),
        stopped: votingStarted,
        remind: (units, r) => remindUnits('SELF_ASSESSMENT', units, r, selfAssessmentDeadline),
      }),
    );
  }

  await condition(() => view.phase === 'CLOSED');
  await Promise.all(reminderLoops);
  // The campaign ends with the election of next year's head and deputy (luân phiên).
  if (patched('leadership-election')) await condition(() => !!view.nextYear);
  await condition(allHandlersFinished);
  await recorder.settled();
  return snapshot(view);
}
