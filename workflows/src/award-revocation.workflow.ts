/**
 * Revocation of an award (thu hồi khen thưởng, Law 06/2022 ch. VII), years after the nomination's
 * workflow has ended: one short workflow per nomination and title (id = business key, so a
 * revocation is recorded once), reading the nomination's last snapshot and recording the new one
 * with the AWARD_REVOKED event in the same audit chain.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { DomainRuleError, titlesAfterRevocation } from '../../libs/domain/src/index';
import type { AwardRevocationInput, NominationView, TdktActivities } from '../../libs/contracts/src/index';
import { DecisionRecorder, snapshot, workflowNow } from './recorder';
import { actingRole, requireRole } from './guards';

const { readNomination } = proxyActivities<TdktActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function awardRevocationWorkflow(input: AwardRevocationInput): Promise<NominationView> {
  requireRole(input.actor, ['DEPARTMENT_REVIEWER']);
  const current = await readNomination(input.nominationId);
  if (!current) throw ApplicationFailure.create({ type: 'Invalid', message: `nomination ${input.nominationId} not found`, nonRetryable: true });
  let titles;
  try {
    titles = titlesAfterRevocation(current.titles, input.title);
  } catch (e) {
    if (e instanceof DomainRuleError) throw ApplicationFailure.create({ type: 'StageConflict', message: e.message, nonRetryable: true });
    throw e;
  }
  const at = workflowNow();
  const view: NominationView = {
    ...snapshot(current),
    titles,
    revocations: [
      ...(current.revocations ?? []),
      { title: input.title, reason: input.reason, decisionNumber: input.decisionNumber, decisionDate: input.decisionDate, at, by: input.actor.username },
    ],
    updatedAt: at,
    version: current.version + 1,
  };
  await new DecisionRecorder('NOMINATION', input.nominationId).record(
    view.version,
    at,
    {
      actor: input.actor.username,
      role: actingRole(input.actor, ['DEPARTMENT_REVIEWER']),
      actorUnitCode: input.actor.unitCode ?? null,
      action: 'AWARD_REVOKED',
      fromStage: current.stage,
      toStage: current.stage,
      reason: input.reason,
      requestId: input.requestId ?? null,
      data: { title: input.title, decisionNumber: input.decisionNumber, decisionDate: input.decisionDate },
    },
    [{ kind: 'nomination', view }],
  );
  return view;
}
