/**
 * GetMetricStatistics as a pure function over a reader of stored aggregates.
 *
 * Semantics reproduced (API reference GetMetricStatistics, botocore cloudwatch 2010-08-01):
 * - the series is matched exactly: the given dimensions, no more and no fewer;
 * - StartTime is inclusive and rounded down (see periods.ts), EndTime exclusive;
 * - one datapoint per period that has data, and per unit when no Unit is given (data published with
 *   different units is kept apart); a Unit returns only data published with that unit; periods without
 *   data are omitted;
 * - at most 1,440 datapoints may be requested: ⌈(EndTime − rounded StartTime) / Period⌉.
 *
 * Decisions where AWS is silent or differs by design:
 * - AWS returns datapoints in no particular order; these are sorted by Timestamp, then Unit.
 * - An extended statistic that cannot be computed for a datapoint (no sketch, negative values) is left out
 *   of that datapoint's ExtendedStatistics map.
 * - A Period under 60 is accepted for any metric: standard-resolution data then fills only the periods that
 *   hold a minute's start, as the PutMetricAlarm reference describes for 10/20/30-second alarms.
 * - AWS returns no datapoints for a period too fine for the data's age (e.g. Period 60 on data older than
 *   15 days, which it keeps at 5 minutes). Rolling data up is the store's business; whatever the store
 *   holds is served.
 */
import type { Dimension, MetricAggregate, MetricId, StandardUnit } from "../store/types.js";
import { metricId, seriesKey } from "./aggregate.js";
import {
  CloudWatchError,
  collectionTooLarge,
  constraintViolation,
  mutuallyExclusive,
  Problems,
} from "./errors.js";
import { alignStartTime, groupByPeriod, isValidPeriod, periodCount } from "./periods.js";
import {
  checkMetricDimensions,
  checkMetricName,
  checkNamespace,
  checkTime,
  checkUnit,
} from "./request-checks.js";
import {
  basicStatistic,
  type ExtendedStatistic,
  extendedStatistic,
  isStatistic,
  parseExtendedStatistic,
  STATISTICS,
  type Statistic,
  summarize,
} from "./statistics.js";

/** Reads the stored aggregates of one series with bucket start in [from, to) (epoch ms). */
export type MetricReader = (metric: MetricId, from: number, to: number) => Promise<MetricAggregate[]>;

export const MAX_DATAPOINTS = 1440;
export const MAX_STATISTICS = 5;
export const MAX_EXTENDED_STATISTICS = 10;

/** The request as the AWS SDK sends it (PascalCase), after the protocol layer decoded it. */
export interface GetMetricStatisticsInput {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  StartTime?: Date;
  EndTime?: Date;
  Period?: number;
  Statistics?: string[];
  ExtendedStatistics?: string[];
  Unit?: string;
}

export interface Datapoint {
  Timestamp: Date;
  SampleCount?: number;
  Average?: number;
  Sum?: number;
  Minimum?: number;
  Maximum?: number;
  Unit: StandardUnit;
  ExtendedStatistics?: Record<string, number>;
}

export interface GetMetricStatisticsOutput {
  Label: string;
  Datapoints: Datapoint[];
}

/** A validated request. */
export interface StatisticsRequest {
  metric: MetricId;
  /** Rounded StartTime and EndTime, epoch ms. */
  start: number;
  end: number;
  period: number;
  statistics: Statistic[];
  extendedStatistics: ExtendedStatistic[];
  unit: StandardUnit | undefined;
}

/**
 * The datapoints-limit error. AWS's text as captured in 2022 (cloud-custodian#7683) has no thousands
 * separators: `You have requested up to 86400 datapoints, which exceeds the limit of 1440. ...`
 */
export function tooManyDatapoints(requested: number): CloudWatchError {
  return new CloudWatchError(
    "InvalidParameterCombination",
    `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. ` +
      "You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
  );
}

/** The StartTime/EndTime order check shared with GetMetricData (which reports it as ValidationError). */
export function timeOrderProblem(start: number, end: number): string | undefined {
  if (start === end) return "The parameter StartTime must not equal parameter EndTime.";
  if (start > end) return "The parameter StartTime must be less than the parameter EndTime.";
  return undefined;
}

/** The Period check shared with GetMetricData; undefined when valid. */
export function periodProblem(
  value: unknown,
  parameter: string,
  member: string,
): CloudWatchError | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return new CloudWatchError(
      "InvalidParameterValue",
      `The value ${String(value)} for parameter ${parameter} is invalid.`,
    );
  }
  if (value < 1)
    return constraintViolation(value, member, "Member must have value greater than or equal to 1");
  if (!isValidPeriod(value)) {
    // Made-up text: AWS's is not recorded. The rule is the API reference's.
    return new CloudWatchError(
      "InvalidParameterValue",
      `The parameter ${parameter} must be 1, 5, 10, 20, 30, 60, or any multiple of 60.`,
    );
  }
  return undefined;
}

