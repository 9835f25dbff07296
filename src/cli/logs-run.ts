/**
 * `trailwatch logs describe-metric-filters` and `trailwatch logs backfill-metric-filter` over a local data
 * directory (see local-engine.ts).
 */
import { backfillMetricFilter } from "../engine/backfill.js";
import { LogsError } from "../logs/errors.js";
import { checkFilterName, checkLogGroupName } from "../logs/validate.js";
import type { MetricFilter } from "../store/types.js";
import type { DataDirOptions } from "./cloudwatch-run.js";
import type { OutputSettings } from "./global-options.js";
import { callService, print, withLocalEngine } from "./local-engine.js";
import { type MetricFilterOutput, metricFiltersTable } from "./output/views.js";

export interface DescribeMetricFiltersOptions extends DataDirOptions {
  logGroupName?: string;
  filterNamePrefix?: string;
  metricName?: string;
  metricNamespace?: string;
}

/** A metric filter as DescribeMetricFilters returns it, members in the service model's order. */
export function metricFilterOutput(f: MetricFilter): MetricFilterOutput {
  const out: MetricFilterOutput = {
    filterName: f.filterName,
    filterPattern: f.filterPattern,
    metricTransformations: f.metricTransformations.map((t) => {
      const shaped: MetricFilterOutput["metricTransformations"][number] = {
        metricName: t.metricName,
        metricNamespace: t.metricNamespace,
        metricValue: t.metricValue,
      };
      if (t.defaultValue !== undefined) shaped.defaultValue = t.defaultValue;
      if (t.dimensions !== undefined && Object.keys(t.dimensions).length > 0)
        shaped.dimensions = { ...t.dimensions };
      if (t.unit !== undefined) shaped.unit = t.unit;
      return shaped;
    }),
    creationTime: f.creationTime,
    logGroupName: f.logGroupName,
  };
  if (f.emitSystemFieldDimensions?.length) out.emitSystemFieldDimensions = [...f.emitSystemFieldDimensions];
  return out;
}

/**
 * DescribeMetricFilters' rules (API reference): filterNamePrefix is used only together with logGroupName;
 * metricName and metricNamespace go together; an unknown log group is ResourceNotFoundException.
 */
export async function runDescribeMetricFilters(
  options: DescribeMetricFiltersOptions,
  settings: OutputSettings,
): Promise<void> {
  const filters = await withLocalEngine(options.dataDir, (engine) =>
    callService("DescribeMetricFilters", async () => {
      const logGroupName =
        options.logGroupName === undefined ? undefined : checkLogGroupName(options.logGroupName);
      const prefix =
        options.filterNamePrefix === undefined
          ? undefined
          : checkFilterName(options.filterNamePrefix, "filterNamePrefix");
      if ((options.metricName === undefined) !== (options.metricNamespace === undefined)) {
        // The rule is the API reference's; the text is ours.
        throw new LogsError(
          "InvalidParameterException",
          "metricName and metricNamespace must be specified together.",
        );
      }
      if (logGroupName !== undefined && !(await engine.store.getLogGroup(logGroupName)))
        throw new LogsError("ResourceNotFoundException", "The specified log group does not exist.");
      return engine.logs.describeMetricFilters({
        logGroupName,
        filterNamePrefix: logGroupName === undefined ? undefined : prefix,
        metricName: options.metricName,
        metricNamespace: options.metricNamespace,
      });
    }),
  );
  const json = { metricFilters: filters.map(metricFilterOutput) };
  await print(settings, { json, table: () => metricFiltersTable(json.metricFilters, settings) });
}

export interface BackfillCliOptions extends DataDirOptions {
  logGroupName: string;
  filterName: string;
  startTime?: Date;
  endTime?: Date;
  restart?: boolean;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

export async function runBackfillMetricFilter(
  options: BackfillCliOptions,
  settings: OutputSettings,
): Promise<void> {
  const result = await withLocalEngine(options.dataDir, (engine) =>
    callService("BackfillMetricFilter", () =>
      backfillMetricFilter(engine, {
        logGroupName: checkLogGroupName(options.logGroupName),
        filterName: checkFilterName(options.filterName),
        startTime: options.startTime?.getTime(),
        endTime: options.endTime?.getTime(),
        restart: options.restart === true,
      }),
    ),
  );
  const json = {
    logGroupName: options.logGroupName,
    filterName: options.filterName,
    events: result.events,
    matched: result.matched,
    samples: result.samples,
    skipped: result.skipped,
    ...(result.resumedAfter !== undefined ? { resumedAfter: result.resumedAfter } : {}),
  };
  const summary =
    `Backfilled metric filter ${options.filterName} of ${options.logGroupName}: ` +
    `${count(result.events, "stored event")} read, ${count(result.matched, "match", "matches")}, ` +
    `${count(result.samples, "sample")} published` +
    (result.skipped > 0
      ? `; ${count(result.skipped, "event")} skipped (ingested after the filter existed, already counted)`
      : "") +
    (result.resumedAfter !== undefined ? `; resumed after event ${result.resumedAfter}` : "") +
    ".\n";
  await print(settings, { json, table: () => summary });
}
