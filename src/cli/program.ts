/**
 * `rekor-cli`: Rekor's command-line client (same commands, flags and output as Rekor's Go
 * rekor-cli) for rekor-ts or any Rekor v1 server, plus offline verification.
 */
import { Command, CommanderError, Option } from 'commander';
import { CliError, EXIT_BROKEN_PIPE, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';
import type { InputOptions } from './files.js';
import { get } from './get.js';
import { RekorClient } from './http.js';
import { loginfo } from './loginfo.js';
import { logproof } from './logproof.js';
import { render, setLogSink, type CommandOutput } from './output.js';
import { KIND_VERSIONS, PKI_FORMATS } from './proposed.js';
import { search } from './search.js';
import { DEFAULT_SERVER, resolveSettings, type Settings } from './settings.js';
import { upload } from './upload.js';
import { verify } from './verify.js';
import { version } from './version.js';

const EXIT_CODES = `
Exit status:
  0  success
  1  verification failed (signature, proof, checkpoint, SET, log consistency) or another failure (network, server error)
  2  usage error (unknown command, bad or missing flags)
  141  stdout or stderr closed early by the reader (broken pipe), quietly`;

type Opts = Record<string, unknown>;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').filter((v) => v !== '')];
}

function str(opts: Opts, key: string): string | undefined {
  const value = opts[key];
  return typeof value === 'string' ? value : undefined;
}

function addArtifactFlags(cmd: Command): Command {
  const kinds = Object.keys(KIND_VERSIONS).join(' ');
  return cmd
    .option('--artifact <path>', 'path (or, with --allow-urls, URL) to artifact file')
    .option('--artifact-hash <hash>', 'hex encoded SHA256 hash of artifact (when using URL); [sha1:|sha256:|sha384:|sha512:]hex')
    .option('--signature <path>', 'path (or URL) to detached signature file')
    .option('--public-key <path>', 'path (or URL) to public key file; repeat or comma-separate for several', collect)
    .option('--pki-format <format>', `format of the signature and/or public key; options = [${PKI_FORMATS.join(' ')}]`, 'x509')
    .option('--type <kind[:version]>', `type of entry expressed as type(:version)?; supported types = [${kinds}]`, 'hashedrekord')
    .option('--entry <path>', 'path (or URL) to pre-formatted entry file')
    .option('--aad <base64>', 'base64 encoded additional authenticated data (cose)')
    .option('--allow-urls', 'allow http(s) URLs for --artifact, --signature, --public-key and --entry (refused by default)');
}

function artifactProps(opts: Opts) {
  const props: Parameters<typeof verify>[2] = {
    publicKeys: (opts['publicKey'] as string[] | undefined) ?? [],
    pkiFormat: str(opts, 'pkiFormat') ?? 'x509',
    type: str(opts, 'type') ?? 'hashedrekord',
  };
  for (const key of ['artifact', 'artifactHash', 'signature', 'aad', 'entry', 'uuid', 'logIndex', 'bundle', 'trustedRoot'] as const) {
    const value = str(opts, key);
    if (value !== undefined) props[key] = value;
  }
  if (opts['offline'] === true) props.offline = true;
  return props;
}

