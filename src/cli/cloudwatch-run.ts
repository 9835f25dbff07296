/**
 * The `trailwatch cloudwatch …` verbs over a local data directory: each builds the API request the AWS CLI
 * would send, calls the engine's CloudWatchService with it, and prints the response as the AWS CLI does.
 *
 * Pagination follows the AWS CLI: DescribeAlarms, DescribeAlarmHistory and ListMetrics are fetched page
 * after page and printed as one response (the pages' lists concatenated, in the paginator's result-key
 * order, no NextToken) — unless --max-records or --next-token is given, which turns that off (as in
 * awscli/customizations/paginate.py): then exactly one page is printed, NextToken included, members in the
 * service model's order.
 */
import type { DescribeAlarmsOutput } from "../alarms/describe.js";
import type { AlarmHistoryItemOutput } from "../alarms/history.js";
import type { Engine } from "../engine/engine.js";
import type { GetMetricStatisticsOutput } from "../metrics/get-metric-statistics.js";
import type { ListMetricsOutput } from "../metrics/list-metrics.js";
import type { DimensionArg } from "./aws-args.js";
import type { OutputSettings } from "./global-options.js";
import { callService, print, withLocalEngine } from "./local-engine.js";
import { alarmsTable, historyTable, metricsTable, statisticsTable } from "./output/views.js";

export interface DataDirOptions {
  dataDir: string;
}

/** Fetches every page, or only the one asked for when the caller paginates by hand. */
async function pages<P extends { NextToken?: string }>(
  manual: boolean,
  firstToken: string | undefined,
  fetch: (token: string | undefined) => Promise<P>,
): Promise<P[]> {
  const out: P[] = [];
  let token = firstToken;
  do {
    const page = await fetch(token);
    out.push(page);
    token = page.NextToken;
  } while (!manual && token !== undefined);
  return out;
}

export interface DescribeAlarmsOptions extends DataDirOptions {
  alarmNames?: string[];
  alarmNamePrefix?: string;
  alarmTypes?: string[];
  childrenOfAlarmName?: string;
  parentsOfAlarmName?: string;
  stateValue?: string;
  actionPrefix?: string;
  maxRecords?: number;
  nextToken?: string;
}

export async function runDescribeAlarms(
  options: DescribeAlarmsOptions,
  settings: OutputSettings,
): Promise<void> {
  const manual = options.maxRecords !== undefined || options.nextToken !== undefined;
  const fetched = await withLocalEngine(options.dataDir, (engine) =>
    pages(manual, options.nextToken, (token) =>
      callService("DescribeAlarms", () =>
        engine.cloudwatch.describeAlarms({
          AlarmNames: options.alarmNames,
          AlarmNamePrefix: options.alarmNamePrefix,
          AlarmTypes: options.alarmTypes,
          ChildrenOfAlarmName: options.childrenOfAlarmName,
          ParentsOfAlarmName: options.parentsOfAlarmName,
          StateValue: options.stateValue,
          ActionPrefix: options.actionPrefix,
          MaxRecords: options.maxRecords,
          NextToken: token,
        }),
      ),
    ),
  );
  const shaped = fetched.map(
    (p): DescribeAlarmsOutput => ({
      MetricAlarms: p.MetricAlarms,
      CompositeAlarms: p.CompositeAlarms,
      NextToken: p.NextToken,
    }),
  );
  // One page: the service model's order. All pages: the paginator's result keys, MetricAlarms first.
  const json = manual
    ? {
        CompositeAlarms: shaped[0].CompositeAlarms,
        MetricAlarms: shaped[0].MetricAlarms,
        ...(shaped[0].NextToken === undefined ? {} : { NextToken: shaped[0].NextToken }),
      }
    : {
        MetricAlarms: shaped.flatMap((p) => p.MetricAlarms),
        CompositeAlarms: shaped.flatMap((p) => p.CompositeAlarms),
      };
  await print(settings, {
    json,
    textPages: manual
      ? [json]
      : shaped.map((p) => ({ MetricAlarms: p.MetricAlarms, CompositeAlarms: p.CompositeAlarms })),
    table: () =>
      alarmsTable(
        {
          MetricAlarms: json.MetricAlarms,
          CompositeAlarms: json.CompositeAlarms,
          NextToken: shaped.at(-1)?.NextToken,
        },
        settings,
      ),
  });
}

export interface DescribeAlarmHistoryOptions extends DataDirOptions {
  alarmName?: string;
  alarmTypes?: string[];
  historyItemType?: string;
  startDate?: Date;
  endDate?: Date;
  maxRecords?: number;
  nextToken?: string;
  scanBy?: string;
}

