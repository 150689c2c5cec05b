/**
 * Test helpers: a throw-away GnuPG home in which real `gpg` makes keys and signatures, so the
 * tests check openpgp.js-based code against data it did not produce. Each home is removed, and its
 * agent stopped, by `dispose()`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GpgHome {
  readonly dir: string;
  run(args: readonly string[], input?: Uint8Array): Uint8Array;
  dispose(): void;
}

export function gpgAvailable(): boolean {
  return spawnSync('gpg', ['--version']).status === 0;
}

export function createGpgHome(): GpgHome {
  const dir = mkdtempSync(join(tmpdir(), 'rekor-pgp-'));
  const env = { ...process.env, GNUPGHOME: dir };
  const run = (args: readonly string[], input?: Uint8Array): Uint8Array => {
    const result = spawnSync('gpg', ['--batch', '--yes', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], {
      env,
      input: input ?? new Uint8Array(0),
      timeout: 60_000,
    });
    if (result.status !== 0) throw new Error(`gpg ${args.join(' ')} failed: ${result.stderr?.toString()}`);
    return new Uint8Array(result.stdout);
  };
  const dispose = (): void => {
    spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env });
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, run, dispose };
}

/** Makes a signing-only key for `userId` with the given algorithm (`ed25519`, `rsa3072`, …). */
export function generateKey(home: GpgHome, userId: string, algorithm: string): void {
  home.run(['--quick-gen-key', userId, algorithm, 'sign', 'never']);
}
