/**
 * The checks Rekor's rfc3161 V001Entry.validate() runs on a DER TimeStampResp (RFC 3161 §2.4.2),
 * in its order and with its messages: read the response as relic's pkcs9.TimeStampResp with Go's
 * encoding/asn1 rules (der.ts's readGoAsn1, as pki/pkcs7 reads the token; bytes after it ignored), status granted or grantedWithMods, token content type
 * SignedData, then relic's SignedData.Verify against the embedded certificates only (pki/pkcs7). Like Rekor,
 * the TSTInfo inside is hashed and signed-over but not itself interpreted (no eContentType,
 * message-imprint, policy or time check), and no certificate chain or TSA key usage is checked.
 * Throws RekorError('invalid_entry'); decoding errors carry Go's `asn1:` texts unprefixed.
 */
import { isRekorError } from '../../../errors.js';
import { isMinimalInteger } from '../../../pki/der.js';
import { GoAsn1Fields, guardedAsn1, type Asn1Element } from '../../../pki/go-asn1.js';
import { OID_SIGNED_DATA, parseContentInfo, verifySignedData, type ContentInfo } from '../../../pki/pkcs7/index.js';
import { invalidEntry } from '../../go-decode.js';

export interface TimeStampResp {
  readonly status: bigint;
  /** Absent when the response carries no token (as in a rejection). */
  readonly token: ContentInfo | undefined;
}

const GRANTED = 0n;
const GRANTED_WITH_MODS = 1n;

const SEQUENCE = 16;
const INTEGER = 2;
const BIT_STRING = 3;

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/u;

/**
 * Whether Go's encoding/asn1 reads this element into a `string` (a PKIFreeText member): one of
 * the string types it knows, with that type's character rules.
 */
function isGoString(el: Asn1Element, content: Uint8Array): boolean {
  if (el.tagClass !== 0 || el.constructed) return false;
  const text = Buffer.from(content).toString('latin1');
  switch (el.tagNumber) {
    case 12: // UTF8String
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(content);
        return true;
      } catch {
        return false;
      }
    case 18: // NumericString
      return /^[0-9 ]*$/u.test(text);
    case 19: // PrintableString (Go also lets '*' and '&' through)
      return PRINTABLE.test(text);
    case 22: // IA5String
      return content.every((b) => b < 0x80);
    case 30: // BMPString
      return content.length % 2 === 0;
    case 20: // T61String
    case 27: // GeneralString
      return true;
    default:
      return false;
  }
}

/** Go's BIT STRING rule: a pad count of 0..7, no pad on an empty string, pad bits zero. */
function checkBitString(c: Uint8Array): void {
  const pad = c[0];
  if (pad === undefined) throw invalidEntry('asn1: syntax error: zero length BIT STRING');
  const last = c[c.length - 1] as number;
  if (pad > 7 || (c.length === 1 && pad > 0) || (last & ((1 << pad) - 1)) !== 0) {
    throw invalidEntry('asn1: structure error: invalid padding bits in BIT STRING');
  }
}

/** Go's `int`: minimal two's complement in at most 8 octets. */
function readInt(c: Uint8Array, what: string): bigint {
  if (!isMinimalInteger(c)) throw invalidEntry(`asn1: structure error: integer not minimally-encoded (${what})`);
  if (c.length > 8) throw invalidEntry(`asn1: structure error: integer too large (${what})`);
  return BigInt.asIntN(c.length * 8, BigInt(`0x${Buffer.from(c).toString('hex')}`));
}

/** relic's PKIStatusInfo: status INTEGER, statusString PKIFreeText OPTIONAL, failInfo BIT STRING OPTIONAL. */
function readStatus(resp: GoAsn1Fields): bigint {
  const info = resp.inside(resp.universal(SEQUENCE, true, 'PKIStatusInfo'));
  const status = readInt(info.contents(info.universal(INTEGER, false, 'PKIStatusInfo.status')), 'PKIStatusInfo.status');
  const texts = info.optionalUniversal(SEQUENCE, true);
  if (texts !== undefined) {
    const list = info.inside(texts);
    while (!list.done) {
      const text = list.any('PKIStatusInfo.statusString');
      if (!isGoString(text, list.contents(text))) throw invalidEntry("asn1: structure error: tags don't match (PKIStatusInfo.statusString)");
    }
  }
  const failInfo = info.optionalUniversal(BIT_STRING, false);
  if (failInfo !== undefined) checkBitString(info.contents(failInfo));
  return status;
}

/** asn1.Unmarshal(der, &pkcs9.TimeStampResp{}): bytes after it are ignored, as Rekor ignores them. */
export function readTimeStampResp(der: Uint8Array): TimeStampResp {
  return guardedAsn1('TimeStampResp', () => {
    const top = new GoAsn1Fields(der);
    const resp = top.inside(top.universal(SEQUENCE, true, 'TimeStampResp'));
    const status = readStatus(resp);
    // timeStampToken is OPTIONAL: anything but a SEQUENCE there means it is absent.
    const token = resp.optionalUniversal(SEQUENCE, true);
    return { status, token: token === undefined ? undefined : parseContentInfo(resp.bytes(token)) };
  });
}

function sizeText(limit: number): string {
  return limit % 1024 === 0 ? `${limit / 1024}kB` : `${limit} bytes`;
}

/** V001Entry.validate() after the content is known to be present. */
export function validateTimeStampResponse(der: Uint8Array, maxSize: number): void {
  if (der.length > maxSize) throw invalidEntry(`tsr exceeds maximum allowed size (${sizeText(maxSize)})`);
  const resp = readTimeStampResp(der);
  if (resp.status !== GRANTED && resp.status !== GRANTED_WITH_MODS) throw invalidEntry(`tsr status not granted: ${resp.status}`);
  const contentType = resp.token?.contentType ?? '';
  if (contentType !== OID_SIGNED_DATA) throw invalidEntry(`tsr wrong content type: ${contentType}`);
  const signedData = resp.token?.signedData;
  if (signedData === undefined) throw invalidEntry('tsr verification error: pkcs7: missing content');
  try {
    verifySignedData(signedData, undefined);
  } catch (err) {
    if (isRekorError(err, 'invalid_entry')) throw invalidEntry(`tsr verification error: ${err.message}`);
    throw err;
  }
}
