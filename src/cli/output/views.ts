/**
 * `--output table` of the CloudWatch and CloudWatch Logs verbs: for people at a terminal, one row per
 * record with the fields that matter, not every member (scripts use `--output json`, which is the AWS
 * CLI's output exactly).
 */
import type { DescribeAlarmsOutput } from "../../alarms/describe.js";
import type { AlarmHistoryItemOutput } from "../../alarms/history.js";
import type { CompositeAlarmOutput, MetricAlarmOutput } from "../../alarms/output.js";
import type { GetMetricStatisticsOutput } from "../../metrics/get-metric-statistics.js";
import type { ListMetricsOutput } from "../../metrics/list-metrics.js";
import { type GridOptions, paintState, renderGrid, shortTime } from "./grid.js";

const OPERATORS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: ">=",
  GreaterThanThreshold: ">",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
};

/** 300 → "5m", 3600 → "1h", 10 → "10s". */
export function periodText(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function dimensionsText(dimensions: readonly { Name: string; Value?: string }[]): string {
  return dimensions.map((d) => (d.Value === undefined ? d.Name : `${d.Name}=${d.Value}`)).join(",");
}

/** An alarm as DescribeAlarms returns it; with ChildrenOfAlarmName or ParentsOfAlarmName, only some members. */
type AnyAlarm = Partial<MetricAlarmOutput & CompositeAlarmOutput> & { AlarmName: string };

function isMetricAlarm(a: AnyAlarm): a is MetricAlarmOutput & AnyAlarm {
  return a.MetricName !== undefined;
}

/** `Sum >= 1 (1/1 × 5m)`: statistic, comparison and threshold, then datapoints to alarm of the window. */
export function thresholdText(a: MetricAlarmOutput): string {
  const statistic = a.Statistic ?? a.ExtendedStatistic ?? "";
  const op = OPERATORS[a.ComparisonOperator] ?? a.ComparisonOperator;
  const datapoints = a.DatapointsToAlarm ?? a.EvaluationPeriods;
  return `${statistic} ${op} ${a.Threshold} (${datapoints}/${a.EvaluationPeriods} × ${periodText(a.Period)})`;
}

export function metricText(a: {
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value?: string }[];
}) {
  const dims = a.Dimensions.length > 0 ? ` {${dimensionsText(a.Dimensions)}}` : "";
  return `${a.Namespace}/${a.MetricName}${dims}`;
}

export function alarmsTable(out: DescribeAlarmsOutput, options: GridOptions): string {
  const alarms: AnyAlarm[] = [...out.MetricAlarms, ...out.CompositeAlarms];
  const composites = new Set<AnyAlarm>(out.CompositeAlarms);
  if (alarms.length === 0) return "No alarms.\n";
  alarms.sort((x, y) => (x.AlarmName < y.AlarmName ? -1 : x.AlarmName > y.AlarmName ? 1 : 0));
  // One namespace for all (the usual CloudTrailMetrics): said once in the header, not on every row.
  const namespaces = new Set(alarms.filter(isMetricAlarm).map((a) => a.Namespace));
  const common = namespaces.size === 1 ? [...namespaces][0] : undefined;
  const metric = (a: MetricAlarmOutput) =>
    common === undefined ? metricText(a) : metricText({ ...a, Namespace: "" }).slice(1);
  const grid = renderGrid(
    alarms,
    [
      { header: "NAME", value: (a) => a.AlarmName, max: 40, min: 24 },
      { header: "STATE", value: (a) => a.StateValue ?? "", paint: paintState, fixed: true },
      { header: "SINCE", value: (a) => shortTime(a.StateUpdatedTimestamp), fixed: true, optional: true },
      {
        header: common === undefined ? "METRIC" : `METRIC (${common})`,
        value: (a) => (composites.has(a) ? "(composite)" : isMetricAlarm(a) ? metric(a) : ""),
        max: 48,
        min: 20,
      },
      {
        header: "THRESHOLD",
        value: (a) => (isMetricAlarm(a) ? thresholdText(a) : (a.AlarmRule ?? "")),
        max: 40,
        min: 19,
      },
      { header: "REASON", value: (a) => a.StateReason ?? "", flex: true },
    ],
    options,
  );
  return grid + (out.NextToken ? `\nMore alarms: --next-token ${out.NextToken}\n` : "");
}

