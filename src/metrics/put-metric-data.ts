/**
 * PutMetricData: validation with AWS's rules and messages, then the aggregates to store.
 *
 * Rules (API reference PutMetricData, MetricDatum, StatisticSet, Dimension):
 * - Namespace 1–255 characters, not starting with `:` and not with `AWS/` (reserved for AWS services);
 * - 1 to 1,000 MetricData items; each has a MetricName, at most 30 dimensions, and exactly one of Value,
 *   Values (with optional Counts of the same length, at most 150 values) or StatisticValues (all four);
 * - values are finite and 0 or of magnitude 2^-360 to 2^360 (the documented ±2^360, and the smallest
 *   magnitude measured by Netflix servo's CloudWatchValueTest: 2^-361 refused, 2^-360 accepted; the older
 *   docs' 8.515920e-109 is 2^-359 and contradicts both);
 * - Timestamp no more than two weeks old and no more than two hours ahead of `now` (default: `now`);
 * - Unit one of the StandardUnits (default `None`); StorageResolution 1 or 60 (default 60).
 *
 * Not checked here: the 1 MB request-body limit (and gzip bodies), which belong to the HTTP layer.
 * LIMITATIONS: `EntityMetricData` is refused (entities are not modelled).
 */
import type { Dimension, MetricAggregate, StandardUnit } from "../store/types.js";
import { AggregateAccumulator, metricId, type StatisticSet } from "./aggregate.js";
import {
  CloudWatchError,
  collectionTooLarge,
  invalidValue,
  missingParameter,
  mutuallyExclusive,
  Problems,
} from "./errors.js";
import { checkMetricDimensions, checkMetricName, checkNamespace, checkUnit } from "./request-checks.js";

export const MAX_METRIC_DATA = 1000;
export const MAX_VALUES = 150;
const TWO_WEEKS = 14 * 24 * 3600 * 1000;
const TWO_HOURS = 2 * 3600 * 1000;
const LARGEST = 2 ** 360;
const SMALLEST = 2 ** -360;

export interface MetricDatum {
  MetricName?: string;
  Dimensions?: Dimension[];
  Timestamp?: Date;
  Value?: number;
  StatisticValues?: { SampleCount?: number; Sum?: number; Minimum?: number; Maximum?: number };
  Values?: number[];
  Counts?: number[];
  Unit?: string;
  StorageResolution?: number;
}

export interface PutMetricDataInput {
  Namespace?: string;
  MetricData?: MetricDatum[];
  EntityMetricData?: unknown[];
  StrictEntityValidation?: boolean;
}

/** A value CloudWatch stores: finite, and zero or of magnitude within [2^-360, 2^360]. */
export function isStorableValue(v: unknown): v is number {
  if (typeof v !== "number" || !Number.isFinite(v)) return false;
  const m = Math.abs(v);
  return m === 0 || (m >= SMALLEST && m <= LARGEST);
}

