/**
 * A nomination's first snapshot, before any decision: what its workflow starts from, and what
 * the campaign writes to the read model at once for each member (patch
 * `initial-nomination-snapshots`), so that the nominations are visible as soon as the campaign is.
 * And its first decision, NOMINATION_CREATED (version 1): written by the nomination itself, or
 * by its campaign before starting it (patch `nomination-created-with-campaign`).
 */
import type { SearchAttributePair } from '@temporalio/common';
import { SA_CLUSTER, SA_KIND, SA_STAGE, SA_UNIT, SA_YEAR, type NominationInput, type NominationView } from '../../libs/contracts/src/index';
import type { Stage } from '../../libs/domain/src/index';
import type { EventFields } from './recorder';

export function initialNominationView(input: NominationInput, at: string): NominationView {
  return {
    id: input.id,
    campaignId: input.campaignId,
    year: input.year,
    clusterCode: input.clusterCode,
    unitCode: input.unitCode,
    parentUnitCode: input.parentUnitCode ?? null,
    stage: 'SELF_ASSESSMENT',
    titles: input.targetTitles ? Object.fromEntries(input.targetTitles.map((t) => [t, 'REGISTERED'])) : {},
    ruleSet: input.ruleSet,
    registrationClosed: input.targetTitles !== undefined,
    selfAssessment: null,
    clusterVote: null,
    review: null,
    amendments: [],
    council: null,
    governmentDecision: null,
    reviewDue: null,
    withdrawal: null,
    consultation: null,
    governmentSubmission: null,
    revocations: [],
    createdAt: at,
    updatedAt: at,
    version: 0,
  };
}

/** The fields of a nomination's NOMINATION_CREATED event, whichever workflow writes it. */
export function nominationCreatedFields(input: NominationInput): EventFields {
  return { actor: 'system', action: 'NOMINATION_CREATED', fromStage: 'SELF_ASSESSMENT', toStage: 'SELF_ASSESSMENT', requestId: input.requestId ?? null };
}

/** The snapshot after NOMINATION_CREATED at `at`: version 1. */
export function createdNominationView(input: NominationInput, at: string): NominationView {
  return { ...initialNominationView(input, at), version: 1 };
}

/** A nomination's search attributes at its start: what the campaign passes when it starts it. */
export function nominationSearchAttributes(input: NominationInput, stage: Stage): SearchAttributePair[] {
  return [
    { key: SA_KIND, value: 'nomination' },
    { key: SA_YEAR, value: input.year },
    { key: SA_CLUSTER, value: input.clusterCode },
    { key: SA_UNIT, value: input.unitCode },
    { key: SA_STAGE, value: stage },
  ];
}