export function historyTable(
  out: { AlarmHistoryItems: AlarmHistoryItemOutput[]; NextToken?: string },
  options: GridOptions,
): string {
  if (out.AlarmHistoryItems.length === 0) return "No alarm history.\n";
  const grid = renderGrid(
    out.AlarmHistoryItems,
    [
      { header: "TIME", value: (i) => shortTime(i.Timestamp), fixed: true },
      { header: "ALARM", value: (i) => i.AlarmName, max: 40 },
      { header: "TYPE", value: (i) => i.HistoryItemType, fixed: true },
      {
        header: "SUMMARY",
        value: (i) => i.HistorySummary,
        flex: true,
        paint: (_summary, padded) => {
          // "Alarm updated from OK to ALARM": the new state in its colour.
          const m = / to (OK|ALARM|INSUFFICIENT_DATA)$/.exec(padded.trimEnd());
          if (!m) return padded;
          const at = padded.trimEnd().length - m[1].length;
          return padded.slice(0, at) + paintState(m[1], padded.slice(at));
        },
      },
    ],
    options,
  );
  return grid + (out.NextToken ? `\nMore items: --next-token ${out.NextToken}\n` : "");
}

export function statisticsTable(
  out: GetMetricStatisticsOutput,
  request: {
    namespace: string;
    dimensions: { Name: string; Value: string }[];
    statistics: string[];
    extended: string[];
  },
  options: GridOptions,
): string {
  const title = metricText({
    Namespace: request.namespace,
    MetricName: out.Label,
    Dimensions: request.dimensions,
  });
  if (out.Datapoints.length === 0) return `${title}\nNo datapoints.\n`;
  type Point = (typeof out.Datapoints)[number];
  const columns = [
    { header: "TIMESTAMP", value: (p: Point) => shortTime(p.Timestamp), fixed: true },
    ...request.statistics.map((s) => ({
      header: s.toUpperCase(),
      value: (p: Point) => String((p as unknown as Record<string, number | undefined>)[s] ?? ""),
      right: true,
    })),
    ...request.extended.map((e) => ({
      header: e,
      value: (p: Point) => String(p.ExtendedStatistics?.[e] ?? ""),
      right: true,
    })),
    { header: "UNIT", value: (p: Point) => p.Unit },
  ];
  return `${title}\n${renderGrid(out.Datapoints, columns, options)}`;
}

export function metricsTable(out: ListMetricsOutput, options: GridOptions): string {
  if (out.Metrics.length === 0) return "No metrics.\n";
  return renderGrid(
    out.Metrics,
    [
      { header: "NAMESPACE", value: (m) => m.Namespace, max: 40 },
      { header: "METRIC", value: (m) => m.MetricName, max: 48 },
      { header: "DIMENSIONS", value: (m) => dimensionsText(m.Dimensions), flex: true },
    ],
    options,
  );
}

/** A metric filter as DescribeMetricFilters returns it. */
export interface MetricFilterOutput {
  filterName: string;
  filterPattern: string;
  metricTransformations: {
    metricName: string;
    metricNamespace: string;
    metricValue: string;
    defaultValue?: number;
    dimensions?: Record<string, string>;
    unit?: string;
  }[];
  creationTime: number;
  logGroupName: string;
  emitSystemFieldDimensions?: string[];
}

export function metricFiltersTable(filters: readonly MetricFilterOutput[], options: GridOptions): string {
  if (filters.length === 0) return "No metric filters.\n";
  // One log group (the usual case) or one namespace: said once, not on every row.
  const groups = new Set(filters.map((f) => f.logGroupName));
  const group = groups.size === 1 ? [...groups][0] : undefined;
  const namespaces = new Set(filters.flatMap((f) => f.metricTransformations.map((t) => t.metricNamespace)));
  const namespace = namespaces.size === 1 ? [...namespaces][0] : undefined;
  const grid = renderGrid(
    filters,
    [
      ...(group === undefined
        ? [{ header: "LOG GROUP", value: (f: MetricFilterOutput) => f.logGroupName, max: 40 }]
        : []),
      { header: "FILTER", value: (f) => f.filterName, max: 32, min: 16 },
      {
        header: namespace === undefined ? "METRIC" : `METRIC (${namespace})`,
        value: (f) =>
          f.metricTransformations
            .map((t) => (namespace === undefined ? `${t.metricNamespace}/${t.metricName}` : t.metricName))
            .join(", "),
        max: 48,
        min: 16,
      },
      {
        header: "VALUE",
        value: (f) => f.metricTransformations.map((t) => t.metricValue).join(", "),
        max: 16,
      },
      { header: "PATTERN", value: (f) => f.filterPattern, flex: true },
    ],
    options,
  );
  return group === undefined ? grid : `Log group ${group}\n${grid}`;
}
