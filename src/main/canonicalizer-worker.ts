/**
 * A verification thread: builds the entry-kind registry once and canonicalizes the proposed
 * entries it is sent (schema checks, signature verification, canonical body, index keys), so
 * that this CPU work runs beside the event loop. RekorErrors travel back as plain data.
 */
import { workerData } from 'node:worker_threads';
import { useVerifierBackend } from '../pki/x509/index.js';
import { defaultRegistry, defaultTypeContext, type CanonicalEntry, type TypeContextOptions } from '../types/index.js';
import { serveEach } from './thread-pool.js';

export interface CanonicalizerData {
  enabledKinds?: string[];
  /** The operator's policy, as plain data: each thread builds the same context from it. */
  typeContext?: TypeContextOptions;
}

export interface CanonicalizeRequest {
  kind: string;
  apiVersion: string;
  spec: Record<string, unknown>;
}

const data = workerData as CanonicalizerData;
const registry = defaultRegistry(data.enabledKinds === undefined ? {} : { enabledKinds: data.enabledKinds });
const context = defaultTypeContext(data.typeContext ?? {});
useVerifierBackend('auto');

serveEach<CanonicalizeRequest, CanonicalEntry>((request) =>
  registry.canonicalizeProposed(request.kind, request.apiVersion, request.spec, context),
);
