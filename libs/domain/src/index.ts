// Public API of @tdkt/domain: pure rules and vocabulary, safe inside Temporal workflows.
export * from './model';
export * from './ids';
export * from './rule-set';
export * from './cluster-vote';
export * from './council';
export * from './government-quota';
export * from './holidays-vn';
export * from './working-days';
export * from './nomination-rules';
export * from './reminders';
export * from './eligibility';
