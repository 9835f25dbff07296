/**
 * Every statistic on small data computed by hand, the extended-statistic syntax (valid and invalid), and
 * the cases where extended statistics are unavailable.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AggregateAccumulator, metricId } from "../../src/metrics/aggregate.js";
import {
  basicStatistic,
  extendedStatistic,
  type PeriodSummary,
  parseExtendedStatistic,
  STATISTICS,
  statisticValue,
  summarize,
} from "../../src/metrics/statistics.js";
import type { MetricAggregate } from "../../src/store/types.js";

const M = metricId("App", "Latency");
const T0 = Date.UTC(2024, 0, 1, 12, 0);

/** The values spread over minutes (so summarize really merges several aggregates). */
function aggregates(values: number[]): MetricAggregate[] {
  const acc = new AggregateAccumulator();
  values.forEach((v, k) => {
    acc.addValue(M, { timestamp: T0 + (k % 3) * 60_000, unit: "Milliseconds" }, v);
  });
  return acc.drain();
}

function summaryOf(values: number[]): PeriodSummary {
  return summarize(aggregates(values))!;
}

function stat(summary: PeriodSummary, text: string): number | undefined {
  return statisticValue(summary, text);
}

const ONE_TO_TEN = summaryOf([7, 3, 10, 1, 5, 2, 9, 4, 8, 6]);

describe("basic statistics", () => {
  test("1..10", () => {
    assert.equal(ONE_TO_TEN.sketch === undefined, false);
    assert.deepEqual(
      STATISTICS.map((s) => basicStatistic(ONE_TO_TEN, s)),
      [10, 5.5, 55, 1, 10],
    );
  });

  test("a statistic set without known values still gives the basic statistics", () => {
    const acc = new AggregateAccumulator();
    acc.addStatisticSet(M, { timestamp: T0, unit: "None" }, { sampleCount: 4, sum: 10, min: 1, max: 4 });
    acc.addValue(M, { timestamp: T0, unit: "None" }, 20);
    const s = summarize(acc.drain())!;
    assert.deepEqual(
      STATISTICS.map((x) => basicStatistic(s, x)),
      [5, 6, 30, 1, 20],
    );
    assert.equal(s.sketch, undefined);
    assert.equal(stat(s, "p50"), undefined);
    assert.equal(stat(s, "TC(0:100)"), undefined);
  });

  test("no aggregates, no summary", () => {
    assert.equal(summarize([]), undefined);
  });
});

describe("extended statistics on 1..10, by hand", () => {
  const cases: [string, number][] = [
    ["p0", 1],
    ["p10", 1], // rank ⌈1⌉ = 1
    ["p11", 2], // rank ⌈1.1⌉ = 2
    ["p50", 5],
    ["p90", 9],
    ["p95", 10], // rank ⌈9.5⌉ = 10
    ["p100", 10],
    ["tm90", 5], // ranks 1..9: 45 / 9
    ["TM(:90%)", 5],
    ["TM(10%:90%)", 5.5], // ranks 2..9: 44 / 8
    ["IQM", 6], // TM(25%:75%): ranks ⌈2.5⌉=3 < r ≤ ⌈7.5⌉=8 → 4..8: 30 / 5
    ["TM(2:8)", 5.5], // 2 < v ≤ 8 → 3..8: 33 / 6
    ["TM(:5)", 3], // v ≤ 5: 15 / 5
    ["tc90", 9],
    ["TC(10%:90%)", 8],
    ["TC(2:8)", 6],
    ["TC(0.005:0.030)", 0],
    ["ts90", 45],
    ["TS(10%:90%)", 44],
    ["TS(80%:)", 19], // ranks 9, 10
    ["wm90", 5.4], // (1..9 + 9) / 10
    ["WM(10%:90%)", 5.5], // (2 + 2..9 + 9) / 10
    ["WM(2:8)", 5.3], // (2·2 + 3..8 + 2·8) / 10
    ["PR(:3)", 30],
    ["PR(3:7)", 40],
    ["PR(10:)", 0],
    ["PR(0:)", 100],
  ];
  for (const [text, expected] of cases) {
    test(`${text} = ${expected}`, () => {
      const got = stat(ONE_TO_TEN, text);
      assert.ok(got !== undefined && Math.abs(got - expected) < 1e-12, `${text}: ${got}`);
    });
  }
});

