import type { Selector } from "../pattern/ast.js";
import {
  type CompiledPattern,
  compileFilterPattern,
  InvalidParameterException,
  type PatternMatch,
  parseSelector,
  selectValue,
} from "../pattern/index.js";

/** CloudWatch's StandardUnit values. */
export const STANDARD_UNITS = [
  "Seconds",
  "Microseconds",
  "Milliseconds",
  "Bytes",
  "Kilobytes",
  "Megabytes",
  "Gigabytes",
  "Terabytes",
  "Bits",
  "Kilobits",
  "Megabits",
  "Gigabits",
  "Terabits",
  "Percent",
  "Count",
  "Bytes/Second",
  "Kilobytes/Second",
  "Megabytes/Second",
  "Gigabytes/Second",
  "Terabytes/Second",
  "Bits/Second",
  "Kilobits/Second",
  "Megabits/Second",
  "Gigabits/Second",
  "Terabits/Second",
  "Count/Second",
  "None",
] as const;
export type StandardUnit = (typeof STANDARD_UNITS)[number];

/** System fields a metric filter may add as dimensions (they count toward the limit of 3). */
export const SYSTEM_DIMENSIONS = ["@aws.account", "@aws.region"] as const;
export type SystemDimension = (typeof SYSTEM_DIMENSIONS)[number];

/** PutMetricFilter's MetricTransformation. */
export interface MetricTransformation {
  metricName: string;
  metricNamespace: string;
  /** A number (`"1"`), `$.path` (JSON patterns) or `$name` / `$N` (space-delimited patterns). */
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: StandardUnit;
}

/** One observation a metric filter publishes for one log event. */
export interface MetricSample {
  namespace: string;
  metricName: string;
  value: number;
  unit: StandardUnit;
  dimensions: Record<string, string>;
}

/** Where the log event came from, for the system-field dimensions. */
export interface EventContext {
  account?: string;
  region?: string;
}

export const MAX_DIMENSIONS = 3;

type Ref =
  | { type: "number"; value: number }
  | { type: "json"; selector: Selector }
  | { type: "field"; key: string };

function validation(value: unknown, member: string, constraint: string): InvalidParameterException {
  return new InvalidParameterException(
    `1 validation error detected: Value '${String(value)}' at 'metricTransformations.1.member.${member}' failed to satisfy constraint: ${constraint}`,
  );
}

