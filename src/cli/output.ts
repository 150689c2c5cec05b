/**
 * Output as Rekor prints it: `--format default` prints a command's text form, `json` the Go
 * struct marshalled by encoding/json (field names as in Go, HTML characters escaped), `tle` a
 * protobuf-JSON TransparencyLogEntry (get only).
 */
import { CliError } from './errors.js';

export interface CommandOutput {
  /** The `--format default` text, ending with "\n". */
  text(): string;
  /** The value `--format json` prints. */
  json(): unknown;
  /** The value `--format tle` prints, when the command has one. */
  tle?(): unknown;
  /** Raw text printed for non-Rekor formats (get --format logentry). */
  raw?(format: string): string | undefined;
}

/** encoding/json escapes <, >, & and the JS line separators; JSON.stringify does not. */
export function goJson(value: unknown, indent?: string): string {
  return JSON.stringify(value, null, indent)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function render(output: CommandOutput, format: string): string {
  const raw = output.raw?.(format);
  if (raw !== undefined) return raw;
  if (format === 'json') return `${goJson(output.json())}\n`;
  if (format === 'tle') {
    if (output.tle === undefined) throw new CliError('unable to print transparency log entry');
    return `${JSON.stringify(output.tle())}\n`;
  }
  return output.text();
}

let logSink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

/** Informational lines (Rekor's CLI logger): stderr, so stdout stays the command's output. */
export function log(line: string): void {
  logSink(line);
}

export function setLogSink(sink: (line: string) => void): void {
  logSink = sink;
}
