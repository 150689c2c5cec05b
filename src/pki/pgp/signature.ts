/**
 * A detached PGP signature as Rekor accepts it: armored (`PGP SIGNATURE`) or binary. The canonical
 * value is the armored input byte-for-byte, or binary input armored in Go's form. Verification
 * follows Rekor's verifyDetached: the first signature packet whose issuer is in the keyring is
 * checked, with key validity (expiry, revocation) evaluated at the signature's creation time so
 * that historical entries still verify. Parse failures are RekorError('invalid_entry');
 * verification returns a verdict with a reason and never throws.
 */
import { createMessage, PacketList, readSignature, Signature, SignaturePacket, verify } from 'openpgp';
import { RekorError } from '../../errors.js';
import { ARMOR_SIGNATURE, decodeArmor, encodeArmor } from './armor.js';
import { PGP_CONFIG } from './config.js';
import type { PgpPublicKey } from './public-key.js';

export interface PgpSignature {
  /** Canonical bytes, as stored in the entry body. */
  readonly canonical: Uint8Array;
  readonly armored: boolean;
  readonly signature: Signature;
}

export type PgpVerification = { valid: true } | { valid: false; reason: string };

/** Upper bound on signature input: one signature packet is at most a few KiB even for RSA-16384. */
export const MAX_PGP_SIGNATURE_SIZE = 64 * 1024;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Go treats the input as armored exactly when armor decoding succeeds; otherwise as binary. */
function signatureBody(content: Uint8Array): { armored: boolean; body: Uint8Array } {
  const block = decodeArmor(new TextDecoder().decode(content));
  if (block === undefined) return { armored: false, body: content };
  if (block.type !== ARMOR_SIGNATURE) throw new RekorError('invalid_entry', 'invalid PGP signature provided');
  return { armored: true, body: block.body };
}

export async function parsePgpSignature(content: Uint8Array): Promise<PgpSignature> {
  if (content.length > MAX_PGP_SIGNATURE_SIZE) {
    throw new RekorError('invalid_entry', `PGP signature is larger than ${MAX_PGP_SIGNATURE_SIZE} bytes`);
  }
  const { armored, body } = signatureBody(content);
  let signature: Signature;
  try {
    signature = await readSignature({ binarySignature: body, config: PGP_CONFIG });
  } catch (err) {
    throw new RekorError('invalid_entry', `invalid PGP signature: ${message(err)}`, { cause: err });
  }
  // openpgp.js keeps unsupported packets as opaque placeholders; like Go, skip them and require
  // at least one signature packet it can use.
  const packets = new PacketList<SignaturePacket>();
  packets.push(...signature.packets.filter((packet: unknown) => packet instanceof SignaturePacket));
  if (packets.length === 0) throw new RekorError('invalid_entry', 'invalid PGP signature: EOF');
  const canonical = armored ? new Uint8Array(content) : encodeArmor(ARMOR_SIGNATURE, body);
  return { canonical, armored, signature: new Signature(packets) };
}

export async function verifyPgpSignature(key: PgpPublicKey, signature: PgpSignature, data: Uint8Array): Promise<PgpVerification> {
  const keyIds = new Set(key.keys.flatMap((k) => k.getKeyIDs().map((id) => id.toHex())));
  const packet = signature.signature.packets.find((p) => keyIds.has(p.issuerKeyID.toHex()));
  if (packet === undefined) return { valid: false, reason: 'signature made by unknown entity' };
  const created = signature.signature.packets[0]?.created ?? packet.created;
  if (created === null || created === undefined) return { valid: false, reason: 'signature has no creation time' };
  try {
    const result = await verify({
      message: await createMessage({ binary: data }),
      signature: signature.signature,
      verificationKeys: [...key.keys],
      // Rekor checks the key as it was when the signature was made.
      date: created,
      expectSigned: false,
      format: 'binary',
      config: PGP_CONFIG,
    });
    const verdict = result.signatures.find((s) => s.keyID.equals(packet.issuerKeyID));
    if (verdict === undefined) return { valid: false, reason: 'signature made by unknown entity' };
    await verdict.verified;
    return { valid: true };
  } catch (err) {
    return { valid: false, reason: `pgp verification failed: ${message(err)}` };
  }
}
