import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson } from './cjson.js';

describe('TUF canonical JSON', () => {
  test('sorted keys, no whitespace, only quote and backslash escaped', () => {
    assert.equal(canonicalJson({ b: [1, true, null], a: 'x"y\\z\n\u0001é' }), '{"a":"x\\"y\\\\z\n\u0001é","b":[1,true,null]}');
  });

  test('keys sort by UTF-8 bytes, not UTF-16 units, as in Go', () => {
    // U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
    assert.equal(canonicalJson({ '\u{1F600}': 1, '\uFFFD': 2 }), '{"\uFFFD":2,"\u{1F600}":1}');
  });

  test('non-integral and unsafe numbers cannot be encoded', () => {
    assert.equal(canonicalJson({ a: 1.5 }), undefined);
    assert.equal(canonicalJson([2 ** 60]), undefined);
    assert.equal(canonicalJson({ a: -3 }), '{"a":-3}');
  });
});
