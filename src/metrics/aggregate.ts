/**
 * Turning observations into MetricAggregates: the canonical identity of a series, the bucket an observation
 * falls in, merging two aggregates of one bucket, and an accumulator that does all of it for a batch.
 *
 * An aggregate is keyed by (series, bucket start, resolution, unit). The unit is part of the key because
 * CloudWatch keeps data published with different units apart: GetMetricStatistics without a Unit returns one
 * datapoint per unit for the same period.
 *
 * Percentiles: an aggregate carries a sketch only while every observation in it is known value by value
 * (single values, Values/Counts, or a statistic set that pins its values down). `sketch: undefined` means
 * "not available" and wins every merge, because a percentile of partly known data would be wrong, not rough.
 */
import type { Dimension, MetricAggregate, MetricId, StandardUnit } from "../store/types.js";
import { Sketch } from "./sketch.js";
import type { MetricSample } from "./transformation.js";

/** Code-unit order: deterministic, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A MetricId with its dimensions sorted by Name (the form every store key and comparison uses). */
export function metricId(
  namespace: string,
  metricName: string,
  dimensions: readonly Dimension[] | Readonly<Record<string, string>> = [],
): MetricId {
  const list: Dimension[] = Array.isArray(dimensions)
    ? dimensions.map((d: Dimension) => ({ Name: d.Name, Value: d.Value }))
    : Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
  list.sort((a, b) => compareStrings(a.Name, b.Name));
  return { namespace, metricName, dimensions: list };
}

/**
 * The canonical key of a series: namespace, name and dimensions sorted by Name, JSON-encoded so that no
 * choice of characters in names or values can make two series collide.
 */
export function seriesKey(metric: MetricId): string {
  const dims = [...metric.dimensions]
    .sort((a, b) => compareStrings(a.Name, b.Name))
    .map((d) => [d.Name, d.Value]);
  return JSON.stringify([metric.namespace, metric.metricName, dims]);
}

/** Start of the `resolution`-second bucket holding `timestamp` (epoch ms), aligned to the epoch. */
export function bucketStart(timestamp: number, resolution: 1 | 60): number {
  const size = resolution * 1000;
  return Math.floor(timestamp / size) * size;
}

/** The key an aggregate is merged under. */
export function aggregateKey(
  a: Pick<MetricAggregate, "metric" | "timestamp" | "resolution" | "unit">,
): string {
  return `${seriesKey(a.metric)}|${a.timestamp}|${a.resolution}|${a.unit}`;
}

/** Combines two aggregates of the same key: counts and sums add, extremes widen, sketches merge. */
export function mergeAggregate(a: MetricAggregate, b: MetricAggregate): MetricAggregate {
  if (aggregateKey(a) !== aggregateKey(b)) {
    throw new Error(`mergeAggregate: different buckets ${aggregateKey(a)} and ${aggregateKey(b)}`);
  }
  const sketch =
    a.sketch && b.sketch
      ? Sketch.merge(Sketch.deserialize(a.sketch), Sketch.deserialize(b.sketch)).serialize()
      : undefined;
  return {
    metric: a.metric,
    timestamp: a.timestamp,
    resolution: a.resolution,
    unit: a.unit,
    sampleCount: a.sampleCount + b.sampleCount,
    sum: a.sum + b.sum,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    sketch,
  };
}

/** PutMetricData's StatisticValues. */
export interface StatisticSet {
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * The values a statistic set stands for, when CloudWatch can know them: SampleCount 1 with Min, Max and
 * Sum equal, or Min = Max with Sum = Min × SampleCount (STAT "Requirements to use percentiles").
 */
export function statisticSetValues(set: StatisticSet): { value: number; count: number } | undefined {
  if (set.min !== set.max) return undefined;
  if (set.sampleCount === 1 && set.sum === set.min) return { value: set.min, count: 1 };
  return set.sum === set.min * set.sampleCount ? { value: set.min, count: set.sampleCount } : undefined;
}

interface Cell {
  metric: MetricId;
  timestamp: number;
  resolution: 1 | 60;
  unit: StandardUnit;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** null once any observation in the cell was not kept value by value. */
  sketch: Sketch | null;
}

export interface Placement {
  /** Epoch ms of the observation (the accumulator finds its bucket). */
  timestamp: number;
  unit: StandardUnit;
  resolution?: 1 | 60;
}

/**
 * Folds observations into one aggregate per (series, bucket, resolution, unit). Mutable by design: it is
 * the batch buffer between a producer (metric filters, PutMetricData) and the store; `drain` hands the
 * result over and starts empty again.
 */
export class AggregateAccumulator {
  private cells = new Map<string, Cell>();

