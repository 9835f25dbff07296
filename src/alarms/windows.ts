/**
 * Which periods an evaluation looks at.
 *
 * Timing (AL, and recorded StateReasonData): an alarm with a Period of 60 s or more is evaluated every minute
 * over the window Period × N that ends at the evaluation minute. A 300 s alarm evaluated at 12:06:xx reads
 * [12:01, 12:06); one evaluated at 17:04:40 reports `startDate` 16:59:00. Periods are therefore aligned to the
 * evaluation minute, not to the clock: a recorded 2700 s alarm evaluated at 13:59:52 had datapoints at 11:44,
 * 12:29 and 13:14, and a 900 s alarm had buckets at 06:14, 06:29, ... High-resolution alarms (Period 10, 20
 * or 30) are evaluated every 10 s, so their windows end on a 10 s boundary.
 *
 * The newest window therefore ends at the aligned evaluation time and holds data up to (not including) it.
 */
import type { MetricAlarmConfig } from "../store/types.js";

export interface PeriodWindow {
  /** Inclusive, epoch ms. */
  start: number;
  /** Exclusive, epoch ms. */
  end: number;
}

/**
 * How many periods to fetch: the "evaluation range" of AL, larger than N so that rule 2 of the missing-data
 * algorithm can reach back past recent gaps. AWS documents one size only (N = 3 → 5) and says it depends on
 * the period and resolution; we use N + max(2, ⌊N/3⌋), which gives 5 for N = 3 and equals LocalStack's
 * N + max(N/3, 2) so that alarms behave as in the most used emulator. N = 1 (the CloudTrail alarms) fetches 3.
 */
export function evaluationRange(config: Pick<MetricAlarmConfig, "evaluationPeriods">): number {
  const n = config.evaluationPeriods;
  return n + Math.max(2, Math.floor(n / 3));
}

/** The evaluation instant `t` rounded down to the minute (to 10 s for high-resolution periods). */
export function alignedEvaluationTime(period: number, t: number): number {
  const step = period < 60 ? 10_000 : 60_000;
  return Math.floor(t / step) * step;
}

/** The `count` period windows (default: the evaluation range) ending at the aligned evaluation time, oldest first. */
export function periodWindows(
  config: Pick<MetricAlarmConfig, "period" | "evaluationPeriods">,
  t: number,
  count = evaluationRange(config),
): PeriodWindow[] {
  const end = alignedEvaluationTime(config.period, t);
  const length = config.period * 1000;
  const windows: PeriodWindow[] = [];
  for (let i = count; i >= 1; i--) {
    windows.push({ start: end - i * length, end: end - (i - 1) * length });
  }
  return windows;
}
