/**
 * Statistics over one period: the five basic ones from counts and sums, and CloudWatch's extended
 * statistics (spec alarms.md §1, STAT) from the period's merged percentile sketch.
 *
 * Definitions where the AWS text leaves room (all documented for users in the same words):
 * - `pNN` is the nearest-rank percentile: the value at rank ⌈NN/100 · n⌉ (at least 1) in ascending order.
 * - A percentage range `(a%:b%)` keeps ranks r with ⌈a/100 · n⌉ < r ≤ ⌈b/100 · n⌉: exactly the values
 *   above the a-th percentile and up to the b-th, ties broken by rank (lower bound exclusive, upper
 *   inclusive, as AWS states for value ranges). `tm99` = `TM(:99%)`, `IQM` = `TM(25%:75%)`.
 * - A value range `(x:y)` keeps values x < v ≤ y (AWS: lower exclusive, upper inclusive).
 * - `WM(a%:b%)` replaces the trimmed values by the smallest and largest kept value (textbook winsorizing);
 *   `WM(x:y)` replaces them by the bounds x and y themselves.
 * - `TM`/`WM` of an empty kept range is undefined; `TC`/`TS` of one is 0; `PR` is a percentage (0–100).
 *
 * Every extended statistic is undefined when the period has no sketch (a statistic set whose values are not
 * known) or a negative value (CloudWatch disables them then).
 */
import type { MetricAggregate, Statistic } from "../store/types.js";
import { ceilRank, type RangeSummary, Sketch } from "./sketch.js";

export type { Statistic };

/** GetMetricStatistics' enum, in the order AWS lists it in its error message. */
export const STATISTICS: readonly Statistic[] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

export function isStatistic(s: unknown): s is Statistic {
  return typeof s === "string" && (STATISTICS as readonly string[]).includes(s);
}

export type TrimmedKind = "TM" | "WM" | "TC" | "TS";

/** A parsed extended statistic. `text` is the statistic as written (the key AWS answers under). */
export type ExtendedStatistic =
  | { kind: "percentile"; text: string; percent: number }
  | {
      kind: TrimmedKind;
      text: string;
      bounds: "percent" | "absolute";
      /** Undefined = open (no lower trimming / no upper trimming). */
      lower: number | undefined;
      upper: number | undefined;
    }
  | { kind: "PR"; text: string; lower: number | undefined; upper: number | undefined };

/** Up to 10 decimal places (STAT: "up to 10 decimal places"). */
const UNSIGNED = "\\d+(?:\\.\\d{1,10})?";
const SHORT = new RegExp(`^(p|tm|wm|tc|ts)(${UNSIGNED})$`);
const RANGE = new RegExp(`^(TM|WM|TC|TS|PR)\\((-?${UNSIGNED})?(%)?:(-?${UNSIGNED})?(%)?\\)$`);

/**
 * Parses an extended statistic, or returns undefined when the text is not one. Accepted forms (STAT
 * "Syntax"): `pNN` with 0 ≤ NN ≤ 100; lower-case `tmNN`/`wmNN`/`tcNN`/`tsNN` (one number, a percentage:
 * `tm99` = `TM(:99%)`); `IQM`; upper-case `TM|WM|TC|TS(a:b)` with both bounds percentages (0–100) or both
 * values, at least one given, lower < upper; `PR(n:m)` with values only. PutMetricAlarm's narrower rule
 * (`TM(X%:X%)` with X in 10–90) is the alarm validator's to apply on the parsed result.
 */
export function parseExtendedStatistic(text: string): ExtendedStatistic | undefined {
  if (typeof text !== "string") return undefined;
  if (text === "IQM") return { kind: "TM", text, bounds: "percent", lower: 25, upper: 75 };
  const short = SHORT.exec(text);
  if (short) {
    const n = Number(short[2]);
    if (n > 100) return undefined;
    if (short[1] === "p") return { kind: "percentile", text, percent: n };
    const kind = short[1].toUpperCase() as TrimmedKind;
    return { kind, text, bounds: "percent", lower: undefined, upper: n };
  }
  const range = RANGE.exec(text);
  if (!range) return undefined;
  const [, kind, lowText, lowPercent, highText, highPercent] = range;
  if (lowText === undefined && highText === undefined) return undefined;
  // A percent sign without its number (`TM(%:90%)`) or on one side only of two numbers is malformed.
  if ((lowPercent && lowText === undefined) || (highPercent && highText === undefined)) return undefined;
  const percent = Boolean(lowPercent || highPercent);
  if (lowText !== undefined && highText !== undefined && Boolean(lowPercent) !== Boolean(highPercent)) {
    return undefined;
  }
  const lower = lowText === undefined ? undefined : Number(lowText);
  const upper = highText === undefined ? undefined : Number(highText);
  if (kind === "PR") {
    if (percent) return undefined;
    if (lower !== undefined && upper !== undefined && !(lower < upper)) return undefined;
    return { kind: "PR", text, lower, upper };
  }
  if (percent && [lower, upper].some((b) => b !== undefined && (b < 0 || b > 100))) return undefined;
  if (lower !== undefined && upper !== undefined && !(lower < upper)) return undefined;
  return { kind: kind as TrimmedKind, text, bounds: percent ? "percent" : "absolute", lower, upper };
}

