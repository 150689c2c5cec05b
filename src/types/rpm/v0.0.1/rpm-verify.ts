/**
 * Verifying an RPM's PGP signatures as Rekor does (go-rpmutils v0.4.0 Verify with the submitted
 * keyring, built on ProtonMail/go-crypto):
 *  - header-only signatures: RSA (tag 268) and DSA (267) over the main header's bytes;
 *  - header+payload signatures: PGP (1002) and GPG (1005) over main header and payload;
 *  - every signature present must verify; the payload must match PAYLOADDIGEST (any of rpm's
 *    digest algorithms), or failing that the MD5 signature tag over header and payload.
 * Each tag holds exactly one signature packet (v4 or v6; v3 is not read); its key is found by
 * issuer fingerprint or key ID among the primary keys and subkeys, and checked at packet level as
 * go-crypto's VerifySignature does: no expiry, revocation or key-flag checks, data hashed as is
 * whatever the signature type. Rekor then requires at least one signature.
 * Throws RekorError('invalid_entry') with go-rpmutils' or go-crypto's messages.
 */
import { createHash } from 'node:crypto';
import { config as openpgpDefaults, enums, readSignature, SignaturePacket, type AnyKeyPacket } from 'openpgp';
import { isRekorError } from '../../../errors.js';
import { PGP_CONFIG } from '../../../pki/pgp/config.js';
import type { PgpPublicKey } from '../../../pki/pgp/index.js';
import { invalidEntry } from '../../go-decode.js';
import { SIG_TAG, TAG, type RpmFile } from './rpm-header.js';

const VERIFY_CONFIG = { ...openpgpDefaults, ...PGP_CONFIG };

/** rpm's PGPHASHALGO numbers for PAYLOADDIGESTALGO, with Go's crypto.Hash names. */
const PAYLOAD_DIGESTS: ReadonlyMap<bigint, { readonly algorithm: string; readonly name: string }> = new Map([
  [1n, { algorithm: 'md5', name: 'MD5' }],
  [2n, { algorithm: 'sha1', name: 'SHA-1' }],
  [8n, { algorithm: 'sha256', name: 'SHA-256' }],
  [9n, { algorithm: 'sha384', name: 'SHA-384' }],
  [10n, { algorithm: 'sha512', name: 'SHA-512' }],
  [11n, { algorithm: 'sha224', name: 'SHA-224' }],
]);

/** Public-key algorithms go-crypto reads in a signature (its post-quantum ones aside). */
const SIGNATURE_ALGORITHMS: ReadonlySet<number> = new Set([1, 3, 17, 19, 22, 27, 28]);
/** Hash algorithms go-crypto accepts in signatures (SHA-1 in v4 only). */
const SIGNATURE_HASHES: ReadonlySet<number> = new Set([2, 8, 9, 10, 11, 12, 14]);

/** go-crypto's names in its `<alg> verification failure` errors. */
function algorithmName(algorithm: number): string {
  switch (algorithm) {
    case enums.publicKey.rsaEncryptSign:
    case enums.publicKey.rsaSign:
      return 'RSA';
    case enums.publicKey.dsa:
      return 'DSA';
    case enums.publicKey.ecdsa:
      return 'ECDSA';
    case enums.publicKey.eddsaLegacy:
      return 'EdDSA';
    case enums.publicKey.ed25519:
      return 'Ed25519';
    default:
      return 'ed448';
  }
}

interface RpmSignature {
  readonly tag: number;
  readonly packet: SignaturePacket;
  /** The bytes it signs: the main header, or main header and payload. */
  readonly signed: Uint8Array;
}

