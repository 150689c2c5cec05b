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
}): { signer: LogSigner; created: boolean; path: string } {
  if (options.signerPath !== undefined) {
    return { signer: readSigner(options.signerPath, options.password), created: false, path: options.signerPath };
  }
  const path = join(options.dataDir, SIGNER_FILE);
  if (existsSync(path)) return { signer: readSigner(path, options.password), created: false, path };
  if (options.logExists) {
    throw new Error(`${path} is missing but the data dir holds a log: restore the key or pass --signer`);
  }
  const { privateKeyPem, signer } = generateSignerKey();
  writeFileSync(path, privateKeyPem, { mode: 0o600, flag: 'wx' });
  return { signer, created: true, path };
}

function readSigner(path: string, password: string | undefined): LogSigner {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read signer key ${path}: ${(err as Error).message}`);
  }
  try {
    return signerFromPem(pem, password);
  } catch (err) {
    throw new Error(`cannot load signer key ${path}: ${(err as Error).message}`);
  }
}
