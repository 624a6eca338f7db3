/**
 * The vocabulary of tdkt-flow. English in code; the Vietnamese term is in the comments so
 * officers and auditors can map each value to the paperwork they know.
 */

/** Titles a unit can register for and be proposed for (danh hiệu thi đua). */
export const TITLES = ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] as const;
/** MINISTRY_FLAG: Cờ thi đua ngành Tư pháp (cấp Bộ). GOVERNMENT_FLAG: Cờ thi đua của Chính phủ. */
export type Title = (typeof TITLES)[number];

/** Where one title of a nomination stands. */
export const TITLE_STATUSES = [
  'REGISTERED', // đã đăng ký thi đua
  'PROPOSED', // được cụm suy tôn, đề nghị
  'APPROVED', // Hội đồng thông qua (Government flag: awaiting the Government)
  'AWARDED', // được tặng
  'DECLINED', // Chính phủ không tặng
  'REJECTED', // Vụ TĐKT hoặc Hội đồng không thông qua
  'REVOKED', // bị thu hồi (Luật TĐKT 2022, chương VII)
] as const;
export type TitleStatus = (typeof TITLE_STATUSES)[number];

/** Stages of a nomination (hồ sơ đề nghị khen thưởng của một đơn vị trong một năm). */
export const STAGES = [
  'SELF_ASSESSMENT', // tự đánh giá, chấm điểm
  'CLUSTER_VOTE', // cụm bình xét, bỏ phiếu kín
  'DEPARTMENT_REVIEW', // Vụ Thi đua - Khen thưởng thẩm định
  'AMENDMENT', // trả lại để bổ sung hồ sơ
  'COUNCIL_DECISION', // Hội đồng Thi đua - Khen thưởng ngành xét
  'GOVERNMENT_DECISION', // trình Chính phủ (Cờ thi đua của Chính phủ)
  'AWARDED', // được khen thưởng
  'NOT_SELECTED', // không được cụm suy tôn
  'NOT_AWARDED', // không được khen thưởng
  'WITHDRAWN', // đơn vị rút hồ sơ
] as const;
export type Stage = (typeof STAGES)[number];

export const FINAL_STAGES: readonly Stage[] = ['AWARDED', 'NOT_SELECTED', 'NOT_AWARDED', 'WITHDRAWN'];
export function isFinalStage(stage: Stage): boolean {
  return FINAL_STAGES.includes(stage);
}

/** Phases of a cluster's yearly campaign (phong trào thi đua của cụm). */
export const CAMPAIGN_PHASES = [
  'REGISTRATION', // đăng ký thi đua, ký giao ước
  'SELF_ASSESSMENT', // tự đánh giá
  'VOTING', // bỏ phiếu kín suy tôn
  'CLOSED', // đã có kết quả bình xét
] as const;
export type CampaignPhase = (typeof CAMPAIGN_PHASES)[number];

export const ROLES = [
  'ADMIN',
  'UNIT_OFFICER', // cán bộ thi đua của đơn vị
  'UNIT_LEADER', // thủ trưởng đơn vị (bỏ phiếu thay mặt đơn vị)
  'CLUSTER_HEAD', // cụm trưởng
  'DEPARTMENT_REVIEWER', // chuyên viên Vụ Thi đua - Khen thưởng
  'COUNCIL_MEMBER', // thành viên Hội đồng
  'COUNCIL_CHAIR', // Chủ tịch Hội đồng
  'AUDITOR', // kiểm tra, thanh tra
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work for the Ministry as a whole rather than for one unit. */
export const STAFF_ROLES: readonly Role[] = ['ADMIN', 'DEPARTMENT_REVIEWER', 'COUNCIL_MEMBER', 'COUNCIL_CHAIR', 'AUDITOR'];

/** Who performed an action: carried into every workflow update and every audit event. */
export interface Actor {
  username: string;
  roles: Role[];
  unitCode?: string;
}

export type ReviewDecision = 'APPROVE' | 'RETURN' | 'REJECT';
export type GovernmentDecision = 'AWARDED' | 'DECLINED';

/** SO_TU_PHAP: Sở Tư pháp. CUC_THADS: Cục THADS. CHI_CUC_THADS: Chi cục THADS. DON_VI_BO: đơn vị thuộc Bộ. */
export const UNIT_KINDS = ['SO_TU_PHAP', 'CUC_THADS', 'CHI_CUC_THADS', 'DON_VI_BO', 'OTHER'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** The Vietnamese names of the titles, for messages and documents. */
export const TITLE_NAMES_VI: Record<Title, string> = {
  MINISTRY_FLAG: 'Cờ thi đua ngành Tư pháp',
  GOVERNMENT_FLAG: 'Cờ thi đua của Chính phủ',
};
