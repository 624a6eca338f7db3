/**
 * The workflows' public surface, defined once and shared by the API (client), the worker and
 * the workflow code: names, inputs, updates (human decisions, validated before they are
 * accepted), signals (workflow-to-workflow hand-offs) and queries (live state).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, GovernmentDecision, ReviewDecision, Title, UnitKind } from '../../domain/src/model';
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
  /**
   * Units under a member (Chi cục THADS under a Cục THADS) that the member may register as
   * candidates of its own: the cluster may propose them, they do not vote.
   */
  subUnits?: { unitCode: string; parentUnitCode: string }[];
  /** The kind of every member and sub-unit (the rule set may treat kinds differently). */
  unitKinds?: Record<string, UnitKind>;
  /** ISO instant: self-assessments are due then (late ones are reminded); none when absent. */
  selfAssessmentDeadline?: string;
  /**
   * "HH:MM", Vietnam time: the campaign's reminders (registration, self-assessment, amendment)
   * go out then, on the rule set's days; the rule set's hour when absent.
   */
  reminderTime?: string;
}

export interface RegisterInput extends ActionMeta {
  unitCode: string;
  targetTitles: Title[];
  /** Sub-units the member registers together with itself, each with its target titles. */
  subUnits?: { unitCode: string; targetTitles: Title[] }[];
}
export interface OpenVoteInput extends ActionMeta {
  ministryFlagSeats: number;
  governmentFlagSeats: number;
}
export interface CastBallotInput extends ActionMeta {
  unitCode: string;
  /**
   * The ballot sealed by the API (receipt hash and choices, AES-256-GCM): the workflow and its
   * history never see the choices next to the voter.
   */
  sealedBallot?: string;
  /** Ballots cast before sealing (histories of older runs) carried these in clear. */
  ministryFlag?: string[];
  governmentFlag?: string[];
  /** Titles the ballot abstains on, carried in clear like the choices (sealed ballots carry it inside). */
  abstain?: Title[];
  /** sha256 of the receipt handed to the voter; the receipt itself never reaches the workflow. */
  receiptHash?: string;
}
export interface CastBallotResult {
  round: number;
  ballotsCast: number;
}
export type CloseVoteInput = ActionMeta;

/** A member signs the cluster's emulation covenant (ký giao ước thi đua). */
export interface SignCovenantInput extends ActionMeta {
  unitCode: string;
}
/** The cluster elects next year's head and deputy at the year-end review (bầu cụm trưởng, cụm phó). */
export interface ElectLeadershipInput extends ActionMeta {
  headUnitCode: string;
  deputyUnitCode: string;
}

export const registerUpdate = defineUpdate<CampaignView, [RegisterInput]>('register');
export const signCovenantUpdate = defineUpdate<CampaignView, [SignCovenantInput]>('signCovenant');
export const electLeadershipUpdate = defineUpdate<CampaignView, [ElectLeadershipInput]>('electLeadership');
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
  /** Set for a sub-unit's nomination: the member unit whose officers act for it. */
  parentUnitCode?: string;
  /** Set when the nomination starts after registration closed (a registered sub-unit). */
  targetTitles?: Title[];
  unitKind?: UnitKind;
  /** The campaign's reminder time ("HH:MM", Vietnam time), for amendment reminders. */
  reminderTime?: string;
  /**
   * Set when the campaign has already written this nomination's NOMINATION_CREATED (version 1) in
   * its own first write, at this instant (patch `nomination-created-with-campaign`): the
   * nomination starts at version 1 and writes nothing until its first decision.
   */
  creationRecordedAt?: string;
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
/** The unit withdraws its dossier before the council decides (rút hồ sơ). */
export interface WithdrawInput extends ActionMeta {
  reason: string;
}
/** The opinion gathered where the rule set asks for consultation (hiệp y). */
export interface ConsultationInput extends ActionMeta {
  opinion: 'AGREE' | 'DISAGREE';
  /** Reference of the opinion letter, e.g. "1234/UBND-NC". */
  reference: string;
}
/** The Department submits the Government-flag dossier to the Government (trình Chính phủ). */
export interface GovernmentSubmissionInput extends ActionMeta {
  batchId: string;
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
export const withdrawUpdate = defineUpdate<NominationView, [WithdrawInput]>('withdraw');
export const consultationUpdate = defineUpdate<NominationView, [ConsultationInput]>('recordConsultation');
export const governmentSubmissionUpdate = defineUpdate<NominationView, [GovernmentSubmissionInput]>('submitToGovernment');

/** From the campaign: the vote has opened, so a self-assessment is no longer accepted. */
export const voteOpenedSignal = defineSignal<[{ at: string }]>('voteOpened');
export const registrationClosedSignal = defineSignal<[{ targetTitles: Title[]; at: string }]>('registrationClosed');
export const clusterVoteResultSignal = defineSignal<
  [{ selected: Record<Title, boolean>; votes: Record<Title, number>; at: string; ineligible?: Partial<Record<Title, string>> }]
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
  /** For or against; not needed with `abstain: true`. */
  approve?: boolean;
  /** The member abstains on the title (counted as the rule set's `council.abstentions` says). */
  abstain?: boolean;
}
/** A council member declares a conflict of interest on a nomination, before voting on it. */
export interface DeclareConflictInput extends ActionMeta {
  nominationId: string;
  reason: string;
}
export interface CloseCouncilSessionInput extends ActionMeta {
  membersPresent: number;
}

export const councilVoteUpdate = defineUpdate<{ nominationId: string; title: Title; votesCast: number }, [CouncilVoteInput]>(
  'castCouncilVote',
);
export const closeCouncilSessionUpdate = defineUpdate<CouncilSessionView, [CloseCouncilSessionInput]>('closeCouncilSession');
export const declareCouncilConflictUpdate = defineUpdate<
  { nominationId: string; member: string; conflicts: number },
  [DeclareConflictInput]
>('declareCouncilConflict');
export const councilSessionStateQuery = defineQuery<CouncilSessionView>('councilSessionState');

/** Workflow type names, as registered by the worker (the exported function names in workflows/). */
export const WORKFLOW_TYPES = {
  campaign: 'campaignWorkflow',
  nomination: 'nominationWorkflow',
  councilSession: 'councilSessionWorkflow',
  awardRevocation: 'awardRevocationWorkflow',
} as const;

// ---------------------------------------------------------------- revocation (thu hồi khen thưởng)
/** A later revocation of an award (Law 06/2022 ch. VII); the nomination workflow has ended by then. */
export interface AwardRevocationInput extends ActionMeta {
  nominationId: string;
  title: Title;
  reason: string;
  decisionNumber: string;
  /** YYYY-MM-DD */
  decisionDate: string;
}