/** Validates a request made at `now` (epoch ms); throws CloudWatchError with AWS's messages. */
export function validateGetMetricStatistics(input: GetMetricStatisticsInput, now: number): StatisticsRequest {
  const problems = new Problems();
  const i = (input ?? {}) as Record<string, unknown>;
  const namespace = checkNamespace(problems, i.Namespace);
  const metricName = checkMetricName(problems, i.MetricName);
  const start = checkTime(problems, i.StartTime, "StartTime", true);
  const end = checkTime(problems, i.EndTime, "EndTime", true);
  if (i.Period === undefined || i.Period === null)
    problems.add(new CloudWatchError("MissingParameter", "The parameter Period is required."));
  problems.throwIfAny();

  const dimensions = checkMetricDimensions(problems, i.Dimensions, "Dimensions", "dimensions");
  const unit = checkUnit(problems, i.Unit, "Unit");
  const periodError = periodProblem(i.Period, "Period", "period");
  if (periodError) problems.add(periodError);
  problems.throwIfAny();

  const order = timeOrderProblem(start!, end!);
  if (order) throw new CloudWatchError("InvalidParameterValue", order);

  const statistics = listOf(i.Statistics);
  const extended = listOf(i.ExtendedStatistics);
  if (statistics.length === 0 && extended.length === 0) {
    // moto's text for this case (AWS's is not recorded verbatim).
    throw new CloudWatchError(
      "InvalidParameterCombination",
      "Must specify either Statistics or ExtendedStatistics",
    );
  }
  // The API reference: "you must specify either Statistics or ExtendedStatistics, but not both".
  if (statistics.length > 0 && extended.length > 0)
    throw mutuallyExclusive("Statistics", "ExtendedStatistics");
  if (statistics.length > MAX_STATISTICS) throw collectionTooLarge("Statistics", MAX_STATISTICS);
  if (extended.length > MAX_EXTENDED_STATISTICS)
    throw collectionTooLarge("ExtendedStatistics", MAX_EXTENDED_STATISTICS);
  statistics.forEach((s, k) => {
    if (!isStatistic(s)) {
      // AWS's current text, <list element> included (cloud-custodian#9137, 2023).
      problems.add(
        new CloudWatchError(
          "InvalidParameterValue",
          `The parameter Statistics.member.${k + 1}.<list element> must be a value in the set [${STATISTICS.join(", ")}].`,
        ),
      );
    }
  });
  const parsed: ExtendedStatistic[] = [];
  extended.forEach((s, k) => {
    const p = parseExtendedStatistic(s as string);
    if (p) parsed.push(p);
    // LocalStack's text for PutMetricAlarm's ExtendedStatistic, applied to the list member.
    else
      problems.add(
        new CloudWatchError(
          "InvalidParameterValue",
          `The value ${String(s)} for parameter ExtendedStatistics.member.${k + 1} is not supported.`,
        ),
      );
  });
  problems.throwIfAny();

  const period = i.Period as number;
  const alignedStart = alignStartTime(start!, period, now);
  const requested = periodCount(alignedStart, end!, period);
  if (requested > MAX_DATAPOINTS) throw tooManyDatapoints(requested);

  return {
    metric: metricId(namespace!, metricName!, dimensions!),
    start: alignedStart,
    end: end!,
    period,
    statistics: [...new Set(statistics as Statistic[])],
    extendedStatistics: dedupe(parsed),
    unit,
  };
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

function dedupe(stats: ExtendedStatistic[]): ExtendedStatistic[] {
  const seen = new Set<string>();
  return stats.filter((s) => !seen.has(s.text) && Boolean(seen.add(s.text)));
}

/** Reads the series and groups it into periods: the part GetMetricData shares. */
export async function readPeriods(
  reader: MetricReader,
  metric: MetricId,
  start: number,
  end: number,
  period: number,
  unit: StandardUnit | undefined,
): Promise<Map<number, MetricAggregate[]>> {
  const key = seriesKey(metric);
  // Filtered again here so that the exact-match and unit rules never depend on how a store reads.
  const rows = (await reader(metric, start, end)).filter(
    (a) => seriesKey(a.metric) === key && (unit === undefined || a.unit === unit),
  );
  return groupByPeriod(rows, start, end, period);
}

/** GetMetricStatistics for a request made at `now` (epoch ms). */
export async function getMetricStatistics(
  input: GetMetricStatisticsInput,
  reader: MetricReader,
  now: number,
): Promise<GetMetricStatisticsOutput> {
  const request = validateGetMetricStatistics(input, now);
  const periods = await readPeriods(
    reader,
    request.metric,
    request.start,
    request.end,
    request.period,
    request.unit,
  );
  const datapoints: Datapoint[] = [];
  for (const [at, aggregates] of periods) {
    const units = [...new Set(aggregates.map((a) => a.unit))].sort();
    for (const unit of units) {
      const summary = summarize(aggregates.filter((a) => a.unit === unit))!;
      // Members in the service model's order (Timestamp, the statistics, Unit, ExtendedStatistics), which
      // the AWS CLI and the wire formats keep.
      const point = { Timestamp: new Date(at) } as Datapoint;
      for (const s of STATISTICS) if (request.statistics.includes(s)) point[s] = basicStatistic(summary, s);
      point.Unit = unit;
      if (request.extendedStatistics.length > 0) {
        const values: Record<string, number> = {};
        for (const e of request.extendedStatistics) {
          const v = extendedStatistic(summary, e);
          if (v !== undefined) values[e.text] = v;
        }
        point.ExtendedStatistics = values;
      }
      datapoints.push(point);
    }
  }
  return { Label: request.metric.metricName, Datapoints: datapoints };
}
