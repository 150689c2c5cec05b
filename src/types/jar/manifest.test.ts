import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRekorError } from '../../errors.js';
import { canonicalKey, parseManifest, parseSection, splitManifest } from './manifest.js';

describe('jar manifests, read as relic does', () => {
  test('sections split at CRLF CRLF wherever it is, else LF LF; a missing final blank line is malformed', () => {
    assert.deepEqual(splitManifest('A: 1\r\n\r\nName: x\r\nB: 2\r\n\r\n'), { sections: ['A: 1\r\n\r\n', 'Name: x\r\nB: 2\r\n\r\n'], malformed: false });
    // relic prefers a later CRLF CRLF over an earlier LF LF.
    assert.deepEqual(splitManifest('A: 1\n\nB: 2\r\n\r\n'), { sections: ['A: 1\n\nB: 2\r\n\r\n'], malformed: false });
    assert.deepEqual(splitManifest('A: 1\n\nB: 2\n\n'), { sections: ['A: 1\n\n', 'B: 2\n\n'], malformed: false });
    assert.equal(splitManifest('A: 1\r\n').malformed, true);
    assert.equal(splitManifest('A: 1\r\n\r\n\r\n\r\n').malformed, true, 'an empty section');
  });

  test('attributes: continuation lines, canonical keys, last value wins', () => {
    const section = parseSection('name: some/very/long/pa\r\n th.class\r\nSHA-256-Digest: abc\r\nsha-256-digest: def\r\n\r\n');
    assert.deepEqual([...section], [['Name', 'some/very/long/path.class'], ['Sha-256-Digest', 'def']]);
    assert.equal(canonicalKey('x-ANDROID-apk-SIGNED'), 'X-Android-Apk-Signed');
    assert.equal(canonicalKey('with space'), 'with space');
    assert.throws(() => parseSection('no colon here\r\n\r\n'), (err: unknown) => isRekorError(err, 'invalid_entry') && err.message === 'jar manifest is malformed');
  });

  test('named sections and their errors', () => {
    const m = parseManifest('Manifest-Version: 1.0\r\n\r\nName: a\r\nX: 1\r\n\r\nName: b\r\nX: 2\r\n\r\n');
    assert.equal(m.main.get('Manifest-Version'), '1.0');
    assert.deepEqual([...m.files.keys()], ['a', 'b']);
    const fails = (text: string, message: string) => assert.throws(() => parseManifest(text), (err: unknown) => isRekorError(err, 'invalid_entry') && err.message === message);
    fails('', 'manifest has no sections');
    fails('A: 1\r\n\r\nX: 1\r\n\r\n', 'manifest has section with no "Name" attribute');
    fails('A: 1\r\n\r\nName: a\r\n', 'manifest has incorrect line ending sequence');
  });

  test('hostile sizes stay linear', () => {
    const started = Date.now();
    splitManifest('A: 1\n\n'.repeat(300_000));
    parseSection(`K:${' '.repeat(2_000_000)}v${' '.repeat(2_000_000)}\n`);
    splitManifest(`${'\n\n'.repeat(300_000)}A: 1\r\n\r\n`);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });
});
