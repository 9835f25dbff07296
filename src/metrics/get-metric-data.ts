/**
 * GetMetricData for `MetricStat` queries, as a pure function over a reader of stored aggregates.
 *
 * LIMITATIONS: metric math and Metrics Insights (`Expression`) and cross-account queries (`AccountId`) are
 * refused with InvalidParameterValue rather than ignored; dynamic labels (`${PROP('...')}` and friends) are
 * returned as written, so `LabelOptions.Timezone` is validated and has nothing to act on.
 *
 * Semantics reproduced (API reference, LocalStack's AWS-validated snapshots):
 * - periods and StartTime rounding as GetMetricStatistics (periods.ts); missing periods are omitted;
 * - without a Unit, data of every unit is combined into one value per period and the result carries the
 *   message `{ Code: "MultipleUnits", Value: "Multiple units returned: '[Milliseconds, Seconds]'" }`;
 * - ScanBy `TimestampDescending` (default) returns newest first; `MaxDatapoints` (default 100,800) caps a
 *   page across all results; a result cut short is `PartialData` and a `NextToken` continues it;
 * - a result with `ReturnData: false` is not returned;
 * - a query without Label is labelled with its metric name, plus its Stat and/or Period when those differ
 *   between the request's queries (`metric1 Sum 60`, `metric1 Minimum 30`).
 *
 * Decisions where AWS is silent: a page is filled result by result in request order; tokens remember the
 * last timestamp returned per result (next-token.ts) and are bound to the request; an extended statistic
 * that cannot be computed for a period leaves that period out.
 */
import type { Dimension, MetricId, StandardUnit } from "../store/types.js";
import { metricId } from "./aggregate.js";
import { CloudWatchError, constraintViolation, missingParameter, notInSet, Problems } from "./errors.js";
import { type MetricReader, periodProblem, readPeriods, timeOrderProblem } from "./get-metric-statistics.js";
import { decodeToken, encodeToken, fingerprint } from "./next-token.js";
import { alignStartTime } from "./periods.js";
import {
  checkMetricDimensions,
  checkMetricName,
  checkNamespace,
  checkTime,
  checkUnit,
} from "./request-checks.js";
import { isStatistic, parseExtendedStatistic, statisticValue, summarize } from "./statistics.js";

export const MAX_QUERIES = 500;
export const DEFAULT_MAX_DATAPOINTS = 100_800;
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;
const SCAN_BY = ["TimestampDescending", "TimestampAscending"] as const;
type ScanBy = (typeof SCAN_BY)[number];

export interface MetricStat {
  Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
  Period?: number;
  Stat?: string;
  Unit?: string;
}

export interface MetricDataQuery {
  Id?: string;
  MetricStat?: MetricStat;
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
  AccountId?: string;
}

export interface GetMetricDataInput {
  MetricDataQueries?: MetricDataQuery[];
  StartTime?: Date;
  EndTime?: Date;
  NextToken?: string;
  ScanBy?: string;
  MaxDatapoints?: number;
  LabelOptions?: { Timezone?: string };
}

export interface MessageData {
  Code: string;
  Value: string;
}

export interface MetricDataResult {
  Id: string;
  Label: string;
  Timestamps: Date[];
  Values: number[];
  StatusCode: "Complete" | "PartialData";
  Messages?: MessageData[];
}

export interface GetMetricDataOutput {
  MetricDataResults: MetricDataResult[];
  NextToken?: string;
  Messages: MessageData[];
}

interface Query {
  id: string;
  label: string | undefined;
  returnData: boolean;
  metric: MetricId;
  period: number;
  stat: string;
  unit: StandardUnit | undefined;
}

interface Request {
  queries: Query[];
  start: number;
  end: number;
  scanBy: ScanBy;
  maxDatapoints: number;
  nextToken: string | undefined;
}

