/**
 * StateReasonData, the JSON twin of a threshold reason. Field order and contents as AWS writes them:
 * `{"version":"1.0","queryDate":"...","startDate":"...","unit":"Seconds","statistic":"Sum","period":300,
 *   "recentDatapoints":[1.0],"threshold":1.0,"evaluatedDatapoints":[{"timestamp":"...","sampleCount":1.0,
 *   "value":1.0}]}`
 *
 * What goes in (readings of recorded samples, see the tests):
 * - `recentDatapoints`: the values of the real evaluated datapoints, oldest first;
 * - `startDate`: the timestamp of the oldest of those; left out when there is none;
 * - `evaluatedDatapoints`: newest first, the datapoints that decided the state: the M most recent breaching
 *   ones for ALARM, the N − M + 1 most recent non-breaching ones for OK, all N for INSUFFICIENT_DATA; a missing
 *   period has only its timestamp;
 * - `unit` only when the alarm has one; `extendedStatistic` in place of `statistic` for percentile alarms (ours).
 */
import type { MetricAlarmConfig } from "../store/types.js";
import { double, type JsonValue, jsonText } from "./json-text.js";
import type { EvaluatedPoint } from "./missing-data.js";
import { dataTimestamp } from "./time-format.js";

/** StateReasonData is at most 4000 characters (API-MA). */
export const MAX_STATE_REASON_DATA = 4000;

export type ReasonDataConfig = Pick<
  MetricAlarmConfig,
  | "unit"
  | "statistic"
  | "extendedStatistic"
  | "period"
  | "threshold"
  | "evaluationPeriods"
  | "datapointsToAlarm"
>;

export function thresholdReasonData(
  config: ReasonDataConfig,
  state: "OK" | "ALARM",
  evaluated: readonly EvaluatedPoint[],
  queryDate: number,
): string {
  const real = evaluated.filter((p) => p.value !== null);
  const n = config.evaluationPeriods;
  const m = config.datapointsToAlarm ?? n;
  const deciding = evaluated.filter((p) => p.breaching === (state === "ALARM")).reverse();
  const chosen = deciding.length > 0 ? deciding : evaluated.slice(-1);
  const wanted = state === "ALARM" ? m : n - m + 1;
  return fittedData(
    config,
    queryDate,
    real.length > 0 ? real[0].timestamp : undefined,
    real.map((p) => p.value as number),
    chosen.slice(0, wanted),
  );
}

/** For INSUFFICIENT_DATA: no values, every period of the last N listed by timestamp (newest first). */
export function insufficientReasonData(
  config: ReasonDataConfig,
  missingTimestamps: readonly number[],
  queryDate: number,
): string {
  const points = missingTimestamps
    .map((timestamp): EvaluatedPoint => ({ timestamp, value: null, breaching: false }))
    .reverse();
  return fittedData(config, queryDate, undefined, [], points);
}

function fittedData(
  config: ReasonDataConfig,
  queryDate: number,
  startDate: number | undefined,
  recent: number[],
  evaluatedNewestFirst: EvaluatedPoint[],
): string {
  let text = dataText(config, queryDate, startDate, recent, evaluatedNewestFirst);
  // Very long windows: drop the oldest entries until the text fits the API limit.
  while (text.length > MAX_STATE_REASON_DATA && (recent.length > 1 || evaluatedNewestFirst.length > 1)) {
    if (recent.length >= evaluatedNewestFirst.length) recent = recent.slice(1);
    else evaluatedNewestFirst = evaluatedNewestFirst.slice(0, -1);
    text = dataText(config, queryDate, startDate, recent, evaluatedNewestFirst);
  }
  return text;
}

function dataText(
  config: ReasonDataConfig,
  queryDate: number,
  startDate: number | undefined,
  recent: readonly number[],
  evaluatedNewestFirst: readonly EvaluatedPoint[],
): string {
  const data: Record<string, JsonValue | undefined> = {
    version: "1.0",
    queryDate: dataTimestamp(queryDate),
    startDate: startDate === undefined ? undefined : dataTimestamp(startDate),
    unit: config.unit,
  };
  if (config.extendedStatistic !== undefined) data.extendedStatistic = config.extendedStatistic;
  else data.statistic = config.statistic;
  data.period = config.period;
  data.recentDatapoints = recent.map(double);
  data.threshold = double(config.threshold);
  data.evaluatedDatapoints = evaluatedNewestFirst.map((p) => ({
    timestamp: dataTimestamp(p.timestamp),
    sampleCount: p.value !== null && p.sampleCount !== undefined ? double(p.sampleCount) : undefined,
    value: p.value === null ? undefined : double(p.value),
  }));
  return jsonText(data);
}
