/**
 * One nomination (hồ sơ đề nghị) per unit × campaign: the stage machine
 * SELF_ASSESSMENT → CLUSTER_VOTE → DEPARTMENT_REVIEW (⇄ AMENDMENT) → COUNCIL_DECISION
 * → (Government flag) GOVERNMENT_DECISION → AWARDED | NOT_SELECTED | NOT_AWARDED.
 * Human decisions are updates with validators; hand-offs from the campaign and the council are
 * signals; the stage rules themselves are pure functions of libs/domain.
 */
import { allHandlersFinished, condition, getExternalWorkflowHandle, patched, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import {
  addWorkingDays,
  assertStage,
  findRuleSet,
  isFinalStage,
  requiresConsultation,
  WITHDRAWABLE_STAGES,
  titlesAfterClusterVote,
  titlesAfterCouncil,
  titlesAfterGovernment,
  titlesAfterReview,
  toVietnamDate,
  type Actor,
  type Role,
  type Stage,
  campaignWorkflowId,
  withReminderTime,
  workingDaysLate,
} from '../../libs/domain/src/index';
import {
  amendUpdate,
  clusterVoteResultSignal,
  consultationUpdate,
  governmentSubmissionUpdate,
  withdrawUpdate,
  councilDecisionSignal,
  governmentDecisionUpdate,
  nominationStateQuery,
  registrationClosedSignal,
  reviewUpdate,
  SA_STAGE,
  selfAssessmentFiledSignal,
  submitSelfAssessmentUpdate,
  voteOpenedSignal,
  type DecisionAction,
  type NominationInput,
  type NominationView,
  type NotificationRequest,
} from '../../libs/contracts/src/index';
import { DecisionRecorder, snapshot, workflowNow, type EventFields } from './recorder';
import { actingRole, domainCheck, reject, requireRole } from './guards';
import { runReminders } from './reminders';
import { createdNominationView, initialNominationView, nominationCreatedFields, nominationSearchAttributes } from './nomination-view';
import { ensureSearchAttributes } from './search-attributes';

export async function nominationWorkflow(input: NominationInput): Promise<NominationView> {
  const ruleSet = findRuleSet(input.ruleSet.id, input.ruleSet.version);
  if (!ruleSet) throw new Error(`unknown rule set ${input.ruleSet.id}@${input.ruleSet.version}`);
  const recorder = new DecisionRecorder('NOMINATION', input.id);
  // Patch `nomination-created-with-campaign` (of the campaign): its NOMINATION_CREATED is stored already.
  const created = input.creationRecordedAt;
  let voteOpened = false;
  const reviewWorkingDays = ruleSet.deadlines.reviewWorkingDays;
  /** Grows each time the dossier enters DEPARTMENT_REVIEW: the SLA timer of an older entry is void. */
  let reviewEpoch = 0;
  /** The unit's own officers act for it; a sub-unit's officers are those of its member unit. */
  const officerUnits = input.parentUnitCode ? [input.unitCode, input.parentUnitCode] : [input.unitCode];
  const consultationRequired = requiresConsultation(ruleSet, input.unitKind);

  const view: NominationView = created ? createdNominationView(input, created) : initialNominationView(input, workflowNow());

  ensureSearchAttributes(nominationSearchAttributes(input, view.stage));

  /** Applies a decision: new stage and changes now, the write through the recorder. */
  function decide(action: DecisionAction, toStage: Stage, change: () => void, fields: Partial<EventFields> = {}, notifications?: NotificationRequest[]) {
    const fromStage = view.stage;
    const at = workflowNow();
    change();
    view.stage = toStage;
    if (toStage === 'DEPARTMENT_REVIEW' && fromStage !== 'DEPARTMENT_REVIEW') {
      // The appraisal time limit runs from here (Decree 39/2012: 10 working days by default).
      reviewEpoch += 1;
      view.reviewDue = { dueDate: addWorkingDays(toVietnamDate(new Date(at)), reviewWorkingDays), overdue: false };
    } else if (toStage !== 'DEPARTMENT_REVIEW') {
      view.reviewDue = null;
    }
    view.updatedAt = at;
    view.version += 1;
    if (toStage !== fromStage) upsertSearchAttributes([{ key: SA_STAGE, value: toStage }]);
    return recorder.record(
      view.version,
      at,
      { actor: 'system', action, fromStage, toStage, ...fields },
      [{ kind: 'nomination', view: snapshot(view) }],
      undefined,
      notifications,
    );
  }

  const respond = async (write: Promise<unknown>): Promise<NominationView> => {
    await write;
    return snapshot(view);
  };

  // ---- hand-offs from the campaign and the council (signals)
  setHandler(registrationClosedSignal, ({ targetTitles }) => {
    if (view.registrationClosed) {
      // A late registration after the deadline: the titles arrive now (before the vote).
      if (Object.keys(view.titles).length === 0 && targetTitles.length > 0 && view.stage === 'SELF_ASSESSMENT' && !voteOpened) {
        void decide('UNIT_REGISTERED', view.stage, () => {
          view.titles = Object.fromEntries(targetTitles.map((t) => [t, 'REGISTERED']));
        }, { data: { targetTitles, late: true } });
      }
      return;
    }
    void decide('REGISTRATION_CLOSED', view.stage, () => {
      view.registrationClosed = true;
      view.titles = Object.fromEntries(targetTitles.map((t) => [t, 'REGISTERED']));
    }, { data: { targetTitles } });
  });

  setHandler(voteOpenedSignal, () => {
    voteOpened = true;
  });

  setHandler(clusterVoteResultSignal, ({ selected, votes, ineligible }) => {
    if (view.stage !== 'SELF_ASSESSMENT' && view.stage !== 'CLUSTER_VOTE') return;
    const next = titlesAfterClusterVote(view.titles, selected);
    void decide('CLUSTER_VOTE_RESULT', next.stage, () => {
      view.titles = next.titles;
      view.clusterVote = { ministryFlagVotes: votes.MINISTRY_FLAG, governmentFlagVotes: votes.GOVERNMENT_FLAG, ...(ineligible ? { ineligible } : {}) };
    }, { data: { selected, ...(ineligible ? { ineligible } : {}) } });
  });

  setHandler(councilDecisionSignal, ({ sessionId, approved, decidedBy }) => {
    if (view.stage !== 'COUNCIL_DECISION') return;
    const next = titlesAfterCouncil(view.titles, approved);
    void decide('COUNCIL_DECIDED', next.stage, () => {
      view.titles = next.titles;
      view.council = { sessionId, approved };
    }, { actor: decidedBy, role: 'COUNCIL_CHAIR', data: { sessionId, approved } });
  });

  // ---- human decisions (updates with validators)
  setHandler(
    submitSelfAssessmentUpdate,
    async (a) => {
      const write = decide('SELF_ASSESSMENT_SUBMITTED', 'CLUSTER_VOTE', () => {
        view.selfAssessment = { score: a.score, achievementReport: a.achievementReport, criteria: a.criteria ?? [], submittedAt: workflowNow() };
      }, actorFields(a.actor, ['UNIT_OFFICER'], a.requestId, { score: a.score }));
      try {
        await getExternalWorkflowHandle(campaignWorkflowId(input.campaignId)).signal(selfAssessmentFiledSignal, {
          unitCode: input.unitCode,
          at: view.updatedAt,
        });
      } catch {
        // The campaign has finished its vote: this unit simply is not a candidate any more.
      }
      return respond(write);
    },
    {
      validator: (a) => {
        requireRole(a.actor, ['UNIT_OFFICER'], officerUnits);
        domainCheck(() => assertStage(view.stage, ['SELF_ASSESSMENT'], 'self-assessment'));
        if (!view.registrationClosed) reject('StageConflict', 'self-assessment opens when the campaign registration closes');
        if (voteOpened) reject('StageConflict', 'the cluster vote has opened; self-assessment is closed');
        if (!Number.isFinite(a.score) || a.score < 0) reject('Invalid', 'score must be a number ≥ 0');
        if (!a.achievementReport?.trim()) reject('Invalid', 'achievementReport is required');
      },
    },
  );

  setHandler(
    reviewUpdate,
    (a) => {
      const at = workflowNow();
      const next = titlesAfterReview(view.titles, a.decision);
      const amendmentDeadline =
        a.decision === 'RETURN' ? addWorkingDays(toVietnamDate(new Date(at)), ruleSet.deadlines.amendmentWorkingDays) : null;
      const action: DecisionAction = a.decision === 'APPROVE' ? 'REVIEW_APPROVED' : a.decision === 'RETURN' ? 'REVIEW_RETURNED' : 'REVIEW_REJECTED';
      return respond(
        decide(action, next.stage, () => {
          view.titles = next.titles;
          view.review = { decision: a.decision, reason: a.reason, at, by: a.actor.username, amendmentDeadline };
        }, { ...actorFields(a.actor, ['DEPARTMENT_REVIEWER'], a.requestId, amendmentDeadline ? { amendmentDeadline } : {}), reason: a.reason }),
      );
    },
    {
      validator: (a) => {
        requireRole(a.actor, ['DEPARTMENT_REVIEWER']);
        domainCheck(() => assertStage(view.stage, ['DEPARTMENT_REVIEW'], 'review'));
        if (!['APPROVE', 'RETURN', 'REJECT'].includes(a.decision)) reject('Invalid', 'decision must be APPROVE, RETURN or REJECT');
        if (!a.reason?.trim()) reject('Invalid', 'reason is required');
      },
    },
  );

  setHandler(
    amendUpdate,
    (a) =>
      respond(
        decide('AMENDMENT_SUBMITTED', 'DEPARTMENT_REVIEW', () => {
          view.amendments.push({ achievementReport: a.achievementReport, note: a.note, at: workflowNow() });
          if (view.selfAssessment) view.selfAssessment.achievementReport = a.achievementReport;
        }, { ...actorFields(a.actor, ['UNIT_OFFICER'], a.requestId), reason: a.note }),
      ),
    {
      validator: (a) => {
        requireRole(a.actor, ['UNIT_OFFICER'], officerUnits);
        domainCheck(() => assertStage(view.stage, ['AMENDMENT'], 'amendment'));
        if (!a.achievementReport?.trim()) reject('Invalid', 'achievementReport is required');
      },
    },
  );

  setHandler(
    governmentDecisionUpdate,
    (a) => {
      const next = titlesAfterGovernment(view.titles, a.decision);
      return respond(
        decide('GOVERNMENT_DECISION_RECORDED', next.stage, () => {
          view.titles = next.titles;
          view.governmentDecision = { decision: a.decision, decisionNumber: a.decisionNumber, decisionDate: a.decisionDate };
        }, actorFields(a.actor, ['DEPARTMENT_REVIEWER'], a.requestId, { decisionNumber: a.decisionNumber, decisionDate: a.decisionDate, decision: a.decision })),
      );
    },
    {
      validator: (a) => {
        requireRole(a.actor, ['DEPARTMENT_REVIEWER']);
        domainCheck(() => assertStage(view.stage, ['GOVERNMENT_DECISION'], 'Government decision'));
        if (!view.governmentSubmission) reject('StageConflict', 'the dossier has not been submitted to the Government yet');
        if (a.decision !== 'AWARDED' && a.decision !== 'DECLINED') reject('Invalid', 'decision must be AWARDED or DECLINED');
        if (!a.decisionNumber?.trim()) reject('Invalid', 'decisionNumber is required');
      },
    },
  );

  setHandler(
    withdrawUpdate,
    (a) =>
      respond(
        decide('NOMINATION_WITHDRAWN', 'WITHDRAWN', () => {
          view.withdrawal = { reason: a.reason, at: workflowNow(), by: a.actor.username };
        }, { ...actorFields(a.actor, ['UNIT_OFFICER'], a.requestId), reason: a.reason }),
      ),
    {
      validator: (a) => {
        requireRole(a.actor, ['UNIT_OFFICER'], officerUnits);
        domainCheck(() => assertStage(view.stage, [...WITHDRAWABLE_STAGES], 'withdrawal'));
        if (view.stage === 'SELF_ASSESSMENT' && voteOpened) reject('StageConflict', 'the cluster vote has opened; the dossier can be withdrawn after the vote');
        if (!a.reason?.trim()) reject('Invalid', 'reason is required');
      },
    },
  );

  setHandler(
    consultationUpdate,
    (a) =>
      respond(
        decide('CONSULTATION_RECORDED', view.stage, () => {
          view.consultation = { opinion: a.opinion, reference: a.reference, at: workflowNow(), by: a.actor.username };
        }, { ...actorFields(a.actor, ['DEPARTMENT_REVIEWER'], a.requestId, { opinion: a.opinion, reference: a.reference }) }),
      ),
    {
      validator: (a) => {
        requireRole(a.actor, ['DEPARTMENT_REVIEWER']);
        domainCheck(() => assertStage(view.stage, ['GOVERNMENT_DECISION'], 'consultation'));
        if (view.governmentSubmission) reject('StageConflict', 'the dossier has already been submitted to the Government');
        if (a.opinion !== 'AGREE' && a.opinion !== 'DISAGREE') reject('Invalid', 'opinion must be AGREE or DISAGREE');
        if (!a.reference?.trim()) reject('Invalid', 'reference is required');
      },
    },
  );

  setHandler(
    governmentSubmissionUpdate,
    (a) =>
      respond(
        decide('GOVERNMENT_SUBMITTED', view.stage, () => {
          view.governmentSubmission = { batchId: a.batchId, at: workflowNow(), by: a.actor.username };
        }, actorFields(a.actor, ['DEPARTMENT_REVIEWER'], a.requestId, { batchId: a.batchId })),
      ),
    {
      validator: (a) => {
        requireRole(a.actor, ['DEPARTMENT_REVIEWER']);
        domainCheck(() => assertStage(view.stage, ['GOVERNMENT_DECISION'], 'submission to the Government'));
        if (view.governmentSubmission) reject('Duplicate', `already submitted in batch ${view.governmentSubmission.batchId}`);
        if (consultationRequired && !view.consultation) reject('RuleNotMet', 'the consultation (hiệp y) required by the rule set has not been recorded');
        if (consultationRequired && view.consultation?.opinion === 'DISAGREE') reject('RuleNotMet', 'the consultation (hiệp y) did not agree');
        if (!a.batchId?.trim()) reject('Invalid', 'batchId is required');
      },
    },
  );

  setHandler(nominationStateQuery, () => view);

  if (!created) await decide('NOMINATION_CREATED', view.stage, () => undefined, nominationCreatedFields(input));
  // Reminders of a late amendment after a RETURN (nhắc nộp hồ sơ bổ sung), each return anew.
  let amendmentReminders: Promise<void> = Promise.resolve();
  if (patched('amendment-reminders')) {
    amendmentReminders = (async () => {
      let returns = 0;
      while (!isFinalStage(view.stage)) {
        await condition(() => isFinalStage(view.stage) || (view.stage === 'AMENDMENT' && view.amendments.length + 1 > returns));
        if (isFinalStage(view.stage)) continue;
        returns = view.amendments.length + 1;
        if (!view.review?.amendmentDeadline) continue;
        const deadline = new Date(Date.parse(`${view.review.amendmentDeadline}T17:00:00+07:00`)).toISOString();
        const owed = view.amendments.length;
        await runReminders({
          deadline,
          policy: withReminderTime(ruleSet.reminders, input.reminderTime),
          lateUnits: () => (view.stage === 'AMENDMENT' && view.amendments.length === owed ? [input.unitCode] : []),
          stopped: () => view.stage !== 'AMENDMENT' || view.amendments.length !== owed,
          remind: (_units, r) => {
            const late = workingDaysLate(deadline, workflowNow());
            return decide('REMINDER_SENT', view.stage, () => undefined, { data: { kind: 'AMENDMENT', sequence: r.sequence, escalate: r.escalate, workingDaysLate: late } }, [
              { kind: 'AMENDMENT', unitCode: input.unitCode, campaignId: input.campaignId, nominationId: input.id, deadline, sequence: r.sequence, escalate: r.escalate, workingDaysLate: late },
            ]);
          },
        });
      }
    })();
  }
  if (patched('review-sla-timer')) {
    // The Department's appraisal time limit: once it passes, the dossier is flagged overdue.
    while (!isFinalStage(view.stage)) {
      await condition(() => isFinalStage(view.stage) || (view.reviewDue !== null && !view.reviewDue.overdue));
      if (isFinalStage(view.stage) || !view.reviewDue) continue;
      const epoch = reviewEpoch;
      const msLeft = Date.parse(`${view.reviewDue.dueDate}T23:59:59.999+07:00`) - Date.parse(workflowNow());
      const moved = msLeft > 0 && (await condition(() => reviewEpoch !== epoch || view.stage !== 'DEPARTMENT_REVIEW', msLeft));
      if (!moved && reviewEpoch === epoch && view.stage === 'DEPARTMENT_REVIEW' && view.reviewDue) {
        await decide('REVIEW_OVERDUE', 'DEPARTMENT_REVIEW', () => {
          view.reviewDue!.overdue = true;
        }, { data: { dueDate: view.reviewDue.dueDate } });
      }
    }
  } else {
    await condition(() => isFinalStage(view.stage));
  }
  await amendmentReminders;
  // Let in-flight handlers and their writes finish before the workflow completes.
  await condition(allHandlersFinished);
  await recorder.settled();
  return snapshot(view);
}

function actorFields(
  actor: Actor,
  allowed: Role[],
  requestId: string | undefined,
  data: Record<string, unknown> = {},
): Partial<EventFields> {
  return {
    actor: actor.username,
    role: actingRole(actor, allowed),
    actorUnitCode: actor.unitCode ?? null,
    requestId: requestId ?? null,
    data,
  };
}
