/**
 * The SSH wire encoding (RFC 4251 §5) that SSHSIG and public key blobs use: uint32 lengths
 * followed by bytes. The reader never reads past its buffer and refuses any field longer than
 * what remains, so hostile lengths cost nothing; errors are RekorError('invalid_entry').
 */
import { RekorError } from '../../errors.js';

export class WireReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** Names the structure in error messages. */
    private readonly what: string,
  ) {}

  get done(): boolean {
    return this.offset === this.bytes.length;
  }

  private fail(): never {
    throw new RekorError('invalid_entry', `ssh: short read in ${this.what}`);
  }

  raw(length: number): Uint8Array {
    if (length > this.bytes.length - this.offset) this.fail();
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  uint32(): number {
    const b = this.raw(4);
    return ((b[0] as number) * 0x1000000) + (((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number));
  }

  string(): Uint8Array {
    return this.raw(this.uint32());
  }

  text(): string {
    return Buffer.from(this.string()).toString('latin1');
  }

  rest(): Uint8Array {
    return this.raw(this.bytes.length - this.offset);
  }

  /** Go's ssh.Unmarshal refuses trailing bytes after the last field. */
  end(): void {
    if (!this.done) throw new RekorError('invalid_entry', `ssh: junk at end of ${this.what}`);
  }
}

/** Concatenates SSH `string` fields (length-prefixed) and raw parts. */
export function wireString(...fields: Array<Uint8Array | string>): Uint8Array {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const bytes = typeof field === 'string' ? Buffer.from(field, 'latin1') : Buffer.from(field);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return new Uint8Array(Buffer.concat(parts));
}

export function uint32(value: number): Uint8Array {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return new Uint8Array(out);
}

/** An SSH mpint as an unsigned big-endian magnitude; negative values are refused. */
export function positiveMpint(value: Uint8Array, what: string): Uint8Array {
  if (value.length > 0 && ((value[0] as number) & 0x80) !== 0) {
    throw new RekorError('invalid_entry', `ssh: negative ${what}`);
  }
  let start = 0;
  while (start < value.length && value[start] === 0) start++;
  return value.subarray(start);
}
