/** Injection tokens of the infrastructure the app is built on. */
export const API_CONFIG = Symbol('API_CONFIG');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
