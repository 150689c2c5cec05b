/**
 * ECDSA signature encodings as sigstore's verifier (used by Rekor) tells them apart: a signature
 * that Go's lenient encoding/asn1 reads as SEQUENCE { INTEGER, INTEGER } is treated as ASN.1 and
 * must then be strict DER (what ecdsa.VerifyASN1 accepts); anything else is read as IEEE P1363
 * r||s (even length, at most 132 bytes). relic (PKCS#7 signer infos) reads only Go's ASN.1 form,
 * with nothing after it. Pure functions; nothing here throws.
 */
import { DerReader, Tag, encodeTlv, encodeUnsignedInteger, isMinimalInteger, readGoAsn1, unsignedInteger } from '../der.js';

export type EcdsaSignatureForm =
  | { readonly form: 'asn1'; readonly rs: { readonly r: bigint; readonly s: bigint } | undefined }
  | { readonly form: 'p1363'; readonly rs: { readonly r: bigint; readonly s: bigint } | undefined };

/**
 * Go's asn1.Unmarshal(sig, &struct{ R, S *big.Int }{}): r and s as signed integers, and the
 * bytes left after the SEQUENCE; undefined when it fails. Extra elements inside the SEQUENCE are
 * tolerated by Go.
 */
function goAsn1Rs(sig: Uint8Array): { r: bigint; s: bigint; rest: number } | undefined {
  try {
    const seq = readGoAsn1(sig, 0, sig.length);
    if (seq.tagClass !== 0 || !seq.constructed || seq.tagNumber !== 16) return undefined;
    let pos = seq.contentStart;
    const values: bigint[] = [];
    for (let i = 0; i < 2; i++) {
      const int = readGoAsn1(sig, pos, seq.end);
      const content = sig.subarray(int.contentStart, int.end);
      if (int.tagClass !== 0 || int.constructed || int.tagNumber !== 2 || !isMinimalInteger(content)) return undefined;
      values.push(BigInt.asIntN(content.length * 8, bigFromBytes(content)));
      pos = int.end;
    }
    return { r: values[0] as bigint, s: values[1] as bigint, rest: sig.length - seq.end };
  } catch {
    return undefined;
  }
}

/** Whether Go's asn1.Unmarshal reads `sig` as SEQUENCE { R, S } (trailing data allowed). */
export function readsAsAsn1(sig: Uint8Array): boolean {
  return goAsn1Rs(sig) !== undefined;
}

/** relic's x509tools.UnmarshalEcdsaSignature: Go's reading, with no bytes after the SEQUENCE. */
export function parseRelicEcdsaSignature(sig: Uint8Array): { r: bigint; s: bigint } | undefined {
  const rs = goAsn1Rs(sig);
  return rs === undefined || rs.rest !== 0 ? undefined : { r: rs.r, s: rs.s };
}

/** r and s from strict DER (cryptobyte rules: exact length, minimal non-negative integers). */
export function parseStrictDer(sig: Uint8Array): { r: bigint; s: bigint } | undefined {
  try {
    const top = new DerReader(sig);
    const seq = top.read(Tag.SEQUENCE);
    if (!top.done) return undefined;
    const inner = top.enter(seq);
    const r = unsignedInteger(inner.contents(inner.read(Tag.INTEGER)));
    const s = unsignedInteger(inner.contents(inner.read(Tag.INTEGER)));
    return inner.done ? { r, s } : undefined;
  } catch {
    return undefined;
  }
}

function bigFromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** The two halves of an IEEE P1363 signature, or undefined when sigstore refuses the length. */
export function parseP1363(sig: Uint8Array): { r: bigint; s: bigint } | undefined {
  if (sig.length === 0 || sig.length > 132 || sig.length % 2 !== 0) return undefined;
  const half = sig.length / 2;
  return { r: bigFromBytes(sig.subarray(0, half)), s: bigFromBytes(sig.subarray(half)) };
}

export function classifyEcdsaSignature(sig: Uint8Array): EcdsaSignatureForm {
  return readsAsAsn1(sig) ? { form: 'asn1', rs: parseStrictDer(sig) } : { form: 'p1363', rs: parseP1363(sig) };
}

/** DER SEQUENCE { r, s }. */
export function encodeDerSignature(r: bigint, s: bigint): Uint8Array {
  return encodeTlv(Tag.SEQUENCE, encodeUnsignedInteger(r), encodeUnsignedInteger(s));
}

/** Fixed-width r||s, for verifiers that take the compact form. */
export function encodeCompactSignature(r: bigint, s: bigint, byteLength: number): Uint8Array {
  const hex = (v: bigint) => v.toString(16).padStart(byteLength * 2, '0');
  return Buffer.from(hex(r) + hex(s), 'hex');
}
