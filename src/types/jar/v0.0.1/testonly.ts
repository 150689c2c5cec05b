/**
 * Test helpers: the JDK's own tools build and sign real JARs (keytool makes RSA or EC keys with
 * self-signed certificates, `jar` packs, `jarsigner` signs), so the tests check our verifier
 * against archives it did not produce; `openssl cms` and `openssl ts` make the signature-block
 * variants jarsigner does not (no signed attributes, an RFC 3161 timestamp token; pki/pkcs7's OpensslWorkspace). One workspace
 * per test file (JVM start-up dominates); call `dispose()` at the end. `entriesOf`/`zipOf` take a
 * JAR apart and write a plain zip again, to tamper with entries.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { DerReader, Tag, encodeTlv } from '../../../pki/der.js';
import { OpensslWorkspace } from '../../../pki/pkcs7/testonly.js';

export type Spec = { [key: string]: unknown };

export const FILES: Readonly<Record<string, string>> = {
  'com/example/Hello.class': 'not really bytecode, but jarsigner does not care\n',
  'com/example/data.txt': 'some resource\n'.repeat(50),
  'README.md': '# hello\n',
};

export interface JarWorkspace {
  readonly dir: string;
  /** A keystore alias with a fresh key; `keyalg` RSA or EC. */
  makeKey(alias: string, keyalg: 'RSA' | 'EC', dname?: string): void;
  /** An unsigned JAR of `files` (default FILES). */
  unsignedJar(files?: Readonly<Record<string, string | Uint8Array>>): Buffer;
  /** `jar` signed with each alias in turn. */
  sign(jar: Buffer, ...aliases: string[]): Buffer;
  /** `jar` signed with `alias`, passing `options` (e.g. `-sectionsonly`, `-digestalg`) to jarsigner. */
  signWith(jar: Buffer, alias: string, options: readonly string[]): Buffer;
  /** The alias's certificate, DER, as keytool exports it. */
  certificate(alias: string): Buffer;
  /**
   * A detached PKCS#7 signature of `content` made by `openssl cms` with a fresh RSA key, without
   * signed attributes (the form older jarsigners and relic write, where the signature covers the
   * .SF itself).
   */
  opensslSign(content: Buffer): Buffer;
  /**
   * `block` (a one-signer signature block) with an RFC 3161 timestamp token from `openssl ts`
   * (a fresh TSA key) in the signer's unsigned attributes; the token's imprint covers `imprinted`
   * (by default the signer's signature value, as it must).
   */
  timestamp(block: Buffer, imprinted?: Buffer): Buffer;
  dispose(): void;
}

const PASS = 'changeit';
const JVM_FLAGS = ['-J-XX:TieredStopAtLevel=1', '-J-XX:+UseSerialGC'];

