export { buildApp } from './app.js';
export type { AppDeps, Canonicalize, ServerLimits } from './deps.js';
