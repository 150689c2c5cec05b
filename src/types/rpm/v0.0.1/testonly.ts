/**
 * Test helpers: real rpmbuild and rpmsign (Debian package `rpm`) with a throw-away GnuPG home
 * make signed and unsigned packages, so the tests check our parser and verifier against packages
 * they did not produce. Everything lives in one temporary directory removed by `dispose()`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGpgHome, generateKey, type GpgHome } from '../../../pki/pgp/testonly.js';

export interface PackageOptions {
  readonly name?: string;
  readonly version?: string;
  readonly release?: string;
  readonly epoch?: number;
  /** Bytes of the one file the package installs. */
  readonly content?: string;
}

export interface SignOptions {
  /** The gpg user ID (or email) of the signing key. */
  readonly signer: string;
  /** rpmsign --rpmv3: add the header+payload signature (tag 1002) to the header-only one. */
  readonly rpmv3?: boolean;
}

export interface RpmFactory {
  readonly home: GpgHome;
  /** Makes a signing key in the shared home; returns it armored. */
  addKey(userId: string, algorithm: string): Uint8Array;
  /** rpmbuild -bb of a tiny noarch package. */
  build(opts?: PackageOptions): Uint8Array;
  /** rpmsign --addsign of a copy of `rpm`. */
  sign(rpm: Uint8Array, opts: SignOptions): Uint8Array;
  dispose(): void;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { env, input: new Uint8Array(0), timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${String(result.status)}): ${result.stderr?.toString() ?? String(result.error)}`);
}

export function createRpmFactory(): RpmFactory {
  const dir = mkdtempSync(join(tmpdir(), 'rekor-rpm-'));
  const home = createGpgHome();
  // HOME keeps the user's ~/.rpmmacros out; GNUPGHOME points gpg (run by rpmsign) at our keys.
  const env = { ...process.env, HOME: dir, GNUPGHOME: home.dir };
  let counter = 0;

  const addKey = (userId: string, algorithm: string): Uint8Array => {
    generateKey(home, userId, algorithm);
    return home.run(['--armor', '--export', userId]);
  };

  const build = (opts: PackageOptions = {}): Uint8Array => {
    const top = join(dir, `build-${counter++}`);
    mkdirSync(join(top, 'SPECS'), { recursive: true });
    const name = opts.name ?? 'hello';
    const specFile = join(top, 'SPECS', `${name}.spec`);
    writeFileSync(
      specFile,
      [
        `Name: ${name}`,
        `Version: ${opts.version ?? '1.2.3'}`,
        `Release: ${opts.release ?? '4'}`,
        ...(opts.epoch === undefined ? [] : [`Epoch: ${opts.epoch}`]),
        'Summary: rekor-ts test package',
        'License: MIT',
        'BuildArch: noarch',
        '%description',
        'A package for rekor-ts tests.',
        '%install',
        `mkdir -p %{buildroot}/usr/share/${name}`,
        `printf '%s' '${(opts.content ?? 'hello rpm\n').replace(/'/g, '')}' > %{buildroot}/usr/share/${name}/data.txt`,
        '%files',
        `/usr/share/${name}/data.txt`,
        '',
      ].join('\n'),
    );
    run('rpmbuild', ['--define', `_topdir ${top}`, '--define', `_tmppath ${top}/tmp`, '--quiet', '-bb', specFile], env);
    const out = join(top, 'RPMS', 'noarch');
    const file = spawnSync('ls', [out], { env }).stdout.toString().trim().split('\n')[0] ?? '';
    return new Uint8Array(readFileSync(join(out, file)));
  };

  const sign = (rpm: Uint8Array, opts: SignOptions): Uint8Array => {
    const file = join(dir, `sign-${counter++}.rpm`);
    writeFileSync(file, rpm);
    run(
      'rpmsign',
      [
        '--define',
        '__gpg /usr/bin/gpg',
        '--define',
        `_gpg_name ${opts.signer}`,
        '--define',
        "_gpg_sign_cmd_extra_args --batch --pinentry-mode loopback --passphrase ''",
        '--addsign',
        ...(opts.rpmv3 === true ? ['--rpmv3'] : []),
        file,
      ],
      env,
    );
    return new Uint8Array(readFileSync(file));
  };

  const dispose = (): void => {
    home.dispose();
    rmSync(dir, { recursive: true, force: true });
  };
  return { home, addKey, build, sign, dispose };
}

export type Spec = { [key: string]: unknown };

export function specOf(key: Uint8Array, rpm: Uint8Array, hash?: string): Spec {
  const pkg: Spec = { content: Buffer.from(rpm).toString('base64') };
  if (hash !== undefined) pkg['hash'] = { algorithm: 'sha256', value: hash };
  return { publicKey: { content: Buffer.from(key).toString('base64') }, package: pkg };
}

/** Offsets of an RPM's parts, read with plain arithmetic (independent of rpm-header.ts). */
export function layout(rpm: Uint8Array): { sigStart: number; sigEnd: number; mainStart: number; mainDataStart: number; mainEnd: number } {
  const view = new DataView(rpm.buffer, rpm.byteOffset, rpm.byteLength);
  const sigStart = 96;
  const sigCount = view.getUint32(sigStart + 8);
  const sigSize = view.getUint32(sigStart + 12);
  const sigEnd = sigStart + 16 + sigCount * 16 + Math.ceil(sigSize / 8) * 8;
  const mainCount = view.getUint32(sigEnd + 8);
  const mainSize = view.getUint32(sigEnd + 12);
  const mainDataStart = sigEnd + 16 + mainCount * 16;
  return { sigStart, sigEnd, mainStart: sigEnd, mainDataStart, mainEnd: mainDataStart + mainSize };
}
