/** Lower-case hex, the encoding Rekor's v1 API uses for hashes and log IDs. */
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Decodes hex of either case; undefined when `text` is not whole bytes of hex digits. */
export function parseHex(text: string): Uint8Array | undefined {
  if (!HEX.test(text)) return undefined;
  return Uint8Array.from(Buffer.from(text, 'hex'));
}
