/**
 * Decision events: every transition a workflow decides becomes one append-only audit event,
 * written by the recordDecision activity together with the read-model snapshot, in one
 * transaction. `eventId` is deterministic (`<workflowId>#<version>`), so a retried activity
 * writes nothing twice.
 */
import type { CampaignView, CouncilSessionView, NominationView } from './views';
import type { Title } from '../../domain/src/model';

/** AWARD: an award of the registry (hồ sơ thành tích) the API revokes itself (imported awards). */
export type SubjectType = 'CAMPAIGN' | 'NOMINATION' | 'COUNCIL_SESSION' | 'AWARD';

export const DECISION_ACTIONS = [
  'CAMPAIGN_STARTED', // phát động phong trào thi đua
  'UNIT_REGISTERED', // đơn vị đăng ký thi đua
  'REGISTRATION_CLOSED', // hết hạn đăng ký
  'SELF_ASSESSMENT_SUBMITTED', // nộp tự đánh giá, báo cáo thành tích
  'VOTE_OPENED', // mở bỏ phiếu kín
  'BALLOT_CAST', // một đơn vị đã bỏ phiếu (không ghi lựa chọn)
  'VOTE_CLOSED', // kiểm phiếu
  'NOMINATION_CREATED',
  'CLUSTER_VOTE_RESULT', // kết quả suy tôn của cụm cho một đơn vị
  'REVIEW_APPROVED', // Vụ TĐKT thẩm định đạt
  'REVIEW_RETURNED', // trả lại để bổ sung
  'REVIEW_REJECTED', // không đủ điều kiện
  'AMENDMENT_SUBMITTED', // nộp hồ sơ bổ sung
  'COUNCIL_SESSION_OPENED', // phiên họp Hội đồng
  'COUNCIL_VOTE_CAST',
  'COUNCIL_SESSION_CLOSED',
  'COUNCIL_DECIDED', // Hội đồng quyết định cho một hồ sơ
  'GOVERNMENT_DECISION_RECORDED', // ghi nhận quyết định của Chính phủ
  'NOMINATION_WITHDRAWN', // đơn vị rút hồ sơ
  'REVIEW_OVERDUE', // quá hạn thẩm định
  'CONSULTATION_RECORDED', // ý kiến hiệp y
  'GOVERNMENT_SUBMITTED', // trình Chính phủ
  'AWARD_REVOKED', // thu hồi khen thưởng
  'REMINDER_SENT', // nhắc việc (đăng ký, tự đánh giá, bổ sung hồ sơ chậm)
  'COVENANT_SIGNED', // ký giao ước thi đua
  'LEADERSHIP_ELECTED', // bầu cụm trưởng, cụm phó năm sau
  'COMMENT_ADDED', // ý kiến trao đổi về hồ sơ (ghi bởi API, không đổi giai đoạn)
  'ATTACHMENT_ADDED', // tài liệu đính kèm hồ sơ (tên, cỡ, loại, SHA-256; ghi bởi API)
  'COUNCIL_CONFLICT_DECLARED', // thành viên Hội đồng khai báo xung đột lợi ích với một hồ sơ
] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

export interface DecisionEvent {
  /** `<workflowId>#<version>`: the idempotency key of the write. */
  eventId: string;
  /** ISO instant, from the workflow's clock. */
  at: string;
  /** Username, or `system` for timers. */
  actor: string;
  /** The role the actor acted in. */
  role: string | null;
  /** The actor's unit, if any. */
  actorUnitCode: string | null;
  action: DecisionAction;
  subjectType: SubjectType;
  subjectId: string;
  fromStage: string | null;
  toStage: string | null;
  reason: string | null;
  /** The API request that caused it (x-request-id), for tracing. */
  requestId: string | null;
  /** Details worth keeping; never ballot choices. */
  data: Record<string, unknown>;
}

/** A secret ballot, as stored: the choices apart from the voter, linked only by the receipt. */
export interface SecretBallotRecord {
  campaignId: string;
  round: number;
  /** Who voted (ballot_cast): no receipt, no choices. */
  voterUnitCode: string;
  /**
   * What was chosen (ballot_box): sha256 of the voter's receipt, no unit. Only ballots cast before
   * sealing carry these here; sealed ballots reach the ballot box when the vote closes.
   */
  receiptHash?: string;
  choices?: { ministryFlag: string[]; governmentFlag: string[]; abstain?: Title[] };
}

export type Projection =
  | { kind: 'campaign'; view: CampaignView }
  | { kind: 'nomination'; view: NominationView }
  | { kind: 'councilSession'; view: CouncilSessionView };

/** The object a snapshot is of: snapshots with the same key are versions of one read-model row. */
export function projectionKey(p: Projection): string {
  return `${p.kind}:${p.view.id}`;
}

/** A reminder to deliver with the event (in-app inbox and e-mail), rendered and addressed by the activity. */
export interface NotificationRequest {
  kind: 'REGISTRATION' | 'SELF_ASSESSMENT' | 'AMENDMENT';
  /** The late unit: its officers (or its member unit's, for a sub-unit) are told. */
  unitCode: string;
  campaignId: string;
  nominationId?: string;
  /** ISO instant of the missed (or coming) deadline. */
  deadline: string;
  sequence: number;
  /** Also tell the cluster head and the Department. */
  escalate: boolean;
  workingDaysLate: number;
}

export interface RecordDecisionInput {
  event: DecisionEvent;
  projections: Projection[];
  ballot?: SecretBallotRecord;
  notifications?: NotificationRequest[];
}

export interface RecordDecisionResult {
  seq: number;
  hash: string;
  /** false when this event had been written before (a retried activity). */
  written: boolean;
}
