/**
 * A sitting of the sector's Emulation and Commendation Council (phiên họp Hội đồng Thi đua -
 * Khen thưởng ngành Tư pháp): members vote per nomination and title by secret ballot, the chair
 * records the members present and closes; quorum and thresholds come from the pinned rule set.
 * Each nomination then receives the council's decision.
 */
import { allHandlersFinished, condition, getExternalWorkflowHandle, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { councilDecision, councilQuorumMet, findRuleSet, nominationWorkflowId, type Title } from '../../libs/domain/src/index';
import {
  closeCouncilSessionUpdate,
  councilDecisionSignal,
  councilSessionStateQuery,
  councilVoteUpdate,
  declareCouncilConflictUpdate,
  SA_KIND,
  SA_STAGE,
  SA_YEAR,
  type CouncilSessionInput,
  type CouncilSessionView,
  type DecisionAction,
} from '../../libs/contracts/src/index';
import { DecisionRecorder, snapshot, workflowNow, type EventFields } from './recorder';
import { actingRole, reject, requireRole } from './guards';

const COUNCIL_ROLES = ['COUNCIL_MEMBER', 'COUNCIL_CHAIR'] as const;
const voteKey = (nominationId: string, title: Title) => `${nominationId}|${title}`;

export async function councilSessionWorkflow(input: CouncilSessionInput): Promise<CouncilSessionView> {
  const ruleSet = findRuleSet(input.ruleSet.id, input.ruleSet.version);
  if (!ruleSet) throw new Error(`unknown rule set ${input.ruleSet.id}@${input.ruleSet.version}`);
  const recorder = new DecisionRecorder('COUNCIL_SESSION', input.id);
  const openedAt = workflowNow();

  const view: CouncilSessionView = {
    id: input.id,
    year: input.year,
    status: 'OPEN',
    ruleSet: input.ruleSet,
    membersTotal: input.membersTotal,
    membersPresent: null,
    quorumMet: null,
    items: input.items.map((i) => ({
      nominationId: i.nominationId,
      unitCode: i.unitCode,
      titles: i.titles,
      votes: Object.fromEntries(i.titles.map((t) => [t, { approve: 0, reject: 0, abstain: 0 }])),
      approved: null,
      conflicts: [],
      outcome: null,
    })),
    votedBy: {},
    openedAt,
    openedBy: input.openedBy.username,
    closedAt: null,
    version: 0,
  };

  upsertSearchAttributes([
    { key: SA_KIND, value: 'councilSession' },
    { key: SA_YEAR, value: input.year },
    { key: SA_STAGE, value: view.status },
  ]);

  function decide(action: DecisionAction, change: () => void, fields: Partial<EventFields>) {
    const from = view.status;
    const at = workflowNow();
    change();
    view.version += 1;
    if (view.status !== from) upsertSearchAttributes([{ key: SA_STAGE, value: view.status }]);
    return recorder.record(view.version, at, { actor: 'system', action, fromStage: from, toStage: view.status, ...fields }, [
      { kind: 'councilSession', view: snapshot(view) },
    ]);
  }

  const item = (nominationId: string) => view.items.find((i) => i.nominationId === nominationId);
  /** Has this member declared a conflict of interest on the nomination? */
  const inConflict = (nominationId: string, member: string) => (item(nominationId)?.conflicts ?? []).some((c) => c.member === member);

  setHandler(
    councilVoteUpdate,
    async (a) => {
      const key = voteKey(a.nominationId, a.title);
      const votes = item(a.nominationId)!.votes[a.title]!;
      await decide('COUNCIL_VOTE_CAST', () => {
        if (a.abstain === true) votes.abstain = (votes.abstain ?? 0) + 1;
        else if (a.approve) votes.approve += 1;
        else votes.reject += 1;
        (view.votedBy[key] ??= []).push(a.actor.username);
      }, {
        actor: a.actor.username,
        role: actingRole(a.actor, [...COUNCIL_ROLES]),
        requestId: a.requestId ?? null,
        // who voted on what, never how
        data: { nominationId: a.nominationId, title: a.title },
      });
      return { nominationId: a.nominationId, title: a.title, votesCast: view.votedBy[key].length };
    },
    {
      validator: (a) => {
        requireRole(a.actor, [...COUNCIL_ROLES]);
        if (view.status !== 'OPEN') reject('StageConflict', `council session ${input.id} is closed`);
        const i = item(a.nominationId);
        if (!i) reject('Invalid', `nomination ${a.nominationId} is not on the agenda of session ${input.id}`);
        if (!i.titles.includes(a.title)) reject('Invalid', `title ${a.title} is not proposed for nomination ${a.nominationId}`);
        if (a.abstain !== undefined && typeof a.abstain !== 'boolean') reject('Invalid', 'abstain must be true or false');
        if (a.abstain === true && a.approve === true) reject('Invalid', 'approve cannot be true on an abstention');
        if (a.abstain !== true && typeof a.approve !== 'boolean') reject('Invalid', 'approve must be true or false (or abstain: true)');
        if (inConflict(a.nominationId, a.actor.username))
          reject('RuleNotMet', `${a.actor.username} has declared a conflict of interest on ${a.nominationId} and is left out of its vote`);
        if (view.votedBy[voteKey(a.nominationId, a.title)]?.includes(a.actor.username))
          reject('Duplicate', `${a.actor.username} has already voted on ${a.title} for ${a.nominationId}`);
      },
    },
  );

  // A member with a conflict of interest on a nomination (xung đột lợi ích) declares it before
  // voting on it: the member is then left out of that nomination's count (rule set `council.conflicts`).
  setHandler(
    declareCouncilConflictUpdate,
    async (a) => {
      const i = item(a.nominationId)!;
      const reason = a.reason.trim();
      await decide('COUNCIL_CONFLICT_DECLARED', () => {
        (i.conflicts ??= []).push({ member: a.actor.username, reason, at: workflowNow() });
      }, {
        actor: a.actor.username,
        role: actingRole(a.actor, [...COUNCIL_ROLES]),
        requestId: a.requestId ?? null,
        reason,
        data: { nominationId: a.nominationId },
      });
      return { nominationId: a.nominationId, member: a.actor.username, conflicts: i.conflicts!.length };
    },
    {
      validator: (a) => {
        requireRole(a.actor, [...COUNCIL_ROLES]);
        if (view.status !== 'OPEN') reject('StageConflict', `council session ${input.id} is closed`);
        const i = item(a.nominationId);
        if (!i) reject('Invalid', `nomination ${a.nominationId} is not on the agenda of session ${input.id}`);
        if (typeof a.reason !== 'string' || !a.reason.trim()) reject('Invalid', 'reason is required');
        if (inConflict(a.nominationId, a.actor.username)) reject('Duplicate', `${a.actor.username} has already declared a conflict of interest on ${a.nominationId}`);
        const voted = i.titles.filter((t) => view.votedBy[voteKey(a.nominationId, t)]?.includes(a.actor.username));
        if (voted.length)
          reject('StageConflict', `${a.actor.username} has already voted on ${voted.join(', ')} for ${a.nominationId}; a conflict of interest is declared before voting`);
      },
    },
  );

  setHandler(
    closeCouncilSessionUpdate,
    async (a) => {
      const present = a.membersPresent;
      await decide('COUNCIL_SESSION_CLOSED', () => {
        view.status = 'CLOSED';
        view.membersPresent = present;
        view.quorumMet = true;
        view.closedAt = workflowNow();
        for (const i of view.items) {
          const outcome = Object.fromEntries(
            i.titles.map((t) => [t, councilDecision(i.votes[t]!, i.conflicts?.length ?? 0, present, input.membersTotal, ruleSet.council)]),
          );
          i.outcome = outcome;
          i.approved = Object.fromEntries(i.titles.map((t) => [t, outcome[t].approved]));
        }
      }, {
        actor: a.actor.username,
        role: 'COUNCIL_CHAIR',
        requestId: a.requestId ?? null,
        data: {
          membersPresent: present,
          membersTotal: input.membersTotal,
          results: view.items.map((i) => ({ nominationId: i.nominationId, votes: i.votes, ...(i.conflicts?.length ? { conflicts: i.conflicts.length } : {}) })),
        },
      });
      const at = view.closedAt!;
      await Promise.all(
        view.items.map((i) =>
          getExternalWorkflowHandle(nominationWorkflowId(i.nominationId)).signal(councilDecisionSignal, {
            sessionId: input.id,
            approved: i.approved ?? {},
            at,
            decidedBy: a.actor.username,
          }),
        ),
      );
      return snapshot(view);
    },
    {
      validator: (a) => {
        requireRole(a.actor, ['COUNCIL_CHAIR']);
        if (view.status !== 'OPEN') reject('StageConflict', `council session ${input.id} is already closed`);
        const present = a.membersPresent;
        if (!Number.isInteger(present) || present < 0 || present > input.membersTotal)
          reject('Invalid', `membersPresent must be a whole number from 0 to ${input.membersTotal}`);
        // Members who voted on a title, and those who declared a conflict on its nomination, were present.
        const mostVotes = Math.max(
          0,
          ...view.items.flatMap((i) => i.titles.map((t) => (view.votedBy[voteKey(i.nominationId, t)]?.length ?? 0) + (i.conflicts?.length ?? 0))),
        );
        if (present < mostVotes) reject('Invalid', `membersPresent (${present}) is less than the ${mostVotes} members who voted or declared a conflict`);
        if (!councilQuorumMet(present, input.membersTotal, ruleSet.council)) {
          const q = ruleSet.council.quorum;
          reject('RuleNotMet', `quorum not met: ${present} of ${input.membersTotal} members present, ${q.num}/${q.den} are needed`);
        }
      },
    },
  );

  setHandler(councilSessionStateQuery, () => view);

  await decide('COUNCIL_SESSION_OPENED', () => undefined, {
    actor: input.openedBy.username,
    role: 'COUNCIL_CHAIR',
    actorUnitCode: input.openedBy.unitCode ?? null,
    requestId: input.requestId ?? null,
    data: { items: input.items.map((i) => ({ nominationId: i.nominationId, titles: i.titles })), membersTotal: input.membersTotal },
  });
  await condition(() => view.status === 'CLOSED');
  await condition(allHandlersFinished);
  await recorder.settled();
  return snapshot(view);
}
