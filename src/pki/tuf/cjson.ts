/**
 * The canonical JSON that TUF signatures cover (securesystemslib / OLPC canonical JSON, as
 * go-securesystemslib's cjson.EncodeCanonical writes it): no whitespace, object keys sorted by
 * their UTF-8 bytes, only `"` and `\` escaped in strings, integers only. Returns undefined for a
 * value it cannot encode (a non-integral number), which makes that signature not count, as in Go.
 * The caller bounds the nesting depth.
 */

function encodeString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function canonicalJson(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return encodeString(value);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const encoded = canonicalJson(item);
      if (encoded === undefined) return undefined;
      parts.push(encoded);
    }
    return `[${parts.join(',')}]`;
  }
  if (typeof value !== 'object') return undefined;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object).sort(compareUtf8)) {
    const encoded = canonicalJson(object[key]);
    if (encoded === undefined) return undefined;
    parts.push(`${encodeString(key)}:${encoded}`);
  }
  return `{${parts.join(',')}}`;
}
