/**
 * Proposed entries built from files, the way Rekor's CreateFromArtifactProperties builds them
 * for each kind (REKOR.md §10). Pure apart from reading the named inputs. Content is always
 * inlined; the server never fetches anything.
 */
import { createHash, createPublicKey, verify as cryptoVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { pae } from '../types/dsse-signing.js';
import { CliError } from './errors.js';
import { hashInput, readInput, type InputOptions } from './files.js';

export interface ProposedEntry {
  apiVersion: string;
  kind: string;
  spec: Record<string, unknown>;
}

export interface ArtifactProps {
  artifact?: string;
  artifactHash?: string;
  signature?: string;
  publicKeys: string[];
  pkiFormat: string;
  /** Base64 additional authenticated data (cose). */
  aad?: string;
}

/** Kinds, their versions (default first) and what the CLI can build. */
export const KIND_VERSIONS: Record<string, readonly string[]> = {
  alpine: ['0.0.1'],
  cose: ['0.0.1'],
  dsse: ['0.0.1'],
  hashedrekord: ['0.0.1'],
  helm: ['0.0.1'],
  intoto: ['0.0.2', '0.0.1'],
  jar: ['0.0.1'],
  rekord: ['0.0.1'],
  rfc3161: ['0.0.1'],
  rpm: ['0.0.1'],
  tuf: ['0.0.1'],
};

export const PKI_FORMATS = ['pgp', 'minisign', 'x509', 'ssh', 'tuf'];

/** Rekor's ParseTypeFlag: `kind` or `kind:version`. */
export function parseTypeFlag(value: string): { kind: string; version?: string } {
  const [kind, version, ...rest] = value.split(':');
  if (rest.length > 0) throw new CliError('malformed type string', 2);
  const versions = KIND_VERSIONS[kind ?? ''];
  if (versions === undefined) throw new CliError(`unknown type ${kind}`, 2);
  if (version === undefined) return { kind: kind as string };
  if (!versions.includes(version)) throw new CliError(`type ${kind} does not support version ${version}`, 2);
  return { kind: kind as string, version };
}

const SHA_LENGTHS: Record<number, string> = { 40: 'sha1', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/** Rekor's shaFlag check and UnprefixSHA: `[sha1:|sha256:|sha384:|sha512:]hex`. */
export function parseSha(value: string, flag: string): { algorithm: string; hex: string } {
  const match = /^(?:(sha1|sha256|sha384|sha512):)?([0-9a-fA-F]+)$/.exec(value);
  const byLength = match === null ? undefined : SHA_LENGTHS[(match[2] as string).length];
  const algorithm = match?.[1] ?? byLength;
  if (match === null || algorithm === undefined || byLength !== algorithm) {
    throw new CliError(`invalid argument "${value}" for "--${flag}" flag: error parsing sha flag: invalid hash`, 2);
  }
  return { algorithm, hex: (match[2] as string).toLowerCase() };
}

const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');

async function artifactBytes(props: ArtifactProps, io: InputOptions): Promise<Buffer> {
  if (props.artifact === undefined) throw new CliError('path to artifact file must be specified', 2);
  return readInput(props.artifact, 'artifact', io);
}

async function signatureBytes(props: ArtifactProps, io: InputOptions): Promise<Buffer> {
  if (props.signature === undefined) throw new CliError('a detached signature must be provided', 2);
  return readInput(props.signature, 'signature', io);
}

async function onePublicKey(props: ArtifactProps, io: InputOptions, message = 'only one public key must be provided to verify detached signature'): Promise<Buffer> {
  if (props.publicKeys.length !== 1) throw new CliError(message, 2);
  return readInput(props.publicKeys[0] as string, 'public-key', io);
}

async function allPublicKeys(props: ArtifactProps, io: InputOptions): Promise<Buffer[]> {
  return Promise.all(props.publicKeys.map((key) => readInput(key, 'public-key', io)));
}

interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: { keyid?: string; sig: string }[];
}

function parseEnvelope(bytes: Buffer, kind: string): DsseEnvelope {
  let env: unknown;
  try {
    env = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new CliError(`payload must be a valid ${kind === 'dsse' ? 'DSSE' : 'dsse'} envelope: ${(err as Error).message}`, 1, { cause: err });
  }
  const e = env as Partial<DsseEnvelope>;
  if (typeof e.payload !== 'string' || typeof e.payloadType !== 'string' || !Array.isArray(e.signatures) || e.signatures.length === 0) {
    throw new CliError(`payload must be a valid ${kind === 'dsse' ? 'DSSE' : 'dsse'} envelope: it needs payload, payloadType and signatures`);
  }
  for (const [i, sig] of e.signatures.entries()) {
    if (sig === null || typeof sig !== 'object' || typeof sig.sig !== 'string') throw new CliError(`envelope signatures[${i}] has no sig`);
  }
  return e as DsseEnvelope;
}

interface LoadedKey {
  key: KeyObject;
  /** Rekor's CanonicalValue of an x509 key: the certificate PEM, or the PKIX public key PEM. */
  canonical: string;
}

function loadKey(bytes: Buffer, i: number): LoadedKey {
  const text = bytes.toString('utf8');
  try {
    if (text.includes('-----BEGIN CERTIFICATE-----')) {
      const cert = new X509Certificate(bytes);
      return { key: cert.publicKey, canonical: cert.toString() };
    }
    const key = createPublicKey(text);
    return { key, canonical: key.export({ type: 'spki', format: 'pem' }) as string };
  } catch (err) {
    throw new CliError(`--public-key ${i + 1}: cannot parse the public key: ${(err as Error).message}`, 1, { cause: err });
  }
}

/** Which key verifies each envelope signature; every signature must have one. */
function keysForSignatures(env: DsseEnvelope, keys: LoadedKey[]): LoadedKey[] {
  const message = pae(env.payloadType, Buffer.from(env.payload, 'base64'));
  return env.signatures.map((sig, i) => {
    const signature = Buffer.from(sig.sig, 'base64');
    const key = keys.find(({ key }) => {
      try {
        return cryptoVerify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', message, key, signature);
      } catch {
        return false;
      }
    });
    if (key === undefined) throw new CliError(`could not verify envelope signature ${i} (keyid "${sig.keyid ?? ''}") with any of the ${keys.length} public key(s) given`);
    return key;
  });
}

async function dsseLike(kind: 'dsse' | 'intoto', version: string, props: ArtifactProps, io: InputOptions): Promise<ProposedEntry> {
  if (props.artifact !== undefined && /^https?:/i.test(props.artifact)) throw new CliError(`${kind} envelopes cannot be fetched over HTTP(S)`, 2);
  const bytes = await artifactBytes(props, io);
  if (kind === 'intoto' && version === '0.0.1') {
    const key = await onePublicKey(props, io, 'only one public key must be provided to verify signature');
    return {
      apiVersion: '0.0.1',
      kind: 'intoto',
      spec: {
        content: { envelope: bytes.toString('utf8'), hash: { algorithm: 'sha256', value: createHash('sha256').update(bytes).digest('hex') } },
        publicKey: b64(key),
      },
    };
  }
  const env = parseEnvelope(bytes, kind);
  const keys = (await allPublicKeys(props, io)).map(loadKey);
  const bySig = keysForSignatures(env, keys);
  if (kind === 'dsse') {
    const verifiers = [...new Set(bySig.map((k) => k.canonical))].map(b64);
    return { apiVersion: '0.0.1', kind: 'dsse', spec: { proposedContent: { envelope: bytes.toString('utf8'), verifiers } } };
  }
  // intoto 0.0.2 quirk kept for wire compatibility: payload and sig are the envelope's base64
  // TEXT, base64-encoded again.
  const signatures = env.signatures.map((sig, i) => ({
    ...(sig.keyid === undefined || sig.keyid === '' ? {} : { keyid: sig.keyid }),
    publicKey: b64((bySig[i] as LoadedKey).canonical),
    sig: b64(sig.sig),
  }));
  return {
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope: { payload: b64(env.payload), payloadType: env.payloadType, signatures },
        hash: { algorithm: 'sha256', value: createHash('sha256').update(bytes).digest('hex') },
      },
    },
  };
}

