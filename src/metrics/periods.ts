/**
 * Periods of GetMetricStatistics and GetMetricData: which lengths are valid, where the first period starts,
 * and how stored aggregates fall into periods.
 *
 * Alignment follows the API reference for StartTime: milliseconds are ignored; with a Period under 60 the
 * start is rounded down to a multiple of the Period (5-, 10-, 20- or 30-second divisions of a minute);
 * otherwise it is rounded down to the minute when less than 15 days old, to 5 minutes when 15 to 63 days
 * old, to the hour when older. Periods then follow each other from that start: AWS stamps datapoints
 * relative to the (rounded) StartTime, not to multiples of the Period since the epoch (observed behaviour,
 * boto/boto3#3457: StartTime 04:59 with Period 1200 gives 04:59, 05:19, 05:39). A caller that wants
 * epoch-aligned periods passes an aligned StartTime, as AWS recommends.
 */
import type { MetricAggregate } from "../store/types.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** Sub-minute periods the API accepts (high-resolution data); any multiple of 60 is valid too. */
export const SUB_MINUTE_PERIODS: readonly number[] = [1, 5, 10, 20, 30];

/** True for 1, 5, 10, 20, 30 and any positive multiple of 60 (seconds). */
export function isValidPeriod(period: number): boolean {
  return (
    Number.isInteger(period) && (SUB_MINUTE_PERIODS.includes(period) || (period > 0 && period % 60 === 0))
  );
}

function floorTo(t: number, size: number): number {
  return Math.floor(t / size) * size;
}

/** Where the first period starts, for a request made at `now` (all epoch ms; period in seconds). */
export function alignStartTime(start: number, period: number, now: number): number {
  const whole = floorTo(start, SECOND);
  if (period < 60) return floorTo(whole, period * SECOND);
  const age = now - start;
  if (age < 15 * DAY) return floorTo(whole, MINUTE);
  if (age <= 63 * DAY) return floorTo(whole, 5 * MINUTE);
  return floorTo(whole, 60 * MINUTE);
}

/** How many periods [start, end) spans: what AWS's "You have requested up to N datapoints" counts. */
export function periodCount(start: number, end: number, period: number): number {
  return Math.max(0, Math.ceil((end - start) / (period * SECOND)));
}

/**
 * Groups aggregates by the period their bucket start falls in, keeping only those in [start, end).
 * Returns period start → aggregates, in ascending time. A one-minute aggregate read with a 10-second period
 * lands in the period holding the minute's start: standard-resolution data only ever fills those.
 */
export function groupByPeriod(
  aggregates: readonly MetricAggregate[],
  start: number,
  end: number,
  period: number,
): Map<number, MetricAggregate[]> {
  const size = period * SECOND;
  const groups = new Map<number, MetricAggregate[]>();
  for (const a of aggregates) {
    if (a.timestamp < start || a.timestamp >= end) continue;
    const at = start + Math.floor((a.timestamp - start) / size) * size;
    const list = groups.get(at);
    if (list) list.push(a);
    else groups.set(at, [a]);
  }
  return new Map([...groups].sort((x, y) => x[0] - y[0]));
}