/** What one period's aggregates add up to. */
export interface PeriodSummary {
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** Undefined when any aggregate lacks a sketch (extended statistics unavailable). */
  sketch: Sketch | undefined;
}

/** Adds up the aggregates of one period (any units: the caller chooses what to mix); undefined if none. */
export function summarize(aggregates: readonly MetricAggregate[]): PeriodSummary | undefined {
  if (aggregates.length === 0) return undefined;
  let sketch: Sketch | undefined = Sketch.create();
  const out: PeriodSummary = {
    sampleCount: 0,
    sum: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    sketch: undefined,
  };
  for (const a of aggregates) {
    out.sampleCount += a.sampleCount;
    out.sum += a.sum;
    out.min = Math.min(out.min, a.min);
    out.max = Math.max(out.max, a.max);
    sketch = sketch && a.sketch ? Sketch.merge(sketch, Sketch.deserialize(a.sketch)) : undefined;
  }
  out.sketch = sketch;
  return out;
}

export function basicStatistic(summary: PeriodSummary, statistic: Statistic): number {
  switch (statistic) {
    case "SampleCount":
      return summary.sampleCount;
    case "Sum":
      return summary.sum;
    case "Average":
      return summary.sum / summary.sampleCount;
    case "Minimum":
      return summary.min;
    case "Maximum":
      return summary.max;
  }
}

/** An extended statistic of a period; undefined when it cannot be computed (see the module comment). */
export function extendedStatistic(summary: PeriodSummary, stat: ExtendedStatistic): number | undefined {
  const sketch = summary.sketch;
  if (!sketch || sketch.hasNegative || sketch.count === 0) return undefined;
  const n = sketch.count;
  if (stat.kind === "percentile") return sketch.quantile(stat.percent / 100);
  if (stat.kind === "PR") {
    const kept = sketch.valueRange(
      stat.lower ?? Number.NEGATIVE_INFINITY,
      stat.upper ?? Number.POSITIVE_INFINITY,
    );
    return kept ? (100 * kept.count) / n : undefined;
  }
  let kept: RangeSummary | undefined;
  let below: { count: number; value: number | undefined };
  let above: { count: number; value: number | undefined };
  if (stat.bounds === "percent") {
    const low = ceilRank(((stat.lower ?? 0) / 100) * n);
    const high = stat.upper === undefined ? n : Math.min(n, ceilRank((stat.upper / 100) * n));
    kept = sketch.rankRange(low, high);
    below = { count: low, value: kept?.min };
    above = { count: n - high, value: kept?.max };
  } else {
    const lower = stat.lower ?? Number.NEGATIVE_INFINITY;
    const upper = stat.upper ?? Number.POSITIVE_INFINITY;
    kept = sketch.valueRange(lower, upper);
    below = { count: sketch.valueRange(Number.NEGATIVE_INFINITY, lower)?.count ?? 0, value: lower };
    above = { count: sketch.valueRange(upper, Number.POSITIVE_INFINITY)?.count ?? 0, value: upper };
  }
  if (!kept) return undefined;
  switch (stat.kind) {
    case "TC":
      return kept.count;
    case "TS":
      return kept.sum;
    case "TM":
      return kept.count > 0 ? kept.sum / kept.count : undefined;
    case "WM": {
      if (kept.count === 0 && stat.bounds === "percent") return undefined;
      const low = below.count > 0 ? below.count * (below.value as number) : 0;
      const high = above.count > 0 ? above.count * (above.value as number) : 0;
      return (low + kept.sum + high) / n;
    }
  }
}

/**
 * A statistic named by text — a basic statistic or an extended one — as GetMetricData's `Stat` and the
 * alarm evaluator name it. Undefined when it cannot be computed; throws on text that is neither.
 */
export function statisticValue(summary: PeriodSummary, stat: string): number | undefined {
  if (isStatistic(stat)) return basicStatistic(summary, stat);
  const parsed = parseExtendedStatistic(stat);
  if (!parsed) throw new RangeError(`not a statistic: ${stat}`);
  return extendedStatistic(summary, parsed);
}
