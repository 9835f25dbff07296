/**
 * AWS's model-constraint failures: `1 validation error detected: Value '30' at 'period' failed to satisfy
 * constraint: Member must have value greater than or equal to 60` (recorded, and the SetAlarmState enum case
 * in LocalStack's AWS-validated snapshot). AWS checks every modelled constraint (required, length, range, enum,
 * pattern) before any semantic rule and reports all failures in one message, joined by "; ".
 *
 * Paths are the camelCase member names; list elements are `<list>.<1-based index>.member`
 * (`dimensions.1.member.value`), as in AWS's messages for PutMetricData.
 */
import { CloudWatchError } from "./errors.js";

export interface ConstraintViolation {
  path: string;
  value: unknown;
  constraint: string;
}

export function constraintError(violations: readonly ConstraintViolation[]): CloudWatchError {
  const n = violations.length;
  const parts = violations.map(
    (v) => `Value ${shownValue(v.value)} at '${v.path}' failed to satisfy constraint: ${v.constraint}`,
  );
  return new CloudWatchError(
    "ValidationError",
    `${n} validation error${n === 1 ? "" : "s"} detected: ${parts.join("; ")}`,
  );
}

/** Java's toString of the offending value, quoted as AWS quotes it; `null` bare. */
function shownValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (Array.isArray(value)) return `'[${value.map((v) => String(v)).join(", ")}]'`;
  return `'${String(value)}'`;
}

/** Collects violations; `throwIfAny` raises them together, as AWS does. */
export class ConstraintChecker {
  readonly violations: ConstraintViolation[] = [];

  required(path: string, value: unknown): boolean {
    if (value !== undefined && value !== null) return true;
    this.violations.push({ path, value: null, constraint: "Member must not be null" });
    return false;
  }

  length(path: string, value: string | readonly unknown[] | undefined, min: number, max: number): void {
    if (value === undefined) return;
    if (value.length < min)
      this.violations.push({
        path,
        value,
        constraint: `Member must have length greater than or equal to ${min}`,
      });
    else if (value.length > max)
      this.violations.push({
        path,
        value,
        constraint: `Member must have length less than or equal to ${max}`,
      });
  }

  range(path: string, value: number | undefined, min: number | undefined, max?: number): void {
    if (value === undefined) return;
    if (min !== undefined && value < min)
      this.violations.push({
        path,
        value,
        constraint: `Member must have value greater than or equal to ${min}`,
      });
    else if (max !== undefined && value > max)
      this.violations.push({
        path,
        value,
        constraint: `Member must have value less than or equal to ${max}`,
      });
  }

  /** `shownSet` is the order AWS prints the set in, where recorded; otherwise botocore's order. */
  oneOf(path: string, value: string | undefined, allowed: readonly string[], shownSet = allowed): void {
    if (value === undefined || allowed.includes(value)) return;
    this.violations.push({
      path,
      value,
      constraint: `Member must satisfy enum value set: [${shownSet.join(", ")}]`,
    });
  }

  pattern(path: string, value: string | undefined, regex: RegExp, shown: string): void {
    if (value === undefined || regex.test(value)) return;
    this.violations.push({
      path,
      value,
      constraint: `Member must satisfy regular expression pattern: ${shown}`,
    });
  }

  throwIfAny(): void {
    if (this.violations.length > 0) throw constraintError(this.violations);
  }
}
