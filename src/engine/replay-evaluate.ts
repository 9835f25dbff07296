/**
 * Replay's second pass: the samples, in time order, fed to the engine on a manual clock exactly as live
 * ingestion and the scheduler would have fed them had each event arrived at its eventTime — one group per
 * distinct event time (CloudTrail's eventTime has whole seconds, so a group is what a live batch arriving
 * in that second publishes), the scheduled evaluations of every boundary passed before the group's data.
 *
 * Two shortcuts, both exact:
 * - The scheduler is only called when a boundary has passed: between boundaries Engine.tick has nothing
 *   to run (evaluations happen every minute, every 10 s for periods under a minute).
 * - A group whose series' alarms are all in ALARM is published with the next group that needs publishing
 *   at once, or before the next boundary, whichever comes first: early evaluation only ever moves an
 *   alarm into ALARM (AlarmRunner.evaluateEarly), so for these alarms it would have done nothing but mark
 *   them awake, and until the next boundary nothing else can move them. The aggregates still reach the
 *   metric index one group after another, in order, so every sum is added up exactly as before.
 *
 * The metric index is trimmed as serve's retention trims it (the data no alarm window reaches), and the
 * aggregates are committed to the store a minute at a time: memory stays flat over any history.
 */
import type { MetricAggregate } from "../store/types.js";
import { metricOf, stepOf } from "./alarm-runner.js";
import type { ManualClock } from "./clock.js";
import type { Engine } from "./engine.js";
import type { SampleCursor } from "./replay-samples.js";
import type { SeriesTable } from "./replay-series.js";
import { seriesKey } from "./series-key.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Aggregates per store commit. */
const STORE_BATCH = 10_000;

export interface EventTimeOptions {
  engine: Engine;
  clock: ManualClock;
  /** The samples in time order. */
  samples: SampleCursor;
  series: SeriesTable;
  /** The time the scheduler last ran (the alarms were installed then). */
  start: number;
  /** Commits aggregates to the store; absent = the aggregates are not kept (a throwaway replay). */
  store?(aggregates: MetricAggregate[]): Promise<void>;
}

/** Runs pass 2; see the module comment. */
export async function evaluateOnEventTime(o: EventTimeOptions): Promise<void> {
  const { engine, clock, samples, series } = o;
  const metricAlarms = engine.alarms.list().flatMap((a) => (a.alarmType === "MetricAlarm" ? [a] : []));
  // The scheduler's step: a minute, or 10 s once any alarm's period is shorter than a minute.
  const step = Math.min(MINUTE, ...metricAlarms.map(stepOf));
  const keepMs = engine.alarms.longestRangeMs() + HOUR;
  // The alarms watching each series (by metric, whatever their unit, as evaluateEarly finds them).
  const alarmsOf = series.list.map((s) =>
    metricAlarms.filter((a) => seriesKey(metricOf(a)) === s.key).map((a) => a.alarmName),
  );
  const quietWhileAlarming = (ids: readonly number[]) =>
    ids.every((id) => alarmsOf[id].every((name) => engine.alarms.get(name)?.stateValue === "ALARM"));

  const n = series.size;
  const stamp = new Float64Array(n).fill(-1);
  const count = new Float64Array(n);
  const sum = new Float64Array(n);
  const min = new Float64Array(n);
  const max = new Float64Array(n);
  const touched: number[] = [];

  let nextBoundary = Math.floor(o.start / step) * step + step;
  let evictedAt = o.start;
  let deferred: MetricAggregate[] = [];
  let deferredKeys: string[] = [];
  let deferredAt = 0;
  const flushDeferred = async () => {
    if (deferred.length === 0) return;
    const aggregates = deferred;
    const keys = deferredKeys;
    deferred = [];
    deferredKeys = [];
    await engine.publishAggregates(aggregates, deferredAt, keys);
  };

  // The current minute's aggregates per series, for the store; completed minutes wait in `toStore`.
  let minute = Number.NEGATIVE_INFINITY;
  let minuteAggs = new Map<number, MetricAggregate>();
  let toStore: MetricAggregate[] = [];
  const closeMinute = async (force: boolean) => {
    for (const a of minuteAggs.values()) toStore.push(a);
    minuteAggs = new Map();
    if (toStore.length >= STORE_BATCH || (force && toStore.length > 0)) {
      const batch = toStore;
      toStore = [];
      await o.store?.(batch);
    }
  };

  let group = 0;
  let has = samples.next();
  while (has) {
    const t = samples.time;
    group++;
    touched.length = 0;
    do {
      const id = samples.series;
      const v = samples.value;
      if (stamp[id] !== group) {
        stamp[id] = group;
        touched.push(id);
        count[id] = 1;
        sum[id] = v;
        min[id] = v;
        max[id] = v;
      } else {
        count[id]++;
        sum[id] += v;
        if (v < min[id]) min[id] = v;
        if (v > max[id]) max[id] = v;
      }
      has = samples.next();
    } while (has && samples.time === t);

    clock.set(t);
    if (t >= nextBoundary) {
      await flushDeferred();
      await engine.tick(t);
      nextBoundary = Math.floor(t / step) * step + step;
      if (t - evictedAt >= HOUR) {
        engine.index.evictBefore(t - keepMs);
        evictedAt = t;
      }
    }

    const m = Math.floor(t / MINUTE) * MINUTE;
    if (m !== minute) {
      await closeMinute(false);
      minute = m;
    }
    const aggregates: MetricAggregate[] = [];
    for (const id of touched) {
      const s = series.list[id];
      aggregates.push({
        metric: s.metric,
        timestamp: m,
        resolution: 60,
        unit: s.unit,
        sampleCount: count[id],
        sum: sum[id],
        min: min[id],
        max: max[id],
      });
      if (!o.store) continue;
      const stored = minuteAggs.get(id);
      if (!stored) minuteAggs.set(id, { ...aggregates[aggregates.length - 1] });
      else {
        stored.sampleCount += count[id];
        stored.sum += sum[id];
        if (min[id] < stored.min) stored.min = min[id];
        if (max[id] > stored.max) stored.max = max[id];
      }
    }
    if (quietWhileAlarming(touched)) {
      for (let k = 0; k < aggregates.length; k++) {
        deferred.push(aggregates[k]);
        deferredKeys.push(series.list[touched[k]].key);
      }
      deferredAt = t;
    } else {
      await flushDeferred();
      await engine.publishAggregates(
        aggregates,
        t,
        touched.map((id) => series.list[id].key),
      );
    }
  }
  await flushDeferred();
  await closeMinute(true);
}
