/**
 * Verification threads (canonicalizer-worker.ts): proposed entries are validated, verified and
 * canonicalized beside the event loop, in batches (see ThreadPool). Errors come back as the
 * RekorErrors the entry kinds threw, with their code, message and detail.
 */
import type { Canonicalize } from '../server/index.js';
import type { CanonicalEntry } from '../types/index.js';
import type { CanonicalizeRequest, CanonicalizerData } from './canonicalizer-worker.js';
import { ThreadPool } from './thread-pool.js';

export class CanonicalizerPool {
  private readonly pool: ThreadPool<CanonicalizeRequest, CanonicalEntry>;

  constructor(size: number, data: CanonicalizerData) {
    this.pool = new ThreadPool('verification', size, new URL('./canonicalizer-worker.js', import.meta.url), data);
  }

  readonly canonicalize: Canonicalize = (kind, apiVersion, spec) => this.pool.run({ kind, apiVersion, spec });

  close(): Promise<void> {
    return this.pool.close();
  }
}
