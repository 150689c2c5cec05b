/**
 * Test helpers: real tools (node:crypto, gpg, minisign, ssh-keygen) make a key and a detached
 * signature over one artifact in every format rekord accepts, so the tests check our code
 * against data it did not produce. Call `dispose()` to remove the temporary files.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGpgHome, generateKey } from '../../../pki/pgp/testonly.js';

export const ARTIFACT = Buffer.from('rekord test artifact\n');

export interface Material {
  readonly format: 'x509' | 'pgp' | 'minisign' | 'ssh';
  readonly key: Uint8Array;
  readonly signature: Uint8Array;
}

export type Spec = { [key: string]: unknown };

export function specOf(m: Material, artifact: Uint8Array = ARTIFACT, hash?: string): Spec {
  const data: Spec = { content: Buffer.from(artifact).toString('base64') };
  if (hash !== undefined) data['hash'] = { algorithm: 'sha256', value: hash };
  return {
    signature: { format: m.format, content: Buffer.from(m.signature).toString('base64'), publicKey: { content: Buffer.from(m.key).toString('base64') } },
    data,
  };
}

export function x509Material(type: 'ec' | 'ed25519' | 'rsa', artifact: Uint8Array = ARTIFACT): Material {
  const pair =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  const key = Buffer.from(pair.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  const signature = sign(type === 'ed25519' ? null : 'sha256', artifact, pair.privateKey);
  return { format: 'x509', key, signature };
}

export function pgpMaterial(artifact: Uint8Array = ARTIFACT, userId = 'Alice <alice@example.com>'): Material {
  const home = createGpgHome();
  try {
    generateKey(home, userId, 'ed25519');
    const key = home.run(['--armor', '--export']);
    const signature = home.run(['--armor', '--detach-sign'], artifact);
    return { format: 'pgp', key, signature };
  } finally {
    home.dispose();
  }
}

function inTempDir<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'rekord-test-'));
  try {
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function minisignMaterial(artifact: Uint8Array = ARTIFACT): Material {
  return inTempDir((dir) => {
    const [pub, sec, file] = [join(dir, 'pub'), join(dir, 'sec'), join(dir, 'file')];
    writeFileSync(file, artifact);
    execFileSync('minisign', ['-G', '-W', '-p', pub, '-s', sec], { stdio: 'ignore' });
    execFileSync('minisign', ['-S', '-s', sec, '-m', file], { stdio: 'ignore' });
    return { format: 'minisign', key: readFileSync(pub), signature: readFileSync(`${file}.minisig`) };
  });
}

export function sshMaterial(artifact: Uint8Array = ARTIFACT, comment = 'alice@example.com'): Material {
  return inTempDir((dir) => {
    const [key, file] = [join(dir, 'key'), join(dir, 'data')];
    writeFileSync(file, artifact);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', key], { stdio: 'ignore' });
    execFileSync('ssh-keygen', ['-Y', 'sign', '-f', key, '-n', 'file', file], { stdio: 'ignore' });
    return { format: 'ssh', key: readFileSync(`${key}.pub`), signature: readFileSync(`${file}.sig`) };
  });
}
