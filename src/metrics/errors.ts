/**
 * The one error type of CloudWatch's APIs (metrics here, alarms in src/alarms). Its `name` is the code AWS puts on the wire (the Query
 * protocol's `<Code>`, the JSON protocol's `x-amzn-query-error`), so the HTTP layer maps it without a table
 * and callers can treat it like the AWS SDK's error. Every code here is a 400 sender fault.
 *
 * `ValidationError` is not in the service model's error list, but AWS returns it for constraint failures of
 * the model itself (`1 validation error detected: ...`) and for every GetMetricData input check seen in
 * captured responses, so it is kept rather than translated.
 */
export type CloudWatchErrorCode =
  | "InvalidParameterValue"
  | "MissingParameter"
  | "InvalidParameterCombination"
  | "InvalidNextToken"
  | "LimitExceeded"
  | "ValidationError"
  | "ResourceNotFound"
  | "InvalidFormat";

export class CloudWatchError extends Error {
  override readonly name: CloudWatchErrorCode;

  constructor(code: CloudWatchErrorCode, message: string) {
    super(message);
    this.name = code;
  }

  /** AWS's error code (the same as `name`). */
  get code(): CloudWatchErrorCode {
    return this.name;
  }
}

/** `The parameter X is required.` — AWS's MissingParameter text. */
export function missingParameter(parameter: string): CloudWatchError {
  return new CloudWatchError("MissingParameter", `The parameter ${parameter} is required.`);
}

/** `The value X for parameter P is invalid.` — AWS's generic InvalidParameterValue text. */
export function invalidValue(value: unknown, parameter: string): CloudWatchError {
  return new CloudWatchError(
    "InvalidParameterValue",
    `The value ${String(value)} for parameter ${parameter} is invalid.`,
  );
}

/** `The parameter P must be a value in the set [a, b].` — AWS's text for an enum member it does not know. */
export function notInSet(parameter: string, set: readonly (string | number)[]): CloudWatchError {
  return new CloudWatchError(
    "InvalidParameterValue",
    `The parameter ${parameter} must be a value in the set [${set.join(", ")}].`,
  );
}

/** `The collection C must not have a size greater than N.` — AWS's text for an over-long list. */
export function collectionTooLarge(collection: string, max: number): CloudWatchError {
  return new CloudWatchError(
    "InvalidParameterValue",
    `The collection ${collection} must not have a size greater than ${max}.`,
  );
}

/** `The parameters A and B are mutually exclusive and you have specified both.` */
export function mutuallyExclusive(a: string, b: string): CloudWatchError {
  return new CloudWatchError(
    "InvalidParameterCombination",
    `The parameters ${a} and ${b} are mutually exclusive and you have specified both.`,
  );
}

/**
 * A model-constraint failure in AWS's `ValidationError` form, e.g. `1 validation error detected: Value '0' at
 * 'period' failed to satisfy constraint: Member must have value greater than or equal to 1`.
 */
export function constraintViolation(value: unknown, member: string, constraint: string): CloudWatchError {
  return new CloudWatchError(
    "ValidationError",
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/**
 * Collects the problems of one request. AWS reports every problem of the same kind at once, one per line
 * (`The parameter MetricData.member.1.Timestamp must ...\nThe parameter MetricData.member.2.Timestamp ...`),
 * so `throwIfAny` throws the code of the first problem with the messages of all problems sharing that code.
 */
export class Problems {
  private readonly found: CloudWatchError[] = [];

  add(error: CloudWatchError): void {
    this.found.push(error);
  }

  get empty(): boolean {
    return this.found.length === 0;
  }

  /**
   * `lineEnd` is appended to every line: GetMetricData's ValidationError ends each line with `\n`.
   * `recode` reports every problem under one code (GetMetricData answers all input checks as
   * ValidationError), which then lists all of them.
   */
  throwIfAny(lineEnd = "", recode?: CloudWatchErrorCode): void {
    if (this.found.length === 0) return;
    const code = recode ?? this.found[0].code;
    const lines = this.found
      .filter((e) => recode !== undefined || e.code === code)
      .map((e) => e.message + lineEnd);
    throw new CloudWatchError(code, lines.join(lineEnd === "" ? "\n" : ""));
  }
}
