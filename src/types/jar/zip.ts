/**
 * Reading a JAR (zip) from memory with yauzl, bounded against hostile archives: a cap on the
 * entry count taken from the end-of-central-directory record before any entry is read, a cap on
 * the bytes inflated over the whole archive, a cap on each entry's compression ratio, inflated
 * sizes that must equal the declared ones (yauzl stops a stream that overruns), and CRC-32 and
 * the central directory's extent checked as Go's archive/zip does. Names are kept as raw bytes
 * (latin1 strings), as Go compares them. Every failure is RekorError('invalid_entry') with a
 * `zip: …` text.
 */
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { invalidEntry } from '../go-decode.js';

export interface ZipLimits {
  /** Entries in the central directory. */
  readonly maxEntries: number;
  /** Bytes inflated over all reads of one archive. */
  readonly maxInflatedBytes: number;
  /** Largest inflated/compressed ratio for an entry bigger than `ratioFreeBytes`. */
  readonly maxRatio: number;
  readonly ratioFreeBytes: number;
}

// Far above real JARs (the JDK's own modules hold ~30k entries; deflate reaches ~5-20x on
// classes and text), far below what a bomb needs.
export const DEFAULT_ZIP_LIMITS: ZipLimits = Object.freeze({
  maxEntries: 100_000,
  maxInflatedBytes: 512 * 1024 * 1024,
  maxRatio: 200,
  ratioFreeBytes: 1024 * 1024,
});

export interface ZipEntry {
  /** The stored name's bytes as a latin1 string (no charset decoding, as Go keeps them). */
  readonly name: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
  readonly entry: yauzl.Entry;
}

function zipError(detail: string): never {
  throw invalidEntry(`zip: not a valid zip file: ${detail}`);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIZE = 22;

/**
 * Where Go's archive/zip finds the end record: the last signature in the final 65 KiB whose
 * comment fits in the file. Bytes after the comment are ignored by Go (yauzl refuses them), so
 * the archive is cut there before yauzl sees it.
 */
function endOfArchive(buffer: Buffer): { eocd: number; end: number } {
  for (let at = buffer.length - EOCD_SIZE; at >= Math.max(0, buffer.length - 65 * 1024); at--) {
    if (buffer.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    const end = at + EOCD_SIZE + buffer.readUInt16LE(at + 20);
    if (end > buffer.length) break;
    return { eocd: at, end };
  }
  zipError('end of central directory record not found');
}

/**
 * Two checks Go's archive/zip makes and yauzl does not: the directory size must fit in the file,
 * and the directory must hold no more records than the end record declares (Go reads records
 * until one fails to parse, then compares the count).
 */
function checkDirectory(buffer: Buffer, eocd: number, zip: yauzl.ZipFile): void {
  const size = buffer.readUInt32LE(eocd + 12);
  if (size !== 0xffffffff && size > buffer.length) zipError('central directory larger than the file');
  // After the last entry yauzl's cursor sits just past the records it read.
  const end = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
  if (end + 4 <= buffer.length && buffer.readUInt32LE(end) === CENTRAL_SIGNATURE) {
    zipError('central directory holds more records than the end record declares');
  }
}

export class ZipArchive {
  private inflated = 0;

  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: readonly ZipEntry[],
    private readonly limits: ZipLimits,
  ) {}

  static async open(data: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipArchive> {
    const whole = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const { eocd, end } = endOfArchive(whole);
    const buffer = whole.subarray(0, end);
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: false }, (err, z) => {
        if (err !== null) reject(err);
        else resolve(z);
      });
    }).catch((err: unknown) => zipError(describe(err)));
    if (zip.entryCount > limits.maxEntries) {
      throw invalidEntry(`zip: archive declares ${zip.entryCount} entries, more than the ${limits.maxEntries} allowed`);
    }
    const entries = await new Promise<ZipEntry[]>((resolve, reject) => {
      const out: ZipEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        // With decodeStrings off yauzl hands the raw name bytes over as a Buffer.
        const raw = entry.fileName as unknown as Buffer | string;
        const name = typeof raw === 'string' ? raw : raw.toString('latin1');
        out.push({ name, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize, crc32: entry.crc32, entry });
        zip.readEntry();
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    }).catch((err: unknown) => zipError(describe(err)));
    checkDirectory(buffer, eocd, zip);
    return new ZipArchive(zip, entries, limits);
  }

  /** Checks the budgets for reading `e` whole; throws before any byte is inflated. */
  private reserve(e: ZipEntry): void {
    const { maxInflatedBytes, maxRatio, ratioFreeBytes } = this.limits;
    if (e.uncompressedSize > ratioFreeBytes && e.uncompressedSize > Math.max(e.compressedSize, 1) * maxRatio) {
      throw invalidEntry(`zip: entry ${JSON.stringify(e.name)} inflates ${e.compressedSize} bytes to ${e.uncompressedSize}, a ratio above ${maxRatio}`);
    }
    if (this.inflated + e.uncompressedSize > maxInflatedBytes) {
      throw invalidEntry(`zip: archive inflates to more than ${maxInflatedBytes} bytes`);
    }
    this.inflated += e.uncompressedSize;
  }

  /** Streams one entry's inflated bytes to `sink`; the total and CRC-32 are checked at the end. */
  async stream(e: ZipEntry, sink: (chunk: Buffer) => void): Promise<void> {
    this.reserve(e);
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      this.zip.openReadStream(e.entry, (err, s) => (err !== null ? reject(err) : resolve(s)));
    }).catch((err: unknown) => {
      throw invalidEntry(`zip: cannot read ${JSON.stringify(e.name)}: ${describe(err)}`);
    });
    let crc = 0;
    let total = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        total += chunk.length;
        // yauzl already errors past the declared size; this keeps the bound local and explicit.
        if (total > e.uncompressedSize) throw new Error('too many bytes in the stream');
        crc = crc32(chunk, crc);
        sink(chunk);
      }
    } catch (err) {
      throw invalidEntry(`zip: cannot read ${JSON.stringify(e.name)}: ${describe(err)}`);
    }
    if (total !== e.uncompressedSize) throw invalidEntry(`zip: cannot read ${JSON.stringify(e.name)}: unexpected EOF`);
    // Go's archive/zip skips the check when the recorded CRC is zero.
    if (e.crc32 !== 0 && crc >>> 0 !== e.crc32 >>> 0) throw invalidEntry(`zip: checksum error in ${JSON.stringify(e.name)}`);
  }

  async read(e: ZipEntry): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.stream(e, (c) => chunks.push(c));
    return Buffer.concat(chunks);
  }
}
