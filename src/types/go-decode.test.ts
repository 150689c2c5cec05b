import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRekorError } from '../errors.js';
import { decodeBase64Field, decodeHex, goTypeName } from './go-decode.js';

describe('Go-compatible spec decoding', () => {
  test('decodeHex: Go encoding/hex error texts (%#U)', () => {
    const cases: Array<{ input: string; want?: string; wantErr?: string }> = [
      { input: '00ffAB', want: '00ffab' },
      { input: '0g', wantErr: "encoding/hex: invalid byte: U+0067 'g'" },
      { input: ' 0', wantErr: "encoding/hex: invalid byte: U+0020 ' '" },
      { input: '\u007f0', wantErr: 'encoding/hex: invalid byte: U+007F' },
      { input: '\u00e90', wantErr: "encoding/hex: invalid byte: U+00C3 'Ã'" },
      { input: '0a0', wantErr: 'encoding/hex: odd length hex string' },
    ];
    for (const c of cases) {
      if (c.wantErr === undefined) assert.equal(Buffer.from(decodeHex(c.input)).toString('hex'), c.want);
      else assert.throws(() => decodeHex(c.input), (err: unknown) => isRekorError(err, 'invalid_entry') && err.message === c.wantErr, c.input);
    }
  });

  test('goTypeName: what %T prints for go-openapi decoded JSON', () => {
    assert.deepEqual([null, [], 's', 1.5, true, {}].map(goTypeName), ['<nil>', '[]interface {}', 'string', 'json.Number', 'bool', 'map[string]interface {}']);
  });

  test('decodeBase64Field: empty is absent, errors name the field', () => {
    assert.equal(decodeBase64Field('', 'x'), undefined);
    assert.equal(decodeBase64Field(undefined, 'x'), undefined);
    assert.throws(() => decodeBase64Field('A', 'signature content'), (err: unknown) => isRekorError(err) && err.message === 'failed parsing base64 data for signature content: illegal base64 data at input byte 0');
  });
});
