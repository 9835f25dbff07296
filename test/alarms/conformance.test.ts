/**
 * Every documented alarm-evaluation case in ../shared/conformance/alarm-evaluation*.jsonl, as a test: 100% is
 * the bar. Rows marked `inferred` (our readings of the docs, not AWS's tables) run as a report that does not
 * fail.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  type Datapoint,
  type EvaluatedAlarmConfig,
  evaluateMetricAlarm,
  periodWindows,
} from "../../src/alarms/evaluate.js";
import type { AlarmStateValue, ComparisonOperator, TreatMissingData } from "../../src/store/types.js";
import { readJsonLines, SHARED, sharedAvailable } from "../helpers/shared.js";

interface Row {
  id: string;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  comparison: ComparisonOperator;
  threshold: number;
  treatMissingData: TreatMissingData;
  datapoints: (number | null)[];
  evaluationRange: number;
  previousState: AlarmStateValue;
  expectedState: AlarmStateValue;
  expectedStateNot?: AlarmStateValue;
  namespace?: string;
  statistic?: "Sum";
  extendedStatistic?: string;
  evaluateLowSampleCountPercentile?: "evaluate" | "ignore";
  sampleCounts?: number[];
  inferred?: boolean;
}

interface DocRow {
  id: string;
  datapointsToAlarm: number;
  evaluationPeriods: number;
  evaluationRange: number;
  datapoints: ("X" | "0" | null)[];
  treatMissingData: TreatMissingData;
  expectedState: AlarmStateValue | "RETAIN" | "NOT_ALARM";
}

const NOW = Date.UTC(2026, 10, 28, 12, 6, 30);

function stateFor(row: Row): AlarmStateValue {
  const config: EvaluatedAlarmConfig = {
    namespace: row.namespace ?? "CloudTrailMetrics",
    period: row.period,
    evaluationPeriods: row.evaluationPeriods,
    datapointsToAlarm: row.datapointsToAlarm,
    threshold: row.threshold,
    comparisonOperator: row.comparison,
    treatMissingData: row.treatMissingData,
    statistic: row.extendedStatistic ? undefined : (row.statistic ?? "Sum"),
    extendedStatistic: row.extendedStatistic,
    evaluateLowSampleCountPercentile: row.evaluateLowSampleCountPercentile,
  };
  assert.equal(row.datapoints.length, row.evaluationRange, "the row's range is its datapoints");
  const windows = periodWindows(config, NOW, row.evaluationRange);
  const datapoints: Datapoint[] = windows.map((w, i) => ({
    timestamp: w.start,
    value: row.datapoints[i],
    sampleCount: row.sampleCounts?.[i] ?? (row.datapoints[i] === null ? undefined : 1),
  }));
  const previous = { stateValue: row.previousState, stateReason: `previous reason (${row.previousState})` };
  const result = evaluateMetricAlarm(config, datapoints, NOW, previous);
  if (result.retained) {
    assert.equal(result.stateReason, previous.stateReason, "a retained state keeps its reason");
    assert.equal(result.changed, false);
  }
  assert.equal(result.changed, result.stateValue !== row.previousState);
  return result.stateValue;
}

function docRowAsRow(row: DocRow, previousState: AlarmStateValue): Row {
  return {
    id: row.id,
    period: 300,
    evaluationPeriods: row.evaluationPeriods,
    datapointsToAlarm: row.datapointsToAlarm,
    comparison: "GreaterThanThreshold",
    threshold: 5,
    treatMissingData: row.treatMissingData,
    datapoints: row.datapoints.map((d) => (d === null ? null : d === "X" ? 10 : 0)),
    evaluationRange: row.evaluationRange,
    previousState,
    expectedState: "OK",
  };
}

const available = sharedAvailable();
const conformance = join(SHARED, "conformance");

describe("documented alarm evaluations (alarm-evaluation.jsonl)", {
  skip: !available && "../shared is not beside the checkout",
}, () => {
  const rows = available ? readJsonLines<Row>(join(conformance, "alarm-evaluation.jsonl")) : [];
  const documented = rows.filter((r) => !r.inferred);
  test("the table is there", () => assert.ok(documented.length >= 40));
  for (const row of documented) {
    test(`${row.id}: [${row.datapoints.map((d) => (d === null ? "-" : d)).join(" ")}] ${row.treatMissingData} M${row.datapointsToAlarm}/N${row.evaluationPeriods}, was ${row.previousState}`, () => {
      const got = stateFor(row);
      assert.equal(got, row.expectedState);
      if (row.expectedStateNot) assert.notEqual(got, row.expectedStateNot);
    });
  }
});

describe("AWS's tables in the second notation (alarm-evaluation.doc-tables.jsonl)", {
  skip: !available && "../shared is not beside the checkout",
}, () => {
  const rows = available ? readJsonLines<DocRow>(join(conformance, "alarm-evaluation.doc-tables.jsonl")) : [];
  test("the table is there", () => assert.ok(rows.length >= 40));
  for (const row of rows) {
    test(`${row.id}: ${row.expectedState}`, () => {
      if (row.expectedState === "RETAIN") {
        for (const before of ["OK", "ALARM", "INSUFFICIENT_DATA"] as const) {
          assert.equal(stateFor(docRowAsRow(row, before)), before, `retains ${before}`);
        }
      } else if (row.expectedState === "NOT_ALARM") {
        assert.notEqual(stateFor(docRowAsRow(row, "OK")), "ALARM");
      } else {
        // The documented state does not depend on the state before: check it from both sides.
        for (const before of ["OK", "ALARM"] as const) {
          assert.equal(stateFor(docRowAsRow(row, before)), row.expectedState, `from ${before}`);
        }
      }
    });
  }
});

describe("inferred alarm evaluations: report only", {
  skip: !available && "../shared is not beside the checkout",
}, () => {
  test("disagreements are listed, not failed", (t) => {
    const rows = readJsonLines<Row>(join(conformance, "alarm-evaluation.jsonl")).filter((r) => r.inferred);
    const disagreements: string[] = [];
    for (const row of rows) {
      const got = stateFor(row);
      if (got !== row.expectedState || (row.expectedStateNot !== undefined && got === row.expectedStateNot)) {
        disagreements.push(`${row.id}: expected ${row.expectedState}, got ${got}`);
      }
    }
    t.diagnostic(`${rows.length - disagreements.length} of ${rows.length} inferred rows agree`);
    for (const d of disagreements) t.diagnostic(d);
  });
});
