export { buildApp } from './app.js';
export type { AppDeps, ServerLimits } from './deps.js';
