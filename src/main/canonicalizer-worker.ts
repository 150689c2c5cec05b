/**
 * A verification thread: builds the entry-kind registry once and canonicalizes the proposed
 * entries it is sent (schema checks, signature verification, canonical body, index keys), so
 * that this CPU work runs beside the event loop. RekorErrors travel back as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isRekorError } from '../errors.js';
import { useVerifierBackend } from '../pki/x509/index.js';
import { defaultRegistry, defaultTypeContext, type TypeContextOptions } from '../types/index.js';

export interface CanonicalizerData {
  enabledKinds?: string[];
  /** The operator's policy, as plain data: each thread builds the same context from it. */
  typeContext?: TypeContextOptions;
}

export interface CanonicalizeRequest {
  id: number;
  kind: string;
  apiVersion: string;
  spec: Record<string, unknown>;
}

const port = parentPort;
if (port === null) throw new Error('canonicalizer-worker must run in a worker thread');
const data = workerData as CanonicalizerData;
const registry = defaultRegistry(data.enabledKinds === undefined ? {} : { enabledKinds: data.enabledKinds });
const context = defaultTypeContext(data.typeContext ?? {});
useVerifierBackend('auto');

port.on('message', (request: CanonicalizeRequest) => {
  registry.canonicalizeProposed(request.kind, request.apiVersion, request.spec, context).then(
    (entry) => port.postMessage({ id: request.id, entry }),
    (err: unknown) =>
      port.postMessage({
        id: request.id,
        error: isRekorError(err)
          ? { code: err.code, message: err.message, detail: err.detail }
          : { code: 'internal', message: err instanceof Error ? err.message : String(err), detail: {} },
      }),
  );
});
