/**
 * A nomination's first snapshot, before any decision: what its workflow starts from, and what
 * the campaign writes to the read model at once for each member (patch
 * `initial-nomination-snapshots`), so that the nominations are visible as soon as the campaign is.
 */
import type { NominationInput, NominationView } from '../../libs/contracts/src/index';

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
