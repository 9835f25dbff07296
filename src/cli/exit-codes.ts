/** Exit codes, chosen to match the AWS CLI v2 where a command mirrors an AWS one. */
export const ExitCode = {
  ok: 0,
  /** A file could not be read or parsed (trailwatch's own; the AWS CLI never reads such files). */
  fileError: 1,
  /** Usage errors: unknown command/option, missing or bad argument (AWS CLI: 252). */
  usage: 252,
  /** The service rejected the request, e.g. InvalidParameterException (AWS CLI: 254). */
  serviceError: 254,
} as const;

/** Ends the command with `exitCode` after printing `stderrText` as is (it carries its own newlines). */
export class CliExit extends Error {
  readonly exitCode: number;
  readonly stderrText: string;

  constructor(exitCode: number, stderrText: string) {
    super(stderrText.trim());
    this.exitCode = exitCode;
    this.stderrText = stderrText;
  }
}

/** The AWS CLI's rendering of a service error: a blank line, then the one-line message. */
export function serviceError(code: string, operation: string, message: string): CliExit {
  return new CliExit(
    ExitCode.serviceError,
    `\nAn error occurred (${code}) when calling the ${operation} operation: ${message}\n`,
  );
}
