import type { MetricFilterMatchRecord } from "../../pattern/index.js";

/**
 * Renders TestMetricFilter matches incrementally, so that a file of millions of events streams through:
 * `match` is called per match in event order, `end` once with the number of events tested.
 */
export interface MatchFormatter {
  match(match: MetricFilterMatchRecord): string;
  end(eventCount: number): string;
}
