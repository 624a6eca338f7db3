export * from './views';
export * from './events';
export * from './workflows';
export * from './errors';
export * from './search-attributes';
export * from './activities';
