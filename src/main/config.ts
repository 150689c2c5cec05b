/**
 * Server configuration, read once at start: command-line flags over REKOR_* environment
 * variables over a YAML file (--config / REKOR_CONFIG) over defaults. Every problem is
 * collected and reported together; nothing below src/main reads the environment.
 */
import { availableParallelism, hostname as osHostname } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_SIGNING_ALGORITHMS, SIGNING_ALGORITHMS, parseSigningAlgorithms } from '../pki/x509/index.js';
import { allowedHostProblem } from '../server/url-fetch.js';

export interface ServerConfig {
  port: number;
  address: string;
  dataDir: string;
  hostname: string;
  /** PEM private key file; absent: `<dataDir>/signer.pem`, created on first start. */
  signer?: string;
  /** Password of an encrypted signer key (from REKOR_SIGNER_PASSWORD only). */
  signerPassword?: string;
  maxRequestBodySize: number;
  maxAttestationSize: number;
  maxApkMetadataSize: number;
  maxJarMetadataSize: number;
  batchSize: number;
  batchAgeMs: number;
  maxPending: number;
  /** Entry kinds accepted for submission; absent: every kind this build supports. */
  enabledEntryTypes?: string[];
  /** Key and digest pairs hashedrekord accepts (Rekor's names); absent: Rekor's default set. */
  clientSigningAlgorithms?: string[];
  /** Hosts the server may fetch entry `url` fields from; absent: fetching is off. */
  allowUrlFetch?: string[];
  urlFetchMaxSize: number;
  urlFetchTimeoutMs: number;
  workers: number;
  verifyThreads: number;
  readThreads: number;
  logLevel: string;
}

/** Every setting: its flag, env name, YAML key, kind and default. */
export const SETTINGS = {
  port: { flag: 'port', env: 'REKOR_PORT', kind: 'port', default: 3000, help: 'TCP port to listen on' },
  address: { flag: 'address', env: 'REKOR_ADDRESS', kind: 'string', default: '127.0.0.1', help: 'address to listen on' },
  dataDir: { flag: 'data-dir', env: 'REKOR_DATA_DIR', kind: 'string', default: './data', help: 'directory of the SQLite database and the generated signer key' },
  hostname: { flag: 'hostname', env: 'REKOR_HOSTNAME', kind: 'string', default: osHostname(), help: 'checkpoint signer name; the origin is "<hostname> - <treeID>"' },
  signer: { flag: 'signer', env: 'REKOR_SIGNER', kind: 'string', default: undefined, help: 'PEM private key file that signs checkpoints and SETs (password: REKOR_SIGNER_PASSWORD); default <data-dir>/signer.pem, created on first start' },
  maxRequestBodySize: { flag: 'max-request-body-size', env: 'REKOR_MAX_REQUEST_BODY_SIZE', kind: 'positive', default: 32_792_576, help: 'largest request body in bytes (413 past it)' },
  maxAttestationSize: { flag: 'max-attestation-size', env: 'REKOR_MAX_ATTESTATION_SIZE', kind: 'positive', default: 102_400, help: 'largest attestation stored beside an intoto entry, in bytes (413 past it)' },
  maxApkMetadataSize: {
    flag: 'max-apk-metadata-size',
    env: 'REKOR_MAX_APK_METADATA_SIZE',
    kind: 'nonnegative',
    default: 1_048_576,
    help: "largest .SIGN or .PKGINFO member of an alpine package, and of its decompressed signature stream, in bytes (0: no limit; Rekor's max_apk_metadata_size)",
  },
  maxJarMetadataSize: {
    flag: 'max-jar-metadata-size',
    env: 'REKOR_MAX_JAR_METADATA_SIZE',
    kind: 'nonnegative',
    default: 1_048_576,
    help: "largest uncompressed META-INF/*.* member of a jar, in bytes (0: no limit; Rekor's max_jar_metadata_size)",
  },
  batchSize: { flag: 'batch-size', env: 'REKOR_BATCH_SIZE', kind: 'positive', default: 512, help: 'most entries integrated in one transaction' },
  batchAgeMs: { flag: 'batch-age', env: 'REKOR_BATCH_AGE', kind: 'nonnegative', default: 0, help: 'longest an entry waits for its batch to fill, in ms (0: integrate as soon as the previous batch is done)' },
  maxPending: { flag: 'max-pending', env: 'REKOR_MAX_PENDING', kind: 'positive', default: 8192, help: 'entries that may wait for integration before the server answers 503' },
  enabledEntryTypes: { flag: 'enabled-entry-types', env: 'REKOR_ENABLED_ENTRY_TYPES', kind: 'list', default: undefined, help: 'comma-separated entry kinds accepted for submission (default: all supported)' },
  clientSigningAlgorithms: {
    flag: 'client-signing-algorithms',
    env: 'REKOR_CLIENT_SIGNING_ALGORITHMS',
    kind: 'list',
    default: undefined,
    help: `comma-separated key and digest pairs hashedrekord accepts, as Rekor names them (default: ${DEFAULT_SIGNING_ALGORITHMS.join(',')}; also: ${SIGNING_ALGORITHMS.filter((a) => !DEFAULT_SIGNING_ALGORITHMS.includes(a)).join(',')})`,
  },
  allowUrlFetch: {
    flag: 'allow-url-fetch',
    env: 'REKOR_ALLOW_URL_FETCH',
    kind: 'list',
    default: undefined,
    help: 'comma-separated hosts whose URLs entries may name instead of inline content (rekord, rpm, jar, alpine, helm, tuf): example.com, *.example.com, host:port (https), or http://host:port; default: none, every url is refused',
  },
  urlFetchMaxSize: { flag: 'url-fetch-max-size', env: 'REKOR_URL_FETCH_MAX_SIZE', kind: 'positive', default: 33_554_432, help: 'largest body fetched from one URL, in bytes' },
  urlFetchTimeoutMs: { flag: 'url-fetch-timeout', env: 'REKOR_URL_FETCH_TIMEOUT', kind: 'positive', default: 10_000, help: 'longest one URL fetch may take, redirects and body included, in ms' },
  workers: { flag: 'workers', env: 'REKOR_WORKERS', kind: 'positive', default: 1, help: 'server processes sharing the port and the database (one writer, in the primary)' },
  verifyThreads: { flag: 'verify-threads', env: 'REKOR_VERIFY_THREADS', kind: 'nonnegative', default: 1, help: 'threads per process that verify and canonicalize proposed entries (0: on the event loop)' },
  readThreads: {
    flag: 'read-threads',
    env: 'REKOR_READ_THREADS',
    kind: 'nonnegative',
    default: Math.min(4, availableParallelism()),
    help: 'threads per process that read entries and build their proofs and JSON for the entry GETs and retrieve (0: on the event loop); default: one per core, at most 4',
  },
  logLevel: { flag: 'log-level', env: 'REKOR_LOG_LEVEL', kind: 'string', default: 'info', help: 'pino log level (fatal, error, warn, info, debug, trace, silent)' },
} as const;

