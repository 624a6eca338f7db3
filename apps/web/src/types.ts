/** The shapes the web app reads from the API (see shared/API.md and /api/docs-json). */

export type Role = 'ADMIN' | 'UNIT_OFFICER' | 'UNIT_LEADER' | 'CLUSTER_HEAD' | 'DEPARTMENT_REVIEWER' | 'COUNCIL_MEMBER' | 'COUNCIL_CHAIR' | 'AUDITOR';
export type Title = 'MINISTRY_FLAG' | 'GOVERNMENT_FLAG';
export const TITLES: Title[] = ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'];
export type Stage =
  | 'SELF_ASSESSMENT'
  | 'CLUSTER_VOTE'
  | 'DEPARTMENT_REVIEW'
  | 'AMENDMENT'
  | 'COUNCIL_DECISION'
  | 'GOVERNMENT_DECISION'
  | 'AWARDED'
  | 'NOT_SELECTED'
  | 'NOT_AWARDED'
  | 'WITHDRAWN';
export const STAGES: Stage[] = [
  'SELF_ASSESSMENT',
  'CLUSTER_VOTE',
  'DEPARTMENT_REVIEW',
  'AMENDMENT',
  'COUNCIL_DECISION',
  'GOVERNMENT_DECISION',
  'AWARDED',
  'NOT_SELECTED',
  'NOT_AWARDED',
  'WITHDRAWN',
];
export type TitleStatus = 'REGISTERED' | 'PROPOSED' | 'APPROVED' | 'AWARDED' | 'DECLINED' | 'REJECTED' | 'REVOKED';
export type CampaignPhase = 'REGISTRATION' | 'SELF_ASSESSMENT' | 'VOTING' | 'CLOSED';

export interface User {
  username: string;
  roles: Role[];
  unitCode?: string | null;
  fullName?: string;
}

export interface LoginResponse {
  accessToken: string;
  user: User;
}

export interface Unit {
  code: string;
  name: string;
  kind: string;
  parentCode?: string | null;
}

export type TaskPriority = 'LOW' | 'NORMAL' | 'HIGH' | 'URGENT';
export const TASK_PRIORITIES: TaskPriority[] = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
export const TASK_ACTIONS = [
  'REGISTER',
  'SIGN_COVENANT',
  'ELECT_NEXT_YEAR_LEADERSHIP',
  'SUBMIT_SELF_ASSESSMENT',
  'SUBMIT_AMENDMENT',
  'CAST_BALLOT',
  'OPEN_VOTE',
  'CLOSE_VOTE',
  'REVIEW',
  'RECORD_CONSULTATION_OR_SUBMIT',
  'RECORD_GOVERNMENT_DECISION',
  'OPEN_COUNCIL_SESSION',
  'COUNCIL_VOTE',
  'CLOSE_COUNCIL_SESSION',
] as const;

/** A task of GET /me/tasks: what, about what, until when; who holds it and its plan. */
export interface Task {
  key: string;
  action: string;
  subjectType: 'CAMPAIGN' | 'NOMINATION' | 'COUNCIL_SESSION';
  subjectId: string;
  unitCode?: string;
  title?: Title;
  deadline: string | null;
  overdue?: boolean;
  assignee?: string | null;
  assignedBy?: string | null;
  assignedAt?: string | null;
  handoverNote?: string | null;
  dueDate?: string | null;
  followUpDate?: string | null;
  priority?: TaskPriority;
}

export interface Comment {
  id: string;
  nominationId: string;
  text: string;
  author: string;
  role: string | null;
  unitCode: string | null;
  at: string;
  stage: string | null;
  seq: number;
  hash: string;
}

export interface Attachment {
  id: string;
  nominationId: string;
  fileName: string;
  contentType: string;
  kind: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
  auditSeq: number;
}

export interface TitleTally {
  unitCode: string;
  votes: number;
  selected: boolean;
}

