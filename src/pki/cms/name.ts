/**
 * A Name in LDAP style as relic prints it in `certificate missing from signedData` (RFC 2253
 * order, most specific RDN first, `, ` between RDNs and ` + ` within one; values quoted when
 * they hold a special character). Strings print as text, integers in decimal, OIDs dotted,
 * anything else as `<invalid>`.
 */
import { parseDer, readBigInt, readOid, UNIVERSAL, type Asn1Node } from './asn1.js';

const SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  ['2.5.4.3', 'CN'], ['2.5.4.4', 'surname'], ['2.5.4.5', 'serialNumber'], ['2.5.4.6', 'C'], ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'], ['2.5.4.9', 'street'], ['2.5.4.10', 'O'], ['2.5.4.11', 'OU'], ['2.5.4.12', 'title'],
  ['2.5.4.13', 'description'], ['2.5.4.17', 'postalCode'], ['2.5.4.18', 'postOfficeBox'], ['2.5.4.20', 'telephoneNumber'],
  ['2.5.4.42', 'givenName'], ['2.5.4.43', 'initials'], ['0.9.2342.19200300.100.1.1', 'UID'],
  ['0.9.2342.19200300.100.1.25', 'dc'], ['1.2.840.113549.1.9.1', 'emailAddress'],
]);

const INVALID = '<invalid>';
const TEXT_TAGS = new Set([12, 18, 19, 20, 22, 27]);

function valueText(node: Asn1Node | undefined): string {
  if (node === undefined || node.tagClass !== 'universal' || node.constructed) return INVALID;
  let value: string;
  if (TEXT_TAGS.has(node.tag)) value = Buffer.from(node.content).toString(node.tag === 12 ? 'utf8' : 'latin1');
  else if (node.tag === 30 && node.content.length % 2 === 0) value = Buffer.from(node.content).swap16().toString('utf16le');
  else if (node.tag === UNIVERSAL.INTEGER) value = readBigInt(node, 'AttributeValue').toString();
  else if (node.tag === UNIVERSAL.OID) value = readOid(node, 'AttributeValue');
  else return INVALID;
  const quote = value.length === 0 || /[,+=\n<>#;'"]/u.test(value);
  value = value.replaceAll('"', '""');
  return quote ? `"${value}"` : value;
}

export function formatName(der: Uint8Array): string {
  try {
    const rdns = parseDer(der).node.children;
    const parts: string[] = [];
    for (let i = rdns.length - 1; i >= 0; i--) {
      const rdn = (rdns[i] as Asn1Node).children.map((atv) => {
        const [type, value] = atv.children;
        if (type === undefined || type.tag !== UNIVERSAL.OID) return INVALID;
        const oid = readOid(type, 'AttributeType');
        return `${SHORT_NAMES.get(oid) ?? oid}=${valueText(value)}`;
      });
      parts.push(rdn.join(' + '));
    }
    return parts.join(', ');
  } catch {
    return INVALID;
  }
}