/** Where the single packet in `blob` ends, from its RFC 9580 §4.2 header; throws if malformed. */
function packetEnd(blob: Uint8Array, tag: number): { packetTag: number; bodyStart: number; end: number } {
  const truncated = (): never => {
    throw invalidEntry(`PGP signature in RPM tag ${tag}: unexpected EOF`);
  };
  const first = blob[0];
  if (first === undefined) truncated();
  const b0 = first as number;
  if ((b0 & 0x80) === 0) throw invalidEntry('openpgp: invalid data: tag byte does not have MSB set');
  const byte = (i: number): number => blob[i] ?? truncated();
  if (b0 & 0x40) {
    const l0 = byte(1);
    if (l0 < 192) return { packetTag: b0 & 0x3f, bodyStart: 2, end: 2 + l0 };
    if (l0 < 224) return { packetTag: b0 & 0x3f, bodyStart: 3, end: 3 + ((l0 - 192) << 8) + byte(2) + 192 };
    if (l0 === 255) return { packetTag: b0 & 0x3f, bodyStart: 6, end: 6 + ((byte(2) << 24) >>> 0) + (byte(3) << 16) + (byte(4) << 8) + byte(5) };
    throw invalidEntry(`PGP signature in RPM tag ${tag} uses partial body lengths, which signature packets may not`);
  }
  const packetTag = (b0 & 0x3f) >> 2;
  switch (b0 & 3) {
    case 0:
      return { packetTag, bodyStart: 2, end: 2 + byte(1) };
    case 1:
      return { packetTag, bodyStart: 3, end: 3 + (byte(1) << 8) + byte(2) };
    case 2:
      return { packetTag, bodyStart: 5, end: 5 + ((byte(1) << 24) >>> 0) + (byte(2) << 16) + (byte(3) << 8) + byte(4) };
    default:
      return { packetTag, bodyStart: 1, end: blob.length };
  }
}

