/**
 * Signed-JAR verification as Rekor runs it (rekor pkg/types/jar/v0.0.1 fetchExternalEntities,
 * which calls relic's signjar.Verify): META-INF/*.* entries are checked against the metadata
 * size limit; the manifest and every signature file (*.SF) are read; each .SF must have a
 * signature block of the same base name (.RSA, .DSA, .EC or SIG-*) whose PKCS#7 SignedData
 * verifies over the .SF (with any RFC 3161 timestamp on it); the .SF's digest of the whole manifest must match (or, failing a
 * whole-file digest, the main-attributes digest and every section digest); every entry the
 * manifest lists must match its digests. Exactly one signer is allowed. relic walks Go maps,
 * so when several things are wrong the first error reported may differ; the verdict does not.
 * Errors are RekorError('invalid_entry') with Rekor's and relic's texts.
 */
import { createHash, type Hash } from 'node:crypto';
import { parseSignedData, verifyOptionalTimestamp, verifySignedData } from '../../pki/pkcs7/index.js';
import { invalidEntry } from '../go-decode.js';
import { ERR_LINE_ENDINGS, parseManifest, parseSection, splitManifest, type Section } from './manifest.js';
import type { ZipArchive, ZipEntry } from './zip.js';

const ERR_NO_DIGESTS = 'no recognized digests found';

