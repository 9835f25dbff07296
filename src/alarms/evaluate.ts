/**
 * THE metric-alarm evaluator: a pure function of the alarm's configuration, the per-period datapoints of its
 * evaluation range, the evaluation time and the state before. It reads no clock and no store; the caller
 * (the engine's scheduler) fetches `evaluationRange(config)` periods with `periodWindows(config, now)` and
 * writes the result back.
 *
 * Semantics: alarms.md §3 (see missing-data.ts for the algorithm), with two overrides of TreatMissingData:
 * metrics in `AWS/DynamoDB` always behave as `ignore` (API-PMA), and a percentile alarm with
 * `EvaluateLowSampleCountPercentile = ignore` keeps its state while a period has too few samples (§3.4).
 *
 * When the result is to keep the state (`retained`), the previous reason and reason data are returned
 * unchanged: AWS records no state update in that case. When the state value does not change, `changed` is
 * false and the caller should keep the stored reason (AWS's StateReason describes the last transition).
 */
import type { AlarmState, AlarmStateValue, MetricAlarmConfig } from "../store/types.js";
import { tooFewSamples } from "./low-sample.js";
import { type Decision, decideState, type RangePoint } from "./missing-data.js";
import { insufficientDataReason, thresholdReason } from "./reason.js";
import { insufficientReasonData, thresholdReasonData } from "./reason-data.js";

export { evaluationRange, periodWindows } from "./windows.js";

/** One period of the evaluation range: the statistic's value, or null when the period has no data. */
export interface Datapoint {
  /** Start of the period, epoch ms. */
  timestamp: number;
  value: number | null;
  /** Number of raw observations behind the value (for StateReasonData and low-sample percentiles). */
  sampleCount?: number;
}

export type EvaluatedAlarmConfig = Pick<
  MetricAlarmConfig,
  | "namespace"
  | "period"
  | "evaluationPeriods"
  | "datapointsToAlarm"
  | "threshold"
  | "comparisonOperator"
  | "treatMissingData"
  | "statistic"
  | "extendedStatistic"
  | "evaluateLowSampleCountPercentile"
  | "unit"
>;

export type PreviousState = Pick<AlarmState, "stateValue" | "stateReason" | "stateReasonData">;

export interface AlarmEvaluation {
  stateValue: AlarmStateValue;
  stateReason: string;
  stateReasonData?: string;
  /** The state value differs from the previous one: a transition (history item, actions). */
  changed: boolean;
  /** The evaluation kept the previous state, reason and data (ignore, DynamoDB, low samples). */
  retained: boolean;
}

/** AWS/DynamoDB alarms "always ignore missing data even if you choose a different option" (API-PMA). */
export const ALWAYS_IGNORE_NAMESPACE = "AWS/DynamoDB";

/**
 * @param datapoints the evaluation range, oldest first, one entry per period (null value = missing). Fewer
 *   than N entries are padded with missing periods before the oldest.
 * @param now the evaluation time, epoch ms (StateReasonData `queryDate`).
 */
export function evaluateMetricAlarm(
  config: EvaluatedAlarmConfig,
  datapoints: readonly Datapoint[],
  now: number,
  previous: PreviousState,
): AlarmEvaluation {
  const n = config.evaluationPeriods;
  const decision = decisionOf(config, datapoints);
  if (
    decision.kind === "retain" ||
    (decision.kind === "state" && tooFewSamples(config, decision.evaluated))
  ) {
    return { ...previous, changed: false, retained: true };
  }
  if (decision.kind === "insufficient") {
    return result(
      previous,
      "INSUFFICIENT_DATA",
      insufficientDataReason(n),
      insufficientReasonData(config, decision.missing, now),
    );
  }
  const reason = thresholdReason({
    state: decision.state,
    evaluated: decision.evaluated,
    fill: decision.fill,
    evaluationPeriods: n,
    datapointsToAlarm: config.datapointsToAlarm,
    comparisonOperator: config.comparisonOperator,
    threshold: config.threshold,
  });
  return result(
    previous,
    decision.state,
    reason,
    thresholdReasonData(config, decision.state, decision.evaluated, now),
  );
}

/**
 * The state value evaluateMetricAlarm returns, without its reason and reason data: the scheduler calls
 * this first and builds the texts only for a transition (most evaluations change nothing).
 */
export function evaluatedStateValue(
  config: EvaluatedAlarmConfig,
  datapoints: readonly Datapoint[],
  previous: Pick<AlarmState, "stateValue">,
): AlarmStateValue {
  const decision = decisionOf(config, datapoints);
  if (decision.kind === "retain") return previous.stateValue;
  if (decision.kind === "insufficient") return "INSUFFICIENT_DATA";
  return tooFewSamples(config, decision.evaluated) ? previous.stateValue : decision.state;
}

function decisionOf(config: EvaluatedAlarmConfig, datapoints: readonly Datapoint[]): Decision {
  const n = config.evaluationPeriods;
  return decideState({
    points: paddedRange(datapoints, n, config.period),
    evaluationPeriods: n,
    datapointsToAlarm: config.datapointsToAlarm ?? n,
    comparisonOperator: config.comparisonOperator,
    threshold: config.threshold,
    treatMissingData: config.namespace === ALWAYS_IGNORE_NAMESPACE ? "ignore" : config.treatMissingData,
  });
}

function result(
  previous: PreviousState,
  stateValue: AlarmStateValue,
  stateReason: string,
  stateReasonData: string,
): AlarmEvaluation {
  return {
    stateValue,
    stateReason,
    stateReasonData,
    changed: stateValue !== previous.stateValue,
    retained: false,
  };
}

function paddedRange(datapoints: readonly Datapoint[], n: number, period: number): RangePoint[] {
  const points: RangePoint[] = [...datapoints].sort((a, b) => a.timestamp - b.timestamp);
  const oldest = points.length > 0 ? points[0].timestamp : 0;
  const padding = Math.max(0, n - points.length);
  for (let i = 1; i <= padding; i++) points.unshift({ timestamp: oldest - i * period * 1000, value: null });
  return points;
}
