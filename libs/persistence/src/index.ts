// Public API of @tdkt/persistence: entities, data source and migrations, the decision writer,
// the audit chain, passwords, the seed and test databases.
export * from './entities/index';
export * from './data-source';
export * from './audit-chain';
export * from './record-decision';
export * from './passwords';
export * from './seed/seed';
export * from './testing';
export * from './ballot-seal';
export * from './notifications';
export * from './registry';
export * from './registry-import';
export * from './query';
export * from './entities/work-tools';
export * from './work-tools';