export async function runDescribeAlarmHistory(
  options: DescribeAlarmHistoryOptions,
  settings: OutputSettings,
): Promise<void> {
  const manual = options.maxRecords !== undefined || options.nextToken !== undefined;
  const fetched = await withLocalEngine(options.dataDir, (engine) =>
    pages(manual, options.nextToken, (token) =>
      callService("DescribeAlarmHistory", () =>
        engine.cloudwatch.describeAlarmHistory({
          AlarmName: options.alarmName,
          AlarmTypes: options.alarmTypes,
          HistoryItemType: options.historyItemType,
          StartDate: options.startDate,
          EndDate: options.endDate,
          MaxRecords: options.maxRecords,
          NextToken: token,
          ScanBy: options.scanBy,
        }),
      ),
    ),
  );
  const shaped = fetched.map((p) => ({
    AlarmHistoryItems: p.AlarmHistoryItems,
    NextToken: p.NextToken,
  }));
  const json: { AlarmHistoryItems: AlarmHistoryItemOutput[]; NextToken?: string } = manual
    ? shaped[0].NextToken === undefined
      ? { AlarmHistoryItems: shaped[0].AlarmHistoryItems }
      : shaped[0]
    : { AlarmHistoryItems: shaped.flatMap((p) => p.AlarmHistoryItems) };
  await print(settings, {
    json,
    textPages: manual ? [json] : shaped.map((p) => ({ AlarmHistoryItems: p.AlarmHistoryItems })),
    table: () => historyTable(json, settings),
  });
}

export interface GetMetricStatisticsOptions extends DataDirOptions {
  namespace: string;
  metricName: string;
  dimensions?: DimensionArg[];
  startTime: Date;
  endTime: Date;
  period: number;
  statistics?: string[];
  extendedStatistics?: string[];
  unit?: string;
}

export async function runGetMetricStatistics(
  options: GetMetricStatisticsOptions,
  settings: OutputSettings,
): Promise<void> {
  const out: GetMetricStatisticsOutput = await withLocalEngine(options.dataDir, (engine: Engine) =>
    callService("GetMetricStatistics", () =>
      engine.cloudwatch.getMetricStatistics({
        Namespace: options.namespace,
        MetricName: options.metricName,
        Dimensions: options.dimensions,
        StartTime: options.startTime,
        EndTime: options.endTime,
        Period: options.period,
        Statistics: options.statistics,
        ExtendedStatistics: options.extendedStatistics,
        Unit: options.unit,
      }),
    ),
  );
  const json = {
    Label: out.Label,
    Datapoints: out.Datapoints,
  };
  await print(settings, {
    json,
    table: () =>
      statisticsTable(
        json,
        {
          namespace: options.namespace,
          dimensions: (options.dimensions ?? []).map((d) => ({ Name: d.Name, Value: d.Value ?? "" })),
          statistics: [...new Set(options.statistics ?? [])],
          extended: [...new Set(options.extendedStatistics ?? [])],
        },
        settings,
      ),
  });
}

export interface ListMetricsOptions extends DataDirOptions {
  namespace?: string;
  metricName?: string;
  dimensions?: DimensionArg[];
  recentlyActive?: string;
}

export async function runListMetrics(options: ListMetricsOptions, settings: OutputSettings): Promise<void> {
  const fetched: ListMetricsOutput[] = await withLocalEngine(options.dataDir, (engine) =>
    pages(false, undefined, (token) =>
      callService("ListMetrics", () =>
        engine.cloudwatch.listMetrics({
          Namespace: options.namespace,
          MetricName: options.metricName,
          Dimensions: options.dimensions,
          RecentlyActive: options.recentlyActive,
          NextToken: token,
        }),
      ),
    ),
  );
  const json = { Metrics: fetched.flatMap((p) => p.Metrics) };
  await print(settings, {
    json,
    textPages: fetched.map((p) => ({ Metrics: p.Metrics })),
    table: () => metricsTable(json, settings),
  });
}

export interface SetAlarmStateOptions extends DataDirOptions {
  alarmName: string;
  stateValue: string;
  stateReason: string;
  stateReasonData?: string;
}

/** SetAlarmState, EnableAlarmActions and DisableAlarmActions answer nothing; the AWS CLI prints nothing. */
export async function runSetAlarmState(options: SetAlarmStateOptions): Promise<void> {
  await withLocalEngine(options.dataDir, (engine) =>
    callService("SetAlarmState", () =>
      engine.cloudwatch.setAlarmState({
        AlarmName: options.alarmName,
        StateValue: options.stateValue,
        StateReason: options.stateReason,
        StateReasonData: options.stateReasonData,
      }),
    ),
  );
}

export async function runSetAlarmActions(
  options: DataDirOptions & { alarmNames: string[] },
  enabled: boolean,
): Promise<void> {
  await withLocalEngine(options.dataDir, (engine) =>
    enabled
      ? callService("EnableAlarmActions", () =>
          engine.cloudwatch.enableAlarmActions({ AlarmNames: options.alarmNames }),
        )
      : callService("DisableAlarmActions", () =>
          engine.cloudwatch.disableAlarmActions({ AlarmNames: options.alarmNames }),
        ),
  );
}
