/**
 * `rekor-server`: the server's command line. `serve` starts the Rekor v1 API; with
 * --workers N the primary process prepares the data dir (key, first shard), runs the one
 * SQLite writer, and forks N workers that share the port and the database.
 */
import cluster from 'node:cluster';
import { existsSync, readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError, SETTINGS, resolveConfig, type ServerConfig } from './config.js';
import { openSharedWriter, startServer, type ServerHooks } from './serve.js';
import { MergingIntegrator, PrimaryWriter, serveWriterToWorkers, useStructuredIpc } from './shared-writer.js';

export function serverProgram(): Command {
  const program = new Command('rekor-server').description('rekor-ts: a Rekor-compatible transparency log server');
  const serve = program
    .command('serve')
    .description('start the Rekor v1 REST API')
    .addOption(new Option('--config <file>', 'YAML file of settings (keys are the flag names); env REKOR_CONFIG; default ./rekor-server.yaml if present'));
  for (const setting of Object.values(SETTINGS)) {
    const dflt = setting.default === undefined ? '' : ` (default: ${String(setting.default)})`;
    serve.addOption(new Option(`--${setting.flag} <value>`, `${setting.help}; env ${setting.env}${dflt}`));
  }
  serve.addHelpText(
    'after',
    '\nPrecedence: flags, then REKOR_* environment variables, then the YAML file, then defaults.\n' +
      'REKOR_SIGNER_PASSWORD holds the password of an encrypted --signer key.',
  );
  serve.action(async (opts: Record<string, string | undefined>) => {
    const config = readConfig(opts);
    await runServe(config);
  });
  return program;
}

function readConfig(opts: Record<string, string | undefined>): ServerConfig {
  const yamlName = opts['config'] ?? process.env['REKOR_CONFIG'] ?? (existsSync('rekor-server.yaml') ? 'rekor-server.yaml' : undefined);
  const flags: Record<string, string> = {};
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const key = setting.flag.replace(/-([a-z])/g, (_m: string, c: string) => c.toUpperCase());
    const value = opts[key];
    if (value !== undefined) flags[name] = value;
  }
  try {
    return resolveConfig({
      flags,
      env: process.env,
      ...(yamlName === undefined ? {} : { yamlName, yamlText: readFileSync(yamlName, 'utf8') }),
    });
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 2);
    fail(`cannot read configuration: ${(err as Error).message}`, 2);
  }
}

async function runServe(config: ServerConfig): Promise<void> {
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  const integrator = config.workers > 1 ? { integrator: new PrimaryWriter() } : {};
  const server = await startOrFail(config, integrator);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      (err: unknown) => fail(`shutdown failed: ${(err as Error).message}`, 1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/**
 * The primary of --workers N: prepares the data dir once (so workers never race to create the
 * key or the first shard), runs the one writer thread that every worker integrates through,
 * forks the workers, and closes the writer only after the last worker has drained and exited.
 */
async function runPrimary(config: ServerConfig): Promise<void> {
  const prepared = await startOrFail({ ...config, port: 0, address: '127.0.0.1', logLevel: 'warn' });
  await prepared.close();
  const writer = new MergingIntegrator(openSharedWriter(config));
  useStructuredIpc();
  serveWriterToWorkers(writer);
  for (let i = 0; i < config.workers; i++) cluster.fork();
  const stopWorkers = (): void => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
  };
  cluster.on('exit', (worker, code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT') {
      console.error(`worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
      process.exitCode = 1;
      stopWorkers();
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) {
      writer.close().then(
        () => process.exit(),
        (err: unknown) => fail(`closing the writer failed: ${(err as Error).message}`, 1),
      );
    }
  });
  process.once('SIGTERM', stopWorkers);
  process.once('SIGINT', stopWorkers);
}

async function startOrFail(config: ServerConfig, hooks?: ServerHooks): ReturnType<typeof startServer> {
  try {
    return await startServer(config, hooks);
  } catch (err) {
    fail(`rekor-server: ${(err as Error).message}`, 1);
  }
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}
