/** Series keys, buckets, mergeAggregate and the accumulator. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AggregateAccumulator,
  aggregateKey,
  bucketStart,
  mergeAggregate,
  metricId,
  seriesKey,
  statisticSetValues,
} from "../../src/metrics/aggregate.js";
import { Sketch } from "../../src/metrics/sketch.js";
import { mergeSketch, sketchOf } from "../../src/metrics/sketch-codec.js";
import type { MetricAggregate } from "../../src/store/types.js";
import { rng } from "../helpers/random.js";

const T = Date.UTC(2024, 2, 1, 10, 15, 42, 500);
const MINUTE = Date.UTC(2024, 2, 1, 10, 15);

describe("series identity", () => {
  test("dimensions are sorted by Name, whatever order they come in", () => {
    const a = metricId("NS", "M", [
      { Name: "b", Value: "2" },
      { Name: "a", Value: "1" },
    ]);
    const b = metricId("NS", "M", { a: "1", b: "2" });
    assert.deepEqual(a, b);
    assert.deepEqual(
      a.dimensions.map((d) => d.Name),
      ["a", "b"],
    );
    assert.equal(seriesKey({ ...a, dimensions: [...a.dimensions].reverse() }), seriesKey(b));
  });

  test("keys differ for any difference, and no characters make two series collide", () => {
    const keys = [
      seriesKey(metricId("NS", "M")),
      seriesKey(metricId("NS", "M", { a: "1" })),
      seriesKey(metricId("NS", "M", { a: "2" })),
      seriesKey(metricId("NS", "M2")),
      seriesKey(metricId("NS2", "M")),
      seriesKey(metricId("N", "S|M")),
      seriesKey(metricId("N|S", "M")),
      seriesKey(metricId("NS", "M", { 'a","b': "1" })),
      seriesKey(metricId("NS", "M", { a: '","b' })),
      seriesKey(metricId("NS", "M", { B: "1" })),
      seriesKey(metricId("NS", "M", { b: "1" })),
    ];
    assert.equal(new Set(keys).size, keys.length);
  });

  test("buckets are epoch-aligned minutes or seconds", () => {
    assert.equal(bucketStart(T, 60), MINUTE);
    assert.equal(bucketStart(T, 1), Date.UTC(2024, 2, 1, 10, 15, 42));
    assert.equal(bucketStart(MINUTE, 60), MINUTE);
  });
});

describe("statistic sets", () => {
  test("only sets whose values are determined stand for values", () => {
    assert.deepEqual(statisticSetValues({ sampleCount: 1, sum: 5, min: 5, max: 5 }), { value: 5, count: 1 });
    assert.deepEqual(statisticSetValues({ sampleCount: 4, sum: 8, min: 2, max: 2 }), { value: 2, count: 4 });
    assert.equal(statisticSetValues({ sampleCount: 4, sum: 9, min: 2, max: 2 }), undefined);
    assert.equal(statisticSetValues({ sampleCount: 2, sum: 5, min: 1, max: 4 }), undefined);
  });
});

function agg(values: number[], extra: Partial<MetricAggregate> = {}): MetricAggregate {
  return {
    metric: metricId("NS", "M", { a: "1" }),
    timestamp: MINUTE,
    resolution: 60,
    unit: "Count",
    sampleCount: values.length,
    sum: values.reduce((x, y) => x + y, 0),
    min: Math.min(...values),
    max: Math.max(...values),
    sketch: sketchOf(values),
    ...extra,
  };
}

describe("mergeAggregate", () => {
  test("adds counts and sums, widens extremes, merges sketches", () => {
    const m = mergeAggregate(agg([1, 5]), agg([3, 9, 2]));
    assert.equal(m.sampleCount, 5);
    assert.equal(m.sum, 20);
    assert.equal(m.min, 1);
    assert.equal(m.max, 9);
    assert.deepEqual(m.sketch, sketchOf([1, 5, 3, 9, 2]));
  });

  test("a side without a sketch leaves the result without one", () => {
    assert.equal(mergeAggregate(agg([1]), agg([2], { sketch: undefined })).sketch, undefined);
    assert.equal(mergeAggregate(agg([1], { sketch: undefined }), agg([2])).sketch, undefined);
  });

  test("refuses aggregates of different buckets", () => {
    assert.throws(() => mergeAggregate(agg([1]), agg([1], { unit: "Bytes" })), /different buckets/);
    assert.throws(
      () => mergeAggregate(agg([1]), agg([1], { timestamp: MINUTE + 60_000 })),
      /different buckets/,
    );
    assert.throws(() => mergeAggregate(agg([1]), agg([1], { resolution: 1 })), /different buckets/);
    assert.throws(
      () => mergeAggregate(agg([1]), agg([1], { metric: metricId("NS", "M", { a: "2" }) })),
      /different buckets/,
    );
  });

  test("associative and commutative in results on random aggregates", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const parts = [0, 1, 2].map(() => Array.from({ length: 1 + r.int(200) }, () => r.int(1000)));
      const [a, b, c] = parts.map((p) => agg(p));
      const x = mergeAggregate(mergeAggregate(a, b), c);
      const y = mergeAggregate(c, mergeAggregate(b, a));
      assert.deepEqual(x, y, `seed ${seed}`);
      assert.deepEqual(x.sketch, sketchOf(parts.flat()));
    }
  });

  test("aggregateKey names the bucket", () => {
    assert.equal(aggregateKey(agg([1])), aggregateKey(agg([7, 8])));
    assert.notEqual(aggregateKey(agg([1])), aggregateKey(agg([1], { unit: "None" })));
  });
});

describe("AggregateAccumulator", () => {
  test("values, counts and samples fold into one aggregate per series, minute and unit", () => {
    const acc = new AggregateAccumulator();
    const m = metricId("NS", "M", { a: "1" });
    acc.addValue(m, { timestamp: T, unit: "Count" }, 1);
    acc.addValues(m, { timestamp: T + 1000, unit: "Count" }, [2, 10], [3, 1]);
    acc.addSample(
      { namespace: "NS", metricName: "M", value: 4, unit: "Count", dimensions: { a: "1" } },
      T + 2000,
    );
    acc.addValue(m, { timestamp: T, unit: "Bytes" }, 7);
    acc.addValue(m, { timestamp: T + 60_000, unit: "Count" }, 5);
    acc.addValue(m, { timestamp: T, unit: "Count", resolution: 1 }, 6);
    assert.equal(acc.size, 4);
    const out = acc.drain();
    assert.equal(acc.size, 0);
    const minute = out.find((a) => a.unit === "Count" && a.timestamp === MINUTE && a.resolution === 60)!;
    assert.equal(minute.sampleCount, 6); // 1 + 3 + 1 + 1
    assert.equal(minute.sum, 1 + 6 + 10 + 4);
    assert.equal(minute.min, 1);
    assert.equal(minute.max, 10);
    const sketch = Sketch.deserialize(minute.sketch!);
    assert.equal(sketch.count, 6);
    assert.equal(sketch.quantile(0.5), 2);
    const second = out.find((a) => a.resolution === 1)!;
    assert.equal(second.timestamp, Date.UTC(2024, 2, 1, 10, 15, 42));
    assert.ok(out.some((a) => a.unit === "Bytes" && a.sum === 7));
    assert.ok(out.some((a) => a.timestamp === MINUTE + 60_000 && a.sum === 5));
  });

  test("a zero count adds nothing", () => {
    const acc = new AggregateAccumulator();
    acc.addValues(metricId("NS", "M"), { timestamp: T, unit: "None" }, [1, 2], [0, 0]);
    assert.deepEqual(acc.drain(), []);
  });

  test("a statistic set of unknown values drops the sketch for its bucket only", () => {
    const acc = new AggregateAccumulator();
    const m = metricId("NS", "M");
    acc.addValue(m, { timestamp: T, unit: "None" }, 1);
    acc.addStatisticSet(m, { timestamp: T, unit: "None" }, { sampleCount: 2, sum: 5, min: 1, max: 4 });
    acc.addValue(m, { timestamp: T, unit: "None" }, 3);
    acc.addValue(m, { timestamp: T + 60_000, unit: "None" }, 3);
    const [first, second] = acc.drain();
    assert.equal(first.sketch, undefined);
    assert.equal(first.sampleCount, 4);
    assert.equal(first.sum, 9);
    assert.ok(second.sketch !== undefined);
  });

  test("aggregates from elsewhere merge in, and must sit on bucket starts", () => {
    const acc = new AggregateAccumulator();
    acc.addAggregate(agg([1, 2]));
    acc.addAggregate(agg([3]));
    const [only] = acc.drain();
    assert.equal(only.sampleCount, 3);
    assert.deepEqual(only.sketch, sketchOf([1, 2, 3]));
    assert.throws(() => acc.addAggregate(agg([1], { timestamp: MINUTE + 5 })), /bucket start/);
  });

  test("drain orders by series, then time", () => {
    const acc = new AggregateAccumulator();
    acc.addValue(metricId("NS", "b"), { timestamp: T + 120_000, unit: "None" }, 1);
    acc.addValue(metricId("NS", "b"), { timestamp: T, unit: "None" }, 1);
    acc.addValue(metricId("NS", "a"), { timestamp: T + 60_000, unit: "None" }, 1);
    assert.deepEqual(
      acc.drain().map((a) => [a.metric.metricName, a.timestamp - MINUTE]),
      [
        ["a", 60_000],
        ["b", 0],
        ["b", 120_000],
      ],
    );
  });
});

describe("sketch codec (the engine's and the stores' plug)", () => {
  test("sketchOf and mergeSketch agree with building one sketch", () => {
    assert.equal(sketchOf([]), undefined);
    assert.deepEqual(mergeSketch(sketchOf([1, 2])!, sketchOf([3, 4])!), sketchOf([1, 2, 3, 4]));
  });
});
