/**
 * The workflows' public surface, defined once and shared by the API (client), the worker and
 * the workflow code: names, inputs, updates (human decisions, validated before they are
 * accepted), signals (workflow-to-workflow hand-offs) and queries (live state).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, GovernmentDecision, ReviewDecision, Title } from '../../domain/src/model';
import type {
  CampaignView,
  ClusterVoteView,
  CouncilSessionView,
  CriterionScore,
  NominationView,
  RuleSetRef,
} from './views';

export const TASK_QUEUE_DEFAULT = 'tdkt-flow';

/** Every human action carries who did it and which request asked for it. */
export interface ActionMeta {
  actor: Actor;
  requestId?: string;
}

// ---------------------------------------------------------------- campaign (cụm × năm)
export interface CampaignInput {
  id: string;
  year: number;
  clusterCode: string;
  clusterName: string;
  memberUnitCodes: string[];
  headUnitCode: string;
  deputyUnitCode: string | null;
  /** ISO instant. */
  registrationDeadline: string;
  ruleSet: RuleSetRef;
  startedBy: Actor;
  requestId?: string;
}

export interface RegisterInput extends ActionMeta {
  unitCode: string;
  targetTitles: Title[];
}
export interface OpenVoteInput extends ActionMeta {
  ministryFlagSeats: number;
  governmentFlagSeats: number;
}
export interface CastBallotInput extends ActionMeta {
  unitCode: string;
  ministryFlag: string[];
  governmentFlag: string[];
  /** sha256 of the receipt handed to the voter; the receipt itself never reaches the workflow. */
  receiptHash: string;
}
export interface CastBallotResult {
  round: number;
  ballotsCast: number;
}
export type CloseVoteInput = ActionMeta;

export const registerUpdate = defineUpdate<CampaignView, [RegisterInput]>('register');
export const openVoteUpdate = defineUpdate<ClusterVoteView, [OpenVoteInput]>('openVote');
export const castBallotUpdate = defineUpdate<CastBallotResult, [CastBallotInput]>('castBallot');
export const closeVoteUpdate = defineUpdate<ClusterVoteView, [CloseVoteInput]>('closeVote');
/** From a nomination: its self-assessment is filed (the unit becomes a candidate). */
export const selfAssessmentFiledSignal = defineSignal<[{ unitCode: string; at: string }]>('selfAssessmentFiled');
export const campaignStateQuery = defineQuery<CampaignView>('campaignState');

// ---------------------------------------------------------------- nomination (đơn vị × năm)
export interface NominationInput {
  id: string;
  campaignId: string;
  year: number;
  clusterCode: string;
  unitCode: string;
  ruleSet: RuleSetRef;
  requestId?: string;
}

export interface SelfAssessmentInput extends ActionMeta {
  score: number;
  achievementReport: string;
  criteria: CriterionScore[];
}
export interface ReviewInput extends ActionMeta {
  decision: ReviewDecision;
  reason: string;
}
export interface AmendmentInput extends ActionMeta {
  achievementReport: string;
  note: string;
}
export interface GovernmentDecisionInput extends ActionMeta {
  decision: GovernmentDecision;
  decisionNumber: string;
  /** YYYY-MM-DD */
  decisionDate: string;
}

export const submitSelfAssessmentUpdate = defineUpdate<NominationView, [SelfAssessmentInput]>('submitSelfAssessment');
export const reviewUpdate = defineUpdate<NominationView, [ReviewInput]>('review');
export const amendUpdate = defineUpdate<NominationView, [AmendmentInput]>('amend');
export const governmentDecisionUpdate = defineUpdate<NominationView, [GovernmentDecisionInput]>('recordGovernmentDecision');

/** From the campaign: the vote has opened, so a self-assessment is no longer accepted. */
export const voteOpenedSignal = defineSignal<[{ at: string }]>('voteOpened');
export const registrationClosedSignal = defineSignal<[{ targetTitles: Title[]; at: string }]>('registrationClosed');
export const clusterVoteResultSignal = defineSignal<
  [{ selected: Record<Title, boolean>; votes: Record<Title, number>; at: string }]
>('clusterVoteResult');
export const councilDecisionSignal = defineSignal<
  [{ sessionId: string; approved: Partial<Record<Title, boolean>>; at: string; decidedBy: string }]
>('councilDecision');
export const nominationStateQuery = defineQuery<NominationView>('nominationState');

// ---------------------------------------------------------------- council session (phiên họp Hội đồng)
export interface CouncilSessionInput {
  id: string;
  year: number;
  items: { nominationId: string; unitCode: string; titles: Title[] }[];
  membersTotal: number;
  ruleSet: RuleSetRef;
  openedBy: Actor;
  requestId?: string;
}
export interface CouncilVoteInput extends ActionMeta {
  nominationId: string;
  title: Title;
  approve: boolean;
}
export interface CloseCouncilSessionInput extends ActionMeta {
  membersPresent: number;
}

export const councilVoteUpdate = defineUpdate<{ nominationId: string; title: Title; votesCast: number }, [CouncilVoteInput]>(
  'castCouncilVote',
);
export const closeCouncilSessionUpdate = defineUpdate<CouncilSessionView, [CloseCouncilSessionInput]>('closeCouncilSession');
export const councilSessionStateQuery = defineQuery<CouncilSessionView>('councilSessionState');

/** Workflow type names, as registered by the worker (the exported function names in workflows/). */
export const WORKFLOW_TYPES = {
  campaign: 'campaignWorkflow',
  nomination: 'nominationWorkflow',
  councilSession: 'councilSessionWorkflow',
} as const;
