/**
 * How rekor-cli fails. Exit codes (documented in --help): 0 success, 1 a verification failure or
 * any other failure (network, server error), 2 a usage error (bad or missing flags), 141 a reader
 * closed stdout or stderr early (the status a shell reports for Go's CLI, which SIGPIPE kills).
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_BROKEN_PIPE = 128 + 13;

export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_FAILURE, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}

/** Any failure to verify what the log or a file claims: always exit 1, never retried. */
export function verificationError(message: string, cause?: unknown): CliError {
  return new CliError(message, EXIT_FAILURE, cause === undefined ? undefined : { cause });
}