interface Checked {
  metric: ReturnType<typeof metricId>;
  timestamp: number;
  unit: StandardUnit;
  resolution: 1 | 60;
  value?: number;
  values?: { values: number[]; counts: number[] | undefined };
  set?: StatisticSet;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function checkDatum(problems: Problems, d: MetricDatum, k: number, now: number): Checked | undefined {
  const path = `MetricData.member.${k}`;
  const member = `metricData.${k}.member`;
  const datum = (d ?? {}) as Record<string, unknown>;
  let ok = true;
  const fail = (e: CloudWatchError) => {
    problems.add(e);
    ok = false;
  };
  const name = checkMetricName(problems, datum.MetricName, `${path}.MetricName`, `${member}.metricName`);
  const dimensions = checkMetricDimensions(
    problems,
    datum.Dimensions,
    `${path}.Dimensions`,
    `${member}.dimensions`,
    true,
  );
  if (name === undefined || dimensions === undefined) ok = false;

  let timestamp = now;
  if (present(datum.Timestamp)) {
    const t = datum.Timestamp instanceof Date ? datum.Timestamp.getTime() : Number.NaN;
    if (!Number.isFinite(t)) fail(invalidValue(datum.Timestamp, `${path}.Timestamp`));
    else if (t < now - TWO_WEEKS) {
      // AWS's text (python-diamond/Diamond#372).
      fail(
        new CloudWatchError(
          "InvalidParameterValue",
          `The parameter ${path}.Timestamp must specify a time within the past two weeks.`,
        ),
      );
    } else if (t > now + TWO_HOURS) {
      // Made-up text, after the two-weeks one: AWS's is not recorded.
      fail(
        new CloudWatchError(
          "InvalidParameterValue",
          `The parameter ${path}.Timestamp must specify a time no more than two hours in the future.`,
        ),
      );
    } else timestamp = t;
  }

  const hasValue = present(datum.Value);
  const hasValues = Array.isArray(datum.Values) ? datum.Values.length > 0 : present(datum.Values);
  const hasSet = present(datum.StatisticValues);
  // AWS's texts (AdRoll/goamz#355; LocalStack's provider for Value with Values).
  if (hasValue && hasSet) fail(mutuallyExclusive(`${path}.Value`, `${path}.StatisticValues`));
  if (hasValue && hasValues) fail(mutuallyExclusive(`${path}.Value`, `${path}.Values`));
  if (hasValues && hasSet) fail(mutuallyExclusive(`${path}.Values`, `${path}.StatisticValues`));
  if (!hasValue && !hasValues && !hasSet) {
    // Made-up text: AWS's is not recorded.
    fail(
      new CloudWatchError(
        "InvalidParameterCombination",
        `One of the parameters ${path}.Value, ${path}.Values or ${path}.StatisticValues must be specified.`,
      ),
    );
  }
  if (present(datum.Counts) && !hasValues) {
    // Made-up text: Counts only qualifies Values.
    fail(
      new CloudWatchError(
        "InvalidParameterCombination",
        `The parameter ${path}.Counts can only be used with ${path}.Values.`,
      ),
    );
  }

  const out: Partial<Checked> = {};
  if (hasValue && !hasSet && !hasValues) {
    if (isStorableValue(datum.Value)) out.value = datum.Value;
    else fail(invalidValue(datum.Value, `${path}.Value`));
  }
  if (hasValues && !hasValue && !hasSet) {
    const values = Array.isArray(datum.Values) ? (datum.Values as unknown[]) : undefined;
    const counts = present(datum.Counts)
      ? Array.isArray(datum.Counts)
        ? (datum.Counts as unknown[])
        : undefined
      : [];
    if (values === undefined) fail(invalidValue(datum.Values, `${path}.Values`));
    else if (counts === undefined) fail(invalidValue(datum.Counts, `${path}.Counts`));
    else if (values.length > MAX_VALUES) fail(collectionTooLarge(`${path}.Values`, MAX_VALUES));
    else if (counts.length > 0 && counts.length !== values.length) {
      // AWS's text (LocalStack's provider).
      fail(
        new CloudWatchError(
          "InvalidParameterValue",
          `The parameters ${path}.Values and ${path}.Counts must be of the same size.`,
        ),
      );
    } else {
      values.forEach((v, j) => {
        if (!isStorableValue(v)) fail(invalidValue(v, `${path}.Values.member.${j + 1}`));
      });
      counts.forEach((c, j) => {
        if (typeof c !== "number" || !Number.isFinite(c) || c < 0)
          fail(invalidValue(c, `${path}.Counts.member.${j + 1}`));
      });
      out.values = {
        values: values as number[],
        counts: counts.length > 0 ? (counts as number[]) : undefined,
      };
    }
  }
  if (hasSet && !hasValue && !hasValues) {
    const s = datum.StatisticValues as Record<string, unknown>;
    const fields = ["SampleCount", "Sum", "Minimum", "Maximum"] as const;
    for (const f of fields) {
      if (!present(s[f])) fail(missingParameter(`${path}.StatisticValues.${f}`));
      else if (!isStorableValue(s[f])) fail(invalidValue(s[f], `${path}.StatisticValues.${f}`));
    }
    if (fields.every((f) => isStorableValue(s[f]))) {
      const set = {
        sampleCount: s.SampleCount as number,
        sum: s.Sum as number,
        min: s.Minimum as number,
        max: s.Maximum as number,
      };
      // Made-up texts: a set of no samples, or with Minimum above Maximum, describes no data.
      if (set.sampleCount <= 0) fail(invalidValue(set.sampleCount, `${path}.StatisticValues.SampleCount`));
      else if (set.min > set.max) {
        fail(
          new CloudWatchError(
            "InvalidParameterValue",
            `The parameter ${path}.StatisticValues.Minimum must not be greater than ${path}.StatisticValues.Maximum.`,
          ),
        );
      } else out.set = set;
    }
  }

  const unit = checkUnit(problems, datum.Unit, `${path}.Unit`);
  if (present(datum.Unit) && unit === undefined) ok = false;
  let resolution: 1 | 60 = 60;
  if (present(datum.StorageResolution)) {
    if (datum.StorageResolution === 1 || datum.StorageResolution === 60) resolution = datum.StorageResolution;
    else {
      // AWS's text, spacing included (boto/botocore#1671).
      fail(
        new CloudWatchError(
          "InvalidParameterValue",
          `The parameter ${path}.StorageResolution must be a value in the set [ 1, 60 ].`,
        ),
      );
    }
  }
  if (!ok) return undefined;
  return { metric: metricId("", name!, dimensions!), timestamp, unit: unit ?? "None", resolution, ...out };
}

/**
 * Validates a PutMetricData request made at `now` (epoch ms) and returns its data as aggregates, one per
 * (series, bucket, resolution, unit), merged within the request. Throws CloudWatchError on any problem:
 * like AWS, a request is accepted whole or not at all.
 */
export function putMetricData(input: PutMetricDataInput, now: number): MetricAggregate[] {
  const i = (input ?? {}) as Record<string, unknown>;
  const problems = new Problems();
  const namespace = checkNamespace(problems, i.Namespace);
  if (namespace?.startsWith("AWS/")) {
    // Made-up text in AWS's generic form; the reference: "You cannot specify a namespace that begins with AWS/".
    problems.add(invalidValue(namespace, "Namespace"));
  }
  if (present(i.EntityMetricData)) {
    problems.add(
      new CloudWatchError(
        "InvalidParameterValue",
        "The parameter EntityMetricData is not supported: entities are not modelled here.",
      ),
    );
  }
  const data = i.MetricData;
  if (!Array.isArray(data) || data.length === 0) problems.add(missingParameter("MetricData"));
  else if (data.length > MAX_METRIC_DATA) {
    // AWS's text (it read "greater than 20" when that was the limit: jmxtrans/jmxtrans#665).
    problems.add(collectionTooLarge("MetricData", MAX_METRIC_DATA));
  }
  problems.throwIfAny();

  const checked = (data as MetricDatum[]).map((d, k) => checkDatum(problems, d, k + 1, now));
  problems.throwIfAny();

  const acc = new AggregateAccumulator();
  for (const c of checked as Checked[]) {
    const metric = metricId(namespace!, c.metric.metricName, c.metric.dimensions);
    const at = { timestamp: c.timestamp, unit: c.unit, resolution: c.resolution };
    if (c.value !== undefined) acc.addValue(metric, at, c.value);
    else if (c.values) acc.addValues(metric, at, c.values.values, c.values.counts);
    else if (c.set) acc.addStatisticSet(metric, at, c.set);
  }
  return acc.drain();
}
