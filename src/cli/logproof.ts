/** `logproof`: prints the consistency proof between two tree sizes, as the server returns it. */
import { CliError } from './errors.js';
import type { RekorClient } from './http.js';
import type { CommandOutput } from './output.js';

function size(value: string, flag: string): bigint {
  if (!/^\d+$/.test(value)) throw new CliError(`invalid argument "${value}" for "--${flag}" flag: strconv.ParseUint: parsing "${value}": invalid syntax`, 2);
  return BigInt(value);
}

export async function logproof(client: RekorClient, opts: { firstSize: string; lastSize?: string; treeId?: string }): Promise<CommandOutput> {
  const first = size(opts.firstSize, 'first-size');
  if (first === 0n) throw new CliError('first-size must be > 0', 2);
  if (opts.lastSize === undefined) throw new CliError('last-size must be specified', 2);
  const last = size(opts.lastSize, 'last-size');
  if (last === 0n) throw new CliError('last-size must be > 0', 2);
  if (first > last) throw new CliError('last-size must be >= to first-size', 2);
  const tree = opts.treeId === undefined || opts.treeId === '' ? '' : `&treeID=${encodeURIComponent(opts.treeId)}`;
  const { value } = await client.json<{ rootHash?: string; hashes?: string[] }>('GET', `/api/v1/log/proof?firstSize=${first}&lastSize=${last}${tree}`);
  const out = { RootHash: String(value.rootHash ?? ''), Hashes: value.hashes ?? [] };
  return {
    json: () => out,
    text: () => `Current Root Hash: ${out.RootHash}\nHashes: [${out.Hashes.join(',')}]\n`,
  };
}