function parseJsonFile(bytes: Buffer, what: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new CliError(`${what} is not a JSON object`);
}

/** Builds the proposed entry for `kind` at `version` (default: the kind's default). */
export async function buildProposedEntry(kind: string, version: string | undefined, props: ArtifactProps, io: InputOptions): Promise<ProposedEntry> {
  const v = version ?? (KIND_VERSIONS[kind]?.[0] as string);
  switch (kind) {
    case 'hashedrekord': {
      if (props.pkiFormat !== 'x509') throw new CliError('hashedrekord entries can only be created for artifacts signed with x509-based PKI', 2);
      let hash: { algorithm: string; hex: string };
      if (props.artifactHash !== undefined) hash = parseSha(props.artifactHash, 'artifact-hash');
      else if (props.artifact !== undefined) hash = { algorithm: 'sha256', hex: await hashInput(props.artifact, 'artifact', io) };
      else throw new CliError("either 'entry' or 'artifact' or 'artifact-hash' must be specified", 2);
      const signature = await signatureBytes(props, io);
      const key = await onePublicKey(props, io);
      return {
        apiVersion: v,
        kind,
        spec: { data: { hash: { algorithm: hash.algorithm, value: hash.hex } }, signature: { content: b64(signature), publicKey: { content: b64(key) } } },
      };
    }
    case 'rekord': {
      if (!['pgp', 'minisign', 'x509', 'ssh'].includes(props.pkiFormat)) throw new CliError(`unexpected format of public key: ${props.pkiFormat}`, 2);
      const artifact = await artifactBytes(props, io);
      const signature = await signatureBytes(props, io);
      const key = await onePublicKey(props, io);
      return {
        apiVersion: v,
        kind,
        spec: { data: { content: b64(artifact) }, signature: { content: b64(signature), format: props.pkiFormat, publicKey: { content: b64(key) } } },
      };
    }
    case 'dsse':
    case 'intoto':
      return dsseLike(kind, v, props, io);
    case 'cose': {
      if (props.artifact !== undefined && /^https?:/i.test(props.artifact)) throw new CliError('cose envelopes cannot be fetched over HTTP(S)', 2);
      const message = await artifactBytes(props, io);
      const key = await onePublicKey(props, io, 'only one public key must be provided to verify signature');
      if (props.aad !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(props.aad)) throw new CliError(`invalid argument "${props.aad}" for "--aad" flag: not base64`, 2);
      const data = props.aad === undefined || props.aad === '' ? {} : { aad: props.aad };
      return { apiVersion: v, kind, spec: { data, message: b64(message), publicKey: b64(key) } };
    }
    case 'rpm':
    case 'alpine': {
      const pkg = await artifactBytes(props, io);
      const key = await onePublicKey(props, io, kind === 'rpm' ? 'only one public key must be provided to verify RPM signature' : 'only one public key must be provided');
      return { apiVersion: v, kind, spec: { package: { content: b64(pkg) }, publicKey: { content: b64(key) } } };
    }
    case 'helm': {
      const provenance = await artifactBytes(props, io);
      const key = await onePublicKey(props, io, 'only one public key must be provided');
      return { apiVersion: v, kind, spec: { chart: { provenance: { content: b64(provenance) } }, publicKey: { content: b64(key) } } };
    }
    case 'jar':
      return { apiVersion: v, kind, spec: { archive: { content: b64(await artifactBytes(props, io)) } } };
    case 'rfc3161': {
      if (props.artifact !== undefined && /^https?:/i.test(props.artifact)) throw new CliError('RFC3161 timestamps cannot be fetched over HTTP(S)', 2);
      return { apiVersion: v, kind, spec: { tsr: { content: b64(await artifactBytes(props, io)) } } };
    }
    case 'tuf': {
      const metadata = parseJsonFile(await artifactBytes(props, io), 'the TUF metadata (--artifact)');
      const root = parseJsonFile(await onePublicKey(props, io, 'only one path to root file must be specified'), 'the TUF root (--public-key)');
      return { apiVersion: v, kind, spec: { metadata: { content: metadata }, root: { content: root } } };
    }
    default:
      throw new CliError(`unknown type ${kind}`, 2);
  }
}

/**
 * buildProposedEntry for upload and verify, whose failures Rekor's CLI reports as `error: <why>`
 * (it wraps NewProposedEntry's error so).
 */
export async function proposedEntryFromFlags(kind: string, version: string | undefined, props: ArtifactProps, io: InputOptions): Promise<ProposedEntry> {
  try {
    return await buildProposedEntry(kind, version, props, io);
  } catch (err) {
    if (err instanceof CliError) throw new CliError(`error: ${err.message}`, err.exitCode, { cause: err });
    throw err;
  }
}
