// The workflows the worker registers (bundled by Temporal's workflow bundler: relative imports only).
export { campaignWorkflow } from './campaign.workflow';
export { nominationWorkflow } from './nomination.workflow';
export { councilSessionWorkflow } from './council-session.workflow';
export { awardRevocationWorkflow } from './award-revocation.workflow';
