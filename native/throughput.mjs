// Measures digest-verification throughput of the two x509 backends, and of the whole
// hashedrekord path (decode, parse, verify, canonicalize), on this machine, one core.
// Run after `npm run build`: node native/throughput.mjs [seconds-per-case]
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { parseX509PublicKey, verifyX509Signature, verifierBackend, useVerifierBackend } from '../dist/src/pki/x509/index.js';
import { defaultRegistry, defaultTypeContext } from '../dist/src/types/index.js';

const seconds = Number(process.argv[2] ?? 2);

function rate(fn) {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
  }
  return Math.round(n / seconds);
}

const cases = [
  ['ECDSA P-256 / sha256', 'ec', { namedCurve: 'P-256' }, 'sha256'],
  ['ECDSA P-384 / sha384', 'ec', { namedCurve: 'P-384' }, 'sha384'],
  ['RSA-2048 PKCS#1 / sha256', 'rsa', { modulusLength: 2048 }, 'sha256'],
];
const message = Buffer.from('rekor-ts throughput');
for (const [label, type, options, hash] of cases) {
  const { privateKey, publicKey } = generateKeyPairSync(type, options);
  const pem = Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }));
  const digest = createHash(hash).update(message).digest();
  const signature = sign(hash, message, privateKey);
  for (const name of ['native', 'js']) {
    const backend = verifierBackend(name);
    if (backend === undefined) {
      console.log(`${label.padEnd(28)} ${name.padEnd(7)} unavailable`);
      continue;
    }
    // Includes PEM and key parsing, as the server does per entry.
    const perSecond = rate(() => {
      const key = parseX509PublicKey(pem);
      if (!verifyX509Signature(key, hash, digest, signature, { backend }).valid) throw new Error('did not verify');
    });
    console.log(`${label.padEnd(28)} ${name.padEnd(7)} ${perSecond} verifies/s`);
  }
}

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const digest = createHash('sha256').update(message).digest();
const spec = {
  data: { hash: { algorithm: 'sha256', value: digest.toString('hex') } },
  signature: { content: sign('sha256', message, privateKey).toString('base64'), publicKey: { content: Buffer.from(publicKey.export({ type: 'spki', format: 'pem' })).toString('base64') } },
};
const registry = defaultRegistry({});
const ctx = defaultTypeContext();
for (const name of ['native', 'js']) {
  if (verifierBackend(name) === undefined) continue;
  useVerifierBackend(name);
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    await registry.canonicalizeProposed('hashedrekord', '0.0.1', spec, ctx);
    n++;
  }
  console.log(`${'hashedrekord P-256 key'.padEnd(28)} ${name.padEnd(7)} ${Math.round(n / seconds)} entries/s`);
}

// A real production entry: Fulcio certificate (P-256), hashedrekord as sigstore clients send it.
const { readFileSync } = await import('node:fs');
const bundle = JSON.parse(readFileSync(new URL('../../shared/testdata/entries/bundles/production-v1/conformance-happy-path-v0.3.sigstore.json', import.meta.url), 'utf8'));
const certBody = JSON.parse(Buffer.from(bundle.verificationMaterial.tlogEntries[0].canonicalizedBody, 'base64').toString('utf8'));
for (const name of ['native', 'js']) {
  if (verifierBackend(name) === undefined) continue;
  useVerifierBackend(name);
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    await registry.canonicalizeProposed('hashedrekord', '0.0.1', certBody.spec, ctx);
    n++;
  }
  console.log(`${'hashedrekord Fulcio cert'.padEnd(28)} ${name.padEnd(7)} ${Math.round(n / seconds)} entries/s`);
}
