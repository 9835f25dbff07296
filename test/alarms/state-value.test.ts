/**
 * The scheduler's fast path (evaluatedStateValue: the state without reason texts) must always give
 * evaluateMetricAlarm's state. Checked on generated ranges covering every operator, missing-data treatment,
 * M of N and the premature-alarm shapes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { decidedStateValue } from "../../src/alarms/decided-state.js";
import {
  type EvaluatedAlarmConfig,
  evaluatedStateValue,
  evaluateMetricAlarm,
} from "../../src/alarms/evaluate.js";
import type { AlarmStateValue, ComparisonOperator, TreatMissingData } from "../../src/store/types.js";
import { rng } from "../helpers/random.js";

const OPS: ComparisonOperator[] = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
];
const MISSING: TreatMissingData[] = ["missing", "ignore", "breaching", "notBreaching"];
const STATES: AlarmStateValue[] = ["OK", "ALARM", "INSUFFICIENT_DATA"];

test("evaluatedStateValue agrees with evaluateMetricAlarm on 20,000 generated evaluations", () => {
  const r = rng(42);
  for (let i = 0; i < 20_000; i++) {
    const n = 1 + r.int(5);
    const config: EvaluatedAlarmConfig = {
      namespace: r.chance(0.05) ? "AWS/DynamoDB" : "CloudTrailMetrics",
      period: r.pick([10, 60, 300]),
      evaluationPeriods: n,
      datapointsToAlarm: r.chance(0.5) ? 1 + r.int(n) : undefined,
      threshold: r.pick([0, 1, 5]),
      comparisonOperator: r.pick(OPS),
      treatMissingData: r.pick(MISSING),
      statistic: "Sum",
    };
    const length = n + r.int(4);
    const points = Array.from({ length }, (_, k) => ({
      timestamp: k * config.period * 1000,
      value: r.chance(0.4) ? null : r.pick([0, 1, 2, 5, 10]),
      sampleCount: 1,
    }));
    const previous = { stateValue: r.pick(STATES), stateReason: "x" };
    const full = evaluateMetricAlarm(config, points, length * config.period * 1000, previous);
    assert.equal(
      evaluatedStateValue(config, points, previous),
      full.stateValue,
      JSON.stringify({ config, points, previous }),
    );
    // The allocation-free path the scheduler runs gives the same state.
    assert.equal(
      decidedStateValue(config, points, previous.stateValue),
      full.stateValue,
      `decidedStateValue: ${JSON.stringify({ config, points, previous })}`,
    );
  }
});

test("decidedStateValue leaves to the full evaluation what only it can tell", () => {
  const config: EvaluatedAlarmConfig = {
    namespace: "N",
    period: 60,
    evaluationPeriods: 3,
    threshold: 1,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "missing",
    statistic: "Sum",
  };
  const point = (value: number | null) => ({ timestamp: 0, value, sampleCount: 1 });
  // A range shorter than N is padded by the full evaluation.
  assert.equal(decidedStateValue(config, [point(5)], "OK"), undefined);
  // A percentile alarm whose low-sample rule may keep the state.
  const p99: EvaluatedAlarmConfig = {
    ...config,
    statistic: undefined,
    extendedStatistic: "p99",
    evaluateLowSampleCountPercentile: "ignore" as const,
  };
  assert.equal(decidedStateValue(p99, [point(5), point(5), point(5)], "OK"), undefined);
  assert.equal(
    decidedStateValue(
      { ...p99, evaluateLowSampleCountPercentile: "evaluate" as const },
      [point(5), point(5), point(5)],
      "OK",
    ),
    "ALARM",
  );
});
