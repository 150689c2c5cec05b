// Builds native/ (the N-API digest verifier, see native/rekor_native.c) into
// native/build/Release/rekor_native.node. Run by `npm run prepare` before tsc, so `npm ci` in a
// fresh clone builds it. It never fails the install: if no compiler, headers or node-gyp can be
// found it warns and exits 0, and the server runs on the pure-JS verifier (same verdicts, slower).
//
// Order of attempts: node-gyp (the project's, then npm's bundled copy) against the headers of the
// running Node when they are installed beside it (no download), else node-gyp's own header
// download; then, on Linux and macOS, a direct `cc` call against those installed headers.
// The result is loaded and checked on a known signature before it is kept.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const output = join(nativeDir, 'build', 'Release', 'rekor_native.node');
const require = createRequire(import.meta.url);

function warn(message) {
  console.warn(`build-native: ${message}`);
}

/** Node's install prefix if its headers (with OpenSSL's) sit beside the binary. */
function localNodeDir() {
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) && existsSync(join(prefix, 'include', 'node', 'openssl', 'evp.h'))
    ? prefix
    : undefined;
}

function nodeGypCandidates() {
  const found = [];
  try {
    found.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a project dependency; fall through to npm's copy
  }
  if (process.env.npm_config_node_gyp) found.push(process.env.npm_config_node_gyp);
  const npmDir = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm');
  found.push(join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return [...new Set(found)].filter((p) => existsSync(p));
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: nativeDir, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  return result.status === 0;
}

function buildWithNodeGyp(nodeDir) {
  for (const gyp of nodeGypCandidates()) {
    const args = [gyp, 'rebuild', '--release', '--loglevel=warn'];
    if (nodeDir) args.push(`--nodedir=${nodeDir}`);
    if (run(process.execPath, args) && existsSync(output)) return true;
    warn(`node-gyp at ${gyp} did not produce ${output}`);
  }
  return false;
}

function buildWithCc(nodeDir) {
  if (!nodeDir || (process.platform !== 'linux' && process.platform !== 'darwin')) return false;
  mkdirSync(dirname(output), { recursive: true });
  const args = ['-O2', '-fPIC', '-shared', `-I${join(nodeDir, 'include', 'node')}`, '-o', output, join(nativeDir, 'rekor_native.c')];
  if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
  if (process.platform === 'linux') args.push('-Wl,-z,now');
  if (process.config?.variables?.node_shared_openssl === true || process.config?.variables?.node_shared_openssl === 'true') args.push('-lcrypto');
  return run(process.env.CC || 'cc', args) && existsSync(output);
}

/**
 * Loads the addon in a child process (a crash there cannot hurt the install) and checks that it
 * accepts good ECDSA and RSA signatures and refuses tampered ones.
 */
function selfTest() {
  const probe = `
    const { constants, createHash, generateKeyPairSync, sign } = require('node:crypto');
    const addon = require(${JSON.stringify(output)});
    const msg = Buffer.from('rekor-ts native self-test');
    const digest = createHash('sha256').update(msg).digest();
    const tampered = Buffer.from(digest); tampered[0] ^= 1;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecSig = sign('sha256', msg, ec.privateKey);
    const spki = ec.publicKey.export({ type: 'spki', format: 'der' });
    const point = spki.subarray(spki.length - 65);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaSpki = rsa.publicKey.export({ type: 'spki', format: 'der' });
    const pkcs1 = sign('sha256', msg, rsa.privateKey);
    const pss = sign('sha256', msg, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING });
    const ok = addon.abi === 2 &&
      addon.verifyEcdsa(256, point, digest, ecSig) === true && addon.verifyEcdsa(256, point, tampered, ecSig) === false &&
      addon.verifyRsa(rsaSpki, 1, 256, digest, pkcs1) === true && addon.verifyRsa(rsaSpki, 1, 256, tampered, pkcs1) === false &&
      addon.verifyRsa(rsaSpki, 2, 256, digest, pss) === true && addon.verifyRsa(rsaSpki, 2, 256, tampered, pss) === false;
    process.exit(ok ? 0 : 1);`;
  const result = spawnSync(process.execPath, ['-e', probe], { stdio: ['ignore', 'inherit', 'inherit'] });
  return result.status === 0;
}

function main() {
  const nodeDir = localNodeDir();
  if (!nodeDir) warn('no Node headers installed beside this node binary; node-gyp may try to download them');
  const built = buildWithNodeGyp(nodeDir) || buildWithCc(nodeDir);
  if (!built) {
    warn('could not build the native verifier; the pure-JS verifier will be used (slower, same results)');
    return;
  }
  if (!selfTest()) {
    rmSync(output, { force: true });
    warn('the native verifier failed its self-test and was removed; the pure-JS verifier will be used');
    return;
  }
  console.log(`build-native: built ${output}`);
}

try {
  main();
} catch (err) {
  warn(`unexpected error: ${err instanceof Error ? err.message : String(err)}`);
}
process.exit(0);
