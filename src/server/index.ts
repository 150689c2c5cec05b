export { buildApp } from './app.js';
export type { AppDeps, Canonicalize, ServerLimits } from './deps.js';
export { entryDocuments, type EntryDocuments } from './entry-documents.js';
export { resolveSpecUrls, urlFetcher, type FetchUrl, type UrlFetchOptions } from './url-fetch.js';
