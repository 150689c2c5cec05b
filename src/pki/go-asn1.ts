/**
 * Reading a DER structure field by field as Go's encoding/asn1 fills a struct (what Rekor's Go
 * code, relic's pkcs7 and pkcs9 included, does): elements with definite, minimal lengths
 * (der.ts's readGoAsn1); a required field of the wrong tag is a structure error, a missing one a
 * syntax error; an OPTIONAL field is consumed only when its tag matches; whatever follows the
 * last field is left unread, as Go ignores it. Errors are RekorError('invalid_entry') with Go's
 * `asn1:` wording and the field named; malformed element headers surface as der.ts's DerError,
 * for the caller to word (see `guardedAsn1`).
 */
import { RekorError } from '../errors.js';
import { DerError, readGoAsn1, type GoAsn1Element } from './der.js';

export interface Asn1Element extends GoAsn1Element {
  /** Offset of the identifier octet. */
  readonly start: number;
}

const UNIVERSAL = 0;
const CONTEXT = 2;

function fail(message: string): never {
  throw new RekorError('invalid_entry', message);
}

/** Sequential reader over one constructed element's contents (or a whole buffer). */
export class GoAsn1Fields {
  private pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    private readonly limit = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.limit;
  }

  private peek(): Asn1Element | undefined {
    if (this.done) return undefined;
    return { ...readGoAsn1(this.buf, this.pos, this.limit), start: this.pos };
  }

  /** Any element (Go's RawValue). */
  any(what: string): Asn1Element {
    const el = this.peek();
    if (el === undefined) fail(`asn1: syntax error: sequence truncated (${what})`);
    this.pos = el.end;
    return el;
  }

  universal(tagNumber: number, constructed: boolean, what: string): Asn1Element {
    const el = this.any(what);
    if (el.tagClass !== UNIVERSAL || el.tagNumber !== tagNumber || el.constructed !== constructed) {
      fail(`asn1: structure error: tags don't match (${what})`);
    }
    return el;
  }

  /** An OPTIONAL universal element: consumed only when the next element carries that tag. */
  optionalUniversal(tagNumber: number, constructed: boolean): Asn1Element | undefined {
    return this.optional(UNIVERSAL, tagNumber, constructed);
  }

  /** An OPTIONAL `[n]` constructed element: consumed only when the next element carries that tag. */
  optionalContext(tagNumber: number): Asn1Element | undefined {
    return this.optional(CONTEXT, tagNumber, true);
  }

  private optional(tagClass: number, tagNumber: number, constructed: boolean): Asn1Element | undefined {
    const el = this.peek();
    if (el === undefined || el.tagClass !== tagClass || el.tagNumber !== tagNumber || el.constructed !== constructed) return undefined;
    this.pos = el.end;
    return el;
  }

  inside(el: Asn1Element): GoAsn1Fields {
    return new GoAsn1Fields(this.buf, el.contentStart, el.end);
  }

  /** The whole element, identifier to end. */
  bytes(el: Asn1Element): Uint8Array {
    return this.buf.subarray(el.start, el.end);
  }

  contents(el: Asn1Element): Uint8Array {
    return this.buf.subarray(el.contentStart, el.end);
  }
}

/** Runs `read`, turning a malformed element header into `asn1: syntax error: malformed <what>`. */
export function guardedAsn1<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof DerError) fail(`asn1: syntax error: malformed ${what}`);
    throw err;
  }
}