export interface VoteView {
  status: 'NOT_OPENED' | 'OPEN' | 'CLOSED';
  round?: number;
  ministryFlagSeats?: number;
  governmentFlagSeats?: number;
  candidates?: Partial<Record<Title, string[]>>;
  ballotsCast: number;
  votedUnits: string[];
  result: {
    valid: boolean;
    ballotsCast: number;
    ministryFlag: TitleTally[];
    governmentFlag: TitleTally[];
    runoff?: { title: Title; units: string[]; seats: number };
    problems: string[];
    /** Ballots abstaining on each title (absent in votes closed before abstentions existed). */
    abstentions?: Partial<Record<Title, number>>;
    /** What each title's threshold was measured against. */
    thresholdBase?: Partial<Record<Title, number>>;
    /** Whether each title reached its quorum (túc số); absent in votes closed before the per-title quorum existed. */
    quorumMet?: Partial<Record<Title, boolean>>;
    /** Candidates the rule set does not allow for a title, with the reason. */
    ineligible?: { unitCode: string; title: Title; reason: string }[];
  } | null;
}

/** How a rule set's cluster vote counts, every setting resolved (the `counting` of GET /campaigns/:id/vote). */
export interface ClusterCounting {
  allowSelfVote: boolean;
  /** What the selection threshold is measured against. */
  base: 'BALLOTS_CAST' | 'ALL_MEMBERS' | 'PRESENT';
  /** An abstaining ballot stays in, or leaves, the title's threshold base. */
  abstentions: 'COUNT_IN_BALLOTS_CAST' | 'EXCLUDE_FROM_BASE';
  /** An abstaining unit has voted on the title for its quorum, or not. */
  abstentionsInQuorum: 'COUNT_AS_PRESENT' | 'COUNT_AS_ABSENT';
}

/** GET /campaigns/:id/vote: the vote as the campaign shows it, with the rule set's counting (null: an unknown rule set). */
export type VoteWithCounting = VoteView & { counting: ClusterCounting | null };

/** The choices of a ballot (the receipt check answers them to the receipt's holder). */
export interface BallotChoices {
  ministryFlag: string[];
  governmentFlag: string[];
  abstain?: Title[];
}

export interface CampaignMember {
  unitCode: string;
  registeredAt: string | null;
  targetTitles: Title[];
  remindersSent: number;
  selfAssessedAt: string | null;
  covenantSignedAt?: string | null;
}

export interface MemberStatus {
  unitCode: string;
  registeredAt: string | null;
  registeredLate: boolean;
  selfAssessedAt: string | null;
  remindersSent: number;
  lastReminderAt: string | null;
  late: { kind: 'REGISTRATION' | 'SELF_ASSESSMENT'; deadline: string; workingDaysLate: number } | null;
}

export interface Campaign {
  id: string;
  year: number;
  clusterCode: string;
  clusterName: string;
  headUnitCode: string;
  deputyUnitCode: string | null;
  registrationDeadline: string;
  selfAssessmentDeadline?: string | null;
  reminderTime?: string;
  ruleSet: { id: string; version: number };
  phase: CampaignPhase;
  members: CampaignMember[];
  vote: VoteView | null;
  nextYear?: { headUnitCode: string; deputyUnitCode: string; electedAt: string; recordedBy: string } | null;
  status?: { registered: number; selfAssessed: number; late: number; members: MemberStatus[] };
}

export interface CriterionScore {
  code: string;
  name?: string;
  score: number;
}

export interface Nomination {
  id: string;
  campaignId: string;
  year: number;
  clusterCode: string;
  unitCode: string;
  parentUnitCode: string | null;
  stage: Stage;
  titles: Partial<Record<Title, TitleStatus>>;
  registrationClosed: boolean;
  selfAssessment: { score: number; achievementReport: string; criteria: CriterionScore[]; submittedAt: string } | null;
  clusterVote: { ministryFlagVotes: number; governmentFlagVotes: number } | null;
  review: { decision: 'APPROVE' | 'RETURN' | 'REJECT'; reason: string; at: string; by: string; amendmentDeadline: string | null } | null;
  reviewDue: { dueDate: string; overdue: boolean } | null;
  withdrawal: { reason: string; at: string; by: string } | null;
  consultation: { opinion: 'AGREE' | 'DISAGREE'; reference: string; at: string; by: string } | null;
  governmentSubmission: { batchId: string; at: string; by: string } | null;
  revocations: { title: Title; reason: string; decisionNumber: string; decisionDate: string; at: string; by: string }[];
  amendments: { achievementReport: string; note: string; at: string }[];
  council: { sessionId: string; approved: Partial<Record<Title, boolean>> } | null;
  governmentDecision: { decision: 'AWARDED' | 'DECLINED'; decisionNumber: string; decisionDate: string } | null;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}

