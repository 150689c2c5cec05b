/**
 * The contract between entry kinds, the registry and the server. An entry version turns a
 * proposed spec into the canonical body Rekor would store, its leaf hash (the UUID) and its
 * search-index keys, or throws RekorError('invalid_entry', <Rekor's message>). Versions are pure
 * apart from signature checks: no file, URL, clock or environment access. TypeContext carries
 * the operator's policy, fixed at start-up.
 */
import { RekorError } from '../errors.js';
import { DEFAULT_SIGNING_ALGORITHMS, MAX_CHAIN_CERTIFICATES, parseSigningAlgorithms, type SigningAlgorithm } from '../pki/x509/index.js';

export interface CanonicalEntry {
  readonly kind: string;
  readonly apiVersion: string;
  /** Canonical JSON bytes exactly as Rekor stores them (RFC 8785 JCS). */
  readonly body: Uint8Array;
  /** RFC 6962 leaf hash of `body`: the entry's UUID. */
  readonly leafHash: Uint8Array;
  /** Search-index keys (REKOR.md §9.2), lower-cased, de-duplicated, in first-seen order. */
  readonly indexKeys: readonly string[];
  /**
   * What Rekor keeps beside the entry as its attestation (intoto: the decoded DSSE payload),
   * stored in the same transaction and returned on reads. Absent for most kinds.
   */
  readonly attestation?: Uint8Array;
  /**
   * True when the attestation is kept only if it fits the operator's limit (cose, as Rekor): a
   * larger one is dropped and the entry still logged. Otherwise a larger one refuses the entry.
   */
  readonly attestationOptional?: boolean;
}

/** Rekor's fixed cap on an rfc3161 TimeStampResp (pkg/types/rfc3161/v0.0.1). */
export const MAX_TIMESTAMP_RESPONSE_SIZE = 10 * 1024;

export interface TypeLimits {
  /** Certificates accepted in one x509 PEM chain (Rekor: 10). */
  readonly maxChainCertificates: number;
  /** Largest DER TimeStampResp an rfc3161 entry may carry (Rekor: 10 KiB, fixed in its code). */
  readonly maxTimestampResponseSize: number;
  /**
   * Rekor's `max_apk_metadata_size`: the largest `.SIGN`/`.PKGINFO` member of an alpine package,
   * also the cap on its decompressed signature stream; 0 means unlimited (Rekor: 1 MiB).
   */
  readonly maxApkMetadataSize: number;
  /**
   * Largest uncompressed META-INF/*.* entry in a JAR, in bytes; 0 = unlimited
   * (Rekor's `max_jar_metadata_size`, default 1 MiB).
   */
  readonly maxJarMetadataSize: number;
}

/** Rekor's default `max_apk_metadata_size`. */
export const MAX_APK_METADATA_SIZE = 1024 * 1024;

/** Rekor's default `max_jar_metadata_size`. */
export const MAX_JAR_METADATA_SIZE = 1024 * 1024;

export interface TypeContext {
  /**
   * Rekor's `--client-signing-algorithms`: the key/digest pairs hashedrekord accepts. An
   * `rsa-sign-pss-*` entry also makes RSA-PSS signatures verify (Rekor checks PKCS#1 v1.5 only).
   */
  readonly signingAlgorithms: readonly SigningAlgorithm[];
  readonly limits: TypeLimits;
  /**
   * The clock for the few checks Rekor makes against the current time (TUF metadata expiry).
   * Kept here so that versions never read the clock themselves; tests pin it.
   */
  readonly now: () => Date;
}

export interface TypeContextOptions {
  /** Flag names as Rekor spells them, e.g. `ecdsa-sha2-256-nistp256`; default: Rekor's set. */
  readonly signingAlgorithms?: readonly string[];
  readonly limits?: Partial<TypeLimits>;
  /** Default: the system clock. */
  readonly now?: () => Date;
}

/** Each limit's default (Rekor's) and least allowed value; 0 means unlimited where allowed. */
const LIMIT_RULES: { readonly [K in keyof TypeLimits]: { readonly fallback: number; readonly min: number } } = {
  maxChainCertificates: { fallback: MAX_CHAIN_CERTIFICATES, min: 1 },
  maxTimestampResponseSize: { fallback: MAX_TIMESTAMP_RESPONSE_SIZE, min: 1 },
  maxApkMetadataSize: { fallback: MAX_APK_METADATA_SIZE, min: 0 },
  maxJarMetadataSize: { fallback: MAX_JAR_METADATA_SIZE, min: 0 },
};

/** Builds the context from configuration; throws RekorError('bad_request') naming a bad value. */
export function defaultTypeContext(opts: TypeContextOptions = {}): TypeContext {
  const signingAlgorithms = opts.signingAlgorithms === undefined ? DEFAULT_SIGNING_ALGORITHMS : parseSigningAlgorithms(opts.signingAlgorithms);
  const limits = {} as Record<keyof TypeLimits, number>;
  for (const [name, rule] of Object.entries(LIMIT_RULES) as Array<[keyof TypeLimits, { fallback: number; min: number }]>) {
    const value = opts.limits?.[name] ?? rule.fallback;
    if (!Number.isSafeInteger(value) || value < rule.min) {
      throw new RekorError('bad_request', `${name} must be a ${rule.min === 0 ? 'non-negative' : 'positive'} integer, got ${value}`);
    }
    limits[name] = value;
  }
  return Object.freeze({
    signingAlgorithms: Object.freeze([...signingAlgorithms]),
    limits: Object.freeze(limits),
    now: opts.now ?? (() => new Date()),
  });
}

export interface EntryVersion {
  readonly apiVersion: string;
  /** False for versions kept only to read old entries; Rekor refuses to insert those. Default true. */
  readonly insertable?: boolean;
  /**
   * Validates the spec against this version's schema, verifies it, applies `ctx`'s policy and
   * returns the canonical entry. Throws RekorError('invalid_entry' | 'validation') for any bad
   * input; anything else thrown is a bug.
   */
  canonicalize(spec: unknown, ctx: TypeContext): Promise<CanonicalEntry>;
}

export interface EntryKind {
  readonly kind: string;
  readonly versions: readonly EntryVersion[];
  readonly defaultVersion: string;
}
