/**
 * types: Rekor v1 entry kinds. A registry built explicitly from the implemented kinds turns a
 * proposed entry into its canonical body, leaf hash and index keys, with Rekor's validation,
 * verification, policy and error messages. Pure apart from signature checks.
 */
export type { CanonicalEntry, EntryKind, EntryVersion, TypeContext, TypeContextOptions, TypeLimits } from './types.js';
export { defaultTypeContext } from './types.js';
export { TypeRegistry, defaultRegistry, IMPLEMENTED_KINDS, REKOR_KINDS, type TypeRegistryOptions } from './registry.js';
export { canonicalEntry, normalizeIndexKeys } from './canonical.js';
export { publicKeySearchKey, SEARCH_KEY_FORMATS } from './search.js';
export { hashedrekordKind, canonicalizeHashedrekord } from './hashedrekord/index.js';
