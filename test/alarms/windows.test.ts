/** Evaluation range and period windows; the low-sample percentile rule; the JSON writer. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { double, jsonText, raw } from "../../src/alarms/json-text.js";
import { minimumSamples, tooFewSamples } from "../../src/alarms/low-sample.js";
import { dataTimestamp, longTimestamp } from "../../src/alarms/time-format.js";
import { alignedEvaluationTime, evaluationRange, periodWindows } from "../../src/alarms/windows.js";

const iso = (ms: number) => new Date(ms).toISOString().slice(11, 19);

describe("evaluation range", () => {
  test("N = 3 fetches 5 periods, as in AWS's example", () =>
    assert.equal(evaluationRange({ evaluationPeriods: 3 }), 5));
  test("N = 1 fetches 3; N = 12 fetches 16; N = 1440 fetches 1920", () => {
    assert.equal(evaluationRange({ evaluationPeriods: 1 }), 3);
    assert.equal(evaluationRange({ evaluationPeriods: 12 }), 16);
    assert.equal(evaluationRange({ evaluationPeriods: 1440 }), 1920);
  });
});

describe("period windows", () => {
  test("period 300 at 12:06:xx reads [12:01, 12:06) last, oldest first", () => {
    const w = periodWindows({ period: 300, evaluationPeriods: 1 }, Date.parse("2026-11-28T12:06:42.123Z"));
    assert.deepEqual(
      w.map((x) => `${iso(x.start)}-${iso(x.end)}`),
      ["11:51:00-11:56:00", "11:56:00-12:01:00", "12:01:00-12:06:00"],
    );
  });
  test("windows follow the evaluation minute, not the clock's five minutes", () => {
    const w = periodWindows({ period: 300, evaluationPeriods: 1 }, Date.parse("2026-11-28T12:07:00.000Z"), 1);
    assert.deepEqual(
      w.map((x) => iso(x.start)),
      ["12:02:00"],
    );
  });
  test("high resolution: 10 s steps", () => {
    const w = periodWindows({ period: 30, evaluationPeriods: 2 }, Date.parse("2026-11-28T12:06:47Z"), 2);
    assert.deepEqual(
      w.map((x) => `${iso(x.start)}-${iso(x.end)}`),
      ["12:05:40-12:06:10", "12:06:10-12:06:40"],
    );
    assert.equal(
      alignedEvaluationTime(20, Date.parse("2026-11-28T12:06:59.999Z")),
      Date.parse("2026-11-28T12:06:50Z"),
    );
  });
  test("a count can be given", () => {
    assert.equal(periodWindows({ period: 60, evaluationPeriods: 3 }, 0, 7).length, 7);
  });
});

describe("low-sample percentiles", () => {
  test("thresholds: p99 → 1000, p99.9 → 10000, p50 → 20, p90 → 100, p10 → 100, p25 → 40", () => {
    assert.equal(minimumSamples("p99"), 1000);
    assert.equal(minimumSamples("p50"), 20);
    assert.equal(minimumSamples("p90"), 100);
    assert.equal(minimumSamples("p10"), 100);
    assert.equal(minimumSamples("p25"), 40);
    assert.equal(minimumSamples("p99.9"), 10000);
    assert.equal(minimumSamples("p99.99"), 100000);
    assert.equal(minimumSamples("p0.5"), 2000);
  });
  test("no minimum for p0, p100, trimmed means or basic statistics", () => {
    for (const s of ["p0", "p100", "tm99", "IQM", undefined])
      assert.equal(minimumSamples(s), undefined, String(s));
  });
  test("p99 with ignore: 999 samples are too few, 1000 are enough", () => {
    const config = { extendedStatistic: "p99", evaluateLowSampleCountPercentile: "ignore" as const };
    assert.equal(tooFewSamples(config, [{ value: 1, sampleCount: 999 }]), true);
    assert.equal(tooFewSamples(config, [{ value: 1, sampleCount: 1000 }]), false);
  });
  test("only with EvaluateLowSampleCountPercentile = ignore", () => {
    const point = [{ value: 1, sampleCount: 10 }];
    assert.equal(
      tooFewSamples({ extendedStatistic: "p99", evaluateLowSampleCountPercentile: "ignore" }, point),
      true,
    );
    assert.equal(
      tooFewSamples({ extendedStatistic: "p99", evaluateLowSampleCountPercentile: "evaluate" }, point),
      false,
    );
    assert.equal(tooFewSamples({ extendedStatistic: "p99" }, point), false);
    assert.equal(
      tooFewSamples({ extendedStatistic: "p99", evaluateLowSampleCountPercentile: "ignore" }, [{ value: 1 }]),
      false,
    );
    assert.equal(
      tooFewSamples({ extendedStatistic: "p99", evaluateLowSampleCountPercentile: "ignore" }, [
        { value: null, sampleCount: 1 },
      ]),
      false,
    );
  });
});

describe("JSON text", () => {
  test("doubles print as Java doubles; integers as integers; undefined members left out", () => {
    assert.equal(
      jsonText({
        a: double(1),
        b: 300,
        c: double(0.5),
        d: double(1e7),
        e: undefined,
        f: [double(-0), null],
        g: 'x"y',
      }),
      '{"a":1.0,"b":300,"c":0.5,"d":1.0E7,"f":[-0.0,null],"g":"x\\"y"}',
    );
  });
  test("raw JSON is embedded as is; non-finite doubles become null", () => {
    assert.equal(jsonText({ r: raw('{"x":1.0}'), n: double(Number.NaN) }), '{"r":{"x":1.0},"n":null}');
  });
  test("timestamps", () => {
    assert.equal(dataTimestamp(Date.parse("2019-10-02T17:04:40.985Z")), "2019-10-02T17:04:40.985+0000");
    assert.equal(longTimestamp(Date.parse("2014-12-05T13:07:19Z")), "Friday 05 December, 2014 13:07:19 UTC");
  });
});
