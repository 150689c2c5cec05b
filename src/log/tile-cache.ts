/**
 * An LRU of expanded tiles for proof serving. A tile of a given width never changes (tiles only
 * grow, and a narrower version is a prefix of a wider one), so entries never go stale: the key
 * includes the width. Loading is async (storage); the getter handed to the proof builders is
 * sync and holds exactly the tiles loaded for that proof, whatever the LRU evicts meanwhile.
 */
import { ExpandedTile, type TileId } from '../merkle/index.js';
import { tileKey, type LogStorage } from './storage.js';

export type TileGetter = (tile: TileId) => ExpandedTile;

export class TileCache {
  private readonly tiles = new Map<string, ExpandedTile>();

  constructor(
    private readonly storage: LogStorage,
    private readonly capacity: number,
  ) {}

  /** Returns a getter over the listed tiles, reading the uncached ones in one storage call. */
  async load(treeId: bigint, ids: readonly TileId[]): Promise<TileGetter> {
    const local = new Map<string, ExpandedTile>();
    const missing: TileId[] = [];
    for (const tile of ids) {
      const key = cacheKey(treeId, tile);
      const hit = this.tiles.get(key);
      if (hit === undefined) {
        missing.push(tile);
        continue;
      }
      this.tiles.delete(key); // refresh recency: the upper tiles are in every proof
      this.tiles.set(key, hit);
      local.set(key, hit);
    }
    if (missing.length > 0) {
      const stored = await this.storage.readTiles(treeId, missing);
      for (const tile of missing) {
        const data = stored.get(tileKey(tile));
        if (data === undefined || data.length < tile.width * 32) {
          throw new Error(`tree ${treeId} lacks tile ${tile.level}/${tile.index} of width ${tile.width}`);
        }
        local.set(cacheKey(treeId, tile), this.put(treeId, tile, data.subarray(0, tile.width * 32)));
      }
    }
    // A proof touches a handful of tiles: a scan beats building a string key per node.
    const loaded = [...local.values()];
    return (tile) => {
      for (const found of loaded) {
        const { level, index, width } = found.tile;
        if (level === tile.level && index === tile.index && width === tile.width) return found;
      }
      throw new Error(`tile ${tile.level}/${tile.index}.${tile.width} was not loaded for this proof`);
    };
  }

  /** Adds a tile (e.g. one the caller just wrote) and returns its expanded form. */
  put(treeId: bigint, tile: TileId, data: Uint8Array): ExpandedTile {
    const key = cacheKey(treeId, tile);
    const expanded = new ExpandedTile(tile, data);
    this.tiles.delete(key);
    this.tiles.set(key, expanded);
    if (this.tiles.size > this.capacity) {
      const oldest = this.tiles.keys().next().value as string;
      this.tiles.delete(oldest);
    }
    return expanded;
  }
}

function cacheKey(treeId: bigint, tile: TileId): string {
  return `${treeId}/${tile.level}/${tile.index}/${tile.width}`;
}
