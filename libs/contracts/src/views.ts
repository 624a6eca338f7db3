/**
 * Snapshots of workflow state. A workflow's query returns one; the recordDecision activity
 * writes the same snapshot into the Postgres read model, so what the API reads is exactly what
 * the workflow decided. `version` grows by one with every decision of that workflow: the read
 * model only ever moves forward (a late retry of an older write changes nothing).
 */
import type { CampaignPhase, Stage, Title, TitleStatus } from '../../domain/src/model';
import type { CouncilTitleOutcome } from '../../domain/src/council';

export interface RuleSetRef {
  id: string;
  version: number;
}

export interface CampaignMemberView {
  unitCode: string;
  /** ISO instant of the registration (đăng ký thi đua), null while not registered. */
  registeredAt: string | null;
  targetTitles: Title[];
  remindersSent: number;
  selfAssessedAt: string | null;
  /** Registered after the registration deadline (đăng ký muộn). */
  registeredLate?: boolean;
  /** ISO instant of the last reminder this unit got. */
  lastReminderAt?: string | null;
  /** ISO instant the unit signed the cluster's covenant (ký giao ước thi đua). */
  covenantSignedAt?: string | null;
}

/** A sub-unit registered by a member as a candidate (it does not vote). */
export interface CampaignSubUnitView {
  unitCode: string;
  parentUnitCode: string;
  registeredAt: string;
  targetTitles: Title[];
  selfAssessedAt: string | null;
}

export interface TitleTallyView {
  unitCode: string;
  votes: number;
  selected: boolean;
}

export interface ClusterVoteView {
  status: 'OPEN' | 'CLOSED';
  /** 1 for the main ballot, 2+ for run-off rounds. */
  round: number;
  ministryFlagSeats: number;
  governmentFlagSeats: number;
  /** Units eligible per title (self-assessment filed and registered for the title). */
  candidates: Record<Title, string[]>;
  ballotsCast: number;
  /** Which member units have voted: never what they chose. */
  votedUnits: string[];
  openedAt: string;
  closedAt: string | null;
  result: {
    valid: boolean;
    ballotsCast: number;
    ministryFlag: TitleTallyView[];
    governmentFlag: TitleTallyView[];
    runoff?: { title: Title; units: string[]; seats: number };
    problems: string[];
    /** Valid ballots abstaining on each title (first round); absent in votes closed before abstentions existed. */
    abstentions?: Record<Title, number>;
    /** What each title's threshold was measured against (ballots cast or member units, less abstentions where the rule set says so). */
    thresholdBase?: Record<Title, number>;
    /** Whether each title reached its quorum (túc số); absent in votes closed before the per-title quorum existed. */
    quorumMet?: Record<Title, boolean>;
    /** Candidates the rule set does not allow to be proposed for a title (e.g. a missing prior title), with the reason. */
    ineligible?: { unitCode: string; title: Title; reason: string }[];
  } | null;
}

export interface CampaignView {
  id: string;
  year: number;
  clusterCode: string;
  clusterName: string;
  headUnitCode: string;
  deputyUnitCode: string | null;
  /** ISO instant: registration closes then, or earlier once every member has registered. */
  registrationDeadline: string;
  /** ISO instant self-assessments are due, if the campaign sets one. */
  selfAssessmentDeadline?: string | null;
  /** "HH:MM", Vietnam time, reminders go out (giờ gửi nhắc việc): the campaign's own, or the rule set's. */
  reminderTime?: string;
  ruleSet: RuleSetRef;
  phase: CampaignPhase;
  members: CampaignMemberView[];
  /** Sub-units registered as candidates by their member unit. */
  subUnits: CampaignSubUnitView[];
  vote: ClusterVoteView | null;
  /** Next year's head and deputy, elected at the end of the campaign (luân phiên cụm trưởng). */
  nextYear?: { headUnitCode: string; deputyUnitCode: string; electedAt: string; recordedBy: string } | null;
  startedAt: string;
  updatedAt: string;
  version: number;
}

export interface NominationView {
  id: string;
  campaignId: string;
  year: number;
  clusterCode: string;
  unitCode: string;
  /** For a sub-unit's nomination, the member unit acting for it; otherwise null. */
  parentUnitCode: string | null;
  stage: Stage;
  titles: Partial<Record<Title, TitleStatus>>;
  ruleSet: RuleSetRef;
  /** True once the campaign's registration has closed (self-assessment is accepted from then). */
  registrationClosed: boolean;
  selfAssessment: { score: number; achievementReport: string; criteria: CriterionScore[]; submittedAt: string } | null;
  clusterVote: {
    ministryFlagVotes: number;
    governmentFlagVotes: number;
    /** Titles the unit could not be proposed for, with the reason (e.g. a missing prior title). */
    ineligible?: Partial<Record<Title, string>>;
  } | null;
  review: { decision: 'APPROVE' | 'RETURN' | 'REJECT'; reason: string; at: string; by: string; amendmentDeadline: string | null } | null;
  /** While in DEPARTMENT_REVIEW: the appraisal time limit (YYYY-MM-DD, working days) and whether it has passed. */
  reviewDue: { dueDate: string; overdue: boolean } | null;
  withdrawal: { reason: string; at: string; by: string } | null;
  /** Hiệp y, where the rule set asks for it before the Government flag is submitted. */
  consultation: { opinion: 'AGREE' | 'DISAGREE'; reference: string; at: string; by: string } | null;
  governmentSubmission: { batchId: string; at: string; by: string } | null;
  /** Awards revoked later, per title. */
  revocations: { title: Title; reason: string; decisionNumber: string; decisionDate: string; at: string; by: string }[];
  amendments: { achievementReport: string; note: string; at: string }[];
  council: { sessionId: string; approved: Partial<Record<Title, boolean>> } | null;
  governmentDecision: { decision: 'AWARDED' | 'DECLINED'; decisionNumber: string; decisionDate: string } | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CriterionScore {
  code: string;
  name?: string;
  score: number;
}

export interface CouncilSessionItemView {
  nominationId: string;
  unitCode: string;
  /** Titles the council decides on for this nomination. */
  titles: Title[];
  /** `abstain`: explicit abstentions (absent in sessions opened before abstentions existed). */
  votes: Partial<Record<Title, { approve: number; reject: number; abstain?: number }>>;
  /** Filled when the session closes. */
  approved: Partial<Record<Title, boolean>> | null;
  /** Members who declared a conflict of interest on this nomination: they do not vote on it. */
  conflicts?: { member: string; reason: string; at: string }[];
  /** Filled when the session closes: how each title was counted (base, what was left out of it). */
  outcome?: Partial<Record<Title, CouncilTitleOutcomeView>> | null;
}

/** How one title of one nomination was decided: the domain's councilDecision outcome, as stored. */
export type CouncilTitleOutcomeView = CouncilTitleOutcome;

export interface CouncilSessionView {
  id: string;
  year: number;
  status: 'OPEN' | 'CLOSED';
  ruleSet: RuleSetRef;
  membersTotal: number;
  membersPresent: number | null;
  quorumMet: boolean | null;
  items: CouncilSessionItemView[];
  /** Usernames of members who voted, per nomination and title (never their choice). */
  votedBy: Record<string, string[]>;
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  version: number;
}
