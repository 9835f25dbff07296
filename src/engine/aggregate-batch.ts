import type { StandardUnit } from "../metrics/transformation.js";
import type { MetricAggregate, MetricId } from "../store/types.js";
import { mergeInto, type SketchMerge } from "./metric-index.js";
import { metricIdOf, seriesKey } from "./series-key.js";

/** A sample with its time: what a metric filter published for one event. */
export interface TimedSample {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  value: number;
  unit: StandardUnit;
  timestamp: number;
}

export type SketchOf = (values: number[]) => Uint8Array | undefined;

/**
 * Samples folded into per-minute aggregates (metric-filter metrics are standard resolution): one
 * aggregate per series, minute and unit, however many events a batch holds.
 */
export class AggregateBatch {
  private readonly byKey = new Map<string, { agg: MetricAggregate; values: number[] }>();
  private readonly metrics = new Map<string, MetricId>();

  constructor(
    private readonly sketchOf?: SketchOf,
    private readonly mergeSketch?: SketchMerge,
  ) {}

  add(s: TimedSample): void {
    const dimsKey = JSON.stringify(s.dimensions);
    const mKey = `${s.namespace}\u0000${s.metricName}\u0000${dimsKey}`;
    let metric = this.metrics.get(mKey);
    if (!metric) {
      metric = metricIdOf(s.namespace, s.metricName, s.dimensions);
      this.metrics.set(mKey, metric);
    }
    const minute = Math.floor(s.timestamp / 60_000) * 60_000;
    const key = `${seriesKey(metric)}\u0002${minute}\u0002${s.unit}`;
    const e = this.byKey.get(key);
    if (e) {
      e.agg.sampleCount++;
      e.agg.sum += s.value;
      if (s.value < e.agg.min) e.agg.min = s.value;
      if (s.value > e.agg.max) e.agg.max = s.value;
      e.values.push(s.value);
    } else {
      this.byKey.set(key, {
        agg: {
          metric,
          timestamp: minute,
          resolution: 60,
          unit: s.unit,
          sampleCount: 1,
          sum: s.value,
          min: s.value,
          max: s.value,
        },
        values: [s.value],
      });
    }
  }

  addAggregate(a: MetricAggregate): void {
    const key = `${seriesKey(a.metric)}\u0002${a.timestamp}\u0002${a.resolution}\u0002${a.unit}`;
    const e = this.byKey.get(key);
    if (e) mergeInto(e.agg, a, this.mergeSketch);
    else this.byKey.set(key, { agg: { ...a }, values: [] });
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The aggregates, with a percentile sketch of their values when a sketch maker is configured. */
  drain(): MetricAggregate[] {
    const out: MetricAggregate[] = [];
    for (const { agg, values } of this.byKey.values()) {
      if (this.sketchOf && values.length > 0 && agg.sketch === undefined) agg.sketch = this.sketchOf(values);
      out.push(agg);
    }
    this.byKey.clear();
    return out;
  }
}
