/**
 * A Name in LDAP style as relic prints it in `certificate missing from signedData` (RFC 2253
 * order, most specific RDN first, `, ` between RDNs and ` + ` within one; values quoted when
 * they hold a special character). Strings print as text, integers in decimal, OIDs dotted,
 * anything else as `<invalid>`; an unreadable Name as `<invalid>`.
 */
import { DerReader, Tag, isMinimalInteger, oidToString, type Tlv } from '../der.js';

const SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'], ['2.5.4.4', 'surname'], ['2.5.4.5', 'serialNumber'], ['2.5.4.6', 'C'], ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'], ['2.5.4.9', 'street'], ['2.5.4.10', 'O'], ['2.5.4.11', 'OU'], ['2.5.4.12', 'title'],
  ['2.5.4.13', 'description'], ['2.5.4.17', 'postalCode'], ['2.5.4.18', 'postOfficeBox'], ['2.5.4.20', 'telephoneNumber'],
  ['2.5.4.42', 'givenName'], ['2.5.4.43', 'initials'], ['0.9.2342.19200300.100.1.1', 'UID'],
  ['0.9.2342.19200300.100.1.25', 'dc'], ['1.2.840.113549.1.9.1', 'emailAddress'],
]);

const INVALID = '<invalid>';
const TEXT_TAGS = new Set([0x0c, 0x12, 0x13, 0x14, 0x16, 0x1b]);
const BMP_STRING = 0x1e;

function valueText(tlv: Tlv | undefined, content: Uint8Array): string {
  if (tlv === undefined) return INVALID;
  let value: string;
  if (TEXT_TAGS.has(tlv.tag)) value = Buffer.from(content).toString(tlv.tag === 0x0c ? 'utf8' : 'latin1');
  else if (tlv.tag === BMP_STRING && content.length % 2 === 0) value = Buffer.from(content).swap16().toString('utf16le');
  else if (tlv.tag === Tag.INTEGER && isMinimalInteger(content)) value = BigInt.asIntN(content.length * 8, BigInt(`0x${Buffer.from(content).toString('hex')}`)).toString();
  else if (tlv.tag === Tag.OID) value = oidToString(content);
  else return INVALID;
  const quote = value.length === 0 || /[,+=\n<>#;'"]/u.test(value);
  value = value.replaceAll('"', '""');
  return quote ? `"${value}"` : value;
}

export function formatName(der: Uint8Array): string {
  try {
    const top = new DerReader(der);
    const rdns = top.enter(top.read(Tag.SEQUENCE));
    const parts: string[] = [];
    while (!rdns.done) {
      const set = rdns.enter(rdns.read());
      const values: string[] = [];
      while (!set.done) {
        const atv = set.enter(set.read());
        const type = atv.read();
        if (type.tag !== Tag.OID) {
          values.push(INVALID);
          continue;
        }
        const oid = oidToString(atv.contents(type));
        const value = atv.done ? undefined : atv.read();
        values.push(`${SHORT_NAMES.get(oid) ?? oid}=${valueText(value, value === undefined ? new Uint8Array() : atv.contents(value))}`);
      }
      parts.push(values.join(' + '));
    }
    return parts.reverse().join(', ');
  } catch {
    return INVALID;
  }
}