/** GetMetricData's ValidationError puts every problem on a line of its own, each ending in `\n`. */
function fail(problems: Problems): void {
  problems.throwIfAny("\n", "ValidationError");
}

function checkQuery(problems: Problems, q: MetricDataQuery, k: number, ids: Set<string>): Query | undefined {
  const path = `MetricDataQueries.member.${k}`;
  const member = `metricDataQueries.${k}.member`;
  let ok = true;
  const id = q?.Id;
  if (id === undefined || id === null) {
    problems.add(missingParameter(`${path}.Id`));
    ok = false;
  } else if (typeof id !== "string" || !ID_PATTERN.test(id) || id.length > 255) {
    // AWS's text (influxdata/telegraf#5420).
    problems.add(
      new CloudWatchError(
        "ValidationError",
        `The value ${String(id)} for parameter ${path}.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.`,
      ),
    );
    ok = false;
  } else if (ids.has(id)) {
    // Made-up text: the API reference says Ids must be unique, AWS's message is not recorded.
    problems.add(
      new CloudWatchError("ValidationError", `The value ${id} for parameter ${path}.Id is duplicated.`),
    );
    ok = false;
  } else ids.add(id);
  if (q?.Label !== undefined && typeof q.Label !== "string") {
    problems.add(
      new CloudWatchError(
        "ValidationError",
        `The value ${String(q.Label)} for parameter ${path}.Label is invalid.`,
      ),
    );
    ok = false;
  }
  if (q?.ReturnData !== undefined && typeof q.ReturnData !== "boolean") {
    problems.add(
      new CloudWatchError(
        "ValidationError",
        `The value ${String(q.ReturnData)} for parameter ${path}.ReturnData is invalid.`,
      ),
    );
    ok = false;
  }
  if (q?.Period !== undefined) {
    const e = periodProblem(q.Period, `${path}.Period`, `${member}.period`);
    if (e) {
      problems.add(e);
      ok = false;
    }
  }
  const stat = q?.MetricStat;
  if (stat === undefined || stat === null) {
    // AWS's text; like every GetMetricData line it ends in a newline (moto's note on this error).
    problems.add(missingParameter(`${path}.MetricStat`));
    return undefined;
  }
  const statPath = `${path}.MetricStat`;
  const metric = stat.Metric;
  let namespace: string | undefined;
  let metricName: string | undefined;
  let dimensions: Dimension[] | undefined;
  if (metric === undefined || metric === null) {
    problems.add(missingParameter(`${statPath}.Metric`));
    ok = false;
  } else {
    namespace = checkNamespace(
      problems,
      metric.Namespace,
      `${statPath}.Metric.Namespace`,
      `${member}.metricStat.metric.namespace`,
    );
    metricName = checkMetricName(
      problems,
      metric.MetricName,
      `${statPath}.Metric.MetricName`,
      `${member}.metricStat.metric.metricName`,
    );
    dimensions = checkMetricDimensions(
      problems,
      metric.Dimensions,
      `${statPath}.Metric.Dimensions`,
      `${member}.metricStat.metric.dimensions`,
    );
    ok &&= namespace !== undefined && metricName !== undefined && dimensions !== undefined;
  }
  if (stat.Period === undefined || stat.Period === null) {
    problems.add(missingParameter(`${statPath}.Period`));
    ok = false;
  } else {
    const e = periodProblem(stat.Period, `${statPath}.Period`, `${member}.metricStat.period`);
    if (e) {
      problems.add(e);
      ok = false;
    }
  }
  if (stat.Stat === undefined || stat.Stat === null) {
    problems.add(missingParameter(`${statPath}.Stat`));
    ok = false;
  } else if (!isStatistic(stat.Stat) && parseExtendedStatistic(stat.Stat) === undefined) {
    // AWS's text (prometheus-community/yet-another-cloudwatch-exporter#1435).
    problems.add(
      new CloudWatchError(
        "ValidationError",
        `The value ${String(stat.Stat)} for parameter ${statPath}.Stat is not a valid statistic.`,
      ),
    );
    ok = false;
  }
  const unit = checkUnit(problems, stat.Unit, `${statPath}.Unit`);
  if (stat.Unit !== undefined && stat.Unit !== null && unit === undefined) ok = false;
  if (!ok) return undefined;
  return {
    id: id as string,
    label: q.Label,
    returnData: q.ReturnData ?? true,
    metric: metricId(namespace!, metricName!, dimensions!),
    period: stat.Period as number,
    stat: stat.Stat as string,
    unit,
  };
}

