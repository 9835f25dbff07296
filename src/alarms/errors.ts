/**
 * The one error type of the alarm APIs. `name` and `code` are the AWS error code so that the API layer can put
 * it on the wire as is (`x-amzn-query-error: <code>;Sender`), and library users can treat it like the SDK's error.
 *
 * CloudWatch reports bad alarm input as `ValidationError` (recorded: SetAlarmState with a bad StateValue,
 * PutMetricAlarm's "DatapointsToAlarm must be less than or equal to EvaluationPeriods", PutCompositeAlarm's
 * "Error in AlarmRule [...]"), not as `InvalidParameterValue`, which the metric APIs use.
 */
import { CloudWatchError } from "../metrics/errors.js";

// One class for all of CloudWatch (it lives with the metrics APIs, the lower layer).
export { CloudWatchError, type CloudWatchErrorCode } from "../metrics/errors.js";

/** CloudWatch's own wording for a semantic check (`DatapointsToAlarm must be ...`). */
export function validationError(message: string): CloudWatchError {
  return new CloudWatchError("ValidationError", message);
}

/** botocore's description of InvalidFormatFault, used as the message (AWS's own text is not recorded). */
export function invalidFormat(message = "Data was not syntactically valid JSON"): CloudWatchError {
  return new CloudWatchError("InvalidFormat", message);
}

/** botocore's description of InvalidNextToken. */
export function invalidNextToken(): CloudWatchError {
  return new CloudWatchError("InvalidNextToken", "The next token specified is invalid.");
}

/** AWS answers SetAlarmState on an unknown alarm with `ResourceNotFound` and no message (LocalStack snapshot). */
export function resourceNotFound(message = ""): CloudWatchError {
  return new CloudWatchError("ResourceNotFound", message);
}

/**
 * A value that arrived with the wrong type (an object where a string belongs, `"abc"` for Period). AWS rejects
 * these while deserializing, before validation; the text is ours.
 */
export function invalidType(parameter: string, expected: string, value: unknown): CloudWatchError {
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  return new CloudWatchError(
    "InvalidParameterValue",
    `Invalid type for parameter ${parameter}: expected ${expected}, got ${shown}.`,
  );
}
