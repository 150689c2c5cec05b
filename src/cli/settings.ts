/**
 * Global settings, resolved like Rekor's viper setup: a flag given on the command line wins, then
 * the environment (`REKOR_<FLAG>`, dashes as underscores: REKOR_REKOR_SERVER, REKOR_FORMAT…),
 * then the config file (`--config`, default `$HOME/.rekor.yaml`), then the default.
 * `rekor_server_public_key` (PEM text; env REKOR_REKOR_SERVER_PUBLIC_KEY) pins the log key
 * instead of fetching it from the server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { usageError } from './errors.js';

export const DEFAULT_SERVER = 'http://localhost:3000';
export const FORMATS = ['default', 'json', 'tle'] as const;

export interface Settings {
  server: string;
  format: string;
  timeoutMs: number;
  retries: number;
  storeTreeState: boolean;
  /** Pinned log public key (PEM), when configured. */
  publicKeyPem?: string;
}

/** Go's time.ParseDuration for the units a timeout needs ("30s", "1m30s", "500ms"). */
export function parseDuration(text: string): number {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)/g) : null;
  if (parts === null) throw usageError(`invalid argument "${text}" for "--timeout" flag: time: invalid duration "${text}"`);
  let ms = 0;
  for (const part of parts) {
    const [, n, u] = /^(\d+(?:\.\d+)?)(.+)$/.exec(part) as unknown as [string, string, string];
    ms += Number(n) * (unit[u] ?? 0);
  }
  if (ms <= 0) throw usageError('timeout must be a positive value');
  return ms;
}

function parseBool(text: string, flag: string): boolean {
  if (/^(1|t|true|TRUE|True)$/.test(text)) return true;
  if (/^(0|f|false|FALSE|False)$/.test(text)) return false;
  throw usageError(`invalid argument "${text}" for "--${flag}" flag: strconv.ParseBool: parsing "${text}": invalid syntax`);
}

function readConfigFile(path: string | undefined): Record<string, unknown> {
  const file = path ?? join(homedir(), '.rekor.yaml');
  if (!existsSync(file)) {
    if (path !== undefined) throw usageError(`config file ${path} not found`);
    return {};
  }
  try {
    const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch (err) {
    throw usageError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
}

/** The value of one setting: flag, env, config file, default. */
export function settingSource(flags: Record<string, unknown>, config: Record<string, unknown>) {
  return (name: string): string | undefined => {
    const flag = flags[name];
    if (flag !== undefined) return String(flag);
    const env = process.env[`REKOR_${name.toUpperCase().replace(/-/g, '_')}`];
    if (env !== undefined && env !== '') return env;
    const value = config[name];
    return value === undefined || value === null ? undefined : String(value);
  };
}

export function resolveSettings(flags: Record<string, unknown>): { settings: Settings; get: (name: string) => string | undefined } {
  const config = readConfigFile(typeof flags['config'] === 'string' ? flags['config'] : process.env['REKOR_CONFIG']);
  const get = settingSource(flags, config);
  const server = get('rekor_server') ?? DEFAULT_SERVER;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw usageError(`invalid argument "${server}" for "--rekor_server" flag: '${server}' is not a valid url`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`invalid argument "${server}" for "--rekor_server" flag: URL must be for http or https scheme`);
  }
  const format = get('format') ?? 'default';
  if (!(FORMATS as readonly string[]).includes(format) && format !== 'logentry' && format !== 'bundle') {
    throw usageError(`invalid argument "${format}" for "--format" flag: '${format}' is not a valid output format`);
  }
  const retryText = get('retry') ?? '3';
  if (!/^\d+$/.test(retryText)) throw usageError(`invalid argument "${retryText}" for "--retry" flag: invalid unsigned int: ${retryText}`);
  const settings: Settings = {
    server,
    format,
    timeoutMs: parseDuration(get('timeout') ?? '30s'),
    retries: Math.min(Number(retryText), 20),
    storeTreeState: parseBool(get('store_tree_state') ?? 'true', 'store_tree_state'),
  };
  const pinned = get('rekor_server_public_key');
  if (pinned !== undefined && pinned !== '') {
    settings.publicKeyPem = pinned.includes('-----BEGIN') ? pinned : readFileSync(pinned, 'utf8');
  }
  return { settings, get };
}
