/**
 * Replay's numbering of metric series: each (metric, unit) a metric filter publishes gets a small integer,
 * so that a sample is kept as three numbers (time, series, value) instead of an object, and per-series
 * sums are array slots instead of string-keyed map entries.
 */
import type { StandardUnit } from "../metrics/transformation.js";
import type { MetricId } from "../store/types.js";
import type { TimedSample } from "./aggregate-batch.js";
import { metricIdOf, seriesKey } from "./series-key.js";

export interface ReplaySeries {
  metric: MetricId;
  unit: StandardUnit;
  /** seriesKey(metric): what alarms are matched on. */
  key: string;
}

export class SeriesTable {
  readonly list: ReplaySeries[] = [];
  /** The sample's own spelling (dimensions in the filter's key order) -> id: the hot lookup. */
  private readonly bySpelling = new Map<string, number>();
  /** seriesKey + unit -> id: two spellings of one series share an id, as AggregateBatch merges them. */
  private readonly byCanonical = new Map<string, number>();

  idOf(s: Pick<TimedSample, "namespace" | "metricName" | "dimensions" | "unit">): number {
    let spelling = `${s.namespace}\u0000${s.metricName}\u0000${s.unit}`;
    for (const _ in s.dimensions) {
      spelling += `\u0000${JSON.stringify(s.dimensions)}`;
      break;
    }
    const known = this.bySpelling.get(spelling);
    if (known !== undefined) return known;
    const metric = metricIdOf(s.namespace, s.metricName, s.dimensions);
    const key = seriesKey(metric);
    const canonical = `${key}\u0002${s.unit}`;
    let id = this.byCanonical.get(canonical);
    if (id === undefined) {
      id = this.list.length;
      this.list.push({ metric, unit: s.unit, key });
      this.byCanonical.set(canonical, id);
    }
    this.bySpelling.set(spelling, id);
    return id;
  }

  /** The id of a series another table numbered (a replay worker's). */
  idOfSeries(series: ReplaySeries): number {
    const canonical = `${series.key}\u0002${series.unit}`;
    let id = this.byCanonical.get(canonical);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(series);
      this.byCanonical.set(canonical, id);
    }
    return id;
  }

  get size(): number {
    return this.list.length;
  }
}
