/**
 * The local tree state, as Rekor keeps it: `$HOME/.rekor/state.json` (directory 0750, file 0600),
 * a JSON object mapping a key (the decimal tree ID, and the --rekor_server URL) to the full text
 * of the last signed checkpoint verified for it. Empty logs are never stored. An unreadable file
 * reads as "no state", like Rekor; writes go through a temporary file and a rename so a crash
 * never leaves half a file.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function stateFile(): string {
  return join(homedir(), '.rekor', 'state.json');
}

function loadAll(): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(stateFile(), 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function loadState(key: string): string | undefined {
  const value = loadAll()[key];
  return typeof value === 'string' ? value : undefined;
}

export function dumpState(keys: readonly string[], checkpoint: string): void {
  const dir = join(homedir(), '.rekor');
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const state = loadAll();
  for (const key of keys) state[key] = checkpoint;
  const tmp = `${stateFile()}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, stateFile());
}
