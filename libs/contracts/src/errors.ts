/**
 * Why a workflow refused an action. Update validators throw an ApplicationFailure whose `type`
 * is one of these; the API turns it into the matching HTTP status.
 */
export const REJECTION_STATUS = {
  /** The action does not fit the current stage or phase: 409. */
  StageConflict: 409,
  /** The same action was already taken (a second ballot, a second registration): 409. */
  Duplicate: 409,
  /** The actor's role or unit may not take this action: 403. */
  Forbidden: 403,
  /** A rule of the rule set is not met, so the decision cannot be taken now (quorum missed): 409. */
  RuleNotMet: 409,
  /** The input breaks a rule (too many picks, not a member): 400. */
  Invalid: 400,
} as const;
export type RejectionType = keyof typeof REJECTION_STATUS;

export function isRejectionType(value: unknown): value is RejectionType {
  return typeof value === 'string' && value in REJECTION_STATUS;
}
