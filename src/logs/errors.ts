/**
 * CloudWatch Logs errors: `name` is AWS's exception name (what the SDK exposes as `error.name`), so the
 * API layer can serialize it as is and library users can match on it.
 */
export type LogsErrorCode =
  | "InvalidParameterException"
  | "ResourceNotFoundException"
  | "ResourceAlreadyExistsException"
  | "LimitExceededException"
  | "OperationAbortedException"
  | "ServiceUnavailableException"
  | "InvalidOperationException"
  | "DataAlreadyAcceptedException"
  | "UnrecognizedClientException";

export class LogsError extends Error {
  override readonly name: LogsErrorCode;
  constructor(code: LogsErrorCode, message: string) {
    super(message);
    this.name = code;
  }
}

/** AWS's generic validation text: `1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: ...`. */
export function validationError(value: unknown, member: string, constraint: string): LogsError {
  const shown = typeof value === "string" ? value : JSON.stringify(value);
  return new LogsError(
    "InvalidParameterException",
    `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}
