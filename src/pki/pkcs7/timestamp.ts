/**
 * Timestamps attached to a PKCS#7 signer, checked as relic's pkcs9.VerifyOptionalTimestamp does
 * (Rekor's jar verification runs it on every signer): an RFC 3161 timestamp token (or its
 * Authenticode twin) in the unsigned attributes must hold exactly one signer, its TSTInfo's
 * message imprint must be the digest of the signer's signature value, and the token's signer must
 * verify over the TSTInfo; failing that, a PKCS#9 counter-signature must verify over the
 * signature value and carry a signing time. Chains are not validated (relic leaves that to
 * callers; Rekor never asks). Failures throw RekorError('invalid_entry') with relic's texts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { RekorError } from '../../errors.js';
import { DerError, DerReader, Tag, oidToString } from '../der.js';
import { attributeValue, parseSignedData, parseSignerInfo, type SignedData, type SignerInfo } from './signed-data.js';
import { digestHash } from './signature.js';
import { parseBundled, verifySignerInfo, type Bundled } from './verify.js';

const OID_TIMESTAMP_TOKEN = '1.2.840.113549.1.9.16.2.14';
const OID_SPC_TIMESTAMP_TOKEN = '1.3.6.1.4.1.311.3.3.1';
const OID_COUNTER_SIGNATURE = '1.2.840.113549.1.9.6';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

export interface VerifiedTimestamp {
  readonly kind: 'timestamp-token' | 'counter-signature';
  /** The time the timestamp states (TSTInfo genTime, or the counter-signer's signingTime). */
  readonly signingTime: Date;
}

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

/** relic's pkcs7.ParseTime: GeneralizedTime or UTCTime, optional fraction, `Z` or ±hhmm. */
function parseTime(tag: number, text: string): Date {
  const match =
    tag === Tag.GENERALIZED_TIME
      ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?(Z|[+-]\d{4})$/u.exec(text)
      : tag === Tag.UTC_TIME
        ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/u.exec(text)
        : null;
  if (match === null) fail(tag === Tag.GENERALIZED_TIME || tag === Tag.UTC_TIME ? `parsing timestamp: cannot parse ${JSON.stringify(text)}` : `unknown tag ${tag} in timestamp field`);
  const [, y, mo, d, h, mi, s = '00', zone = 'Z'] = match as unknown as [string, string, string, string, string, string, string | undefined, string];
  let year = Number(y);
  if (tag === Tag.UTC_TIME) year += year < 69 ? 2000 : 1900;
  const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  const time = Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
  const date = new Date(time);
  if (Number.isNaN(time) || Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    fail(`parsing timestamp: cannot parse ${JSON.stringify(text)}`);
  }
  return date;
}

interface TstInfo {
  readonly imprintAlgorithm: string;
  readonly imprint: Uint8Array;
  readonly genTime: { readonly tag: number; readonly text: string };
}

/** unpackTokenInfo + the TSTInfo fields relic reads (version, policy, imprint, serial, genTime). */
function tstInfo(blob: Uint8Array): TstInfo {
  try {
    let info = blob;
    if (info[0] === Tag.OCTET_STRING) {
      const wrapped = new DerReader(info);
      info = wrapped.contents(wrapped.read(Tag.OCTET_STRING));
    }
    const top = new DerReader(info);
    const fields = top.enter(top.read(Tag.SEQUENCE));
    fields.read(Tag.INTEGER);
    fields.read(Tag.OID);
    const imprint = fields.enter(fields.read(Tag.SEQUENCE));
    const algorithm = imprint.enter(imprint.read(Tag.SEQUENCE));
    const imprintAlgorithm = oidToString(algorithm.contents(algorithm.read(Tag.OID)));
    const hashed = imprint.contents(imprint.read(Tag.OCTET_STRING));
    fields.read(Tag.INTEGER);
    const genTime = fields.read();
    return { imprintAlgorithm, imprint: hashed, genTime: { tag: genTime.tag, text: Buffer.from(fields.contents(genTime)).toString('latin1') } };
  } catch (err) {
    if (err instanceof RekorError) throw err;
    if (err instanceof DerError) fail('unpack TSTInfo: asn1: structure error: malformed TSTInfo');
    throw err;
  }
}

/**
 * relic's pkcs9.Verify: a timestamp token over `data` (the timestamped signature value). `certs`
 * are the enclosing signature's certificates, which the token may rely on.
 */
export function verifyTimestampToken(token: SignedData, data: Uint8Array, certs: readonly Bundled[] = []): VerifiedTimestamp {
  const [tsi, ...others] = token.signerInfos;
  if (tsi === undefined || others.length > 0) fail('timestamp should have exactly one SignerInfo');
  const own = parseBundled(token.certificates);
  if (token.content === undefined) fail('unpack TSTInfo: missing TSTInfo content');
  const info = tstInfo(token.content);
  const hash = digestHash(info.imprintAlgorithm);
  if (hash === undefined) fail(`verifying timestamp imprint: pkcs9: unsupported hash algorithm ${info.imprintAlgorithm}`);
  const digest = createHash(hash).update(data).digest();
  if (digest.length !== info.imprint.length || !timingSafeEqual(digest, info.imprint)) fail('verifying timestamp imprint: pkcs9: digest check failed');
  verifySignerInfo(tsi, token.content, { certs: [...certs, ...own.certs], error: own.error });
  return { kind: 'timestamp-token', signingTime: parseTime(info.genTime.tag, info.genTime.text) };
}

/** The counter-signer's signingTime attribute (relic: SignerInfo.SigningTime). */
function signingTime(si: SignerInfo): Date {
  const time = attributeValue(si.authenticatedAttributes, OID_SIGNING_TIME, (der) => {
    const reader = new DerReader(der);
    const tlv = reader.read();
    return parseTime(tlv.tag, Buffer.from(reader.contents(tlv)).toString('latin1'));
  });
  if (time === undefined) fail(`parsing timestamp: attribute not found: ${OID_SIGNING_TIME}`);
  return time;
}

/**
 * relic's VerifyOptionalTimestamp for one already-verified signer of `sd`: undefined when the
 * signer carries no timestamp.
 */
export function verifyOptionalTimestamp(si: SignerInfo, sd: SignedData): VerifiedTimestamp | undefined {
  const attrs = si.unauthenticatedAttributes;
  const token =
    attributeValue(attrs, OID_TIMESTAMP_TOKEN, parseSignedData) ?? attributeValue(attrs, OID_SPC_TIMESTAMP_TOKEN, parseSignedData);
  const bundled = parseBundled(sd.certificates);
  if (token !== undefined) return verifyTimestampToken(token, si.signature, bundled.certs);
  const counter = attributeValue(attrs, OID_COUNTER_SIGNATURE, parseSignerInfo);
  if (counter === undefined) return undefined;
  // relic passes no saved certificate-parse error here.
  verifySignerInfo(counter, si.signature, { certs: bundled.certs, error: undefined });
  return { kind: 'counter-signature', signingTime: signingTime(counter) };
}