  /** One value observed `count` times (PutMetricData Value, or one Values/Counts pair). */
  addValue(metric: MetricId, at: Placement, value: number, count = 1): void {
    if (count === 0) return;
    const cell = this.cell(metric, at);
    cell.sampleCount += count;
    cell.sum += value * count;
    cell.min = Math.min(cell.min, value);
    cell.max = Math.max(cell.max, value);
    cell.sketch?.add(value, count);
  }

  /** Values with their counts (each count defaults to 1), as PutMetricData's Values/Counts send them. */
  addValues(metric: MetricId, at: Placement, values: readonly number[], counts?: readonly number[]): void {
    values.forEach((v, k) => {
      this.addValue(metric, at, v, counts?.[k] ?? 1);
    });
  }

  /** A statistic set; it keeps the cell's percentiles only when its values can be known. */
  addStatisticSet(metric: MetricId, at: Placement, set: StatisticSet): void {
    if (set.sampleCount === 0) return;
    const cell = this.cell(metric, at);
    cell.sampleCount += set.sampleCount;
    cell.sum += set.sum;
    cell.min = Math.min(cell.min, set.min);
    cell.max = Math.max(cell.max, set.max);
    const known = statisticSetValues(set);
    if (known && cell.sketch) cell.sketch.add(known.value, known.count);
    else cell.sketch = null;
  }

  /** What a metric filter published for one event at `timestamp` (standard resolution unless told). */
  addSample(sample: MetricSample, timestamp: number, resolution: 1 | 60 = 60): void {
    const metric = metricId(sample.namespace, sample.metricName, sample.dimensions);
    this.addValue(metric, { timestamp, unit: sample.unit, resolution }, sample.value);
  }

  /** An aggregate from elsewhere (another writer's batch, a stored bucket). */
  addAggregate(a: MetricAggregate): void {
    const cell = this.cell(a.metric, { timestamp: a.timestamp, unit: a.unit, resolution: a.resolution });
    if (a.timestamp !== cell.timestamp) throw new Error("addAggregate: timestamp is not a bucket start");
    cell.sampleCount += a.sampleCount;
    cell.sum += a.sum;
    cell.min = Math.min(cell.min, a.min);
    cell.max = Math.max(cell.max, a.max);
    cell.sketch = a.sketch && cell.sketch ? Sketch.merge(cell.sketch, Sketch.deserialize(a.sketch)) : null;
  }

  /** Number of aggregates held. */
  get size(): number {
    return this.cells.size;
  }

  /** The aggregates, ordered by series key, time, resolution and unit; the accumulator is emptied. */
  drain(): MetricAggregate[] {
    const out = [...this.cells.entries()]
      .sort((x, y) => compareStrings(x[0], y[0]))
      .map(([, c]) => ({
        metric: c.metric,
        timestamp: c.timestamp,
        resolution: c.resolution,
        unit: c.unit,
        sampleCount: c.sampleCount,
        sum: c.sum,
        min: c.min,
        max: c.max,
        sketch: c.sketch ? c.sketch.serialize() : undefined,
      }));
    this.cells = new Map();
    return out;
  }

  private cell(metric: MetricId, at: Placement): Cell {
    const resolution = at.resolution ?? 60;
    const timestamp = bucketStart(at.timestamp, resolution);
    const key = `${seriesKey(metric)}|${String(timestamp).padStart(16, "0")}|${resolution}|${at.unit}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = {
        metric: metricId(metric.namespace, metric.metricName, metric.dimensions),
        timestamp,
        resolution,
        unit: at.unit,
        sampleCount: 0,
        sum: 0,
        min: Number.POSITIVE_INFINITY,
        max: Number.NEGATIVE_INFINITY,
        sketch: Sketch.create(),
      };
      this.cells.set(key, cell);
    }
    return cell;
  }
}
