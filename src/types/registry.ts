/**
 * The entry-kind registry: built explicitly from a list of kinds (no import side effects), it
 * routes a proposed entry to its kind and version and applies the server's kind switch, with the
 * order and messages of Rekor's createLogEntry (REKOR.md §2.1 steps 1–5): unknown version,
 * kind not enabled, version not insertable, then the version's own validation, verification,
 * policy and canonicalization. Everything a client can cause is RekorError('invalid_entry' |
 * 'validation'); a non-RekorError escaping a version is a bug and becomes RekorError('internal').
 */
import { RekorError, isRekorError } from '../errors.js';
import { alpineKind } from './alpine/index.js';
import { coseKind } from './cose/index.js';
import { dsseKind } from './dsse/index.js';
import { hashedrekordKind } from './hashedrekord/index.js';
import { helmKind } from './helm/index.js';
import { intotoKind } from './intoto/index.js';
import { jarKind } from './jar/index.js';
import { rekordKind } from './rekord/index.js';
import { rfc3161Kind } from './rfc3161/index.js';
import { rpmKind } from './rpm/index.js';
import { tufKind } from './tuf/index.js';
import type { CanonicalEntry, EntryKind, EntryVersion, TypeContext } from './types.js';

/** Every kind Rekor v1 defines; `enabledKinds` may name these even before they are implemented here. */
export const REKOR_KINDS: readonly string[] = ['alpine', 'cose', 'dsse', 'hashedrekord', 'helm', 'intoto', 'jar', 'rekord', 'rfc3161', 'rpm', 'tuf'];

export interface TypeRegistryOptions {
  /** Kinds accepted for insertion (Rekor's `enabled_entry_types`); default: all registered kinds. */
  readonly enabledKinds?: readonly string[];
}

function invalid(message: string): RekorError {
  return new RekorError('invalid_entry', message);
}

export class TypeRegistry {
  private readonly byKind: ReadonlyMap<string, EntryKind>;
  private readonly enabled: ReadonlySet<string>;

  constructor(kinds: readonly EntryKind[], opts: TypeRegistryOptions = {}) {
    const byKind = new Map<string, EntryKind>();
    for (const kind of kinds) {
      if (byKind.has(kind.kind)) throw new RekorError('internal', `entry kind ${kind.kind} registered twice`);
      if (!kind.versions.some((v) => v.apiVersion === kind.defaultVersion)) {
        throw new RekorError('internal', `entry kind ${kind.kind}: default version ${kind.defaultVersion} is not registered`);
      }
      byKind.set(kind.kind, kind);
    }
    const unknown = (opts.enabledKinds ?? []).filter((k) => !REKOR_KINDS.includes(k) && !byKind.has(k));
    if (unknown.length > 0) throw new RekorError('bad_request', `unknown entry kind(s) in enabled kinds: ${unknown.join(', ')}`);
    this.byKind = byKind;
    this.enabled = new Set(opts.enabledKinds ?? byKind.keys());
  }

  /** Registered kinds, sorted. */
  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }

  /** Whether `kind` is registered and enabled for insertion. */
  isEnabled(kind: string): boolean {
    return this.byKind.has(kind) && this.enabled.has(kind);
  }

  /** The registered kind, e.g. to list its versions. */
  kind(kind: string): EntryKind | undefined {
    return this.byKind.get(kind);
  }

  private version(kind: string, apiVersion: string): EntryVersion {
    const entryKind = this.byKind.get(kind);
    if (entryKind === undefined) throw invalid(`could not unmarshal entry for kind '${kind}'`);
    const version = entryKind.versions.find((v) => v.apiVersion === apiVersion);
    if (version === undefined) {
      throw invalid(`${kind} implementation for version '${apiVersion}' not found: unable to locate entry for version ${apiVersion}`);
    }
    if (!this.enabled.has(kind)) throw invalid(`entry kind '${kind}' is not enabled for submission on this server`);
    if (version.insertable === false) throw invalid(`entry kind '${kind}' does not support inserting entries of version '${apiVersion}'`);
    return version;
  }

  /**
   * Validates the spec against the version's schema, checks the kind is enabled and the version
   * insertable, verifies the entry and returns its canonical form. The outer ProposedEntry
   * (kind, apiVersion and spec present, kind one of Rekor's) is the server's to check.
   */
  async canonicalizeProposed(kind: string, apiVersion: string, spec: unknown, ctx: TypeContext): Promise<CanonicalEntry> {
    const version = this.version(kind, apiVersion);
    try {
      return await version.canonicalize(spec, ctx);
    } catch (err) {
      if (isRekorError(err)) throw err;
      throw new RekorError('internal', `canonicalizing ${kind} ${apiVersion}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
}

/** The kinds this build implements, in one place; later kinds are added here. */
export const IMPLEMENTED_KINDS: readonly EntryKind[] = [hashedrekordKind, dsseKind, intotoKind, coseKind, rekordKind, rpmKind, rfc3161Kind, helmKind, tufKind, alpineKind, jarKind];

/** A registry of every implemented kind; `enabledKinds` restricts insertion. */
export function defaultRegistry(opts: TypeRegistryOptions = {}): TypeRegistry {
  return new TypeRegistry(IMPLEMENTED_KINDS, opts);
}