describe("extended statistics with ties and edges", () => {
  const TIES = summaryOf([1, 1, 1, 1, 100]);

  test("ties", () => {
    assert.equal(stat(TIES, "p50"), 1);
    assert.equal(stat(TIES, "p80"), 1);
    assert.equal(stat(TIES, "p81"), 100);
    assert.equal(stat(TIES, "tm80"), 1);
    assert.equal(stat(TIES, "TM(1:100)"), 100); // the lower bound is exclusive
    assert.equal(stat(TIES, "PR(:1)"), 80);
    assert.equal(stat(TIES, "WM(:80%)"), 1);
  });

  test("an empty kept range: TM and WM undefined, TC and TS zero", () => {
    assert.equal(stat(ONE_TO_TEN, "TM(20:30)"), undefined);
    assert.equal(stat(ONE_TO_TEN, "TC(20:30)"), 0);
    assert.equal(stat(ONE_TO_TEN, "TS(20:30)"), 0);
    assert.equal(stat(ONE_TO_TEN, "tm0"), undefined);
    // With value bounds, winsorizing still has its bounds to clamp to.
    assert.equal(stat(ONE_TO_TEN, "WM(20:30)"), 20);
  });

  test("any negative value in the period makes every extended statistic undefined", () => {
    const s = summaryOf([5, -1, 3]);
    assert.equal(basicStatistic(s, "Sum"), 7);
    for (const text of ["p50", "tm90", "IQM", "WM(10%:90%)", "TC(0:10)", "TS(0:10)", "PR(:3)"]) {
      assert.equal(stat(s, text), undefined, text);
    }
  });

  test("a statistic set whose values are known keeps percentiles (Min = Max, Sum = Min × SampleCount)", () => {
    const acc = new AggregateAccumulator();
    acc.addStatisticSet(M, { timestamp: T0, unit: "None" }, { sampleCount: 3, sum: 6, min: 2, max: 2 });
    acc.addValue(M, { timestamp: T0, unit: "None" }, 10);
    const s = summarize(acc.drain())!;
    assert.equal(stat(s, "p75"), 2);
    assert.equal(stat(s, "p100"), 10);
  });

  test("statisticValue refuses what is not a statistic", () => {
    assert.throws(() => stat(ONE_TO_TEN, "Median"), RangeError);
  });

  test("a parsed statistic computes like its text", () => {
    const parsed = parseExtendedStatistic("TM(10%:90%)")!;
    assert.equal(extendedStatistic(ONE_TO_TEN, parsed), 5.5);
  });
});