const HASHES: Readonly<Record<string, string>> = { md5: 'md5', sha1: 'sha1', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' };

/** relic's x509tools.HashByName: lower-cased, first '-' removed (SHA-256 → sha256). */
function hashByName(name: string): string | undefined {
  const normal = name.toLowerCase().replace('-', '');
  return Object.hasOwn(HASHES, normal) ? HASHES[normal] : undefined;
}

class DigestError extends Error {}

interface Digester {
  readonly key: string;
  readonly value: string;
  readonly hash: Hash;
}

/** hashFile: the section's `<ALG>-Digest<suffix>` attributes as running hashes. */
function digesters(keys: Section, suffix: string): Digester[] {
  const want = `-Digest${suffix}`;
  const out: Digester[] = [];
  for (const [key, value] of keys) {
    if (!key.endsWith(want)) continue;
    const name = key.slice(0, key.length - want.length).toUpperCase();
    const algorithm = hashByName(name);
    if (algorithm === undefined) throw new DigestError(`unknown digest key in manifest: ${name}`);
    out.push({ key, value, hash: createHash(algorithm) });
  }
  if (out.length === 0) throw new DigestError(ERR_NO_DIGESTS);
  return out;
}

function finish(list: readonly Digester[]): void {
  for (const d of list) {
    const calculated = d.hash.digest('base64');
    if (calculated !== d.value) throw new DigestError(`${d.key} mismatch: manifest ${d.value} != calculated ${calculated}`);
  }
}

function checkDigests(keys: Section, content: Buffer, suffix: string): void {
  const list = digesters(keys, suffix);
  for (const d of list) d.hash.update(content);
  finish(list);
}

function digestMessage(err: unknown): string {
  if (err instanceof DigestError) return err.message;
  throw err;
}

/** verifySigFile: the .SF's digests of the manifest, whole or by section. */
function verifySignatureFile(sigfile: Buffer, manifest: Buffer): void {
  const sf = parseManifest(sigfile.toString('latin1'));
  try {
    checkDigests(sf.main, manifest, '-Manifest');
    return;
  } catch (err) {
    const message = digestMessage(err);
    if (message !== ERR_NO_DIGESTS) throw invalidEntry(`manifest signature: ${message}`);
  }
  const { sections, malformed } = splitManifest(manifest.toString('latin1'));
  if (malformed) throw invalidEntry(ERR_LINE_ENDINGS);
  const byName = new Map<string, string>();
  sections.forEach((section, i) => {
    if (i === 0) {
      try {
        checkDigests(sf.main, Buffer.from(section, 'latin1'), '-Manifest-Main-Attributes');
      } catch (err) {
        throw invalidEntry(`manifest main attributes signature: ${digestMessage(err)}`);
      }
      return;
    }
    const name = parseSection(section).get('Name') ?? '';
    if (name === '') throw invalidEntry('manifest has section with no "Name" attribute');
    byName.set(name, section);
  });
  for (const [name, keys] of sf.files) {
    const section = byName.get(name);
    if (section === undefined) throw invalidEntry(`manifest is missing signed section "${name}"`);
    try {
      checkDigests(keys, Buffer.from(section, 'latin1'), '');
    } catch (err) {
      throw invalidEntry(`manifest signature over section "${name}": ${digestMessage(err)}`);
    }
  }
}

/** verifyManifest: every entry named in the manifest against its digests. */
async function verifyEntries(zip: ZipArchive, manifest: Buffer): Promise<void> {
  const parsed = parseManifest(manifest.toString('latin1'));
  const byName = new Map<string, ZipEntry>();
  for (const e of zip.entries) byName.set(e.name, e);
  for (const [name, keys] of parsed.files) {
    if ((keys.get('Magic') ?? '') !== '') continue;
    const entry = byName.get(name);
    if (entry === undefined) throw invalidEntry(`file ${name} is in manifest but not JAR`);
    let list: Digester[];
    try {
      list = digesters(keys, '');
    } catch (err) {
      throw invalidEntry(`file "${name}" in MANIFEST.MF: ${digestMessage(err)}`);
    }
    await zip.stream(entry, (chunk) => {
      for (const d of list) d.hash.update(chunk);
    });
    try {
      finish(list);
    } catch (err) {
      throw invalidEntry(`file "${name}" in MANIFEST.MF: ${digestMessage(err)}`);
    }
  }
}

/** path.Split(strings.ToUpper(name)) for entries directly in META-INF/ with a dot in the name. */
function metaInfName(entryName: string): { base: string; ext: string; name: string } | undefined {
  // ASCII only: the names that matter are ASCII, and JS's full case mapping (ß → SS) is not Go's.
  const upper = entryName.replace(/[a-z]+/gu, (m) => m.toUpperCase());
  const slash = upper.lastIndexOf('/');
  if (upper.slice(0, slash + 1) !== 'META-INF/') return undefined;
  const name = upper.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  if (name === '' || dot < 0) return undefined;
  return { base: name.slice(0, dot), ext: name.slice(dot), name };
}

function isSignatureBlock(m: { ext: string; name: string }): boolean {
  return m.ext === '.RSA' || m.ext === '.DSA' || m.ext === '.EC' || m.name.startsWith('SIG-');
}

/**
 * Verifies the signed JAR and returns the raw signature block Rekor records (the first
 * META-INF signature block in archive order). `maxMetadataSize` 0 means unlimited.
 */
export async function verifySignedJar(zip: ZipArchive, maxMetadataSize: number): Promise<Uint8Array> {
  for (const e of zip.entries) {
    if (metaInfName(e.name) === undefined) continue;
    if (maxMetadataSize > 0 && e.uncompressedSize > maxMetadataSize) {
      throw invalidEntry(`uncompressed jar metadata of size ${e.uncompressedSize} exceeds max allowed size ${maxMetadataSize}`);
    }
  }
  let manifest: Buffer | undefined;
  const sigfiles = new Map<string, Buffer>();
  const blocks = new Map<string, Buffer>();
  let firstBlock: Buffer | undefined;
  for (const e of zip.entries) {
    const m = metaInfName(e.name);
    if (m === undefined) continue;
    const contents = await zip.read(e);
    if (m.name === 'MANIFEST.MF') manifest = contents;
    else if (m.ext === '.SF') sigfiles.set(m.base, contents);
    else if (isSignatureBlock(m)) {
      blocks.set(m.base, contents);
      firstBlock ??= contents;
    }
  }
  if (manifest === undefined) throw invalidEntry('JAR contains no META-INF/MANIFEST.MF');
  if (sigfiles.size === 0) throw invalidEntry('JAR contains no signatures');
  for (const [base, sigfile] of sigfiles) {
    const block = blocks.get(base);
    if (block === undefined) throw invalidEntry(`JAR contains sigfile META-INF/${base}.SF with no matching signature`);
    // relic reads the block as DER only (Rekor's PEM-or-DER rule applies later, to the stored copy).
    const signedData = parseSignedData(block);
    const signers = verifySignedData(signedData, sigfile);
    // relic checks the timestamp of the last signer info only (the one its Verify returns).
    const last = signers[signers.length - 1];
    if (last !== undefined) verifyOptionalTimestamp(last.signerInfo, signedData);
    verifySignatureFile(sigfile, manifest);
  }
  await verifyEntries(zip, manifest);
  if (sigfiles.size > 1) throw invalidEntry('multiple signatures detected in JAR; unable to process');
  if (firstBlock === undefined) throw invalidEntry('unable to locate signature in JAR file');
  return firstBlock;
}

