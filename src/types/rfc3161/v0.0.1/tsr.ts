/**
 * The checks Rekor's rfc3161 V001Entry.validate() runs on a DER TimeStampResp (RFC 3161 §2.4.2),
 * in its order and with its messages: read the response as relic's pkcs9.TimeStampResp with Go's
 * encoding/asn1 (bytes after it ignored), status granted or grantedWithMods, token content type
 * SignedData, then relic's SignedData.Verify against the embedded certificates only. Like Rekor,
 * the TSTInfo inside is hashed and signed-over but not itself interpreted (no eContentType,
 * message-imprint, policy or time check), and no certificate chain or TSA key usage is checked.
 * Throws RekorError('invalid_entry').
 */
import { CmsError, OID_SIGNED_DATA, isUniversal, parseDer, readInt, readContentInfoSignedData, UNIVERSAL, verifySignedData, type Asn1Node, type ContentInfoSignedData } from '../../../pki/cms/index.js';
import { invalidEntry } from '../../go-decode.js';

export interface TimeStampResp {
  readonly status: bigint;
  /** Absent when the response carries no token (as in a rejection). */
  readonly token: ContentInfoSignedData | undefined;
}

const GRANTED = 0n;
const GRANTED_WITH_MODS = 1n;

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/u;

/**
 * Whether Go's encoding/asn1 reads this element into a `string` (a PKIFreeText member): one of
 * the string types it knows, with that type's character rules.
 */
function isGoString(node: Asn1Node): boolean {
  if (node.tagClass !== 'universal' || node.constructed) return false;
  const text = Buffer.from(node.content).toString('latin1');
  switch (node.tag) {
    case 12: // UTF8String
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(node.content);
        return true;
      } catch {
        return false;
      }
    case 18: // NumericString
      return /^[0-9 ]*$/u.test(text);
    case 19: // PrintableString (Go also lets '*' and '&' through)
      return PRINTABLE.test(text);
    case 22: // IA5String
      return node.content.every((b) => b < 0x80);
    case 30: // BMPString
      return node.content.length % 2 === 0;
    case 20: // T61String
    case 27: // GeneralString
      return true;
    default:
      return false;
  }
}

function universal(node: Asn1Node | undefined, tag: number, constructed: boolean): node is Asn1Node {
  return node !== undefined && isUniversal(node, tag, constructed);
}

/** Go's BIT STRING rule: a pad count of 0..7, no pad on an empty string, pad bits zero. */
function checkBitString(node: Asn1Node): void {
  const c = node.content;
  const pad = c[0];
  if (pad === undefined) throw new CmsError('asn1: syntax error: zero length BIT STRING');
  const last = c[c.length - 1] as number;
  if (pad > 7 || (c.length === 1 && pad > 0) || (last & ((1 << pad) - 1)) !== 0) {
    throw new CmsError('asn1: structure error: invalid padding bits in BIT STRING');
  }
}

/** relic's PKIStatusInfo: status INTEGER, statusString PKIFreeText OPTIONAL, failInfo BIT STRING OPTIONAL. */
function readStatus(node: Asn1Node | undefined): bigint {
  if (node === undefined) throw new CmsError('asn1: syntax error: sequence truncated');
  if (!universal(node, UNIVERSAL.SEQUENCE, true)) throw new CmsError("asn1: structure error: tags don't match (PKIStatusInfo)");
  const [statusNode, ...rest] = node.children;
  if (statusNode === undefined) throw new CmsError('asn1: syntax error: sequence truncated (PKIStatusInfo.status)');
  if (!universal(statusNode, UNIVERSAL.INTEGER, false)) throw new CmsError("asn1: structure error: tags don't match (PKIStatusInfo.status)");
  const status = readInt(statusNode, 'PKIStatusInfo.status');
  let next = rest[0];
  if (universal(next, UNIVERSAL.SEQUENCE, true)) {
    for (const text of next.children) {
      if (!isGoString(text)) {
        throw new CmsError("asn1: structure error: tags don't match (PKIStatusInfo.statusString)");
      }
    }
    next = rest[1];
  }
  if (universal(next, UNIVERSAL.BIT_STRING, false)) checkBitString(next);
  return status;
}

/** asn1.Unmarshal(der, &pkcs9.TimeStampResp{}). */
export function readTimeStampResp(der: Uint8Array): TimeStampResp {
  const { node } = parseDer(der);
  if (!universal(node, UNIVERSAL.SEQUENCE, true)) throw new CmsError("asn1: structure error: tags don't match (TimeStampResp)");
  const [statusInfo, token] = node.children;
  const status = readStatus(statusInfo);
  // timeStampToken is OPTIONAL: anything but a SEQUENCE there means it is absent.
  return { status, token: universal(token, UNIVERSAL.SEQUENCE, true) ? readContentInfoSignedData(token) : undefined };
}

function sizeText(limit: number): string {
  return limit % 1024 === 0 ? `${limit / 1024}kB` : `${limit} bytes`;
}

/** V001Entry.validate() after the content is known to be present. */
export function validateTimeStampResponse(der: Uint8Array, maxSize: number): void {
  if (der.length > maxSize) throw invalidEntry(`tsr exceeds maximum allowed size (${sizeText(maxSize)})`);
  let resp: TimeStampResp;
  try {
    resp = readTimeStampResp(der);
  } catch (err) {
    if (err instanceof CmsError) throw invalidEntry(err.message);
    throw err;
  }
  if (resp.status !== GRANTED && resp.status !== GRANTED_WITH_MODS) throw invalidEntry(`tsr status not granted: ${resp.status}`);
  const contentType = resp.token?.contentType ?? '';
  if (contentType !== OID_SIGNED_DATA) throw invalidEntry(`tsr wrong content type: ${contentType}`);
  try {
    const signedData = resp.token?.signedData;
    if (signedData === undefined) throw new CmsError('pkcs7: missing content');
    verifySignedData(signedData);
  } catch (err) {
    if (err instanceof CmsError) throw invalidEntry(`tsr verification error: ${err.message}`);
    throw err;
  }
}
