/**
 * Rekor's entry identifiers. A UUID is the 64-hex RFC 6962 leaf hash of the canonical body;
 * an EntryID prefixes it with the tree ID as 16 lower-case hex digits. Inputs may use either
 * form, in either case.
 */
export type EntryId = string & { readonly __brand: 'EntryId' };

export const MAX_TREE_ID = (1n << 63n) - 1n;

export function formatEntryId(treeId: bigint, leafHash: Uint8Array): EntryId {
  return (treeId.toString(16).padStart(16, '0') + Buffer.from(leafHash).toString('hex')) as EntryId;
}

export interface ParsedEntryUuid {
  /** Present for an 80-hex EntryID; may be out of range (0 or above int64), callers check. */
  treeId?: bigint;
  leafHash: Uint8Array;
}

/** Parses a 64-hex UUID or an 80-hex EntryID; null for any other shape. */
export function parseEntryUuid(value: string): ParsedEntryUuid | null {
  if (!/^(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{80})$/.test(value)) return null;
  const leafHash = new Uint8Array(Buffer.from(value.slice(-64), 'hex'));
  if (value.length === 64) return { leafHash };
  return { treeId: BigInt('0x' + value.slice(0, 16)), leafHash };
}

export function isValidTreeId(treeId: bigint): boolean {
  return treeId > 0n && treeId <= MAX_TREE_ID;
}
