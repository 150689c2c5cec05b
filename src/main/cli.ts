/**
 * `rekor-server`: the server's command line. `serve` starts the Rekor v1 API; with
 * --workers N the primary process prepares the data dir (key, first shard) and forks N
 * workers that share the port and the database.
 */
import cluster from 'node:cluster';
import { existsSync, readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ConfigError, SETTINGS, resolveConfig, type ServerConfig } from './config.js';
import { startServer } from './serve.js';

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
  if (config.workers > 1 && cluster.isPrimary) {
    // Prepare identity once, so workers never race to create the key or the first shard.
    const prepared = await startOrFail({ ...config, port: 0, address: '127.0.0.1', logLevel: 'warn' });
    await prepared.close();
    for (let i = 0; i < config.workers; i++) cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
      if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT') {
        console.error(`worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
        process.exitCode = 1;
        for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      }
    });
    const stop = (): void => {
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  const server = await startOrFail(config);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      (err: unknown) => fail(`shutdown failed: ${(err as Error).message}`, 1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function startOrFail(config: ServerConfig): ReturnType<typeof startServer> {
  try {
    return await startServer(config);
  } catch (err) {
    fail(`rekor-server: ${(err as Error).message}`, 1);
  }
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}
