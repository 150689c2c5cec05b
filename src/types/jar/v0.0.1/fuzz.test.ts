// Hostile input: real signed JARs mutated at the byte level, at the entry level (valid zip,
// damaged manifest, .SF or signature block) and hand-made hostile zips (bombs, lying size fields,
// many entries, truncated central directories) must canonicalize or fail with
// RekorError('invalid_entry'), quickly, and without inflating more than the declared budget.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { isRekorError } from '../../../errors.js';
import { defaultTypeContext } from '../../types.js';
import { ZipArchive } from '../zip.js';
import { canonicalizeJar } from './entry.js';
import { entriesOf, jarWorkspace, specOf, zipOf, type JarWorkspace, type RawEntry } from './testonly.js';
import { mutateBytes, byteOp as op } from '../../../fuzz-testonly.js';

const ctx = defaultTypeContext();

async function outcome(archive: Uint8Array, context = ctx): Promise<string> {
  try {
    await canonicalizeJar(specOf(archive), context);
    return 'accepted';
  } catch (err) {
    assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
    return err.message;
  }
}

describe('jar 0.0.1 under hostile input', () => {
  let ws: JarWorkspace;
  const seeds: Buffer[] = [];
  let bombJar: Buffer;
  before(() => {
    ws = jarWorkspace();
    ws.makeKey('rsa', 'RSA');
    ws.makeKey('ec', 'EC');
    const unsigned = ws.unsignedJar();
    seeds.push(ws.sign(unsigned, 'rsa'), ws.sign(unsigned, 'ec'), ws.signWith(unsigned, 'rsa', ['-sigalg', 'RSASSA-PSS', '-sectionsonly']));
    // A real signed JAR whose one resource is 16 MiB of zeros (deflate: ~1000:1).
    bombJar = ws.sign(ws.unsignedJar({ 'zeros.bin': Buffer.alloc(16 * 1024 * 1024) }), 'ec');
  });
  after(() => ws.dispose());

  test('the seeds are valid', async () => {
    for (const s of seeds) assert.equal(await outcome(s), 'accepted');
  });

  test('byte-level mutations of signed JARs', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.array(op, { minLength: 1, maxLength: 4 }), async (which, ops) => {
        const started = Date.now();
        await outcome(mutateBytes(seeds[which] as Buffer, ops));
        assert.ok(Date.now() - started < 2000, 'each input is decided quickly');
      }),
      { numRuns: 600 },
    );
  });

  test('entry-level mutations (a valid zip around damaged metadata)', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.nat(), fc.array(op, { minLength: 1, maxLength: 4 }), async (which, pick, ops) => {
        const entries = entriesOf(seeds[which] as Buffer);
        // Mostly the signature metadata: that is where the parsers are.
        const meta = entries.filter((e) => e.name.startsWith('META-INF/') && e.data.length > 0);
        const pool = pick % 4 === 0 ? entries : meta;
        const target = pool[pick % pool.length] as RawEntry;
        target.data = mutateBytes(target.data, ops);
        await outcome(zipOf(entries));
      }),
      { numRuns: 800 },
    );
  });

  test('a compression bomb listed in the manifest is refused before inflating', async () => {
    const started = Date.now();
    const message = await outcome(bombJar);
    assert.match(message, /^zip: entry "zeros\.bin" inflates \d+ bytes to 16777216, a ratio above 200$/u);
    assert.ok(Date.now() - started < 1000);
  });

  test('a metadata bomb is refused by max_jar_metadata_size, or by the ratio when unlimited', async () => {
    const entries = entriesOf(seeds[0] as Buffer);
    const bomb = zipOf([...entries, { name: 'META-INF/BOMB.TXT', data: Buffer.alloc(32 * 1024 * 1024) }]);
    assert.equal(await outcome(bomb), 'uncompressed jar metadata of size 33554432 exceeds max allowed size 1048576');
    const unlimited = defaultTypeContext({ limits: { maxJarMetadataSize: 0 } });
    assert.match(await outcome(bomb, unlimited), /^zip: entry "META-INF\/BOMB\.TXT" inflates \d+ bytes to 33554432, a ratio above 200$/u);
  });

  test('lying size fields', async () => {
    const entries = entriesOf(seeds[0] as Buffer);
    const readme = entries.findIndex((e) => e.name === 'README.md');
    const manifest = entries.findIndex((e) => e.name === 'META-INF/MANIFEST.MF');
    // Huge declared sizes: refused from the header alone.
    assert.match(await outcome(zipOf(entries, { declaredSize: { index: readme, size: 0xfffffff0 } })), /^zip: entry "README\.md" inflates \d+ bytes to 4294967280, a ratio above 200$/u);
    assert.equal(await outcome(zipOf(entries, { declaredSize: { index: manifest, size: 0xfffffff0 } })), 'uncompressed jar metadata of size 4294967280 exceeds max allowed size 1048576');
    // Declared smaller or larger than the real content: the read stops at the declared size.
    assert.match(await outcome(zipOf(entries, { declaredSize: { index: readme, size: 3 } })), /^zip: cannot read "README\.md": /u);
    assert.match(await outcome(zipOf(entries, { declaredSize: { index: manifest, size: 5000 } })), /^zip: cannot read "META-INF\/MANIFEST\.MF": /u);
  });

  test('a corrupted entry fails its CRC or its inflation', async () => {
    const entries = entriesOf(seeds[1] as Buffer);
    const stored = zipOf(entries.map((e) => ({ ...e, method: 0 })));
    assert.equal(await outcome(stored), 'accepted', 'stored (uncompressed) entries are fine');
    const at = stored.indexOf(Buffer.from('# hello'));
    const flipped = Buffer.from(stored);
    flipped[at] = 0x2a;
    assert.equal(await outcome(flipped), 'zip: checksum error in "README.md"');
  });

  test('many entries: bounded by the entry cap, and fast below it', async () => {
    const entries = entriesOf(seeds[0] as Buffer);
    const many = zipOf([...entries, ...Array.from({ length: 20_000 }, (_, i) => ({ name: `pad/${i}`, data: Buffer.alloc(0), method: 0 }))]);
    const started = Date.now();
    assert.equal(await outcome(many), 'accepted', 'entries the manifest does not list are not read (as relic)');
    assert.ok(Date.now() - started < 5000);
    await assert.rejects(ZipArchive.open(many, { maxEntries: 1000, maxInflatedBytes: 1 << 20, maxRatio: 200, ratioFreeBytes: 1 << 20 }), /^RekorError: zip: archive declares 20009 entries, more than the 1000 allowed$/u);
  });

  test('the inflated-bytes budget holds across entries', async () => {
    const zip = await ZipArchive.open(zipOf([{ name: 'a', data: Buffer.alloc(600) }, { name: 'b', data: Buffer.alloc(600) }]), {
      maxEntries: 10,
      maxInflatedBytes: 1000,
      maxRatio: 200,
      ratioFreeBytes: 1 << 20,
    });
    assert.equal((await zip.read(zip.entries[0] as never)).length, 600);
    await assert.rejects(zip.read(zip.entries[1] as never), /zip: archive inflates to more than 1000 bytes/u);
  });

  test('truncated or inconsistent central directories', async () => {
    const jar = seeds[0] as Buffer;
    const eocd = jar.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cdOffset = jar.readUInt32LE(eocd + 16);
    const cases: Buffer[] = [];
    // Central directory cut in half, EOCD kept.
    cases.push(Buffer.concat([jar.subarray(0, cdOffset + Math.floor((eocd - cdOffset) / 2)), jar.subarray(eocd)]));
    // EOCD claims more or fewer entries, a directory larger than the file, an offset past the end.
    for (const [field, value] of [[10, 0xffff], [10, 3], [12, 0xffffff], [16, jar.length + 10]] as const) {
      const copy = Buffer.from(jar);
      if (field === 10) copy.writeUInt16LE(value, eocd + field);
      else copy.writeUInt32LE(value, eocd + field);
      cases.push(copy);
    }
    // A comment longer than what follows the end record.
    const truncatedComment = Buffer.from(jar);
    truncatedComment.writeUInt16LE(100, eocd + 20);
    cases.push(truncatedComment);
    for (const c of cases) assert.match(await outcome(c), /^zip: /u);
    // Bytes after the end record are ignored, as Go's archive/zip ignores them.
    assert.equal(await outcome(Buffer.concat([jar, Buffer.from('trailing bytes')])), 'accepted');
  });
});
