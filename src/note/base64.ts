/**
 * Standard (RFC 4648 §4) padded base64, decoded strictly: only the standard alphabet, correct
 * padding, no whitespace, and canonical (unused trailing bits zero). Go's StdEncoding would also
 * take non-canonical text, but no signer writes it, and insisting on one spelling per byte
 * string keeps a signature line unmalleable and `serialize(parse(x)) === x`.
 */
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The decoded bytes, or undefined when `text` is not canonical padded standard base64. */
export function decodeStdBase64(text: string): Uint8Array | undefined {
  if (!STD_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return Uint8Array.from(bytes);
}

export function encodeStdBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
