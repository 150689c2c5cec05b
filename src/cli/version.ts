/** `version`: the build's version information, in the shape of sigstore's release-utils. */
import { readFileSync } from 'node:fs';
import type { CommandOutput } from './output.js';

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function version(asJson = false): CommandOutput {
  const info = {
    gitVersion: `v${packageVersion()}`,
    gitCommit: 'unknown',
    gitTreeState: 'unknown',
    buildDate: 'unknown',
    goVersion: `node ${process.version}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch}`,
  };
  const rows: [string, string][] = [
    ['GitVersion', info.gitVersion],
    ['GitCommit', info.gitCommit],
    ['GitTreeState', info.gitTreeState],
    ['BuildDate', info.buildDate],
    ['GoVersion', info.goVersion],
    ['Compiler', info.compiler],
    ['Platform', info.platform],
  ];
  return {
    json: () => info,
    text: () => (asJson ? `${JSON.stringify(info, null, 2)}\n` : `rekor-cli: Rekor CLI (rekor-ts)\n\n${rows.map(([k, v]) => `${`${k}:`.padEnd(15)}${v}`).join('\n')}\n`),
  };
}
