/**
 * `upload`: builds (or reads with --entry) a proposed entry, POSTs it, and verifies what comes
 * back (SET, inclusion proof, checkpoint) before printing where it lives. intoto without a version
 * tries 0.0.2 first and falls back to 0.0.1 when the server rejects it with a 400, as Rekor does.
 */
import { CliError } from './errors.js';
import { readInput, type InputOptions } from './files.js';
import { messageOf, RekorApiError, type RekorClient } from './http.js';
import { keyedEntries, verifyOnline } from './entry.js';
import { log, type CommandOutput } from './output.js';
import { buildProposedEntry, KIND_VERSIONS, parseTypeFlag, proposedEntryFromFlags, type ArtifactProps, type ProposedEntry } from './proposed.js';
import type { Settings } from './settings.js';

export interface UploadOptions extends ArtifactProps {
  entry?: string;
  type: string;
}

/** A pre-built ProposedEntry file (--entry). */
export async function readProposedEntry(path: string, io: InputOptions): Promise<ProposedEntry> {
  {
    const bytes = await readInput(path, 'entry', io);
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      throw new CliError(`error parsing entry file: ${(err as Error).message}`, 1, { cause: err });
    }
    const p = parsed as Partial<ProposedEntry>;
    if (p === null || typeof p !== 'object' || typeof p.kind !== 'string' || typeof p.apiVersion !== 'string' || typeof p.spec !== 'object') {
      throw new CliError('error parsing entry file: a proposed entry needs kind, apiVersion and spec');
    }
    return p as ProposedEntry;
  }
}

async function proposals(opts: UploadOptions, io: InputOptions): Promise<ProposedEntry[]> {
  if (opts.entry !== undefined) return [await readProposedEntry(opts.entry, io)];
  const { kind, version } = parseTypeFlag(opts.type);
  if (version !== undefined) return [await proposedEntryFromFlags(kind, version, opts, io)];
  const versions = KIND_VERSIONS[kind] ?? [];
  const result = [await proposedEntryFromFlags(kind, versions[0], opts, io)];
  for (const other of versions.slice(1)) {
    try {
      result.push(await buildProposedEntry(kind, other, opts, io));
    } catch (err) {
      log(`error creating ${kind} entry of version (${other}): ${(err as Error).message}`);
    }
  }
  return result;
}

export async function upload(client: RekorClient, settings: Settings, opts: UploadOptions, io: InputOptions): Promise<CommandOutput> {
  if (opts.entry === undefined && opts.artifact === undefined && opts.artifactHash === undefined) {
    throw new CliError("either 'entry' or 'artifact' or 'artifact-hash' must be specified", 2);
  }
  const candidates = await proposals(opts, io);
  let created: { value: unknown; location: string } | undefined;
  for (const [i, proposal] of candidates.entries()) {
    const response = await client.request('POST', '/api/v1/log/entries', proposal);
    const location = response.headers.get('location') ?? '';
    if (response.status === 409) {
      const out = { AlreadyExists: true, Location: location, Index: 0 };
      return { json: () => out, text: () => `Entry already exists; available at: ${settings.server}${location}\n` };
    }
    if (response.status === 201) {
      created = { value: JSON.parse(response.text) as unknown, location };
      break;
    }
    const err = new RekorApiError(response.status, messageOf(response.text), response.headers, `[POST /api/v1/log/entries][${response.status}] createLogEntry`);
    if (response.status === 400 && i + 1 < candidates.length) {
      log(`failed to upload entry: ${err.message}`);
      continue;
    }
    throw err;
  }
  if (created === undefined) throw new CliError('upload failed');
  const entry = keyedEntries(created.value, 'upload')[0];
  if (entry === undefined) throw new CliError('upload: the server returned no entry');
  await verifyOnline(client, settings, entry, 'unable to verify entry was added to log');
  const out = { AlreadyExists: false, Location: created.location, Index: entry.value.logIndex };
  return { json: () => out, text: () => `Created entry at index ${out.Index}, available at: ${settings.server}${out.Location}\n` };
}
