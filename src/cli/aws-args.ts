/**
 * Option values as the AWS CLI reads them: timestamps (ISO-8601 or epoch seconds), integers, and the
 * `Name=x,Value=y` shorthand (or JSON) for structures. Light on purpose: command registration imports it
 * and `--help` must stay fast. Bad values are usage errors (exit 252), as they are for the AWS CLI, which
 * rejects them before calling the service.
 */
import { InvalidArgumentError } from "commander";

/**
 * `2020-10-30T23:00:00Z`, `2020-10-30T23:00:00.5+01:00`, `2020-10-30 23:00`, `2020-10-30`, or epoch seconds
 * (`1604098800`, `1604098800.25`). A date and time without an offset is UTC, as botocore reads it (a naive
 * datetime is taken as UTC), not local time as JavaScript's Date.parse would.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epoch milliseconds of an AWS CLI timestamp value, or undefined when it is not one. */
export function parseAwsTimestamp(text: string): number | undefined {
  const value = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(value)) {
    const ms = Math.round(Number(value) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const m = ISO.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", offset] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  // Sub-millisecond digits are dropped (CloudWatch ignores milliseconds anyway).
  const millis = Number(frac.padEnd(3, "0").slice(0, 3));
  let ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 2020-02-31 over into March: such a date is not a date.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  if (offset && offset.toUpperCase() !== "Z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(":", "");
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
    ms -= sign * minutes * 60_000;
  }
  return ms;
}

/** Commander parser for a timestamp option. */
export function timestampOption(text: string): Date {
  const ms = parseAwsTimestamp(text);
  if (ms === undefined)
    throw new InvalidArgumentError("Expected an ISO-8601 timestamp (2020-10-30T23:00:00Z) or epoch seconds.");
  return new Date(ms);
}

/** Commander parser for an integer option. */
export function integerOption(text: string): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new InvalidArgumentError("Expected an integer.");
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError("Expected an integer.");
  return n;
}

/**
 * The AWS CLI's shorthand for one flat structure, `Name=InstanceId,Value=i-1`: comma-separated `key=value`
 * pairs; a value may be quoted ('…' or "…") to hold commas, and `\` escapes the next character.
 */
export function parseShorthand(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const fail = (why: string): never => {
    throw new InvalidArgumentError(`${why} (shorthand: Name=x,Value=y; or JSON)`);
  };
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    if (eq < 0) fail(`Expected: '=', received: end of input after '${text.slice(i)}'`);
    const key = text.slice(i, eq).trim();
    if (!/^[A-Za-z0-9_-]+$/.test(key)) fail(`Bad key '${key}'`);
    i = eq + 1;
    let value = "";
    const quote = text[i] === '"' || text[i] === "'" ? text[i] : undefined;
    if (quote) {
      i++;
      while (i < text.length && text[i] !== quote) {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length) fail(`Missing closing ${quote}`);
      i++;
      if (i < text.length && text[i] !== ",") fail(`Expected ',' after the quoted value of ${key}`);
    } else {
      while (i < text.length && text[i] !== ",") {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        value += text[i++];
      }
      value = value.trim();
    }
    if (Object.hasOwn(out, key)) fail(`Key '${key}' given twice`);
    out[key] = value;
    if (text[i] === ",") i++;
  }
  return out;
}

export interface DimensionArg {
  Name: string;
  Value?: string;
}

/**
 * Commander parser for a repeatable `--dimensions` value: shorthand `Name=x,Value=y`, or JSON (one
 * `{"Name":…,"Value":…}` or a list of them). Values accumulate over the option's arguments.
 */
export function dimensionsOption(valueRequired: boolean) {
  return (text: string, previous: DimensionArg[] | undefined): DimensionArg[] => {
    const trimmed = text.trim();
    let items: unknown[];
    if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed);
      } catch {
        throw new InvalidArgumentError("Invalid JSON.");
      }
      items = Array.isArray(parsed) ? parsed : [parsed];
    } else {
      items = [parseShorthand(trimmed)];
    }
    const dims = items.map((item): DimensionArg => {
      if (typeof item !== "object" || item === null || Array.isArray(item))
        throw new InvalidArgumentError("Each dimension is a structure: Name=x,Value=y.");
      const { Name, Value, ...rest } = item as Record<string, unknown>;
      const unknown = Object.keys(rest);
      if (unknown.length > 0)
        throw new InvalidArgumentError(`Unknown key '${unknown[0]}': a dimension has Name and Value.`);
      if (typeof Name !== "string") throw new InvalidArgumentError("Missing required key 'Name'.");
      if (Value !== undefined && typeof Value !== "string")
        throw new InvalidArgumentError("Value must be a string.");
      if (valueRequired && Value === undefined)
        throw new InvalidArgumentError("Missing required key 'Value'.");
      return Value === undefined ? { Name } : { Name, Value };
    });
    return [...(previous ?? []), ...dims];
  };
}

/** Commander parser that keeps every value of a variadic option (as commander does without a parser). */
export function collect(text: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), text];
}
