/**
 * ExtendedStatistic in PutMetricAlarm (API-PMA): `p0.0`–`p100`, `tmNN`, `tcNN`, `tsNN`, `wmNN`, `IQM`,
 * `PR(n:m)`, and `TC|TM|TS|WM(X%:X%)` with X between 10 and 90 inclusive. The general syntax is the metrics
 * module's (STAT); the alarm's narrower rule for the parenthesized percentage forms is applied here: only
 * percentages, each bound given within 10–90.
 */
import { parseExtendedStatistic } from "../../metrics/statistics.js";

export function isAlarmExtendedStatistic(text: string): boolean {
  const parsed = parseExtendedStatistic(text);
  if (parsed === undefined) return false;
  if (parsed.kind === "percentile" || parsed.kind === "PR" || !text.includes("(")) return true;
  if (parsed.bounds !== "percent") return false;
  return [parsed.lower, parsed.upper].every((b) => b === undefined || (b >= 10 && b <= 90));
}

/** Only `pNN` is a percentile for EvaluateLowSampleCountPercentile and DescribeAlarmsForMetric. */
export function isPercentile(text: string): boolean {
  return parseExtendedStatistic(text)?.kind === "percentile";
}