type SettingName = keyof typeof SETTINGS;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigSources {
  /** Flags as given on the command line (camelCase of the setting names), strings. */
  flags: Partial<Record<SettingName, string>>;
  env: NodeJS.ProcessEnv;
  /** The YAML file's text, when one was named or found. */
  yamlText?: string;
  yamlName?: string;
}

export function resolveConfig(sources: ConfigSources): ServerConfig {
  const problems: string[] = [];
  const yaml = readYaml(sources, problems);
  const values: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as Array<[SettingName, (typeof SETTINGS)[SettingName]]>) {
    const given: Array<[string, unknown]> = [
      [`--${setting.flag}`, sources.flags[name]],
      [setting.env, sources.env[setting.env]],
      [`${sources.yamlName ?? 'config'}: ${setting.flag}`, yaml[setting.flag]],
    ];
    const found = given.find(([, v]) => v !== undefined && v !== '');
    if (found === undefined) {
      if (setting.default !== undefined) values[name] = setting.default;
      continue;
    }
    const parsed = parseValue(setting.kind, found[1]);
    if (typeof parsed === 'string' && parsed.startsWith('!')) problems.push(`${found[0]}: ${parsed.slice(1)}`);
    else values[name] = parsed;
  }
  for (const key of Object.keys(yaml)) {
    if (!Object.values(SETTINGS).some((s) => s.flag === key)) problems.push(`${sources.yamlName}: unknown setting "${key}"`);
  }
  for (const entry of (values['allowUrlFetch'] as string[] | undefined) ?? []) {
    const problem = allowedHostProblem(entry);
    if (problem !== undefined) problems.push(`--allow-url-fetch: ${problem}`);
  }
  const algorithms = values['clientSigningAlgorithms'] as string[] | undefined;
  if (algorithms !== undefined) {
    try {
      parseSigningAlgorithms(algorithms);
    } catch (err) {
      problems.push(`--client-signing-algorithms: ${(err as Error).message}`);
    }
  }
  const password = sources.env['REKOR_SIGNER_PASSWORD'];
  if (password !== undefined) values['signerPassword'] = password;
  if (problems.length > 0) throw new ConfigError(problems);
  return values as unknown as ServerConfig;
}

function readYaml(sources: ConfigSources, problems: string[]): Record<string, unknown> {
  if (sources.yamlText === undefined) return {};
  try {
    const doc: unknown = parseYaml(sources.yamlText);
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push(`${sources.yamlName}: must be a mapping of settings`);
      return {};
    }
    return doc as Record<string, unknown>;
  } catch (err) {
    problems.push(`${sources.yamlName}: ${(err as Error).message}`);
    return {};
  }
}

/** The parsed value, or a string starting with "!" that describes the problem. */
function parseValue(kind: string, raw: unknown): unknown {
  const text = Array.isArray(raw) ? raw.join(',') : String(raw);
  switch (kind) {
    case 'string':
      return text;
    case 'list':
      return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    case 'port': {
      const n = Number(text);
      return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : `!want a port number 0-65535, got "${text}"`;
    }
    case 'positive':
    case 'nonnegative': {
      const n = Number(text);
      const min = kind === 'positive' ? 1 : 0;
      return /^\d+$/.test(text.trim()) && Number.isSafeInteger(n) && n >= min ? n : `!want a whole number >= ${min}, got "${text}"`;
    }
    default:
      return `!unknown kind ${kind}`;
  }
}
