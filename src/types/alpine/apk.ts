/**
 * Reading an Alpine package (.apk) as Rekor does (pkg/types/alpine/apk.go Package.Unmarshal).
 * An .apk is three gzip members back to back: the signature tar (`.SIGN.RSA.<key>.rsa.pub`), the
 * control tar (`.PKGINFO`, install scripts) and the data tar; abuild cuts the end-of-archive
 * blocks from the first two. Rekor keeps the first `.SIGN*` member (PEM-decoded if it is PEM), the
 * SHA-1 of the control member's raw gzip bytes (what abuild-sign signs), the `.PKGINFO` key/values,
 * and checks `datahash` in `.PKGINFO` against the SHA-256 of the raw data member bytes (all bytes
 * after the control member). Errors are Rekor's texts, in Rekor's order.
 *
 * Bounds: the signature member inflates to at most `maxMetadataSize` bytes (20 MiB when that is 0),
 * as in Rekor; the control member, which Rekor inflates without a bound, is capped here too (see
 * controlCap). `.SIGN`/`.PKGINFO` members larger than `maxMetadataSize` are refused before they are
 * read. The data member is hashed, never inflated.
 */
import { createHash } from 'node:crypto';
import { extract as tarExtract } from 'tar-stream';
import { decodePem } from '../../pki/pem.js';
import { decodeHex, invalidEntry } from '../go-decode.js';
import { readGzipMember } from './gzip-member.js';
import { PkginfoError, parsePkginfo } from './pkginfo.js';

export interface ApkPackage {
  /** `.PKGINFO` key/values (the last `.PKGINFO` member wins, as in Rekor). */
  readonly pkginfo: ReadonlyMap<string, string>;
  /** The first `.SIGN*` member's content, PEM-decoded when it holds a PEM block. */
  readonly signature: Uint8Array;
  /** SHA-1 of the raw control.tar.gz member, header to trailer. */
  readonly controlSha1: Uint8Array;
}

/** Rekor's cap on the signature member when `max_apk_metadata_size` is 0 (unlimited). */
const UNLIMITED_SIGNATURE_CAP = 20 * 1024 * 1024;
/**
 * The control member's inflated size. Rekor has no bound here (a bomb there would exhaust its
 * memory); this one leaves room for a `.PKGINFO` of the full metadata size plus scripts.
 */
function controlCap(maxMetadataSize: number): number {
  return Math.max(UNLIMITED_SIGNATURE_CAP, 2 * maxMetadataSize);
}

interface TarMember {
  readonly name: string;
  readonly size: number;
  /** Reads the member's content; call at most once, before the next member. */
  readonly read: () => Promise<Buffer>;
}

/** Go's archive/tar error texts for what tar-stream reports. */
function tarFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message === 'Unexpected end of data' ? 'unexpected EOF' : 'archive/tar: invalid tar header';
}

function isZeroBlock(tar: Buffer, at: number): boolean {
  for (let i = at; i < at + 512; i++) if (tar[i] !== 0) return false;
  return true;
}

/**
 * Go's archive/tar at a header position: a zero block ends the archive if another zero block (or
 * nothing) follows, whatever comes after; a zero block followed by anything else is a bad header.
 * tar-stream would skip zero blocks and read on, so this is decided here. Returns 'more' when a
 * header (or a truncated tail, which tar-stream reports) is next.
 */
function endOfArchive(tar: Buffer, at: number): 'more' | 'end' | 'unexpected EOF' | 'archive/tar: invalid tar header' {
  if (at + 512 > tar.length || !isZeroBlock(tar, at)) return 'more';
  if (at + 512 === tar.length) return 'end';
  if (at + 1024 > tar.length) return 'unexpected EOF';
  return isZeroBlock(tar, at + 512) ? 'end' : 'archive/tar: invalid tar header';
}

/**
 * Visits every member of an in-memory tar (no end-of-archive blocks needed). `visit` may read the
 * member; otherwise its content is skipped. Header/stream failures become
 * `getting next entry in tar archive: <reason>`; errors `visit` throws pass through.
 */
async function forEachTarMember(tar: Buffer, visit: (member: TarMember) => Promise<void>): Promise<void> {
  // Options the typings omit: byte-exact names (Go's are bytes) and V7 headers (Go reads them).
  const options = { filenameEncoding: 'latin1', allowUnknownFormat: true } as Parameters<typeof tarExtract>[0];
  const extract = tarExtract(options);
  extract.end(tar);
  const iterator = extract[Symbol.asyncIterator]();
  let nextHeader = 0;
  try {
    for (;;) {
      const end = endOfArchive(tar, nextHeader);
      if (end === 'end') return;
      if (end !== 'more') throw invalidEntry(`getting next entry in tar archive: ${end}`);
      let step: Awaited<ReturnType<typeof iterator.next>>;
      try {
        step = await iterator.next();
      } catch (err) {
        throw invalidEntry(`getting next entry in tar archive: ${tarFailure(err)}`);
      }
      if (step.done === true) return;
      const entry = step.value;
      // Where tar-stream will look for the next header: after the content, padded to a block
      // (directories have none). `byteOffset`, the content's offset, is missing from the typings.
      const { size, type, byteOffset } = entry.header as typeof entry.header & { byteOffset: number };
      nextHeader = byteOffset + (type === 'directory' ? 0 : Math.ceil(size / 512) * 512);
      let consumed = false;
      const read = async (): Promise<Buffer> => {
        consumed = true;
        const chunks: Buffer[] = [];
        try {
          for await (const chunk of entry) chunks.push(chunk as Buffer);
        } catch (err) {
          throw invalidEntry(`getting next entry in tar archive: ${tarFailure(err)}`);
        }
        return Buffer.concat(chunks);
      };
      await visit({ name: entry.header.name, size, read });
      if (!consumed) entry.resume();
    }
  } finally {
    extract.destroy();
  }
}

