// Governed changes: the pure domain (no I/O). A store and the GraphQL layer build on these named exports.
export * from './environment.js';
export * from './json.js';
export * from './diff.js';
export * from './functions.js';
export * from './setting-catalog.js';
export * from './approval-rules.js';
export * from './change-target.js';
export * from './change-request.js';
export * from './transition-result.js';
export * from './transitions.js';
export * from './setting-history.js';
export * from './emergency-target.js';
export * from './emergency-stop.js';
export * from './approval-evaluation.js';
