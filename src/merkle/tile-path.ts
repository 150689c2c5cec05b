/**
 * C2SP tlog-tiles resource paths: `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, without
 * a leading slash. N is written in zero-padded 3-digit groups, all but the last prefixed with
 * `x` (1234067 -> x001/x234/067). The parser is strict: it accepts exactly the paths the
 * formatter writes (canonical form only), so one resource never has two names in a cache or
 * on disk. It returns null for anything else and never throws.
 */
import { MAX_UINT64 } from './node.js';
import { MAX_TILE_LEVEL, TILE_WIDTH, requireTileId, type TileId } from './tile-id.js';

export interface EntriesTileId {
  entries: true;
  index: bigint;
  width: number;
}

function encodeIndex(index: bigint): string {
  const digits = index.toString();
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const groups = padded.match(/\d{3}/g) ?? [];
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

function widthSuffix(width: number): string {
  return width === TILE_WIDTH ? '' : `.p/${width}`;
}

export function tilePath(tile: TileId): string {
  requireTileId(tile);
  return `tile/${tile.level}/${encodeIndex(tile.index)}${widthSuffix(tile.width)}`;
}

/** Path of entry bundle `index` (entries index·256 ..), holding `width` entries. */
export function entriesPath(index: bigint, width: number): string {
  requireTileId({ level: 0, index, width });
  return `tile/entries/${encodeIndex(index)}${widthSuffix(width)}`;
}

const LEVEL = /^(0|[1-9]\d?)$/;
const WIDTH = /^[1-9]\d{0,2}$/;
const INNER_GROUP = /^x\d{3}$/;
const LAST_GROUP = /^\d{3}$/;
/** 2^64 - 1 has 20 digits: 7 groups. */
const MAX_GROUPS = 7;

/** Parses the index groups and optional `.p/<W>` of a path; null unless canonical. */
function parseIndexAndWidth(parts: string[]): { index: bigint; width: number } | null {
  let width = TILE_WIDTH;
  let groups = parts;
  const beforeLast = parts[parts.length - 2];
  if (beforeLast !== undefined && beforeLast.endsWith('.p')) {
    const widthText = parts[parts.length - 1] ?? '';
    if (!WIDTH.test(widthText) || Number(widthText) >= TILE_WIDTH) return null;
    width = Number(widthText);
    groups = [...parts.slice(0, -2), beforeLast.slice(0, -2)];
  }
  if (groups.length === 0 || groups.length > MAX_GROUPS) return null;
  const inner = groups.slice(0, -1);
  const last = groups[groups.length - 1] ?? '';
  if (!inner.every((group) => INNER_GROUP.test(group)) || !LAST_GROUP.test(last)) return null;
  // A leading x000 group would be a second name for a smaller index.
  if (inner[0] === 'x000') return null;
  const index = BigInt(inner.map((group) => group.slice(1)).join('') + last);
  return index > MAX_UINT64 ? null : { index, width };
}

export function parseTilePath(path: string): TileId | EntriesTileId | null {
  if (typeof path !== 'string') return null;
  const parts = path.split('/');
  if (parts[0] !== 'tile' || parts.length < 3) return null;
  const kind = parts[1] ?? '';
  const rest = parseIndexAndWidth(parts.slice(2));
  if (rest === null) return null;
  if (kind === 'entries') return { entries: true, index: rest.index, width: rest.width };
  if (!LEVEL.test(kind) || Number(kind) > MAX_TILE_LEVEL) return null;
  return { level: Number(kind), index: rest.index, width: rest.width };
}
