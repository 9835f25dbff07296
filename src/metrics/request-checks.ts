/**
 * Input checks shared by the metric APIs: namespace, metric name, dimensions, unit, timestamps. Each check
 * reports to a {@link Problems} collector (so one response lists every problem of a kind, as AWS does) and
 * returns the usable value, or undefined when there is none.
 *
 * Parameter names in messages are the Query-protocol paths AWS prints (`MetricData.member.2.Dimensions`);
 * `member` names are the model paths of `1 validation error detected` messages (`metricData.2.member...`).
 */
import type { Dimension, StandardUnit } from "../store/types.js";
import {
  collectionTooLarge,
  constraintViolation,
  invalidValue,
  missingParameter,
  notInSet,
  type Problems,
} from "./errors.js";
import { STANDARD_UNITS } from "./transformation.js";

export const MAX_DIMENSIONS = 30;

function lengthChecked(
  problems: Problems,
  value: unknown,
  parameter: string,
  member: string,
  max: number,
  required: boolean,
): string | undefined {
  if (value === undefined || value === null) {
    if (required) problems.add(missingParameter(parameter));
    return undefined;
  }
  if (typeof value !== "string") {
    problems.add(invalidValue(value, parameter));
    return undefined;
  }
  if (value.length < 1) {
    problems.add(constraintViolation(value, member, "Member must have length greater than or equal to 1"));
    return undefined;
  }
  if (value.length > max) {
    problems.add(constraintViolation(value, member, `Member must have length less than or equal to ${max}`));
    return undefined;
  }
  return value;
}

/** Namespace: 1–255 characters, not starting with a colon (model pattern `[^:].*`). */
export function checkNamespace(
  problems: Problems,
  value: unknown,
  parameter = "Namespace",
  member = "namespace",
  required = true,
): string | undefined {
  const ns = lengthChecked(problems, value, parameter, member, 255, required);
  if (ns?.startsWith(":")) {
    problems.add(constraintViolation(ns, member, "Member must satisfy regular expression pattern: [^:].*"));
    return undefined;
  }
  return ns;
}

/** MetricName: 1–255 characters. */
export function checkMetricName(
  problems: Problems,
  value: unknown,
  parameter = "MetricName",
  member = "metricName",
  required = true,
): string | undefined {
  return lengthChecked(problems, value, parameter, member, 255, required);
}

export interface DimensionRules {
  /** Most entries allowed (30 for a metric, 10 for ListMetrics filters). */
  max: number;
  /** Whether each entry needs a Value (a metric's dimension) or may omit it (a ListMetrics filter). */
  valueRequired: boolean;
  /**
   * PutMetricData's character rules from the Dimension reference: ASCII only, at least one non-whitespace
   * character, and a name not starting with a colon. Reading APIs look up what exists instead.
   */
  publishing: boolean;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function publishable(text: string, isName: boolean): boolean {
  return PRINTABLE_ASCII.test(text) && text.trim().length > 0 && !(isName && text.startsWith(":"));
}

/**
 * A list of dimensions (or dimension filters). Names must be unique: a metric cannot have two values for
 * one name, and CloudWatch identifies a metric by its dimension set.
 */
export function checkDimensions(
  problems: Problems,
  value: unknown,
  parameter: string,
  member: string,
  rules: DimensionRules,
): { Name: string; Value?: string }[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add(invalidValue(value, parameter));
    return undefined;
  }
  if (value.length > rules.max) {
    problems.add(collectionTooLarge(parameter, rules.max));
    return undefined;
  }
  const out: { Name: string; Value?: string }[] = [];
  const seen = new Set<string>();
  let ok = true;
  value.forEach((d: unknown, k: number) => {
    const path = `${parameter}.member.${k + 1}`;
    const entry = (d ?? {}) as Record<string, unknown>;
    const name = lengthChecked(
      problems,
      entry.Name,
      `${path}.Name`,
      `${member}.${k + 1}.member.name`,
      255,
      true,
    );
    const dimValue = lengthChecked(
      problems,
      entry.Value,
      `${path}.Value`,
      `${member}.${k + 1}.member.value`,
      1024,
      rules.valueRequired,
    );
    if (name === undefined || (rules.valueRequired && dimValue === undefined)) {
      ok = false;
      return;
    }
    if (entry.Value !== undefined && entry.Value !== null && dimValue === undefined) {
      ok = false;
      return;
    }
    if (rules.publishing && !publishable(name, true)) {
      problems.add(invalidValue(name, `${path}.Name`));
      ok = false;
      return;
    }
    if (rules.publishing && dimValue !== undefined && !publishable(dimValue, false)) {
      problems.add(invalidValue(dimValue, `${path}.Value`));
      ok = false;
      return;
    }
    if (seen.has(name)) {
      // Made-up text (AWS's is not recorded): names a metric cannot have twice.
      problems.add(invalidValue(name, `${path}.Name`));
      ok = false;
      return;
    }
    seen.add(name);
    out.push(dimValue === undefined ? { Name: name } : { Name: name, Value: dimValue });
  });
  return ok ? out : undefined;
}

/** Dimensions of a metric (every entry with a Value). */
export function checkMetricDimensions(
  problems: Problems,
  value: unknown,
  parameter: string,
  member: string,
  publishing = false,
): Dimension[] | undefined {
  return checkDimensions(problems, value, parameter, member, {
    max: MAX_DIMENSIONS,
    valueRequired: true,
    publishing,
  }) as Dimension[] | undefined;
}

/** An optional StandardUnit. */
export function checkUnit(problems: Problems, value: unknown, parameter: string): StandardUnit | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && (STANDARD_UNITS as readonly string[]).includes(value)) {
    return value as StandardUnit;
  }
  problems.add(notInSet(parameter, STANDARD_UNITS));
  return undefined;
}

/** A timestamp given as a Date (what the SDKs and the protocol layer hand over); epoch ms out. */
export function checkTime(
  problems: Problems,
  value: unknown,
  parameter: string,
  required: boolean,
): number | undefined {
  if (value === undefined || value === null) {
    if (required) problems.add(missingParameter(parameter));
    return undefined;
  }
  const t = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(t)) {
    problems.add(invalidValue(value, parameter));
    return undefined;
  }
  return t;
}
