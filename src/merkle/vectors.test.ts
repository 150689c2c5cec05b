/**
 * Third-party vectors: every transparency-dev/merkle inclusion and consistency probe, every
 * sigstore-ruby inclusion line (with transparency-dev's error text), and the RFC 6962
 * reference tree. Verdicts come from the files, cross-checked against INDEX.json.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { readIndex, testdataPath } from '../../test/testdata.js';
import { appendLeaves } from './append.js';
import { CompactRange } from './compact.js';
import { MerkleError, type MerkleErrorCode } from './errors.js';
import { ExpandedTile } from './expanded-tile.js';
import { hashLeaf } from './hash.js';
import { verifyConsistency, verifyInclusion } from './verify.js';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** JSON.parse, but every integer becomes a bigint-safe string (the files hold 2^64-1). */
function parseExact(text: string): Record<string, unknown> {
  return JSON.parse(text.replace(/("\w+":\s*)(-?\d+)/g, '$1"$2"')) as Record<string, unknown>;
}

const b64 = (value: unknown): Uint8Array => new Uint8Array(Buffer.from(String(value ?? ''), 'base64'));
const b64List = (value: unknown): Uint8Array[] => ((value ?? []) as string[]).map(b64);
const fromHex = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'hex'));

function outcome(run: () => void): MerkleError | null {
  try {
    run();
    return null;
  } catch (err) {
    if (err instanceof MerkleError) return err;
    throw err;
  }
}

describe('transparency-dev/merkle vectors', () => {
  const root = testdataPath('merkle', 'transparency-dev');
  const files = walk(root).filter((f) => f.endsWith('.json')).sort();
  const indexed = new Map(readIndex().map((record) => [record.file, record.expected]));

  it('covers every vector listed in INDEX.json', () => {
    const listed = [...indexed.keys()].filter((f) => f.startsWith('merkle/transparency-dev/'));
    assert.equal(files.length, 196);
    assert.deepEqual(files.map((f) => `merkle/${relative(testdataPath('merkle'), f)}`).sort(), listed.sort());
  });

  for (const file of files) {
    const name = relative(root, file);
    it(name, () => {
      const v = parseExact(readFileSync(file, 'utf8'));
      const wantErr = v['wantErr'] === true;
      assert.equal(indexed.get(`merkle/transparency-dev/${name}`), wantErr ? 'invalid' : 'valid');
      const err = name.startsWith('inclusion/')
        ? outcome(() =>
            verifyInclusion(b64(v['leafHash']), BigInt(String(v['leafIdx'])), BigInt(String(v['treeSize'])), b64List(v['proof']), b64(v['root'])),
          )
        : outcome(() =>
            verifyConsistency(BigInt(String(v['size1'])), BigInt(String(v['size2'])), b64List(v['proof']), b64(v['root1']), b64(v['root2'])),
          );
      assert.equal(err !== null, wantErr, `${String(v['desc'])}: got ${err?.message ?? 'ok'}`);
    });
  }
});

describe('sigstore-ruby verify_inclusion.jsonl', () => {
  const lines = readFileSync(testdataPath('merkle', 'sigstore-ruby', 'verify_inclusion.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');

  it('has all 94 probes', () => assert.equal(lines.length, 94));

  // transparency-dev's messages, which ours reproduce except for root mismatches.
  const codeFor = (message: string): MerkleErrorCode =>
    message.startsWith('index is beyond size') ? 'invalid_index'
    : message.startsWith('leafHash has unexpected size') ? 'invalid_hash'
    : message.startsWith('wrong proof size') ? 'wrong_proof_size'
    : 'root_mismatch';

  lines.forEach((line, n) => {
    const v = parseExact(line);
    it(`line ${n + 1}: ${String(v['desc'])}`, () => {
      const want = v['expected_error'] as string | null | undefined;
      const err = outcome(() =>
        verifyInclusion(b64(v['leaf_hash']), BigInt(String(v['index'])), BigInt(String(v['size'])), b64List(v['proof']), b64(v['root'])),
      );
      if (want === null || want === undefined) {
        assert.equal(err, null);
        return;
      }
      if (err === null) return assert.fail(`want error ${want}`);
      assert.equal(err.code, codeFor(want));
      if (err.code !== 'root_mismatch') assert.equal(err.message, want);
    });
  });
});

describe('RFC 6962 reference tree', () => {
  const tree = JSON.parse(readFileSync(testdataPath('merkle', 'rfc6962-reference-tree.json'), 'utf8')) as {
    leafInputsHex: string[];
    nodeHashesByLevel: string[][];
    rootHashesBySize: { size: number; root: string }[];
  };
  const leafHashes = tree.leafInputsHex.map((input) => hashLeaf(fromHex(input)));

  it('leaf hashes are level 0', () => {
    assert.deepEqual(leafHashes, tree.nodeHashesByLevel[0]?.map(fromHex));
  });

  for (const { size, root } of tree.rootHashesBySize) {
    it(`root of size ${size} from a compact range and from tiles`, () => {
      const range = CompactRange.empty();
      leafHashes.slice(0, size).forEach((hash) => range.append(hash));
      assert.deepEqual(range.root(), fromHex(root));
      assert.deepEqual(appendLeaves(0n, [], leafHashes.slice(0, size)).root, fromHex(root));
    });
  }

  it('every complete subtree from an expanded tile', () => {
    const data = Buffer.concat(leafHashes);
    const tile = new ExpandedTile({ level: 0, index: 0n, width: 8 }, data);
    tree.nodeHashesByLevel.forEach((hashes, level) => {
      hashes.forEach((hash, index) => assert.deepEqual(tile.node(level, index), fromHex(hash), `node ${level}/${index}`));
    });
  });
});