export function cliProgram(write: (text: string) => void, writeErr: (text: string) => void, setResult: (output: CommandOutput, settings: Settings) => void): Command {
  const program = new Command('rekor-cli')
    .description('Rekor command line interface tool')
    .addOption(new Option('--rekor_server <url>', `Server address:port; env REKOR_REKOR_SERVER`).default(undefined, DEFAULT_SERVER))
    .addOption(new Option('--format <format>', 'Command output format: default, json, tle (get); not in Rekor: logentry (get), bundle (get, hashedrekord)').default(undefined, 'default'))
    .addOption(new Option('--timeout <duration>', 'HTTP timeout').default(undefined, '30s'))
    .addOption(new Option('--retry <n>', 'Number of times to retry HTTP requests').default(undefined, '3'))
    .addOption(
      new Option('--store_tree_state [bool]', 'whether to store tree state in between invocations for additional verification (state: $HOME/.rekor/state.json)').default(
        undefined,
        'true',
      ),
    )
    .option('--config <file>', 'config file (default is $HOME/.rekor.yaml)')
    .configureOutput({ writeOut: write, writeErr })
    .addHelpText(
      'after',
      `${EXIT_CODES}\n\nSettings also come from REKOR_<FLAG> environment variables and the config file; rekor_server_public_key (env REKOR_REKOR_SERVER_PUBLIC_KEY, PEM text or a file) pins the log key.`,
    )
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError(false)
    .exitOverride();

  const context = (cmd: Command): { settings: Settings; client: RekorClient; io: InputOptions; opts: Opts } => {
    const all = cmd.optsWithGlobals<Opts>();
    const flags: Opts = {};
    for (const name of ['rekor_server', 'format', 'timeout', 'retry', 'store_tree_state', 'config']) {
      const value = all[name];
      if (value !== undefined) flags[name] = value === true ? 'true' : value;
    }
    const { settings } = resolveSettings(flags);
    return {
      settings,
      client: new RekorClient({ server: settings.server, timeoutMs: settings.timeoutMs, retries: settings.retries }),
      io: { allowUrls: all['allowUrls'] === true, timeoutMs: settings.timeoutMs },
      opts: cmd.opts<Opts>(),
    };
  };

  const command = (name: string, description: string, example: string): Command =>
    program
      .command(name)
      .description(description)
      .addHelpText('after', `\nExamples:\n${example}\n${EXIT_CODES}`)
      .exitOverride()
      .configureOutput({ writeOut: write, writeErr });

  command('loginfo', 'Prints info about the transparency log, after verifying its checkpoint and its consistency with the last one seen', '  rekor-cli loginfo').action(
    async (_o: Opts, cmd: Command) => {
      const { client, settings } = context(cmd);
      setResult(await loginfo(client, settings), settings);
    },
  );

  command('get', 'Get information regarding entries in the transparency log', '  rekor-cli get --uuid <entry-uuid>\n  rekor-cli get --log-index 0\n  rekor-cli get --log-index 0 --format logentry > entry.json\n  rekor-cli get --log-index 0 --format bundle > artifact.sigstore.json')
    .option('--uuid <uuid>', 'UUID of entry in transparency log (if known)')
    .option('--log-index <index>', 'the index of the entry in the transparency log')
    .action(async (_o: Opts, cmd: Command) => {
      const { client, settings, opts } = context(cmd);
      const request: { uuid?: string; logIndex?: string } = {};
      if (str(opts, 'uuid') !== undefined) request.uuid = str(opts, 'uuid') as string;
      if (str(opts, 'logIndex') !== undefined) request.logIndex = str(opts, 'logIndex') as string;
      setResult(await get(client, settings, request), settings);
    });

  addArtifactFlags(
    command(
      'verify',
      'Verifies an entry exists in the transparency log through an inclusion proof',
      '  rekor-cli verify --uuid <entry-uuid>\n  rekor-cli verify --artifact <path> --signature <path> --public-key <path>\n' +
        '  rekor-cli verify --offline --entry entry.json --public-key rekor.pub\n  rekor-cli verify --offline --bundle artifact.sigstore.json --trusted-root trusted_root.json',
    ),
  )
    .option('--uuid <uuid>', 'UUID of entry in transparency log (if known)')
    .option('--log-index <index>', 'the index of the entry in the transparency log')
    .option('--offline', 'verify a stored entry (--entry) or Sigstore bundle (--bundle) without any network; --public-key is then the log key')
    .option('--bundle <file>', 'Sigstore bundle (v0.1-v0.3) to verify with --offline')
    .option('--trusted-root <file>', 'Sigstore trusted_root.json giving the log keys for --offline')
    .action(async (_o: Opts, cmd: Command) => {
      const { client, settings, io, opts } = context(cmd);
      setResult(await verify(client, settings, artifactProps(opts), io), settings);
    });

  command('logproof', 'Prints information required to compute the consistency proof of the transparency log', '  rekor-cli logproof --last-size 10\n  rekor-cli logproof --first-size 5 --last-size 10')
    .option('--first-size <size>', 'the size of the log where the proof should begin', '1')
    .option('--last-size <size>', 'the size of the log where the proof should end')
    .option('--tree-id <id>', 'the tree id of the log (defaults to active tree)')
    .action(async (_o: Opts, cmd: Command) => {
      const { client, settings, opts } = context(cmd);
      const request: { firstSize: string; lastSize?: string; treeId?: string } = { firstSize: str(opts, 'firstSize') ?? '1' };
      if (str(opts, 'lastSize') !== undefined) request.lastSize = str(opts, 'lastSize') as string;
      if (str(opts, 'treeId') !== undefined) request.treeId = str(opts, 'treeId') as string;
      setResult(await logproof(client, request), settings);
    });

  command(
    'search',
    'Searches the Rekor index to find entries by sha, artifact, public key, e-mail, or SAN subject',
    '  rekor-cli search --artifact <path>\n  rekor-cli search --public-key <path> --pki-format=x509\n  rekor-cli search --email <email>\n  rekor-cli search --sha <sha256>',
  )
    .option('--artifact <path>', 'path (or, with --allow-urls, URL) to artifact file')
    .option('--sha <hash>', 'the SHA512, SHA256 or SHA1 sum of the artifact')
    .option('--public-key <path>', 'path (or URL) to public key file', collect)
    .option('--pki-format <format>', `format of the signature and/or public key; options = [${PKI_FORMATS.join(' ')}]`)
    .option('--email <email>', "email associated with the public key's subject")
    .option('--subject <san>', 'Subject Alternative Name (URI, DNS, or OtherName) stored on the entry; lookup is case-insensitive')
    .option('--operator <op>', "operator to use for the search. supported values are 'and' and 'or'")
    .option('--allow-urls', 'allow http(s) URLs for --artifact and --public-key (refused by default)')
    .action(async (_o: Opts, cmd: Command) => {
      const { client, settings, io, opts } = context(cmd);
      const request: Parameters<typeof search>[2] = {};
      for (const key of ['artifact', 'sha', 'pkiFormat', 'email', 'subject', 'operator'] as const) {
        const value = str(opts, key);
        if (value !== undefined) request[key] = value;
      }
      const keys = opts['publicKey'] as string[] | undefined;
      if (keys !== undefined) request.publicKey = keys.join(',');
      setResult(await search(client, settings, request, io), settings);
    });

  const uploadExamples =
    '  rekor-cli upload --artifact <path> --signature <path> --public-key <path>\n' +
    '  rekor-cli upload --type rekord --pki-format pgp --artifact <path> --signature <path.asc> --public-key <key.asc>\n' +
    '  rekor-cli upload --type intoto --artifact <envelope.json> --public-key <path>\n' +
    '  rekor-cli upload --entry <proposed-entry.json>';
  addArtifactFlags(
    command('upload', 'This command takes the public key, signature and artifact (or a pre-built entry) and uploads it to the rekor server.', uploadExamples),
  ).action(async (_o: Opts, cmd: Command) => {
    const { client, settings, io, opts } = context(cmd);
    setResult(await upload(client, settings, artifactProps(opts), io), settings);
  });

  command('version', 'Prints the version', '  rekor-cli version\n  rekor-cli version --json')
    .option('--json', 'print JSON instead of text')
    .action((_o: Opts, cmd: Command) => {
      const { settings, opts } = context(cmd);
      setResult(version(opts['json'] === true), settings);
    });

  return program;
}

