// Hostile input: real packages mutated at the byte, member and spec level, and crafted archives
// (gzip bombs, lying tar sizes, thousands of members) must either canonicalize or fail with
// RekorError('invalid_entry'); never another exception, never a hang, bounded memory.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { isRekorError } from '../../../errors.js';
import { defaultTypeContext } from '../../types.js';
import { ApkBuilder, cutTar, gzip, setTarSize, specOf, type ApkParts } from '../testonly.js';
import { canonicalizeAlpine } from './entry.js';
import { mutateBytes, byteOp as op } from '../../../fuzz-testonly.js';

const ctx = defaultTypeContext();

async function outcome(apk: Uint8Array, key: Uint8Array): Promise<string> {
  try {
    await canonicalizeAlpine(specOf(apk, key), ctx);
    return 'accepted';
  } catch (err) {
    assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
    return err.message;
  }
}

describe('alpine 0.0.1 under hostile input', () => {
  let builder: ApkBuilder;
  let parts: ApkParts;
  let signatureTar: Buffer;
  let controlTar: Buffer;
  before(() => {
    builder = new ApkBuilder();
    parts = builder.build();
    signatureTar = gunzipSync(parts.signature);
    controlTar = gunzipSync(parts.control);
  });
  after(() => builder.dispose());

  test('mutated packages (raw bytes, and inflated tars re-gzipped) fail only with RekorError', { timeout: 240_000 }, async () => {
    assert.equal(await outcome(parts.apk, builder.publicKey), 'accepted');
    await fc.assert(
      fc.asyncProperty(fc.nat(3), fc.array(op, { minLength: 1, maxLength: 4 }), async (target, ops) => {
        let apk: Buffer;
        if (target === 0) apk = mutateBytes(parts.apk, ops);
        else if (target === 1) apk = Buffer.concat([gzip(mutateBytes(signatureTar, ops)), parts.control, parts.data]);
        else if (target === 2) apk = Buffer.concat([parts.signature, gzip(mutateBytes(controlTar, ops)), parts.data]);
        else apk = mutateBytes(parts.apk.subarray(0, parts.signature.length + parts.control.length), ops);
        await outcome(apk, builder.publicKey);
      }),
      { numRuns: 1000 },
    );
  });

  test('mutated spec shapes fail only with RekorError', async () => {
    const paths = ['publicKey', 'publicKey.content', 'publicKey.url', 'package', 'package.content', 'package.hash', 'package.hash.algorithm', 'package.hash.value', 'package.pkginfo', 'package.url'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.option(fc.jsonValue({ maxDepth: 2 })), async (path, value) => {
        const hash = createHash('sha256').update(parts.apk).digest('hex');
        const spec = JSON.parse(JSON.stringify(specOf(parts.apk, builder.publicKey, hash))) as Record<string, unknown>;
        const keys = path.split('.');
        let node: unknown = spec;
        for (const key of keys.slice(0, -1)) node = (node as Record<string, unknown>)[key];
        const parent = node as Record<string, unknown>;
        const last = keys[keys.length - 1] as string;
        if (value === null) delete parent[last];
        else parent[last] = value;
        try {
          await canonicalizeAlpine(spec, ctx);
        } catch (err) {
          assert.ok(isRekorError(err, 'invalid_entry'), `unexpected ${err instanceof Error ? err.stack : String(err)}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('gzip bombs in the signature and control members stop at their caps', { timeout: 60_000 }, async () => {
    const zeros = gzip(Buffer.alloc(64 << 20));
    assert.ok(zeros.length < 100_000);
    const started = Date.now();
    assert.equal(await outcome(Buffer.concat([zeros, parts.control, parts.data]), builder.publicKey), 'decompressed size (1048577) for signature.tar.gz exceeds max allowed size 1048576');
    assert.equal(await outcome(Buffer.concat([parts.signature, zeros, parts.data]), builder.publicKey), 'decompressed size (20971521) for control.tar.gz exceeds max allowed size 20971520');
    assert.ok(Date.now() - started < 20_000);
  });

  test('lying tar sizes: huge .PKGINFO, huge skipped member, size past the end', async () => {
    const pkginfoHuge = setTarSize(controlTar, 0o77777777777);
    assert.equal(await outcome(Buffer.concat([parts.signature, gzip(pkginfoHuge), parts.data]), builder.publicKey), 'uncompressed .PKGINFO file size 8589934591 exceeds max allowed size 1048576');
    const other = builder.tar({ 'README': 'x' });
    const skipped = setTarSize(cutTar(other), 0o77777777777);
    assert.equal(
      await outcome(Buffer.concat([gzip(Buffer.concat([cutTar(signatureTar), skipped])), parts.control, parts.data]), builder.publicKey),
      'getting next entry in tar archive: unexpected EOF',
    );
    const short = setTarSize(controlTar, 10_000);
    assert.equal(await outcome(Buffer.concat([parts.signature, gzip(short), parts.data]), builder.publicKey), 'getting next entry in tar archive: unexpected EOF');
    const badChecksum = Buffer.from(controlTar);
    badChecksum[0] = 0x41;
    assert.equal(await outcome(Buffer.concat([parts.signature, gzip(badChecksum), parts.data]), builder.publicKey), 'getting next entry in tar archive: archive/tar: invalid tar header');
  });

  test('thousands of members are walked in bounded time', { timeout: 60_000 }, async () => {
    const one = cutTar(builder.tar({ f: '' }));
    const many = Buffer.concat([...Array.from({ length: 20_000 }, () => one), cutTar(controlTar)]);
    const started = Date.now();
    // The control tar (10 MiB of empty members, then .PKGINFO) is walked to the end; the original
    // signature no longer covers it.
    assert.equal(await outcome(Buffer.concat([parts.signature, gzip(many), parts.data]), builder.publicKey), 'crypto/rsa: verification error');
    assert.ok(Date.now() - started < 30_000);
  });
});
