/**
 * The one error type of the pattern language. Its `name` is AWS's exception name so that callers
 * (the API layer, the library's users) can treat it exactly like the AWS SDK's error.
 */
export class InvalidParameterException extends Error {
  override readonly name = "InvalidParameterException";
  /** Offset in the pattern where it went wrong, when known (0-based, UTF-16 units). */
  readonly position: number | undefined;

  constructor(message: string, position?: number) {
    super(message);
    this.position = position;
  }
}

/** AWS's generic rejection text, used where AWS gives no more specific message. */
export const INVALID_PATTERN = "Invalid metric filter pattern";

export function invalidCharacters(term: string, position?: number): InvalidParameterException {
  return new InvalidParameterException(`Invalid character(s) in term '${term}'`, position);
}