describe("extended-statistic syntax", () => {
  const valid: [string, unknown][] = [
    ["p0", { kind: "percentile", percent: 0 }],
    ["p0.0", { kind: "percentile", percent: 0 }],
    ["p50", { kind: "percentile", percent: 50 }],
    ["p99.9", { kind: "percentile", percent: 99.9 }],
    ["p99.99", { kind: "percentile", percent: 99.99 }],
    ["p95.4567891234", { kind: "percentile", percent: 95.4567891234 }],
    ["p100", { kind: "percentile", percent: 100 }],
    ["p100.0", { kind: "percentile", percent: 100 }],
    ["tm99", { kind: "TM", bounds: "percent", lower: undefined, upper: 99 }],
    ["tm0", { kind: "TM", bounds: "percent", lower: undefined, upper: 0 }],
    ["wm98", { kind: "WM", bounds: "percent", lower: undefined, upper: 98 }],
    ["tc90", { kind: "TC", bounds: "percent", lower: undefined, upper: 90 }],
    ["ts90.5", { kind: "TS", bounds: "percent", lower: undefined, upper: 90.5 }],
    ["IQM", { kind: "TM", bounds: "percent", lower: 25, upper: 75 }],
    ["TM(10%:90%)", { kind: "TM", bounds: "percent", lower: 10, upper: 90 }],
    ["TM(:95%)", { kind: "TM", bounds: "percent", lower: undefined, upper: 95 }],
    ["TM(10%:)", { kind: "TM", bounds: "percent", lower: 10, upper: undefined }],
    ["TM(0%:100%)", { kind: "TM", bounds: "percent", lower: 0, upper: 100 }],
    ["TM(150:1000)", { kind: "TM", bounds: "absolute", lower: 150, upper: 1000 }],
    ["TM(:0.5)", { kind: "TM", bounds: "absolute", lower: undefined, upper: 0.5 }],
    ["TM(-5:5)", { kind: "TM", bounds: "absolute", lower: -5, upper: 5 }],
    ["TC(0.005:0.030)", { kind: "TC", bounds: "absolute", lower: 0.005, upper: 0.03 }],
    ["TS(80%:)", { kind: "TS", bounds: "percent", lower: 80, upper: undefined }],
    ["WM(10%:90%)", { kind: "WM", bounds: "percent", lower: 10, upper: 90 }],
    ["PR(:300)", { kind: "PR", lower: undefined, upper: 300 }],
    ["PR(100:2000)", { kind: "PR", lower: 100, upper: 2000 }],
    ["PR(100:)", { kind: "PR", lower: 100, upper: undefined }],
  ];
  for (const [text, expected] of valid) {
    test(`valid: ${text}`, () => {
      assert.deepEqual(parseExtendedStatistic(text), { text, ...(expected as object) });
    });
  }

  const invalid = [
    "",
    "p",
    "P99",
    "p101",
    "p100.1",
    "p-1",
    "p.5",
    "p99.",
    "p99.12345678901",
    " p99",
    "p99 ",
    "tm",
    "TM99",
    "Tm99",
    "tm101",
    "tm(10%:90%)",
    "iqm",
    "Iqm",
    "IQM ",
    "TM()",
    "TM(:)",
    "TM(10%)",
    "TM(90%:10%)",
    "TM(50%:50%)",
    "TM(10%:500)",
    "TM(10:90%)",
    "TM(%:90%)",
    "TM(0%:101%)",
    "TM(10%:90%",
    "TM[10%:90%]",
    "TM(1e3:2e3)",
    "TM(5:5)",
    "PR(10%:90%)",
    "PR(:)",
    "PR(5:5)",
    "PR(9:1)",
    "pr(:300)",
    "XX(1:2)",
    "Average",
    "SampleCount",
  ];
  for (const text of invalid) {
    test(`invalid: ${JSON.stringify(text)}`, () => {
      assert.equal(parseExtendedStatistic(text), undefined);
    });
  }
});

describe("large periods use the histogram and stay within 1%", () => {
  test("p99 and tm99 of 100,000 values", () => {
    const values = Array.from({ length: 100_000 }, (_, k) => 1 + (k % 5000) * 0.37);
    const s = summaryOf(values);
    const sorted = [...values].sort((a, b) => a - b);
    const p99 = sorted[Math.ceil(0.99 * sorted.length) - 1];
    const kept = sorted.slice(0, Math.ceil(0.99 * sorted.length));
    const tm99 = kept.reduce((a, b) => a + b, 0) / kept.length;
    assert.ok(Math.abs(stat(s, "p99")! - p99) / p99 <= 0.01);
    assert.ok(Math.abs(stat(s, "tm99")! - tm99) / tm99 <= 0.01);
    assert.equal(stat(s, "tc99"), kept.length);
  });
});
