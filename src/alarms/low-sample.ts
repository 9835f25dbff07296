/**
 * Percentile alarms with few samples (AL "Percentile-based alarms and low data samples"): with
 * `EvaluateLowSampleCountPercentile = ignore` the alarm keeps its state while a period holds fewer than
 * 10/(1−p) samples for p in [0.5, 1) (p99 → 1000), or 10/p for p in (0, 0.5).
 *
 * Our reading: the rule applies to `pNN` statistics only (the parameter is "used only for alarms based on
 * percentiles"), per datapoint ("during the evaluation period", AWS's name for one period), and a datapoint
 * without a known sample count counts as having enough.
 */
import type { MetricAlarmConfig } from "../store/types.js";

const PERCENTILE = /^p(\d+(?:\.\d+)?)$/;

/** The fewest samples a period needs for the percentile to count, or undefined when no minimum applies. */
export function minimumSamples(extendedStatistic: string | undefined): number | undefined {
  const m = extendedStatistic === undefined ? null : PERCENTILE.exec(extendedStatistic);
  if (!m) return undefined;
  // Exact arithmetic over the written digits, so that p99 needs 1000 and p99.9 needs 10000, not 9999.99...
  const [whole, fraction = ""] = m[1].split(".");
  const scale = 10 ** fraction.length;
  const scaled = Number(whole + fraction); // the percentage × scale, an integer
  if (scaled >= 50 * scale && scaled < 100 * scale) return (1000 * scale) / (100 * scale - scaled);
  if (scaled > 0 && scaled < 50 * scale) return (1000 * scale) / scaled;
  return undefined;
}

export function tooFewSamples(
  config: Pick<MetricAlarmConfig, "extendedStatistic" | "evaluateLowSampleCountPercentile">,
  points: readonly { value: number | null; sampleCount?: number }[],
): boolean {
  if (config.evaluateLowSampleCountPercentile !== "ignore") return false;
  const minimum = minimumSamples(config.extendedStatistic);
  if (minimum === undefined) return false;
  return points.some((p) => p.value !== null && p.sampleCount !== undefined && p.sampleCount < minimum);
}
