/**
 * An error on its way to the wire, in every protocol's terms at once: `type` is the exception name the JSON and
 * CBOR protocols put in `__type` (and the SDKs expose as `error.name`), `code` the awsQuery `<Code>` (also sent
 * as `x-amzn-query-error` by query-compatible services), `status` the HTTP status. Service errors
 * (LogsError, CloudWatchError, SnsError) are turned into one by src/api/errors.ts with the service model's
 * error table; the protocol layer raises its own (routing, decoding, auth) directly.
 */
export class WireError extends Error {
  constructor(
    readonly type: string,
    readonly code: string,
    readonly status: number,
    message: string,
    readonly sender = true,
    /** The awsQuery status where it differs (AWS answers auth failures 400 in JSON, 403 in awsQuery). */
    readonly queryStatus = status,
  ) {
    super(message);
    this.name = type;
  }

  /** A body that does not deserialize into the operation's input (JSON/CBOR). */
  static serialization(message: string): WireError {
    return new WireError("SerializationException", "SerializationException", 400, message);
  }

  /** The request is larger than the service accepts (AWS: `Request size N exceeded M bytes`). */
  static tooLarge(size: number, limit: number): WireError {
    return new WireError(
      "RequestEntityTooLargeException",
      "RequestEntityTooLarge",
      413,
      `Request size ${size} exceeded ${limit} bytes`,
    );
  }

  static internal(): WireError {
    return new WireError(
      "InternalFailure",
      "InternalFailure",
      500,
      "The request processing has failed because of an unknown error, exception or failure.",
      false,
    );
  }
}
