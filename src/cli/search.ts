/** `search`: queries the search index (POST /api/v1/index/retrieve) by hash, key, email or subject. */
import { CliError } from './errors.js';
import { hashInput, readInput, type InputOptions } from './files.js';
import { messageOf, type RekorClient } from './http.js';
import { log, type CommandOutput } from './output.js';
import { parseSha, PKI_FORMATS } from './proposed.js';
import type { Settings } from './settings.js';

export interface SearchOptions {
  artifact?: string;
  sha?: string;
  publicKey?: string;
  pkiFormat?: string;
  email?: string;
  subject?: string;
  operator?: string;
}

export async function search(client: RekorClient, settings: Settings, opts: SearchOptions, io: InputOptions): Promise<CommandOutput> {
  if (opts.artifact === undefined && opts.publicKey === undefined && opts.sha === undefined && opts.email === undefined && opts.subject === undefined) {
    throw new CliError("either 'sha' or 'artifact' or 'public-key' or 'email' or 'subject' must be specified", 2);
  }
  if (opts.publicKey !== undefined && (opts.pkiFormat === undefined || opts.pkiFormat === '')) {
    throw new CliError('pki-format must be specified if searching by public-key', 2);
  }
  if (opts.operator !== undefined && !['and', 'or'].includes(opts.operator)) {
    throw new CliError(`invalid argument "${opts.operator}" for "--operator" flag: value must be 'and' or 'or'`, 2);
  }
  if (opts.email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(opts.email)) {
    throw new CliError(`invalid argument "${opts.email}" for "--email" flag: '${opts.email}' is not a valid email address`, 2);
  }
  if (opts.subject !== undefined && opts.subject.length === 0) throw new CliError('subject must not be empty', 2);
  if (opts.subject !== undefined && Buffer.byteLength(opts.subject) > 512) throw new CliError('subject exceeds maximum length of 512 bytes', 2);
  const query: Record<string, unknown> = {};
  if (opts.sha !== undefined) {
    const { algorithm, hex } = parseSha(opts.sha, 'sha');
    query['hash'] = `${algorithm}:${hex}`;
  } else if (opts.artifact !== undefined) {
    query['hash'] = `sha256:${await hashInput(opts.artifact, 'artifact', io)}`;
  }
  if (opts.operator !== undefined) query['operator'] = opts.operator;
  if (opts.publicKey !== undefined) {
    const format = opts.pkiFormat as string;
    if (!PKI_FORMATS.includes(format)) throw new CliError(`unknown pki-format ${format}`, 2);
    if (opts.publicKey.split(',').length !== 1) throw new CliError('only one public key must be provided', 2);
    query['publicKey'] = { format, content: (await readInput(opts.publicKey, 'public-key', io)).toString('base64') };
  }
  if (opts.email !== undefined) query['email'] = opts.email;
  if (opts.subject !== undefined) query['subject'] = opts.subject;
  const response = await client.request('POST', '/api/v1/index/retrieve', query);
  if (response.status === 501) throw new CliError(`search index not enabled on ${settings.server}`);
  if (response.status !== 200) {
    throw new CliError(`[POST /api/v1/index/retrieve][${response.status}] searchIndex: ${messageOf(response.text)}`);
  }
  const uuids = JSON.parse(response.text) as unknown;
  if (!Array.isArray(uuids) || uuids.length === 0) throw new CliError('no matching entries found');
  if (settings.format !== 'json') log('Found matching entries (listed by UUID):');
  const out = { UUIDs: uuids.map(String) };
  return { json: () => out, text: () => `${out.UUIDs.join('\n')}\n` };
}