function checkName(value: unknown, member: string): void {
  if (typeof value !== "string" || value.length < 1) {
    throw validation(value, member, "Member must have length greater than or equal to 1");
  }
  if (value.length > 255)
    throw validation(value, member, "Member must have length less than or equal to 255");
  if (/[:*$]/.test(value))
    throw validation(value, member, "Member must satisfy regular expression pattern: [^:*$]*");
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a `$...` reference for the pattern's language; null when the language cannot supply it. */
function parseRef(text: string, pattern: CompiledPattern): Ref | null {
  if (pattern.kind === "json") {
    const selector = parseSelector(text);
    return selector && selector.wildcardAt < 0 ? { type: "json", selector } : null;
  }
  if (pattern.kind === "space" && /^\$[A-Za-z0-9_-]+$/.test(text)) return { type: "field", key: text };
  return null;
}

function numberOf(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && NUMBER.test(v.trim())) {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** What a reference reads from a match: undefined = absent (or null), anything else as found. */
function read(ref: Exclude<Ref, { type: "number" }>, match: PatternMatch): unknown {
  if (ref.type === "json") {
    const v = selectValue(match.json, ref.selector);
    return v === null ? undefined : v;
  }
  return match.extractedValues[ref.key];
}

export interface CompiledTransformation {
  readonly transformation: MetricTransformation;
  /** The samples published for one log event: `match` is the pattern's match, or null when it did not match. */
  samples(match: PatternMatch | null, context?: EventContext): MetricSample[];
}

/**
 * Validates a transformation against its filter pattern (AWS's rules) and compiles it into the function
 * that turns one event into the samples CloudWatch Logs would publish. The rules, as recorded on AWS:
 * - a matching event publishes one sample of metricValue;
 * - every non-matching event publishes one defaultValue sample (when set), without dimensions;
 * - an extracted value that is missing or null publishes defaultValue instead (when set);
 * - an extracted value that is not a number publishes nothing, not even the default;
 * - an event missing any dimension field is published without dimensions.
 */
export function compileMetricTransformation(
  t: MetricTransformation,
  pattern: CompiledPattern,
  emitSystemFieldDimensions: readonly string[] = [],
): CompiledTransformation {
  checkName(t.metricName, "metricName");
  checkName(t.metricNamespace, "metricNamespace");
  if (typeof t.metricValue !== "string" || t.metricValue.length < 1 || t.metricValue.length > 100) {
    throw validation(t.metricValue, "metricValue", "Member must have length less than or equal to 100");
  }
  let value: Ref | null;
  if (NUMBER.test(t.metricValue) && Number.isFinite(Number(t.metricValue))) {
    value = { type: "number", value: Number(t.metricValue) };
  } else {
    value = t.metricValue.startsWith("$") ? parseRef(t.metricValue, pattern) : null;
  }
  if (value === null) {
    throw new InvalidParameterException(
      `Invalid metric transformation: metric value ${t.metricValue} must be a valid number`,
    );
  }
  if (
    t.defaultValue !== undefined &&
    (typeof t.defaultValue !== "number" || !Number.isFinite(t.defaultValue))
  ) {
    throw new InvalidParameterException("STRING_VALUE cannot be converted to Double");
  }
  const unit = t.unit ?? "None";
  if (!STANDARD_UNITS.includes(unit)) {
    throw validation(unit, "unit", `Member must satisfy enum value set: [${STANDARD_UNITS.join(", ")}]`);
  }
  for (const s of emitSystemFieldDimensions) {
    if (!(SYSTEM_DIMENSIONS as readonly string[]).includes(s)) {
      throw new InvalidParameterException(
        `Invalid system field dimension: ${s}. Allowed values: ${SYSTEM_DIMENSIONS.join(", ")}`,
      );
    }
  }
  const dimensionEntries = Object.entries(t.dimensions ?? {});
  if (dimensionEntries.length + emitSystemFieldDimensions.length > MAX_DIMENSIONS) {
    throw new InvalidParameterException(
      `Invalid metric transformation: a metric can have at most ${MAX_DIMENSIONS} dimensions`,
    );
  }
  if (dimensionEntries.length > 0 && t.defaultValue !== undefined) {
    throw new InvalidParameterException(
      "Invalid metric transformation: a default value cannot be used with dimensions",
    );
  }
  if (dimensionEntries.length > 0 && pattern.kind !== "json" && pattern.kind !== "space") {
    throw new InvalidParameterException("The specified filter pattern does not support dimensions");
  }
  const dimensions: [string, Exclude<Ref, { type: "number" }>][] = dimensionEntries.map(([key, text]) => {
    if (key.length < 1 || key.length > 255)
      throw validation(key, "dimensions", "Map keys must have length between 1 and 255");
    const ref = typeof text === "string" && text.length <= 255 ? parseRef(text, pattern) : null;
    if (ref === null || ref.type === "number") {
      throw new InvalidParameterException(
        `Invalid metric transformation: dimension ${key} must be a field selector, not ${text}`,
      );
    }
    return [key, ref];
  });

  const sample = (v: number, dims: Record<string, string>): MetricSample => ({
    namespace: t.metricNamespace,
    metricName: t.metricName,
    value: v,
    unit,
    dimensions: dims,
  });
  const defaultValue = t.defaultValue;
  const systemDims = [...emitSystemFieldDimensions];

  return {
    transformation: t,
    samples(match, context = {}) {
      if (match === null) return defaultValue === undefined ? [] : [sample(defaultValue, {})];
      let v: number;
      if (value.type === "number") v = value.value;
      else {
        const raw = read(value, match);
        if (raw === undefined) {
          if (defaultValue === undefined) return [];
          v = defaultValue;
        } else {
          const n = numberOf(raw);
          if (n === null) return [];
          v = n;
        }
      }
      const dims: Record<string, string> = {};
      for (const [key, ref] of dimensions) {
        const d = read(ref, match);
        if (typeof d !== "string" && typeof d !== "number") return [sample(v, {})];
        dims[key] = String(d);
      }
      for (const s of systemDims) {
        const d = s === "@aws.account" ? context.account : context.region;
        if (d === undefined) return [sample(v, {})];
        dims[s] = d;
      }
      return [sample(v, dims)];
    },
  };
}

/** The samples one event publishes through one transformation (compiles both each call: for tools and tests). */
export function publishedSamples(
  filterPattern: string,
  transformation: MetricTransformation,
  message: string,
  context?: EventContext,
  emitSystemFieldDimensions?: readonly string[],
): MetricSample[] {
  const pattern = compileFilterPattern(filterPattern);
  return compileMetricTransformation(transformation, pattern, emitSystemFieldDimensions).samples(
    pattern.match(message),
    context,
  );
}
