/** What buildApp needs: the log, the entry kinds, and the operator's limits. No globals. */
import type { FastifyBaseLogger } from 'fastify';
import type { TransparencyLog } from '../log/index.js';
import type { TypeContext, TypeRegistry } from '../types/index.js';

export interface ServerLimits {
  /** Largest accepted request body in bytes (413 past it). */
  maxRequestBodySize: number;
}

export interface AppDeps {
  log: TransparencyLog;
  registry: TypeRegistry;
  typeContext: TypeContext;
  limits: ServerLimits;
  /** Canonical search key (hex SHA-256 of the canonical key) for a public key, per PKI format. */
  publicKeySearchKey: (format: string, content: Uint8Array) => Promise<string>;
  /** PKI formats the index search accepts for publicKey. */
  searchKeyFormats: readonly string[];
  logger?: FastifyBaseLogger | boolean;
}
