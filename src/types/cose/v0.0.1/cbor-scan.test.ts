import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CborScanError, scanCbor } from './cbor-scan.js';

const cases: Array<{ name: string; hex: string; allowTag?: number; wantErr?: string }> = [
  { name: 'COSE_Sign1 fixture shape', hex: 'd28443a10126a04b68656c6c6f20776f726c644100', allowTag: 18 },
  { name: 'untagged array', hex: '8443a10126a0f64100', allowTag: 18 },
  { name: 'non-minimal lengths are well-formed', hex: 'b90000' },
  { name: 'floats and simple values', hex: '84f93c00fa3f800000fb3ff0000000000000f7' },
  { name: 'tag where none is allowed', hex: 'd28440a0f640', wantErr: 'CBOR tag not allowed' },
  { name: 'other outer tag', hex: 'd18440a0f640', allowTag: 18, wantErr: 'CBOR tag not allowed' },
  { name: 'tagged bignum inside', hex: 'd28440a0f6c24101', allowTag: 18, wantErr: 'CBOR tag not allowed' },
  { name: 'indefinite byte string', hex: '5f4101ff', wantErr: 'indefinite length not allowed' },
  { name: 'reserved additional info', hex: '1c', wantErr: 'malformed head' },
  { name: 'array count beyond data', hex: '9affffffff00', wantErr: 'declared length exceeds data' },
  { name: 'map count beyond data', hex: 'bbffffffffffffffff', wantErr: 'declared length exceeds data' },
  { name: 'text not UTF-8', hex: '62c328', wantErr: 'invalid UTF-8 string' },
  { name: 'duplicate map key', hex: 'a201000100', wantErr: 'duplicate map key' },
  { name: 'trailing bytes', hex: '0000', wantErr: 'extraneous data' },
  { name: 'empty input', hex: '', wantErr: 'unexpected end of data' },
  { name: 'seventeen levels', hex: `${'81'.repeat(17)}00`, wantErr: 'nesting too deep' },
  { name: 'sixteen levels', hex: `${'81'.repeat(16)}00` },
];

for (const c of cases) {
  test(`scanCbor: ${c.name}`, () => {
    const run = () => scanCbor(Buffer.from(c.hex, 'hex'), c.allowTag);
    if (c.wantErr === undefined) run();
    else assert.throws(run, (err: unknown) => err instanceof CborScanError && err.message === c.wantErr);
  });
}
