/**
 * The state an evaluation decides, computed straight from the range's values: evaluatedStateValue's
 * answer without building the evaluated points (missing-data.ts's decideState does, for the reasons).
 * The scheduler asks this of every alarm every minute and almost always hears "no change", so this is
 * the hot path; decideState stays the definition, and test/alarms/state-value.test.ts checks that they
 * agree on generated ranges of every shape.
 */
import type { AlarmStateValue } from "../store/types.js";
import { breaches } from "./comparison.js";
import { ALWAYS_IGNORE_NAMESPACE, type EvaluatedAlarmConfig } from "./evaluate.js";
import { minimumSamples } from "./low-sample.js";

/**
 * `points`: the evaluation range oldest first, one per period (as AlarmRunner.datapoints gives it).
 * Undefined when only the full evaluation can tell: a range shorter than N (it would be padded), or a
 * percentile alarm whose low-sample rule may keep the previous state.
 */
export function decidedStateValue(
  config: EvaluatedAlarmConfig,
  points: readonly { value: number | null }[],
  previous: AlarmStateValue,
): AlarmStateValue | undefined {
  const n = config.evaluationPeriods;
  const r = points.length;
  if (r < n) return undefined;
  if (
    config.evaluateLowSampleCountPercentile === "ignore" &&
    minimumSamples(config.extendedStatistic) !== undefined
  )
    return undefined;
  const m = config.datapointsToAlarm ?? n;
  const op = config.comparisonOperator;
  const threshold = config.threshold;

  // Rule 1: the last N periods all have data.
  let lastNReal = true;
  for (let i = r - n; i < r; i++) if (points[i].value === null) lastNReal = false;
  if (lastNReal) {
    let breaching = 0;
    for (let i = r - n; i < r; i++) if (breaches(points[i].value as number, op, threshold)) breaching++;
    return breaching >= m ? "ALARM" : "OK";
  }
  let real = 0;
  let realBreaching = 0;
  for (let i = 0; i < r; i++) {
    const v = points[i].value;
    if (v === null) continue;
    real++;
    if (breaches(v, op, threshold)) realBreaching++;
  }
  // Rule 2: at least N periods with data in the range: the N most recent of them.
  if (real >= n) {
    let seen = 0;
    let breaching = 0;
    for (let i = r - 1; i >= 0 && seen < n; i--) {
      const v = points[i].value;
      if (v === null) continue;
      seen++;
      if (breaches(v, op, threshold)) breaching++;
    }
    return breaching >= m ? "ALARM" : "OK";
  }
  // Rule 3: fewer than N.
  const treat = config.namespace === ALWAYS_IGNORE_NAMESPACE ? "ignore" : config.treatMissingData;
  if (treat === "breaching") return realBreaching + (n - real) >= m ? "ALARM" : "OK";
  if (treat === "notBreaching") return realBreaching >= m ? "ALARM" : "OK";
  if (real === 0) return treat === "ignore" ? previous : "INSUFFICIENT_DATA";
  if (realBreaching === real) {
    // Premature alarm: the oldest real point of the last N is at least M periods old.
    for (let i = r - n; i < r; i++) {
      if (points[i].value === null) continue;
      if (r - i >= m) return treat === "ignore" ? previous : "ALARM";
      break;
    }
  }
  return realBreaching >= m ? "ALARM" : "OK";
}
