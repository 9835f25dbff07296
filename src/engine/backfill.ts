/**
 * Backfill: run one metric filter over the log events already stored for its log group.
 *
 * A metric filter, on AWS as here, publishes datapoints only for the events ingested after it exists. When
 * the events are kept (`serve` stores them), trailwatch can apply a new filter to the past explicitly:
 *
 * - Only that filter runs (a pipeline of just it), so the group's other filters do not count again.
 * - Only events the filter has not seen are counted: those ingested before the filter was created
 *   (ingestionTime < creationTime). Events ingested since were counted live and are skipped. (Updating a
 *   filter keeps its creationTime, so events ingested between the creation and an update of the pattern
 *   were counted with the old pattern and are not counted again.)
 * - Events are read in `seq` order, a page at a time; the page's samples are aggregated per minute and
 *   committed with a checkpoint (`backfill:<group>:<filter>` → last seq read) in the same transaction, so
 *   a backfill that is interrupted resumes after the last committed page instead of counting a page twice.
 *   When it finishes, the checkpoint becomes `done:<last seq>` and the filter is not backfilled again
 *   unless asked (`restart`) — which counts every event again, adding to what the first run stored: meant
 *   for a time window not covered before, or after the metric's data is gone.
 * - A resumed backfill reads the events after the checkpoint with the window it is given now; pass the
 *   same startTime/endTime as the interrupted run.
 * - The checkpoint is per group and filter name: a filter deleted and created again under the same name
 *   finds the old one, and needs `restart` (its earlier datapoints, if still stored, stay).
 * - Alarms are not re-evaluated for the past: no transition is produced for a period that is over. The
 *   backfilled datapoints are visible to GetMetricStatistics/GetMetricData and to the alarm windows that
 *   still include them (an alarm evaluating a period that the backfill filled sees the new data).
 */
import { LogsError } from "../logs/errors.js";
import { mergeSketch as defaultMergeSketch, sketchOf as defaultSketchOf } from "../metrics/sketch-codec.js";
import type { MetricAggregate } from "../store/types.js";
import { AggregateBatch, type SketchOf } from "./aggregate-batch.js";
import type { Engine } from "./engine.js";
import { LogGroupPipeline } from "./log-group-pipeline.js";
import type { SketchMerge } from "./metric-index.js";

export const BACKFILL_PAGE_SIZE = 5_000;

export interface BackfillOptions {
  logGroupName: string;
  filterName: string;
  /** Events with timestamp in [startTime, endTime) (epoch ms); default: all stored events. */
  startTime?: number;
  endTime?: number;
  /** Backfill again a filter whose backfill completed (its samples are added again). */
  restart?: boolean;
  /** Events read per page and committed per transaction. */
  pageSize?: number;
  /** Percentile sketches for the aggregates (default: the metrics sketch codec, as `serve` uses). */
  sketchOf?: SketchOf;
  mergeSketch?: SketchMerge;
  /** Called after each committed page. */
  onProgress?(progress: BackfillResult): void;
}

export interface BackfillResult {
  /** Events read by this run (the events of earlier, interrupted runs are not counted again). */
  events: number;
  /** Events the filter matched. */
  matched: number;
  /** Samples published (matches, plus defaultValue samples of non-matching events). */
  samples: number;
  /** Events read but skipped because they were ingested after the filter existed (counted live). */
  skipped: number;
  /** The seq this run resumed after, when it continued an interrupted backfill. */
  resumedAfter?: number;
  /** The last seq read; the checkpoint is `done:<lastSeq>`. */
  lastSeq?: number;
}

/** The checkpoint source of a filter's backfill. */
export function backfillCheckpointSource(logGroupName: string, filterName: string): string {
  return `backfill:${logGroupName}:${filterName}`;
}

/**
 * Backfills one metric filter over the stored events of its log group (see the module comment). Throws a
 * LogsError: ResourceNotFoundException for an unknown group or filter, InvalidOperationException when the
 * filter's backfill already completed and `restart` is not set.
 */
export async function backfillMetricFilter(
  engine: Engine,
  options: BackfillOptions,
): Promise<BackfillResult> {
  const { store } = engine;
  const { logGroupName, filterName } = options;
  if (!(await store.getLogGroup(logGroupName)))
    throw new LogsError("ResourceNotFoundException", "The specified log group does not exist.");
  const filter = (await store.listMetricFilters({ logGroupName, filterNamePrefix: filterName })).find(
    (f) => f.filterName === filterName,
  );
  if (!filter) throw new LogsError("ResourceNotFoundException", "The specified resource does not exist.");

  const source = backfillCheckpointSource(logGroupName, filterName);
  const checkpoint = await store.getCheckpoint(source);
  let afterSeq: number | undefined;
  const result: BackfillResult = { events: 0, matched: 0, samples: 0, skipped: 0 };
  if (checkpoint !== undefined && !options.restart) {
    if (checkpoint.startsWith("done:")) {
      throw new LogsError(
        "InvalidOperationException",
        `The metric filter ${filterName} of log group ${logGroupName} was already backfilled. Backfilling ` +
          "again adds its datapoints a second time; ask for a restart (--restart) to do so anyway, e.g. for " +
          "a time window not backfilled before.",
      );
    }
    afterSeq = Number(checkpoint);
    if (!Number.isSafeInteger(afterSeq))
      throw new Error(`unreadable backfill checkpoint ${source}: ${checkpoint}`);
    result.resumedAfter = afterSeq;
  }

  const pipeline = new LogGroupPipeline([filter]);
  const context = { account: engine.identity.account, region: engine.identity.region };
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? BACKFILL_PAGE_SIZE));
  const sketchOf = options.sketchOf ?? defaultSketchOf;
  const mergeSketch = options.mergeSketch ?? defaultMergeSketch;
  // The alarm windows the engine keeps in memory: backfilled data that falls in them is added there too.
  const recentFrom = engine.clock.now() - engine.alarms.longestRangeMs() - 3_600_000;
  let lastSeq = afterSeq;
  for (;;) {
    const page = await store.scanLogEvents({
      logGroupName,
      startTime: options.startTime,
      endTime: options.endTime,
      afterSeq: lastSeq,
      limit: pageSize,
    });
    if (page.length === 0) break;
    const batch = new AggregateBatch(sketchOf, mergeSketch);
    let matched = 0;
    let samples = 0;
    let skipped = 0;
    for (const e of page) {
      if (e.ingestionTime >= filter.creationTime) {
        skipped++;
        continue;
      }
      const hits = pipeline.process(e.message, context, (s) => {
        samples++;
        batch.add({
          namespace: s.namespace,
          metricName: s.metricName,
          dimensions: s.dimensions,
          value: s.value,
          unit: s.unit,
          timestamp: e.timestamp,
        });
      });
      if (hits.length > 0) matched++;
    }
    lastSeq = page[page.length - 1].seq;
    const aggregates: MetricAggregate[] = batch.drain();
    await store.commit({
      events: [],
      streams: [],
      aggregates,
      checkpoints: [{ source, position: String(lastSeq) }],
    });
    for (const a of aggregates) if (a.timestamp >= recentFrom) engine.index.add(a);
    result.events += page.length;
    result.matched += matched;
    result.samples += samples;
    result.skipped += skipped;
    options.onProgress?.({ ...result, lastSeq });
    if (page.length < pageSize) break;
  }
  result.lastSeq = lastSeq;
  await store.commit({
    events: [],
    streams: [],
    aggregates: [],
    checkpoints: [{ source, position: `done:${lastSeq ?? 0}` }],
  });
  return result;
}
