/**
 * Subject Alternative Names read from the extension's DER, with the rules of Go's x509 parser
 * (Rekor's index keys are the names Go extracts: DNS, email, IP in Go's text form, URI) and
 * sigstore's reading of its OtherName SAN (OID 1.3.6.1.4.1.57264.1.7, a UTF-8 identity such as a
 * username). node:crypto only offers SANs as display text, and no OtherName at all, hence the walk.
 * Malformed names throw RekorError('invalid_entry') with Go's text (the certificate is refused).
 */
import { RekorError } from '../../errors.js';
import { DerError, readGoAsn1, oidToString, type GoAsn1Element } from '../der.js';

export interface SubjectAltNames {
  readonly dnsNames: readonly string[];
  readonly emailAddresses: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly uris: readonly string[];
}

export const SIGSTORE_OTHERNAME_OID = '1.3.6.1.4.1.57264.1.7';

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

function ia5(data: Uint8Array, what: string): string {
  for (const byte of data) if (byte >= 0x80) fail(`x509: SAN ${what} is malformed`);
  return Buffer.from(data).toString('latin1');
}

/** Go's net.IP.String for 4- and 16-byte addresses (IPv4-mapped IPv6 prints as IPv4). */
export function formatIp(ip: Uint8Array): string {
  const mapped = ip.length === 16 && ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
  if (ip.length === 4 || mapped) return Array.from(ip.subarray(ip.length - 4)).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip[i] as number) << 8) | (ip[i + 1] as number));
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function checkUri(uri: string): void {
  // Go's url.Parse refuses ASCII control characters; the rest of its grammar is not mirrored.
  if (/[\x00-\x1f\x7f]/.test(uri)) fail(`x509: cannot parse URI ${JSON.stringify(uri)}: net/url: invalid control character in URL`);
}

/** The names of one subjectAltName extension value (a GeneralNames SEQUENCE). */
export function parseSubjectAltNames(value: Uint8Array): SubjectAltNames {
  const names = { dnsNames: [] as string[], emailAddresses: [] as string[], ipAddresses: [] as string[], uris: [] as string[] };
  let seq: GoAsn1Element;
  try {
    seq = readGoAsn1(value, 0, value.length);
    if (seq.tagClass !== 0 || !seq.constructed || seq.tagNumber !== 16) throw new DerError();
  } catch {
    fail('x509: invalid subject alternative names');
  }
  for (let pos = seq.contentStart; pos < seq.end; ) {
    let name: GoAsn1Element;
    try {
      name = readGoAsn1(value, pos, seq.end);
    } catch {
      fail('x509: invalid subject alternative name');
    }
    pos = name.end;
    if (name.tagClass !== 2 || name.constructed) continue;
    const data = value.subarray(name.contentStart, name.end);
    if (name.tagNumber === 1) names.emailAddresses.push(ia5(data, 'rfc822Name'));
    else if (name.tagNumber === 2) names.dnsNames.push(ia5(data, 'dNSName'));
    else if (name.tagNumber === 6) {
      const uri = ia5(data, 'uniformResourceIdentifier');
      checkUri(uri);
      names.uris.push(uri);
    } else if (name.tagNumber === 7) {
      if (data.length !== 4 && data.length !== 16) fail(`x509: cannot parse IP address of length ${data.length}`);
      names.ipAddresses.push(formatIp(data));
    }
  }
  return names;
}

const STRING_TAGS = new Set([0x0c, 0x13, 0x16]); // UTF8String, PrintableString, IA5String

/** One OtherName ([0] { OID, [0] EXPLICIT string }); undefined if it is not well formed. */
function readOtherName(buf: Uint8Array, element: GoAsn1Element): { oid: string; value: string } | undefined {
  try {
    const oidTlv = readGoAsn1(buf, element.contentStart, element.end);
    if (oidTlv.tagClass !== 0 || oidTlv.tagNumber !== 6) return undefined;
    const oid = oidToString(buf.subarray(oidTlv.contentStart, oidTlv.end));
    const wrapper = readGoAsn1(buf, oidTlv.end, element.end);
    if (wrapper.tagClass !== 2 || !wrapper.constructed || wrapper.tagNumber !== 0) return undefined;
    const inner = readGoAsn1(buf, wrapper.contentStart, wrapper.end);
    const tag = (inner.tagClass << 6) | inner.tagNumber;
    if (!STRING_TAGS.has(tag) || inner.constructed) return undefined;
    const bytes = buf.subarray(inner.contentStart, inner.end);
    const value = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { oid, value };
  } catch {
    return undefined;
  }
}

/**
 * sigstore's UnmarshalOtherNameSAN: the single OtherName across the SAN extensions. Any
 * malformed OtherName, one with another OID, or more than one, yields none (sigstore's error is
 * swallowed by its caller, so the certificate stays acceptable).
 */
export function sigstoreOtherName(sanValues: readonly Uint8Array[]): string | undefined {
  const found: string[] = [];
  for (const value of sanValues) {
    let seq: GoAsn1Element;
    try {
      seq = readGoAsn1(value, 0, value.length);
    } catch {
      return undefined;
    }
    if (seq.end !== value.length || seq.tagClass !== 0 || !seq.constructed || seq.tagNumber !== 16) return undefined;
    for (let pos = seq.contentStart; pos < seq.end; ) {
      let element: GoAsn1Element;
      try {
        element = readGoAsn1(value, pos, seq.end);
      } catch {
        return undefined;
      }
      pos = element.end;
      if (element.tagNumber !== 0) continue;
      const other = element.tagClass === 2 && element.constructed ? readOtherName(value, element) : undefined;
      if (other === undefined || other.oid !== SIGSTORE_OTHERNAME_OID) return undefined;
      found.push(other.value);
    }
  }
  return found.length === 1 ? found[0] : undefined;
}
