/**
 * `get`: fetches an entry by --log-index or --uuid, verifies it (body hash = UUID, inclusion
 * proof, checkpoint, SET) and prints it as Rekor does; `--format tle` prints the protobuf-JSON
 * TransparencyLogEntry. Not in Rekor: the json output also carries the served LogEntry (member
 * `LogEntry`), `--format logentry` prints that LogEntry alone, exactly as served (both are what
 * `verify --offline --entry` takes), and `--format bundle` a Sigstore bundle v0.3 of a
 * hashedrekord entry (what `verify --offline --bundle` takes).
 */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { CliError } from './errors.js';
import type { RekorClient } from './http.js';
import { checkLogIndexFlag, checkUuidFlag, compareEntryUUIDs, decodeBody, keyedEntries, STRUCT_FIELD, verifyOnline, type KeyedEntry } from './entry.js';
import { goJson, type CommandOutput } from './output.js';
import type { Settings } from './settings.js';

function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

export function transparencyLogEntry(entry: KeyedEntry): Record<string, unknown> {
  const v = entry.value;
  const proof = v.verification?.inclusionProof;
  if (proof === undefined) throw new CliError('error converting to transparency log entry: the entry has no inclusion proof');
  const { kind, apiVersion } = decodeBody(entry);
  return {
    logIndex: String(v.logIndex),
    logId: { keyId: hexToBase64(v.logID) },
    kindVersion: { kind, version: apiVersion },
    integratedTime: String(v.integratedTime),
    inclusionPromise: { signedEntryTimestamp: v.verification?.signedEntryTimestamp ?? '' },
    inclusionProof: {
      logIndex: String(proof.logIndex),
      rootHash: hexToBase64(proof.rootHash),
      treeSize: String(proof.treeSize),
      hashes: (proof.hashes ?? []).map(hexToBase64),
      checkpoint: { envelope: proof.checkpoint ?? '' },
    },
    canonicalizedBody: v.body,
  };
}

const DIGEST_ALGORITHMS: Record<string, string> = { sha256: 'SHA2_256', sha384: 'SHA2_384', sha512: 'SHA2_512' };

/**
 * A Sigstore bundle v0.3 for a hashedrekord entry: the log entry as its TransparencyLogEntry, the
 * signature over the digest, and the certificate (or, for a bare key, a hint: the hex SHA-256 of
 * its SPKI). Other kinds cannot be bundled from the log alone: their bodies keep only hashes of
 * the signed content.
 */
export function sigstoreBundle(entry: KeyedEntry): Record<string, unknown> {
  const { kind, apiVersion, spec } = decodeBody(entry);
  if (kind !== 'hashedrekord') {
    throw new CliError(`--format bundle needs a hashedrekord entry; a ${kind} ${apiVersion} body does not keep what a bundle must carry`);
  }
  const s = spec as { data?: { hash?: { algorithm?: string; value?: string } }; signature?: { content?: string; publicKey?: { content?: string } } };
  const algorithm = DIGEST_ALGORITHMS[s.data?.hash?.algorithm ?? ''];
  const pem = Buffer.from(s.signature?.publicKey?.content ?? '', 'base64').toString('utf8');
  if (algorithm === undefined || s.data?.hash?.value === undefined || s.signature?.content === undefined) {
    throw new CliError('--format bundle: the hashedrekord body has no digest or signature');
  }
  let material: Record<string, unknown>;
  try {
    if (pem.includes('-----BEGIN CERTIFICATE-----')) {
      material = { certificate: { rawBytes: new X509Certificate(pem).raw.toString('base64') } };
    } else {
      const spki = createPublicKey(pem).export({ type: 'spki', format: 'der' });
      material = { publicKey: { hint: createHash('sha256').update(spki).digest('hex') } };
    }
  } catch (err) {
    throw new CliError(`--format bundle: cannot parse the entry's public key: ${(err as Error).message}`, 1, { cause: err });
  }
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { ...material, tlogEntries: [transparencyLogEntry(entry)] },
    messageSignature: {
      messageDigest: { algorithm, digest: Buffer.from(s.data.hash.value, 'hex').toString('base64') },
      signature: s.signature.content,
    },
  };
}

export function entryOutput(entry: KeyedEntry): CommandOutput {
  const { kind, spec } = decodeBody(entry);
  const attestation = entry.value.attestation?.data === undefined ? '' : Buffer.from(entry.value.attestation.data, 'base64').toString('utf8');
  const out = {
    Attestation: attestation,
    AttestationType: '',
    Body: { [STRUCT_FIELD[kind] ?? `${kind}Obj`]: spec },
    LogIndex: entry.value.logIndex,
    IntegratedTime: entry.value.integratedTime,
    UUID: entry.uuid,
    LogID: entry.value.logID,
    // Beyond Rekor's fields: the LogEntry as served, so that `verify --offline --entry` can check
    // what `get --format json` saved (Rekor's own fields carry no proof or SET).
    LogEntry: entry.raw,
  };
  return {
    json: () => out,
    tle: () => transparencyLogEntry(entry),
    raw: (format) => {
      if (format === 'logentry') return `${JSON.stringify(entry.raw)}\n`;
      if (format === 'bundle') return `${JSON.stringify(sigstoreBundle(entry))}\n`;
      return undefined;
    },
    text: () => {
      let s = `LogID: ${out.LogID}\n`;
      if (out.Attestation !== '') s += `Attestation: ${out.Attestation}\n`;
      s += `Index: ${out.LogIndex}\n`;
      s += `IntegratedTime: ${new Date(out.IntegratedTime * 1000).toISOString().replace(/\.000Z$/, 'Z')}\n`;
      s += `UUID: ${out.UUID}\n`;
      s += `Body: ${goJson(out.Body, '  ')}\n\n`;
      return s;
    },
  };
}

export async function get(client: RekorClient, settings: Settings, opts: { logIndex?: string; uuid?: string }): Promise<CommandOutput> {
  if (opts.logIndex === undefined && opts.uuid === undefined) throw new CliError('either --uuid or --log-index must be specified', 2);
  if (opts.logIndex !== undefined) {
    const index = checkLogIndexFlag(opts.logIndex);
    const { value } = await client.json('GET', `/api/v1/log/entries?logIndex=${index}`);
    const entry = keyedEntries(value, 'get')[0];
    if (entry === undefined) throw new CliError('entry not found');
    await verifyOnline(client, settings, entry, 'unable to verify entry was added to log');
    return entryOutput(entry);
  }
  const uuid = opts.uuid as string;
  checkUuidFlag(uuid);
  const { value } = await client.json('GET', `/api/v1/log/entries/${uuid}`);
  const entry = keyedEntries(value, 'get')[0];
  if (entry === undefined) throw new CliError('entry not found');
  compareEntryUUIDs(uuid, entry.uuid);
  await verifyOnline(client, settings, entry, 'unable to verify entry was added to log');
  return entryOutput(entry);
}