export interface AuditEvent {
  seq: number;
  eventId?: string;
  at: string;
  actor: string;
  role: string | null;
  actorUnitCode?: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  fromStage: string | null;
  toStage: string | null;
  reason: string | null;
  hash: string;
  prevHash: string;
}

/** How one title of one nomination was decided when the sitting closed. */
export interface CouncilOutcome {
  approved: boolean;
  quorumMet: boolean;
  approve: number;
  reject: number;
  abstain: number;
  conflicts: number;
  present: number;
  members: number;
  baseKind: 'PRESENT' | 'ALL_MEMBERS' | 'BALLOTS_CAST';
  base: number;
  excludedFromBase: { abstentions: number; conflicts: number };
  required: number | null;
}

export interface CouncilItem {
  nominationId: string;
  unitCode: string;
  titles: Title[];
  votes: Partial<Record<Title, { approve: number; reject: number; abstain?: number }>>;
  approved: Partial<Record<Title, boolean>> | null;
  conflicts?: { member: string; reason: string; at: string }[];
  outcome?: Partial<Record<Title, CouncilOutcome>> | null;
}

export interface CouncilSession {
  id: string;
  year: number;
  status: 'OPEN' | 'CLOSED';
  membersTotal: number;
  membersPresent: number | null;
  quorumMet: boolean | null;
  items: CouncilItem[];
  votedBy: Record<string, string[]>;
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
}

export interface Quota {
  year: number;
  leadingUnits: number;
  clusters: number;
  quota: number;
  submitted: number;
}

export interface Overview {
  year: number;
  campaigns: number;
  lateUnits: number;
  byKind: { REGISTRATION: number; SELF_ASSESSMENT: number };
  items: {
    campaignId: string;
    clusterCode: string;
    clusterName: string;
    unitCode: string;
    unitName: string;
    kind: 'REGISTRATION' | 'SELF_ASSESSMENT';
    deadline: string;
    workingDaysLate: number;
    remindersSent: number;
  }[];
}

/** The titles of the award registry (REGISTRY_TITLES of libs/persistence/src/registry.ts). */
export const REGISTRY_TITLES = [
  'MINISTRY_FLAG',
  'GOVERNMENT_FLAG',
  'MINISTER_CERTIFICATE',
  'PRIME_MINISTER_CERTIFICATE',
  'EXCELLENT_LABOUR_COLLECTIVE',
  'ADVANCED_LABOUR_COLLECTIVE',
  'LABOUR_ORDER_THIRD',
  'LABOUR_ORDER_SECOND',
  'LABOUR_ORDER_FIRST',
] as const;

/** An award of GET /registry (hồ sơ thành tích). */
export interface Award {
  id: number;
  /** The unit's code and name today (after any rename or merger). */
  unitCode: string;
  unitName: string;
  /** The unit as it was called when it received the award. */
  awardedAs: { unitCode: string; unitName: string };
  title: string;
  /** The title's Vietnamese name. */
  titleName: string;
  year: number;
  decisionNumber: string;
  decisionDate: string | null;
  issuingBody: string;
  source: 'TDKT_FLOW' | 'IMPORT';
  nominationId: string | null;
  revoked: { at: string; reason: string; by: string | null; decisionNumber: string | null; decisionDate: string | null } | null;
}

/** One refused row of a registry import. */
export interface ImportRowError {
  /** The row as Excel numbers it. */
  row: number;
  /** The column's letter; null for a column that is missing. */
  column: string | null;
  /** The column's header in the file. */
  header: string | null;
  field: string;
  message: string;
}

/** The counts of a registry import: its 201, and (with `errors`) its 400 or 409. */
export interface ImportReport {
  outcome: 'IMPORTED' | 'INVALID' | 'CONFLICT';
  headerRow: number | null;
  rowsRead: number;
  blankRowsSkipped: number;
  rows: number;
  imported: number;
  batch?: string;
  errors?: ImportRowError[];
}
