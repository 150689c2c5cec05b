/**
 * Test helpers: a throw-away working directory where `openssl` makes a signer (RSA or ECDSA key,
 * self-signed certificate with a critical timeStamping extended key usage, as a TSA's), CMS
 * signatures (`openssl cms -sign`) and RFC 3161 responses or bare tokens (`openssl ts -query`
 * then `-reply`), for the pkcs7 module and the jar and rfc3161 kinds. Every artefact comes from
 * the real tool, not from our code. Call `dispose()` when done.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRekorError } from '../../errors.js';
import { readGoAsn1 } from '../der.js';

export type KeyType = 'rsa' | 'rsa-4096' | 'ec-p256' | 'ec-p384' | 'ec-p521';

export interface Signer {
  readonly name: string;
  readonly keyPath: string;
  readonly certPath: string;
  readonly certDer: Buffer;
}

export interface ResponseOptions {
  /** Ask for the signer certificate in the response (`openssl ts -query -cert`). */
  readonly embedCert?: boolean;
  /** Message-imprint digest of the request; one the TSA does not list gets a rejection. */
  readonly imprintDigest?: 'sha256' | 'sha384' | 'sha512' | 'sha1';
  /** The TSA's signing digest. */
  readonly signerDigest?: 'sha256' | 'sha384' | 'sha512' | 'sha1';
  /** What is timestamped (default a fixed text). */
  readonly data?: string | Uint8Array;
  /** Only the token (a ContentInfo, `openssl ts -reply -token_out`), not the whole response. */
  readonly tokenOnly?: boolean;
}

const KEY_ARGS: Record<KeyType, string[]> = {
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'rsa-4096': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  'ec-p256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ec-p384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  'ec-p521': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
};