function exceedsLimit(size: number, limit: number): boolean {
  return limit > 0 && size > limit;
}

async function readSignature(tar: Buffer, maxMetadataSize: number): Promise<Uint8Array> {
  let signature: Uint8Array | undefined;
  await forEachTarMember(tar, async (member) => {
    if (!member.name.startsWith('.SIGN') || signature !== undefined) return;
    if (member.size < 0) throw invalidEntry('negative header size for .SIGN file');
    if (exceedsLimit(member.size, maxMetadataSize)) {
      throw invalidEntry(`uncompressed .SIGN file size ${member.size} exceeds max allowed size ${maxMetadataSize}`);
    }
    const content = await member.read();
    const { block } = decodePem(content);
    signature = block === undefined ? content : block.bytes;
  });
  if (signature === undefined) throw invalidEntry('no signature detected in alpine package');
  return signature;
}

async function readPkginfo(tar: Buffer, maxMetadataSize: number): Promise<{ pkginfo: Map<string, string>; datahash: Uint8Array }> {
  let found: { pkginfo: Map<string, string>; datahash: Uint8Array } | undefined;
  await forEachTarMember(tar, async (member) => {
    if (member.name !== '.PKGINFO') return;
    if (member.size < 0) throw invalidEntry('negative header size for .PKGINFO file');
    if (exceedsLimit(member.size, maxMetadataSize)) {
      throw invalidEntry(`uncompressed .PKGINFO file size ${member.size} exceeds max allowed size ${maxMetadataSize}`);
    }
    let pkginfo: Map<string, string>;
    try {
      pkginfo = parsePkginfo(await member.read());
    } catch (err) {
      if (err instanceof PkginfoError) throw invalidEntry(`parsing .PKGINFO: ${err.message}`);
      throw err;
    }
    let datahash: Uint8Array;
    try {
      datahash = decodeHex(pkginfo.get('datahash') ?? '');
    } catch (err) {
      throw invalidEntry(`parsing datahash: ${err instanceof Error ? err.message : String(err)}`);
    }
    found = { pkginfo, datahash };
  });
  if (found === undefined) throw invalidEntry('.PKGINFO file was not located');
  return found;
}

/** Parses and checks an .apk; throws RekorError('invalid_entry') with Rekor's texts. */
export async function parseApk(apk: Uint8Array, maxMetadataSize: number): Promise<ApkPackage> {
  const input = Buffer.from(apk.buffer, apk.byteOffset, apk.byteLength);
  const signatureCap = maxMetadataSize === 0 ? UNLIMITED_SIGNATURE_CAP : maxMetadataSize;

  const signatureMember = readGzipMember(input, 0, signatureCap);
  if (!signatureMember.ok) {
    if (signatureMember.stage === 'cap') {
      throw invalidEntry(`decompressed size (${signatureMember.size}) for signature.tar.gz exceeds max allowed size ${signatureCap}`);
    }
    throw invalidEntry(signatureMember.stage === 'header' ? `create gzip reader: ${signatureMember.error}` : `reading signature.tar.gz: ${signatureMember.error}`);
  }

  const controlStart = signatureMember.end;
  let controlTar: Buffer;
  let controlEnd: number;
  const cap = controlCap(maxMetadataSize);
  const controlMember = readGzipMember(input, controlStart, cap);
  if (controlMember.ok) {
    controlTar = controlMember.output;
    controlEnd = controlMember.end;
  } else if (controlMember.stage === 'header' && controlMember.error === 'EOF') {
    // Nothing after the signature: Rekor reads an empty control tar and fails on .PKGINFO later.
    controlTar = Buffer.alloc(0);
    controlEnd = input.length;
  } else if (controlMember.stage === 'cap') {
    throw invalidEntry(`decompressed size (${controlMember.size}) for control.tar.gz exceeds max allowed size ${cap}`);
  } else {
    throw invalidEntry(controlMember.stage === 'header' ? `resetting to control.tar.gz: ${controlMember.error}` : `reading control.tar.gz: ${controlMember.error}`);
  }
  const controlSha1 = createHash('sha1').update(input.subarray(controlStart, controlEnd)).digest();

  const signature = await readSignature(signatureMember.output, maxMetadataSize);
  const { pkginfo, datahash } = await readPkginfo(controlTar, maxMetadataSize);

  const computed = createHash('sha256').update(input.subarray(controlEnd)).digest();
  if (!computed.equals(datahash)) {
    throw invalidEntry(`checksum for data.tar.gz (${computed.toString('hex')}) does not match value from .PKGINFO (${Buffer.from(datahash).toString('hex')})`);
  }
  return { pkginfo, signature, controlSha1 };
}
