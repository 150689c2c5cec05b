/**
 * The log's signing key on disk. With --signer the operator's PEM is used (optionally
 * encrypted). Without it the key lives in <data-dir>/signer.pem: created (mode 0600) on the
 * first start of an empty data dir, reused on every later start. A data dir that already holds
 * a log but lost its key is refused rather than given a new identity.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSignerKey, signerFromPem, type LogSigner } from '../crypto/index.js';

export const SIGNER_FILE = 'signer.pem';

export function loadOrCreateSigner(options: {
  dataDir: string;
  signerPath?: string | undefined;
  password?: string | undefined;
  logExists: boolean;
}): LoadedSigner {
  if (options.signerPath !== undefined) return { ...readSigner(options.signerPath, options.password), created: false, path: options.signerPath };
  const path = join(options.dataDir, SIGNER_FILE);
  if (existsSync(path)) return { ...readSigner(path, options.password), created: false, path };
  if (options.logExists) {
    throw new Error(`${path} is missing but the data dir holds a log: restore the key or pass --signer`);
  }
  const { privateKeyPem, signer } = generateSignerKey();
  writeFileSync(path, privateKeyPem, { mode: 0o600, flag: 'wx' });
  return { signer, privateKeyPem, created: true, path };
}

export interface LoadedSigner {
  signer: LogSigner;
  /** The key file's text, for the writer thread (which signs checkpoints and SETs). */
  privateKeyPem: string;
  created: boolean;
  path: string;
}

function readSigner(path: string, password: string | undefined): { signer: LogSigner; privateKeyPem: string } {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read signer key ${path}: ${(err as Error).message}`);
  }
  try {
    return { signer: signerFromPem(pem, password), privateKeyPem: pem };
  } catch (err) {
    throw new Error(`cannot load signer key ${path}: ${(err as Error).message}`);
  }
}
