/** Path that means "read standard input". */
export const STDIN_PATH = "-";

/** How a path is named in messages: stdin has no file name of its own. */
export function displayName(path: string): string {
  return path === STDIN_PATH ? "<stdin>" : path;
}

/**
 * A log file that cannot be read or parsed. The message always names the file and is one line, so a CLI
 * can print it as is instead of a stack trace.
 */
export class LogFileError extends Error {
  override readonly name = "LogFileError";
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`${displayName(path)}: ${reason}`);
    this.path = path;
  }
}

const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EISDIR: "is a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOTDIR: "not a directory",
};

/** Turns whatever reading the file threw (fs, zlib, RangeError…) into a LogFileError naming the file. */
export function toLogFileError(path: string, err: unknown): LogFileError {
  if (err instanceof LogFileError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === "string" && code in SYSTEM_ERRORS) return new LogFileError(path, SYSTEM_ERRORS[code]);
  // zlib reports corrupt or truncated data with Z_* codes ("incorrect header check", "unexpected end of file").
  if (typeof code === "string" && code.startsWith("Z_")) {
    return new LogFileError(path, `not valid gzip data (${message})`);
  }
  return new LogFileError(path, message);
}
