/** Expected audit trails shared by the workflow and end-to-end tests. */

/** A nomination selected for both flags, returned once for amendment, submitted to and awarded by the Government. */
export const TRAIL_AWARDED_AFTER_AMENDMENT = [
  'NOMINATION_CREATED',
  'REGISTRATION_CLOSED',
  'SELF_ASSESSMENT_SUBMITTED',
  'CLUSTER_VOTE_RESULT',
  'REVIEW_RETURNED',
  'AMENDMENT_SUBMITTED',
  'REVIEW_APPROVED',
  'COUNCIL_DECIDED',
  'GOVERNMENT_SUBMITTED',
  'GOVERNMENT_DECISION_RECORDED',
];

/** The same, for a unit whose Government flag needs the consultation (hiệp y) first. */
export const TRAIL_AWARDED_AFTER_AMENDMENT_WITH_CONSULTATION = TRAIL_AWARDED_AFTER_AMENDMENT.flatMap((action) =>
  action === 'GOVERNMENT_SUBMITTED' ? ['CONSULTATION_RECORDED', action] : [action],
);