/** go-rpmutils parseSignature: exactly one v4/v6 signature packet naming its issuer. */
async function parseSignature(blob: Uint8Array, tag: number): Promise<SignaturePacket> {
  const { packetTag, bodyStart, end } = packetEnd(blob, tag);
  if (end > blob.length) throw invalidEntry(`PGP signature in RPM tag ${tag}: unexpected EOF`);
  if (end < blob.length) throw invalidEntry('trailing garbage after PGP signature packet');
  if (packetTag !== 2) throw invalidEntry('no supported PGP signature packet found');
  const body = blob.subarray(bodyStart, end);
  const version = body[0];
  if (version === 5) throw invalidEntry('openpgp: unsupported feature: support for parsing v5 entities is disabled; build with `-tags v5` if needed');
  if (version !== 4 && version !== 6) throw invalidEntry(version === undefined ? `PGP signature in RPM tag ${tag}: unexpected EOF` : `openpgp: unsupported feature: signature packet version ${version}`);
  // Both v4 and v6 bodies start: version, signature type, public-key algorithm, hash algorithm.
  const algorithm = body[2];
  const hash = body[3];
  if (algorithm !== undefined && !SIGNATURE_ALGORITHMS.has(algorithm)) throw invalidEntry(`openpgp: unsupported feature: public key algorithm ${algorithm}`);
  if (hash !== undefined && (!SIGNATURE_HASHES.has(hash) || (version === 6 && hash === 2))) throw invalidEntry(`openpgp: unsupported feature: hash function ${hash}`);
  let packets: unknown[];
  try {
    packets = [...(await readSignature({ binarySignature: blob, config: { ...PGP_CONFIG, ignoreUnsupportedPackets: false, ignoreMalformedPackets: false } })).packets];
  } catch (err) {
    throw invalidEntry(`invalid PGP signature in RPM tag ${tag}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const packet = packets.find((p): p is SignaturePacket => p instanceof SignaturePacket);
  if (packet === undefined || (packet.issuerKeyID.bytes === '' && packet.issuerFingerprint === null)) {
    throw invalidEntry('no supported PGP signature packet found');
  }
  return packet;
}

/** go-rpmutils digestAndVerify's order: RSA, DSA, then PGP, GPG. */
async function collectSignatures(rpm: RpmFile): Promise<RpmSignature[]> {
  let headerAndPayload: Uint8Array | undefined;
  const sigs: RpmSignature[] = [];
  for (const [tag, withPayload] of [
    [SIG_TAG.RSA, false],
    [SIG_TAG.DSA, false],
    [SIG_TAG.PGP, true],
    [SIG_TAG.GPG, true],
  ] as const) {
    const blob = rpm.signature.bytes(tag);
    if (blob === undefined) continue;
    const packet = await parseSignature(blob, tag);
    headerAndPayload ??= withPayload ? new Uint8Array(Buffer.concat([rpm.header.raw, rpm.payload])) : undefined;
    sigs.push({ tag, packet, signed: withPayload ? (headerAndPayload as Uint8Array) : rpm.header.raw });
  }
  return sigs;
}

/** go-rpmutils digestPayload: PAYLOADDIGEST if usable, else the MD5 signature tag, else refuse. */
function checkPayloadDigest(rpm: RpmFile): void {
  const digest = lenient(() => rpm.header.strings(TAG.PAYLOADDIGEST))?.[0];
  const algo = lenient(() => rpm.header.uints(TAG.PAYLOADDIGESTALGO, false))?.[0];
  const known = algo === undefined ? undefined : PAYLOAD_DIGESTS.get(algo);
  if (digest !== undefined && known !== undefined) {
    const computed = createHash(known.algorithm).update(rpm.payload).digest('hex');
    if (computed !== digest) throw invalidEntry(`payload ${known.name} digest mismatch`);
    return;
  }
  const md5 = lenient(() => rpm.signature.bytes(SIG_TAG.MD5));
  if (md5 !== undefined && md5.length > 0) {
    const computed = createHash('md5').update(rpm.header.raw).update(rpm.payload).digest();
    if (!computed.equals(md5)) throw invalidEntry('md5 digest mismatch');
    return;
  }
  throw invalidEntry('no usable payload digest found');
}

/** go-rpmutils ignores a digest tag it cannot read (wrong type) and falls back. */
export function lenient<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (isRekorError(err)) return undefined;
    throw err;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** go-rpmutils findKey: by issuer fingerprint when the signature has one, else by key ID. */
function findKey(packet: SignaturePacket, key: PgpPublicKey): AnyKeyPacket | undefined {
  for (const entity of key.keys) {
    for (const candidate of [entity.keyPacket, ...entity.getSubkeys().map((s) => s.keyPacket)]) {
      const fingerprint = packet.issuerFingerprint;
      const matches = fingerprint !== null && fingerprint.length >= 20 ? sameBytes(fingerprint, candidate.getFingerprintBytes() ?? new Uint8Array()) : packet.issuerKeyID.equals(candidate.getKeyID());
      if (matches) return candidate;
    }
  }
  return undefined;
}

/** Go prints the key ID with %08x: lower-case hex without leading zeros, at least 8 digits. */
function keyIdText(packet: SignaturePacket): string {
  const hex = packet.issuerKeyID.bytes === '' ? '0' : packet.issuerKeyID.toHex();
  return BigInt(`0x${hex}`).toString(16).padStart(8, '0');
}

async function verifyOne(sig: RpmSignature, key: PgpPublicKey): Promise<void> {
  const keyPacket = findKey(sig.packet, key);
  if (keyPacket === undefined) throw invalidEntry(`keyid ${keyIdText(sig.packet)} not found`);
  if (keyPacket.algorithm !== sig.packet.publicKeyAlgorithm) {
    throw invalidEntry('openpgp: invalid argument: public key and signature use different algorithms');
  }
  // Found by fingerprint, the (unhashed) issuer key ID does not matter to go-crypto; openpgp.js
  // insists they agree.
  if (!sig.packet.issuerKeyID.equals(keyPacket.getKeyID())) sig.packet.issuerKeyID = keyPacket.getKeyID();
  // What openpgp.js reads of a literal data packet for a binary signature: the bytes, no text.
  const literal = { text: null, getBytes: () => sig.signed };
  try {
    // Hashed as a binary signature whatever its type, with no date checks (a null date), as
    // go-crypto's VerifySignature does.
    await sig.packet.verify(keyPacket, enums.signature.binary, literal, null as unknown as Date, false, VERIFY_CONFIG);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (reason === 'Signed digest did not match' || reason === 'Signature verification failed') {
      throw invalidEntry(`openpgp: invalid signature: ${algorithmName(keyPacket.algorithm)} verification failure`);
    }
    throw invalidEntry(`openpgp: invalid signature: ${reason}`);
  }
}

/**
 * Rekor's check of a parsed RPM against the submitted keyring: digests, every signature, and at
 * least one signature. Throws RekorError('invalid_entry').
 */
export async function verifyRpm(rpm: RpmFile, key: PgpPublicKey): Promise<void> {
  const sigs = await collectSignatures(rpm);
  checkPayloadDigest(rpm);
  for (const sig of sigs) await verifyOne(sig, key);
  if (sigs.length === 0) throw invalidEntry('no supported PGP signature found in RPM');
}
