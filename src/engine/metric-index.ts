import type { MetricAggregate, MetricId } from "../store/types.js";
import { seriesKey } from "./series-key.js";

/** How two aggregates of one bucket combine; the sketch part is injected (src/metrics owns the format). */
export type SketchMerge = (a: Uint8Array, b: Uint8Array) => Uint8Array;

export function mergeInto(target: MetricAggregate, add: MetricAggregate, mergeSketch?: SketchMerge): void {
  target.sampleCount += add.sampleCount;
  target.sum += add.sum;
  if (add.min < target.min) target.min = add.min;
  if (add.max > target.max) target.max = add.max;
  target.sketch =
    target.sketch && add.sketch && mergeSketch ? mergeSketch(target.sketch, add.sketch) : undefined;
}

interface Series {
  metric: MetricId;
  buckets: Map<number, MetricAggregate>;
  /** Latest bucket timestamp with data, for skipping idle alarms. */
  latest: number;
  highResolution: boolean;
  /** Some bucket holds a second unit (under key + 0.5): lookups must try both keys. */
  splitUnits: boolean;
}

/**
 * Recent metric data in memory, per series and bucket: what alarm evaluation reads every minute. The
 * store holds the same aggregates durably; the engine loads the recent part at start and keeps both in
 * step. Old buckets are evicted past the longest alarm window.
 */
export class MetricIndex {
  private readonly series = new Map<string, Series>();

  constructor(private readonly mergeSketch?: SketchMerge) {}

  /** Adds an aggregate; `key` = seriesKey(agg.metric), when the caller has it. */
  add(agg: MetricAggregate, key = seriesKey(agg.metric)): void {
    let s = this.series.get(key);
    if (!s) {
      s = {
        metric: agg.metric,
        buckets: new Map(),
        latest: Number.NEGATIVE_INFINITY,
        highResolution: false,
        splitUnits: false,
      };
      this.series.set(key, s);
    }
    const bucketKey = agg.timestamp * 2 + (agg.resolution === 1 ? 1 : 0);
    const existing = s.buckets.get(bucketKey);
    if (existing && existing.unit === agg.unit) mergeInto(existing, agg, this.mergeSketch);
    else if (!existing) s.buckets.set(bucketKey, { ...agg, metric: s.metric });
    else {
      // Another unit in the same bucket: keep them apart under a distinct key (rare; PutMetricData only).
      s.buckets.set(bucketKey + 0.5, { ...agg, metric: s.metric });
      s.splitUnits = true;
    }
    if (agg.timestamp > s.latest) s.latest = agg.timestamp;
    if (agg.resolution === 1) s.highResolution = true;
  }

  /** Aggregates of exactly this series with timestamp in [from, to). */
  range(metric: MetricId, from: number, to: number): MetricAggregate[] {
    return this.rangeOf(seriesKey(metric), from, to);
  }

  /**
   * A series' buckets by minute (key: the minute's epoch ms × 2), when every bucket is a one-unit
   * minute bucket: what an evaluation can look up minute by minute. Null = no such series; undefined =
   * the series has high-resolution or split-unit buckets (use rangeOf).
   */
  minuteBuckets(key: string): ReadonlyMap<number, MetricAggregate> | null | undefined {
    const s = this.series.get(key);
    if (!s) return null;
    return s.highResolution || s.splitUnits ? undefined : s.buckets;
  }

  /** As range, for a series' key (seriesKey) a caller keeps. */
  rangeOf(key: string, from: number, to: number): MetricAggregate[] {
    const s = this.series.get(key);
    if (!s) return [];
    const out: MetricAggregate[] = [];
    const minutes = (to - from) / 60_000;
    if (minutes < s.buckets.size && from % 60_000 === 0 && !s.highResolution) {
      // Few minutes asked of a long series: look the minutes up rather than scan every bucket.
      for (let t = from; t < to; t += 60_000) {
        const a = s.buckets.get(t * 2);
        if (a) out.push(a);
        if (!s.splitUnits) continue;
        const other = s.buckets.get(t * 2 + 0.5);
        if (other) out.push(other);
      }
      return out;
    }
    for (const a of s.buckets.values()) if (a.timestamp >= from && a.timestamp < to) out.push(a);
    return out.sort((a, b) => a.timestamp - b.timestamp);
  }

  /** The newest bucket time with data for the series, or -Infinity. */
  latest(metric: MetricId): number {
    return this.series.get(seriesKey(metric))?.latest ?? Number.NEGATIVE_INFINITY;
  }

  evictBefore(t: number): void {
    for (const [key, s] of this.series) {
      for (const [k, a] of s.buckets) if (a.timestamp < t) s.buckets.delete(k);
      if (s.buckets.size === 0) this.series.delete(key);
    }
  }
}
