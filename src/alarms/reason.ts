/**
 * StateReason texts, in the forms AWS writes them (alarms.md §4; every form below is recorded):
 *
 * - `Unchecked: Initial alarm creation`
 * - `Insufficient Data: 1 datapoint was unknown.` / `5 datapoints were unknown.`
 * - with DatapointsToAlarm set (M of N):
 *   `Threshold Crossed: 1 out of the last 1 datapoints [1.0 (28/11/26 12:05:00)] was greater than or equal to the
 *   threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).`
 *   `... 19 missing datapoints were treated as [NonBreaching] (minimum 1 datapoint for OK -> ALARM transition).`
 * - without DatapointsToAlarm (the form AWS still writes for such alarms):
 *   `Threshold Crossed: 3 datapoints [2.0 (19/08/26 05:50:00), 3.0 (...), 1.0 (...)] were greater than the
 *   threshold (0.0).`
 *   `Threshold Crossed: 1 datapoint [2.0 (...)] was not less than or equal to the threshold (0.0) and 7 missing
 *   datapoints were treated as [Breaching].`
 * - no real datapoint: `Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints
 *   were treated as [Breaching].`
 *
 * Datapoints are listed newest first. An ALARM reason lists the breaching real datapoints, an OK reason the
 * non-breaching ones. The "minimum" is M for OK -> ALARM and N − M + 1 for ALARM -> OK (recorded: M = N = 2
 * gives "minimum 1 datapoint for ALARM -> OK transition"); the transition words do not depend on the previous
 * state (AWS writes "OK -> ALARM" when leaving INSUFFICIENT_DATA too).
 */
import { javaDoubleToString } from "../pattern/decimal.js";
import type { ComparisonOperator } from "../store/types.js";
import { operatorWords } from "./comparison.js";
import type { EvaluatedPoint, FillTreatment } from "./missing-data.js";
import { reasonTimestamp } from "./time-format.js";

export { insufficientReasonData, thresholdReasonData } from "./reason-data.js";

export const INITIAL_ALARM_REASON = "Unchecked: Initial alarm creation";

/** StateReason is at most 1023 characters (API-MA). */
export const MAX_STATE_REASON = 1023;

export function insufficientDataReason(evaluationPeriods: number): string {
  return `Insufficient Data: ${countOf(evaluationPeriods, "datapoint")} ${evaluationPeriods === 1 ? "was" : "were"} unknown.`;
}

export interface ThresholdReasonInput {
  state: "OK" | "ALARM";
  /** The points the decision rests on, oldest first (filled points have value null). */
  evaluated: readonly EvaluatedPoint[];
  fill?: { count: number; as: FillTreatment };
  evaluationPeriods: number;
  /** Undefined when the alarm was created without DatapointsToAlarm: AWS then writes the classic form. */
  datapointsToAlarm?: number;
  comparisonOperator: ComparisonOperator;
  threshold: number;
}

export function thresholdReason(input: ThresholdReasonInput): string {
  const real = input.evaluated.filter((p) => p.value !== null);
  const wanted = real.filter((p) => p.breaching === (input.state === "ALARM"));
  // A state can rest on points of the other kind only (OK with a lone, not yet premature breach; ALARM from
  // filled periods beside a real non-breaching point). Those are then listed with the words that fit them.
  const listed = (wanted.length > 0 ? wanted : real).slice().reverse();
  const breachingListed = listed.length > 0 ? listed[0].breaching : input.state === "ALARM";

  const fillText = input.fill
    ? ` and ${countOf(input.fill.count, "missing datapoint")} ${input.fill.count === 1 ? "was" : "were"} treated as [${input.fill.as}]`
    : "";
  // The parenthesis explains the state; when only points of the other kind exist it says what ALARM needs.
  const minimum = minimumText(input, input.state === "ALARM" || (wanted.length === 0 && real.length > 0));

  if (listed.length === 0) {
    const count = input.fill?.count ?? input.evaluationPeriods;
    return fitted(
      `Threshold Crossed: no datapoints were received for ${countOf(count, "period")}${fillText}${minimum}.`,
    );
  }

  const k = listed.length;
  const head =
    input.datapointsToAlarm === undefined
      ? `${countOf(k, "datapoint")}`
      : `${k} out of the last ${input.evaluationPeriods} datapoints`;
  const verb = `${k === 1 ? "was" : "were"} ${breachingListed ? "" : "not "}${operatorWords(input.comparisonOperator)}`;
  const threshold = javaDoubleToString(input.threshold);
  const build = (shown: readonly EvaluatedPoint[]) =>
    `Threshold Crossed: ${head} [${shown.map(pointText).join(", ")}] ${verb} the threshold (${threshold})${fillText}${minimum}.`;

  // Long windows (N up to 1440) would overflow StateReason; the oldest datapoints are the ones left out.
  let shown = listed;
  let text = build(shown);
  while (text.length > MAX_STATE_REASON && shown.length > 1) {
    shown = shown.slice(0, -1);
    text = build(shown);
  }
  return fitted(text);
}

function minimumText(input: ThresholdReasonInput, towardAlarm: boolean): string {
  if (input.datapointsToAlarm === undefined) return "";
  const n = input.evaluationPeriods;
  const m = input.datapointsToAlarm;
  return towardAlarm
    ? ` (minimum ${countOf(m, "datapoint")} for OK -> ALARM transition)`
    : ` (minimum ${countOf(n - m + 1, "datapoint")} for ALARM -> OK transition)`;
}

function pointText(p: EvaluatedPoint): string {
  return `${javaDoubleToString(p.value as number)} (${reasonTimestamp(p.timestamp)})`;
}

function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function fitted(text: string): string {
  return text.length <= MAX_STATE_REASON ? text : text.slice(0, MAX_STATE_REASON);
}
