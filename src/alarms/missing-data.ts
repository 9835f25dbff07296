/**
 * The state decision of a metric alarm over its evaluation range: alarms.md §3.3, the reconstructed algorithm
 * that reproduces every cell of AWS's two missing-data tables and the premature-alarm examples.
 *
 * Points p[0..R-1] oldest first; "real" = not missing; age of p[i] = R − i.
 *   1. the last N points are all real        → M of those N breaching ? ALARM : OK
 *   2. at least N real points in the range   → M of the N most recent real points ? ALARM : OK
 *   3. fewer than N real points (fill = N − |real|):
 *      breaching     → #breaching(real) + fill ≥ M ? ALARM : OK
 *      notBreaching  → #breaching(real) ≥ M ? ALARM : OK
 *      missing/ignore with no real point → INSUFFICIENT_DATA / keep the state
 *      premature (every real point breaches, one lies in the last N, and the oldest real point in the last N
 *      is at least M old) → ALARM / keep the state
 *      otherwise     → #breaching(real) ≥ M ? ALARM : OK
 */
import type { ComparisonOperator, TreatMissingData } from "../store/types.js";
import { breaches } from "./comparison.js";

export interface RangePoint {
  timestamp: number;
  /** null = no data in that period. */
  value: number | null;
  sampleCount?: number;
}

/** A point the decision rests on. `value` null = a missing period filled by TreatMissingData. */
export interface EvaluatedPoint extends RangePoint {
  breaching: boolean;
}

export type FillTreatment = "Breaching" | "NonBreaching";

export type Decision =
  | {
      kind: "state";
      state: "OK" | "ALARM";
      /** Oldest first. */
      evaluated: EvaluatedPoint[];
      /** Missing periods counted as breaching / not breaching (rule 3 with breaching or notBreaching). */
      fill?: { count: number; as: FillTreatment };
    }
  | { kind: "insufficient" /** The last N periods, all missing, oldest first. */; missing: number[] }
  | { kind: "retain" };

export interface DecisionInput {
  /** The evaluation range, oldest first, at least N long. */
  points: readonly RangePoint[];
  evaluationPeriods: number;
  datapointsToAlarm: number;
  comparisonOperator: ComparisonOperator;
  threshold: number;
  treatMissingData: TreatMissingData;
}

export function decideState(input: DecisionInput): Decision {
  const { points, evaluationPeriods: n, datapointsToAlarm: m } = input;
  const judge = (p: RangePoint): EvaluatedPoint => ({
    ...p,
    breaching: p.value !== null && breaches(p.value, input.comparisonOperator, input.threshold),
  });
  const byCount = (evaluated: EvaluatedPoint[]): "OK" | "ALARM" =>
    evaluated.filter((p) => p.breaching).length >= m ? "ALARM" : "OK";

  const r = points.length;
  const lastN = points.slice(r - n);
  const real = points.filter((p) => p.value !== null);

  if (lastN.every((p) => p.value !== null)) {
    const evaluated = lastN.map(judge);
    return { kind: "state", state: byCount(evaluated), evaluated };
  }
  if (real.length >= n) {
    const evaluated = real.slice(real.length - n).map(judge);
    return { kind: "state", state: byCount(evaluated), evaluated };
  }

  const fill = n - real.length;
  const judgedReal = real.map(judge);
  const realBreaching = judgedReal.filter((p) => p.breaching).length;

  if (input.treatMissingData === "breaching" || input.treatMissingData === "notBreaching") {
    const asBreaching = input.treatMissingData === "breaching";
    // "Filled points are used as few times as possible": the newest missing periods, so that the reason and
    // StateReasonData name the periods that actually lacked data most recently.
    const filled = points
      .filter((p) => p.value === null)
      .slice(-fill)
      .map((p): EvaluatedPoint => ({ timestamp: p.timestamp, value: null, breaching: asBreaching }));
    const evaluated = [...judgedReal, ...filled].sort((a, b) => a.timestamp - b.timestamp);
    const breachingCount = realBreaching + (asBreaching ? fill : 0);
    return {
      kind: "state",
      state: breachingCount >= m ? "ALARM" : "OK",
      evaluated,
      fill: { count: fill, as: asBreaching ? "Breaching" : "NonBreaching" },
    };
  }

  // missing or ignore
  if (real.length === 0) {
    if (input.treatMissingData === "ignore") return { kind: "retain" };
    return { kind: "insufficient", missing: lastN.map((p) => p.timestamp) };
  }
  if (isPremature(points, n, m, judgedReal)) {
    if (input.treatMissingData === "ignore") return { kind: "retain" };
    return { kind: "state", state: "ALARM", evaluated: judgedReal };
  }
  return { kind: "state", state: realBreaching >= m ? "ALARM" : "OK", evaluated: judgedReal };
}

/**
 * AL "Avoiding premature transitions to alarm state": `- - X - -` (N = M = 3) and `- - - X -` (N = 3, M = 2)
 * alarm although fewer than M points breach, because the breach is old enough that M periods have passed.
 */
function isPremature(
  points: readonly RangePoint[],
  n: number,
  m: number,
  judgedReal: readonly EvaluatedPoint[],
): boolean {
  if (!judgedReal.every((p) => p.breaching)) return false;
  const r = points.length;
  for (let i = r - n; i < r; i++) {
    // The oldest real point in the last N decides: its age is R − i.
    if (points[i].value !== null) return r - i >= m;
  }
  return false;
}