export class OpensslWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'rekor-ts-pkcs7-'));
  private counter = 0;

  run(args: readonly string[], input?: Uint8Array): Buffer {
    return execFileSync('openssl', args, { cwd: this.dir, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 16 << 20 });
  }

  private fresh(prefix: string): string {
    this.counter++;
    return join(this.dir, `${prefix}-${this.counter}`);
  }

  /** A key and a self-signed TSA certificate (same subject and serial for the same `serial`). */
  signer(type: KeyType, serial = '0x1001', subject = '/CN=rekor-ts test TSA/O=rekor-ts'): Signer {
    const base = this.fresh(type);
    const config = `${base}.cnf`;
    writeFileSync(
      config,
      [
        '[req]',
        'distinguished_name = dn',
        'x509_extensions = tsa_ext',
        '[dn]',
        '[tsa_ext]',
        'basicConstraints = critical, CA:false',
        'keyUsage = critical, digitalSignature',
        'extendedKeyUsage = critical, timeStamping',
        'subjectKeyIdentifier = hash',
        '',
      ].join('\n'),
    );
    const keyPath = `${base}.key`;
    const certPath = `${base}.crt`;
    this.run(['genpkey', ...KEY_ARGS[type], '-out', keyPath]);
    this.run(['req', '-new', '-x509', '-config', config, '-key', keyPath, '-out', certPath, '-days', '30', '-subj', subject, '-set_serial', serial]);
    const certDer = this.run(['x509', '-in', certPath, '-outform', 'DER']);
    return { name: base, keyPath, certPath, certDer };
  }

  /** A DER TimeStampResp from `openssl ts -reply` for a fresh request. */
  timestamp(signer: Signer, opts: ResponseOptions = {}): Buffer {
    const base = this.fresh('ts');
    const dataPath = `${base}.txt`;
    writeFileSync(dataPath, opts.data ?? 'rekor-ts rfc3161 test data\n');
    const config = `${base}.cnf`;
    writeFileSync(
      config,
      [
        '[tsa]',
        'default_tsa = tsa_config',
        '[tsa_config]',
        `serial = ${base}.serial`,
        `signer_cert = ${signer.certPath}`,
        `signer_key = ${signer.keyPath}`,
        `signer_digest = ${opts.signerDigest ?? 'sha256'}`,
        'default_policy = 1.2.3.4.1',
        'digests = sha256, sha384, sha512',
        'accuracy = secs:1',
        'ordering = yes',
        'tsa_name = yes',
        'ess_cert_id_alg = sha256',
        '',
      ].join('\n'),
    );
    writeFileSync(`${base}.serial`, '01\n');
    const query = ['ts', '-query', '-data', dataPath, `-${opts.imprintDigest ?? 'sha256'}`, '-out', `${base}.tsq`];
    if (opts.embedCert !== false) query.push('-cert');
    this.run(query);
    const reply = ['ts', '-reply', '-config', config, '-queryfile', `${base}.tsq`, '-out', `${base}.tsr`];
    if (opts.tokenOnly === true) reply.push('-token_out');
    this.run(reply);
    return readFileSync(`${base}.tsr`);
  }

  /** A DER ContentInfo from `openssl cms -sign` (attached unless `detached`). */
  cmsSign(signer: Signer, data: Uint8Array, opts: { detached?: boolean; noAttributes?: boolean; digest?: string; pssSaltLength?: string } = {}): Buffer {
    const base = this.fresh('cms');
    writeFileSync(`${base}.bin`, data);
    const args = ['cms', '-sign', '-binary', '-in', `${base}.bin`, '-signer', signer.certPath, '-inkey', signer.keyPath, '-outform', 'DER', '-out', `${base}.p7`];
    if (opts.detached !== true) args.push('-nodetach');
    if (opts.noAttributes === true) args.push('-noattr');
    if (opts.digest !== undefined) args.push('-md', opts.digest);
    if (opts.pssSaltLength !== undefined) args.push('-keyopt', 'rsa_padding_mode:pss', '-keyopt', `rsa_pss_saltlen:${opts.pssSaltLength}`);
    this.run(args);
    return readFileSync(`${base}.p7`);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The element at `path` (child indexes from the top): its bytes, tag to end, its number of children, and its offset in `der`. */
export function elementAt(der: Uint8Array, path: readonly number[]): { node: { raw: Uint8Array; childCount: number }; offset: number } {
  let el = readGoAsn1(der, 0, der.length);
  let start = 0;
  for (const i of path) {
    let pos = el.contentStart;
    for (let k = 0; k < i && pos < el.end; k++) pos = readGoAsn1(der, pos, el.end).end;
    if (!el.constructed || pos >= el.end) throw new Error(`no child ${i} on the path ${path.join('/')}`);
    start = pos;
    el = readGoAsn1(der, pos, el.end);
  }
  let childCount = 0;
  if (el.constructed) for (let pos = el.contentStart; pos < el.end; childCount++) pos = readGoAsn1(der, pos, el.end).end;
  return { node: { raw: der.subarray(start, el.end), childCount }, offset: start };
}

/** A copy of `der` with one byte XOR-ed. */
export function flipByte(der: Uint8Array, offset: number, mask = 0x01): Buffer {
  const out = Buffer.from(der);
  out[offset] = (out[offset] as number) ^ mask;
  return out;
}

/** A copy of `der` with `from` replaced by `to` (same length) at its first occurrence. */
export function replaceBytes(der: Uint8Array, from: Uint8Array, to: Uint8Array): Buffer {
  if (from.length !== to.length) throw new Error('replacement must keep the length');
  const out = Buffer.from(der);
  const at = out.indexOf(Buffer.from(from));
  if (at < 0) throw new Error('bytes to replace not found');
  Buffer.from(to).copy(out, at);
  return out;
}

/** Asserts that `run` throws RekorError('invalid_entry') with exactly `want` (or matching it). */
export function rejects(run: () => unknown, want: string | RegExp): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(isRekorError(err, 'invalid_entry'), `got ${String(err)}`);
    if (typeof want === 'string') assert.equal(err.message, want);
    else assert.match(err.message, want);
    return true;
  });
}