export function jarWorkspace(): JarWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'jar-test-'));
  const keystore = join(dir, 'keystore.p12');
  let counter = 0;
  const openssl = new OpensslWorkspace();
  // A quick-starting JVM: these tools run for well under a second of real work.
  const run = (cmd: string, args: string[]) => execFileSync(cmd, [...JVM_FLAGS, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    dir,
    makeKey(alias, keyalg, dname = `CN=${alias}, O=rekor-ts tests, EMAILADDRESS=${alias}@example.com`) {
      const size = keyalg === 'RSA' ? ['-keysize', '2048'] : ['-groupname', 'secp256r1'];
      run('keytool', ['-genkeypair', '-keystore', keystore, '-storetype', 'PKCS12', '-storepass', PASS, '-keypass', PASS, '-alias', alias, '-keyalg', keyalg, ...size, '-dname', dname, '-validity', '3650']);
    },
    unsignedJar(files = FILES) {
      const work = join(dir, `src${counter++}`);
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(dirname(join(work, name)), { recursive: true });
        writeFileSync(join(work, name), content);
      }
      const out = join(dir, `unsigned${counter++}.jar`);
      run('jar', ['--create', '--file', out, '-C', work, '.']);
      return readFileSync(out);
    },
    sign(jar, ...aliases) {
      return aliases.reduce((current, alias) => this.signWith(current, alias, []), jar);
    },
    signWith(jar, alias, options) {
      const path = join(dir, `signed${counter++}.jar`);
      writeFileSync(path, jar);
      run('jarsigner', ['-keystore', keystore, '-storetype', 'PKCS12', '-storepass', PASS, '-keypass', PASS, ...options, path, alias]);
      return readFileSync(path);
    },
    certificate(alias) {
      return run('keytool', ['-exportcert', '-keystore', keystore, '-storetype', 'PKCS12', '-storepass', PASS, '-alias', alias]);
    },
    opensslSign(content) {
      return openssl.cmsSign(openssl.signer('rsa', '0x1001', '/CN=direct'), content, { detached: true, noAttributes: true, digest: 'sha256' });
    },
    timestamp(block, imprinted) {
      const { signer, rebuild } = splitSignatureBlock(block);
      const token = openssl.timestamp(openssl.signer('rsa', '0x1002', '/CN=test TSA'), { data: imprinted ?? signer.signature, tokenOnly: true });
      const attribute = encodeTlv(0x30, encodeTlv(0x06, Buffer.from('2a864886f70d010910020e', 'hex')), encodeTlv(0x31, token));
      return rebuild(Buffer.concat([signer.body, encodeTlv(0xa1, attribute)]));
    },
    dispose() {
      openssl.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The one SignerInfo of a DER signature block (its contents and signature value) and a function
 * that writes the block again with new SignerInfo contents.
 */
function splitSignatureBlock(block: Buffer): { signer: { body: Buffer; signature: Buffer }; rebuild: (body: Buffer) => Buffer } {
  const top = new DerReader(block);
  const outer = top.enter(top.read(Tag.SEQUENCE));
  const oid = outer.raw(outer.read(Tag.OID));
  const wrapper = outer.enter(outer.read(0xa0));
  const sdTlv = wrapper.read(Tag.SEQUENCE);
  const sd = wrapper.enter(sdTlv);
  let signerSet = sd.read();
  while (!sd.done) signerSet = sd.read();
  const prefix = block.subarray(sdTlv.contentStart, signerSet.start);
  const set = sd.enter(signerSet);
  const siTlv = set.read(Tag.SEQUENCE);
  const body = Buffer.from(set.contents(siTlv));
  const fields = set.enter(siTlv);
  let signature = Buffer.alloc(0);
  while (!fields.done) {
    const tlv = fields.read();
    if (tlv.tag === Tag.OCTET_STRING) signature = Buffer.from(fields.contents(tlv));
  }
  const rebuild = (newBody: Buffer) => Buffer.from(encodeTlv(0x30, oid, encodeTlv(0xa0, encodeTlv(0x30, prefix, encodeTlv(0x31, encodeTlv(0x30, newBody))))));
  return { signer: { body, signature }, rebuild };
}

export function specOf(archive: Uint8Array, hash?: string): Spec {
  const out: Spec = { content: Buffer.from(archive).toString('base64') };
  if (hash !== undefined) out['hash'] = { algorithm: 'sha256', value: hash };
  return { archive: out };
}

export interface RawEntry {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflated. */
  method?: number;
}

/** The entries of a zip (local headers walked from the central directory; test inputs only). */
export function entriesOf(zip: Buffer): RawEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let cd = zip.readUInt32LE(eocd + 16);
  const out: RawEntry[] = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(cd + 10);
    const compressed = zip.readUInt32LE(cd + 20);
    const nameLen = zip.readUInt16LE(cd + 28);
    const extraLen = zip.readUInt16LE(cd + 30);
    const commentLen = zip.readUInt16LE(cd + 32);
    const local = zip.readUInt32LE(cd + 42);
    const name = zip.subarray(cd + 46, cd + 46 + nameLen).toString('latin1');
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataStart, dataStart + compressed);
    out.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw), method });
    cd += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

export interface ZipOptions {
  /** Overrides the declared uncompressed size of the entry at this index. */
  readonly declaredSize?: { readonly index: number; readonly size: number };
}

/** A plain zip (no data descriptors, no zip64) of `entries`, in order. */
export function zipOf(entries: readonly RawEntry[], opts: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  entries.forEach((e, index) => {
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name, 'latin1');
    const size = opts.declaredSize?.index === index ? opts.declaredSize.size : e.data.length;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  });
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Rewrites one entry's content (by name) and re-zips. */
export function replaceEntry(zip: Buffer, name: string, edit: (data: Buffer) => Buffer): Buffer {
  const entries = entriesOf(zip);
  const target = entries.find((e) => e.name === name);
  if (target === undefined) throw new Error(`no entry ${name}`);
  target.data = edit(target.data);
  return zipOf(entries);
}
