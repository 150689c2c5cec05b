/** What buildApp needs: the log, the entry kinds, and the operator's limits. No globals. */
import type { FastifyBaseLogger } from 'fastify';
import type { TransparencyLog } from '../log/index.js';
import type { CanonicalEntry } from '../types/index.js';
import type { EntryDocuments } from './entry-documents.js';
import type { FetchUrl } from './url-fetch.js';

/**
 * Validates, verifies and canonicalizes a proposed entry (the entry kinds' job), throwing
 * RekorError('invalid_entry' | 'validation') for bad input. In-process, or a thread pool.
 */
export type Canonicalize = (kind: string, apiVersion: string, spec: Record<string, unknown>) => Promise<CanonicalEntry>;

export interface ServerLimits {
  /** Largest accepted request body in bytes (413 past it). */
  maxRequestBodySize: number;
  /** Largest attestation stored beside an entry, in bytes (413 past it). */
  maxAttestationSize: number;
}

export interface AppDeps {
  log: TransparencyLog;
  /** Entry reads as finished documents; default: built on the event loop from `log`. */
  entries?: EntryDocuments;
  canonicalize: Canonicalize;
  limits: ServerLimits;
  /** Canonical search key (hex SHA-256 of the canonical key) for a public key, per PKI format. */
  publicKeySearchKey: (format: string, content: Uint8Array) => Promise<string>;
  /** PKI formats the index search accepts for publicKey. */
  searchKeyFormats: readonly string[];
  /** Resolves `url` fields of proposed entries; absent (the default): every kind refuses them. */
  fetchUrl?: FetchUrl;
  logger?: FastifyBaseLogger | boolean;
}