/** Validates a request; throws CloudWatchError with AWS's codes and messages. */
export function validateGetMetricData(input: GetMetricDataInput): Request {
  const i = (input ?? {}) as Record<string, unknown>;
  const problems = new Problems();
  const rawQueries = i.MetricDataQueries;
  if (!Array.isArray(rawQueries) || rawQueries.length === 0)
    problems.add(missingParameter("MetricDataQueries"));
  const start = checkTime(problems, i.StartTime, "StartTime", true);
  const end = checkTime(problems, i.EndTime, "EndTime", true);
  problems.throwIfAny();
  const queries = rawQueries as MetricDataQuery[];

  queries.forEach((q, k) => {
    if (q?.Expression !== undefined) {
      throw new CloudWatchError(
        "InvalidParameterValue",
        `The parameter MetricDataQueries.member.${k + 1}.Expression is not supported: ` +
          "metric math and Metrics Insights queries are not available here; use MetricStat.",
      );
    }
    if (q?.AccountId !== undefined) {
      throw new CloudWatchError(
        "InvalidParameterValue",
        `The parameter MetricDataQueries.member.${k + 1}.AccountId is not supported: cross-account queries are not available here.`,
      );
    }
  });
  if (queries.length > MAX_QUERIES) {
    // Made-up text in AWS's collection-size form.
    problems.add(
      new CloudWatchError(
        "ValidationError",
        `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
      ),
    );
    fail(problems);
  }
  const ids = new Set<string>();
  const checked = queries.map((q, k) => checkQuery(problems, q, k + 1, ids));

  const order = timeOrderProblem(start!, end!);
  if (order) problems.add(new CloudWatchError("ValidationError", order));
  const scanBy = (i.ScanBy ?? "TimestampDescending") as ScanBy;
  if (!SCAN_BY.includes(scanBy)) problems.add(notInSet("ScanBy", SCAN_BY));
  const maxDatapoints = i.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (typeof maxDatapoints !== "number" || !Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
    problems.add(
      constraintViolation(
        maxDatapoints,
        "maxDatapoints",
        "Member must have value greater than or equal to 1",
      ),
    );
  }
  const timezone = (i.LabelOptions as { Timezone?: unknown } | undefined)?.Timezone;
  if (timezone !== undefined && !isTimezone(timezone)) {
    problems.add(
      new CloudWatchError(
        "ValidationError",
        `The value ${String(timezone)} for parameter LabelOptions.Timezone is invalid.`,
      ),
    );
  }
  fail(problems);
  return {
    queries: checked as Query[],
    start: start!,
    end: end!,
    scanBy,
    maxDatapoints: maxDatapoints as number,
    nextToken: i.NextToken as string | undefined,
  };
}

/** `+hhmm` / `-hhmm` (LabelOptions reference), hours up to 23 and minutes up to 59. */
function isTimezone(value: unknown): boolean {
  const m = typeof value === "string" ? /^[+-](\d\d)(\d\d)$/.exec(value) : null;
  return m !== null && Number(m[1]) <= 23 && Number(m[2]) <= 59;
}

/** Default labels: metric name, plus Stat and Period when they differ across the request's queries. */
function labels(queries: readonly Query[]): string[] {
  const differ = (f: (q: Query) => unknown) => new Set(queries.map(f)).size > 1;
  const withStat = differ((q) => q.stat);
  const withPeriod = differ((q) => q.period);
  return queries.map((q) => {
    if (q.label !== undefined) return q.label;
    let label = q.metric.metricName;
    if (withStat) label += ` ${q.stat}`;
    if (withPeriod) label += ` ${q.period}`;
    return label;
  });
}

interface Series {
  points: { t: number; v: number }[];
  messages: MessageData[];
}

async function evaluate(q: Query, request: Request, reader: MetricReader, now: number): Promise<Series> {
  const start = alignStartTime(request.start, q.period, now);
  const periods = await readPeriods(reader, q.metric, start, request.end, q.period, q.unit);
  const points: { t: number; v: number }[] = [];
  const units = new Set<string>();
  for (const [t, aggregates] of periods) {
    for (const a of aggregates) units.add(a.unit);
    const v = statisticValue(summarize(aggregates)!, q.stat);
    if (v !== undefined) points.push({ t, v });
  }
  if (request.scanBy === "TimestampDescending") points.reverse();
  const messages: MessageData[] =
    units.size > 1
      ? [{ Code: "MultipleUnits", Value: `Multiple units returned: '[${[...units].sort().join(", ")}]'` }]
      : [];
  return { points, messages };
}

function requestFingerprint(r: Request): string {
  return fingerprint(
    JSON.stringify([
      r.start,
      r.end,
      r.scanBy,
      r.queries.map((q) => [q.id, q.metric, q.period, q.stat, q.unit ?? null, q.returnData]),
    ]),
  );
}

/** The per-result positions a token carries, or an InvalidNextToken error. */
function cursors(token: string | undefined, r: Request, results: number): (number | null)[] {
  if (token === undefined) return new Array(results).fill(null);
  const state = decodeToken(token) as { f?: unknown; c?: unknown } | undefined;
  const c = state?.c;
  if (
    state?.f !== requestFingerprint(r) ||
    !Array.isArray(c) ||
    c.length !== results ||
    !c.every((x) => x === null || Number.isFinite(x))
  ) {
    // Made-up text: AWS's is not recorded.
    throw new CloudWatchError("InvalidNextToken", "The NextToken is not valid for this request.");
  }
  return c as (number | null)[];
}

/** GetMetricData for a request made at `now` (epoch ms). */
export async function getMetricData(
  input: GetMetricDataInput,
  reader: MetricReader,
  now: number,
): Promise<GetMetricDataOutput> {
  const request = validateGetMetricData(input);
  const all = labels(request.queries);
  const returned = request.queries.map((q, k) => ({ q, label: all[k] })).filter((x) => x.q.returnData);
  const positions = cursors(request.nextToken, request, returned.length);
  const descending = request.scanBy === "TimestampDescending";
  let budget = request.maxDatapoints;
  let more = false;
  const next: (number | null)[] = [];
  const results: MetricDataResult[] = [];
  for (const [k, { q, label }] of returned.entries()) {
    const series = await evaluate(q, request, reader, now);
    const cursor = positions[k];
    const remaining =
      cursor === null
        ? series.points
        : series.points.filter((p) => (descending ? p.t < cursor : p.t > cursor));
    const page = remaining.slice(0, budget);
    budget -= page.length;
    const partial = page.length < remaining.length;
    more ||= partial;
    next.push(page.length > 0 ? page[page.length - 1].t : cursor);
    const result: MetricDataResult = {
      Id: q.id,
      Label: label,
      Timestamps: page.map((p) => new Date(p.t)),
      Values: page.map((p) => p.v),
      StatusCode: partial ? "PartialData" : "Complete",
    };
    if (series.messages.length > 0) result.Messages = series.messages;
    results.push(result);
  }
  const output: GetMetricDataOutput = { MetricDataResults: results, Messages: [] };
  if (more) output.NextToken = encodeToken({ f: requestFingerprint(request), c: next });
  return output;
}