const writeStdout = (text: string): void => void process.stdout.write(text);
const writeStderr = (text: string): void => void process.stderr.write(text);

/**
 * A reader that went away (`rekor-cli … | head -1`) makes the next write fail with EPIPE, which
 * Node raises as an unhandled 'error' event and a stack trace. Go's CLI dies silently of SIGPIPE
 * there; we exit at once and quietly too, as nothing more can be delivered, with the status a
 * shell reports for a process killed by SIGPIPE (so `set -o pipefail` sees what it sees for Go's).
 * Other stream errors still surface.
 */
function exitQuietlyOnEpipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
    throw err;
  });
}

/** Runs rekor-cli with `argv` (as process.argv); returns the exit code. Never throws. */
export async function main(argv: string[], write: (text: string) => void = writeStdout, writeErr: (text: string) => void = writeStderr): Promise<number> {
  if (write === writeStdout) exitQuietlyOnEpipe(process.stdout);
  if (writeErr === writeStderr) exitQuietlyOnEpipe(process.stderr);
  let result: { output: CommandOutput; settings: Settings } | undefined;
  setLogSink((line) => writeErr(`${line}\n`));
  const program = cliProgram(write, writeErr, (output, settings) => (result = { output, settings }));
  try {
    await program.parseAsync(argv);
    if (result !== undefined) write(render(result.output, result.settings.format));
    return EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return EXIT_OK;
      // Commander has printed its message already.
      return EXIT_USAGE;
    }
    if (err instanceof CliError) {
      writeErr(`${err.message}\n`);
      return err.exitCode;
    }
    writeErr(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_FAILURE;
  }
}
