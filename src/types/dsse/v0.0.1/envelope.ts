/**
 * DSSE envelopes as Rekor's dsse type reads and verifies them (pkg/types/dsse/v0.0.1
 * verifyEnvelope over go-securesystemslib's dsse.EnvelopeVerifier, one verifier per key, threshold
 * 1). Signatures are checked over the PAE with node:crypto: ECDSA (DER) and RSA PKCS#1 v1.5 with
 * SHA-256 whatever the curve or size (sigstore's LoadVerifier with crypto.SHA256), Ed25519 pure.
 * Key-ID hints are ignored, as they are in Rekor (its verifiers have no key ID). A verifier
 * accepts at most one signature, the first in envelope order it verifies: the DSSE library drops
 * a provider once it has matched. Throws RekorError('invalid_entry').
 */
import { RekorError } from '../../../errors.js';
import { Base64Error } from '../../../pki/base64.js';
import { parseX509PublicKey, type X509PublicKey } from '../../../pki/x509/index.js';
import { decodeDsseBase64 as decodeLenient, loadDsseVerifier, pae, type DsseVerifier } from '../../dsse-signing.js';
import { invalidEntry, isJsonObject } from '../../go-decode.js';

export interface DsseEnvelope {
  readonly payloadType: string;
  /** The payload's base64 text as sent. */
  readonly payload: string;
  /** Each signature's base64 text as sent; the key-ID hint is not needed. */
  readonly signatures: readonly string[];
}

/** Hostile-input bounds: far above any real envelope. */
export const MAX_ENVELOPE_BYTES = 32 * 1024 * 1024;
export const MAX_SIGNATURES = 16;

/** A string member as Go's json.Unmarshal reads it into a string field: null is absent. */
function goString(object: Record<string, unknown>, name: string): string {
  const value = Object.hasOwn(object, name) ? object[name] : null;
  if (value === null) return '';
  if (typeof value !== 'string') throw invalidEntry(`invalid DSSE envelope: ${name} must be a string`);
  return value;
}

/** json.Unmarshal into go-securesystemslib's dsse.Envelope. */
export function parseEnvelope(text: string): DsseEnvelope {
  if (Buffer.byteLength(text, 'utf8') > MAX_ENVELOPE_BYTES) throw invalidEntry(`DSSE envelope too large, at most ${MAX_ENVELOPE_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidEntry('invalid DSSE envelope: malformed JSON');
  }
  if (json === null) return { payloadType: '', payload: '', signatures: [] };
  if (!isJsonObject(json)) throw invalidEntry('invalid DSSE envelope: not a JSON object');
  const list = Object.hasOwn(json, 'signatures') ? json['signatures'] : null;
  if (list !== null && !Array.isArray(list)) throw invalidEntry('invalid DSSE envelope: signatures must be an array');
  const raw: unknown[] = list ?? [];
  if (raw.length > MAX_SIGNATURES) throw invalidEntry(`too many signatures: ${raw.length}, at most ${MAX_SIGNATURES}`);
  const signatures = raw.map((item) => {
    if (item === null) return '';
    if (!isJsonObject(item)) throw invalidEntry('invalid DSSE envelope: signature must be an object');
    goString(item, 'keyid');
    return goString(item, 'sig');
  });
  return { payloadType: goString(json, 'payloadType'), payload: goString(json, 'payload'), signatures };
}

/** DSSE base64 (standard, then the URL alphabet), with Rekor's dsse message on failure. */
export function decodeDsseBase64(text: string): Uint8Array {
  try {
    return decodeLenient(text);
  } catch (err) {
    if (err instanceof Base64Error) throw invalidEntry('could not verify envelope: unable to base64 decode payload (is payload in the right format?)');
    throw err;
  }
}

/** sigstore's signature.LoadVerifier(key, crypto.SHA256), with Rekor's dsse message. */
function loadVerifier(key: X509PublicKey): DsseVerifier {
  return loadDsseVerifier(key, 'could not load verifier: unsupported public key type');
}

function parseVerifier(pem: Uint8Array, maxChainCertificates: number): X509PublicKey {
  try {
    return parseX509PublicKey(pem, { maxChainCertificates });
  } catch (err) {
    if (err instanceof RekorError) throw invalidEntry(`could not parse public key as x509: ${err.message}`);
    throw err;
  }
}

/**
 * verifyEnvelope: every verifier must verify one signature, every signature must be verified by
 * some verifier. Returns, per signature text, the key that verified it (the last one wins, as in
 * Rekor's map) and the decoded payload.
 */
export function verifyEnvelope(
  envelope: DsseEnvelope,
  verifiers: readonly Uint8Array[],
  maxChainCertificates: number,
): { readonly keyBySignature: ReadonlyMap<string, X509PublicKey>; readonly payload: Uint8Array } {
  const unverified = new Set(envelope.signatures);
  const keyBySignature = new Map<string, X509PublicKey>();
  let payload: Uint8Array | undefined;
  let decoded: Uint8Array[] | undefined;
  for (const pem of verifiers) {
    const key = parseVerifier(pem, maxChainCertificates);
    const check = loadVerifier(key);
    if (envelope.signatures.length === 0) throw invalidEntry('could not verify envelope: no signature found');
    // Decoded lazily, as the DSSE library does: a bad key is reported before a bad payload.
    payload ??= decodeDsseBase64(envelope.payload);
    const message = pae(envelope.payloadType, payload);
    decoded ??= envelope.signatures.map((sig) => decodeDsseBase64(sig));
    const index = decoded.findIndex((sig) => check(message, sig));
    if (index < 0) throw invalidEntry('could not verify envelope: Accepted signatures do not match threshold, Found: 0, Expected 1');
    const text = envelope.signatures[index] as string;
    unverified.delete(text);
    keyBySignature.set(text, key);
  }
  if (unverified.size > 0 || payload === undefined) throw invalidEntry('all signatures must have a key that verifies it');
  return { keyBySignature, payload };
}
