/**
 * The percentile sketch against an exact sort: exact while small, within its documented relative error
 * when large, merge associative and commutative in results, serialization lossless, size bounded.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  SKETCH_EXACT_LIMIT,
  SKETCH_MAX_BUCKETS,
  SKETCH_RELATIVE_ACCURACY,
  Sketch,
} from "../../src/metrics/sketch.js";
import { type Rng, rng } from "../helpers/random.js";

const ALPHA = SKETCH_RELATIVE_ACCURACY;
/** Float noise at bucket boundaries (log/pow rounding) on top of the bound. */
const SLACK = 1e-9;

function nearestRank(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length - 1e-9)) - 1];
}

function build(values: number[]): Sketch {
  const s = Sketch.create();
  for (const v of values) s.add(v);
  return s;
}

function assertClose(actual: number | undefined, expected: number, context: string): void {
  assert.ok(actual !== undefined, `${context}: undefined`);
  const err = expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / expected;
  assert.ok(err <= ALPHA + SLACK, `${context}: ${actual} vs ${expected} (relative error ${err})`);
}

/** Values over several decades with repeats: what latencies and byte counts look like. */
function wideValues(r: Rng, n: number): number[] {
  return Array.from({ length: n }, () => {
    if (r.chance(0.05)) return 0;
    if (r.chance(0.1)) return r.pick([1, 10, 250]);
    return 10 ** (r.next() * 9 - 3);
  });
}

const QUANTILES = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

describe("exact mode", () => {
  test("quantiles are exact while there are at most 256 distinct values", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed);
      const distinct = Array.from({ length: 1 + r.int(SKETCH_EXACT_LIMIT) }, () => r.next() * 1000);
      const values = Array.from({ length: 1 + r.int(3000) }, () => r.pick(distinct));
      const s = build(values);
      const sorted = [...values].sort((a, b) => a - b);
      assert.ok(s.isExact, `seed ${seed}`);
      for (const q of QUANTILES) assert.equal(s.quantile(q), nearestRank(sorted, q), `seed ${seed} q ${q}`);
    }
  });

  test("hand-checked nearest-rank values", () => {
    const s = build([3, 1, 2, 5, 4, 6, 7, 8, 9, 10]);
    assert.equal(s.quantile(0), 1);
    assert.equal(s.quantile(0.5), 5);
    assert.equal(s.quantile(0.9), 9);
    assert.equal(s.quantile(0.95), 10);
    assert.equal(s.quantile(1), 10);
    assert.equal(s.count, 10);
  });

  test("counts weigh values", () => {
    const s = Sketch.create().add(1, 99).add(1000, 1);
    assert.equal(s.quantile(0.99), 1);
    assert.equal(s.quantile(0.991), 1000);
    assert.deepEqual(s.valueRange(1, Number.POSITIVE_INFINITY), {
      count: 1,
      sum: 1000,
      min: 1000,
      max: 1000,
    });
  });

  test("the 257th distinct value switches to the histogram", () => {
    const s = build(Array.from({ length: SKETCH_EXACT_LIMIT }, (_, k) => k + 1));
    assert.ok(s.isExact);
    s.add(SKETCH_EXACT_LIMIT + 1);
    assert.ok(!s.isExact);
    assert.equal(s.count, SKETCH_EXACT_LIMIT + 1);
  });

  test("an empty sketch answers nothing", () => {
    const s = Sketch.create();
    assert.equal(s.quantile(0.5), undefined);
    assert.equal(s.count, 0);
  });
});

describe("histogram mode error bound", () => {
  test(`quantiles within ${ALPHA * 100}% of an exact sort on random data`, () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = rng(seed);
      const values = wideValues(r, 2000 + r.int(30000));
      const s = build(values);
      const sorted = [...values].sort((a, b) => a - b);
      assert.ok(!s.isExact);
      for (const q of QUANTILES) assertClose(s.quantile(q), nearestRank(sorted, q), `seed ${seed} q ${q}`);
      for (let k = 0; k < 50; k++) {
        const q = r.next();
        assertClose(s.quantile(q), nearestRank(sorted, q), `seed ${seed} q ${q}`);
      }
      assert.equal(s.quantile(0), sorted[0], "minimum is exact");
      assert.equal(s.quantile(1), sorted[sorted.length - 1], "maximum is exact");
    }
  });

  test("rank-range sums and extremes within the bound", () => {
    for (let seed = 40; seed <= 50; seed++) {
      const r = rng(seed);
      const values = wideValues(r, 5000);
      const s = build(values);
      const sorted = [...values].sort((a, b) => a - b);
      for (let k = 0; k < 20; k++) {
        const low = r.int(sorted.length);
        const high = low + 1 + r.int(sorted.length - low);
        const kept = sorted.slice(low, high);
        const got = s.rankRange(low, high)!;
        assert.ok(Math.abs(got.count - kept.length) < 1e-6, `seed ${seed} count`);
        const sum = kept.reduce((a, b) => a + b, 0);
        assert.ok(
          Math.abs(got.sum - sum) <= (ALPHA + SLACK) * sum + 1e-12,
          `seed ${seed} sum ${got.sum} vs ${sum}`,
        );
        assertClose(got.min, kept[0], `seed ${seed} min`);
        assertClose(got.max, kept[kept.length - 1], `seed ${seed} max`);
      }
    }
  });

  test("value-range counts are exact away from the bounds", () => {
    const r = rng(77);
    const values = wideValues(r, 20000);
    const s = build(values);
    const gamma = (1 + ALPHA) / (1 - ALPHA);
    for (let k = 0; k < 40; k++) {
      const lower = 10 ** (r.next() * 6 - 3);
      const upper = lower * (1 + r.next() * 1000);
      const got = s.valueRange(lower, upper)!.count;
      const sure = values.filter((v) => v > lower * gamma && v <= upper / gamma).length;
      const maybe = values.filter((v) => v > lower / gamma && v <= upper * gamma).length;
      assert.ok(got >= sure && got <= maybe, `(${lower}, ${upper}]: ${got} not in [${sure}, ${maybe}]`);
    }
  });

  test("folding keeps the upper quantiles within the bound when values span more than γ^2048", () => {
    const r = rng(5);
    // 10^-250 .. 10^250: far wider than γ^2048 ≈ 6e17, so only the top ~18 decades keep their buckets.
    const values = Array.from({ length: 20000 }, () => 10 ** (r.next() * 500 - 250));
    const s = build(values);
    const sorted = [...values].sort((a, b) => a - b);
    const gamma = (1 + ALPHA) / (1 - ALPHA);
    const safe = sorted[sorted.length - 1] / gamma ** (SKETCH_MAX_BUCKETS - 2);
    assert.ok(s.size <= SKETCH_MAX_BUCKETS + 1);
    let checked = 0;
    for (let k = 0; k <= 1000; k++) {
      const q = k / 1000;
      const exact = nearestRank(sorted, q);
      const got = s.quantile(q)!;
      if (exact >= safe) {
        assertClose(got, exact, `q ${q}`);
        checked++;
      } else if (q > 0)
        assert.ok(got >= exact && got <= safe * gamma ** 2, `q ${q}: folded values read high`);
    }
    assert.ok(checked >= 30, `only ${checked} quantiles above the fold`);
    assert.equal(s.quantile(0), sorted[0], "minimum stays exact");
  });
});

describe("merge", () => {
  test("associative and commutative in results, and equal to one sketch of everything", () => {
    for (let seed = 1; seed <= 25; seed++) {
      const r = rng(seed);
      const wide = r.chance(0.3);
      const n = r.pick([10, 200, 300, 3000]);
      const values = wide
        ? Array.from({ length: n }, () => 10 ** (r.next() * 600 - 300))
        : Array.from({ length: n }, () => r.pick([0, r.int(100), r.next() * 1e6]));
      const parts: number[][] = [[], [], []];
      for (const v of values) parts[r.int(3)].push(v);
      const [a, b, c] = parts.map(build);
      const whole = build(values).serialize();
      const orders = [
        Sketch.merge(Sketch.merge(a, b), c),
        Sketch.merge(a, Sketch.merge(b, c)),
        Sketch.merge(Sketch.merge(c, a), b),
        Sketch.merge(b, Sketch.merge(c, a)),
      ];
      for (const m of orders) assert.deepEqual(m.serialize(), whole, `seed ${seed}`);
    }
  });

  test("merge leaves its inputs unchanged", () => {
    const a = build([1, 2, 3]);
    const b = build([4]);
    const before = a.serialize();
    Sketch.merge(a, b);
    assert.deepEqual(a.serialize(), before);
    assert.equal(b.count, 1);
  });
});

describe("negative values", () => {
  test("any negative value disables the sketch, through merges and serialization", () => {
    const s = build([1, 2, -3, 4]);
    assert.ok(s.hasNegative);
    assert.equal(s.quantile(0.5), undefined);
    assert.equal(s.rankRange(0, 1), undefined);
    assert.equal(s.valueRange(0, 10), undefined);
    const merged = Sketch.merge(build([5, 6]), s);
    assert.ok(merged.hasNegative);
    assert.ok(Sketch.deserialize(merged.serialize()).hasNegative);
    assert.equal(Sketch.merge(build([1]), build([2])).hasNegative, false);
  });

  test("-0 is zero, not negative", () => {
    const s = build([-0, 1]);
    assert.equal(s.hasNegative, false);
    assert.equal(s.quantile(0), 0);
  });

  test("non-finite values and negative counts are programming errors", () => {
    assert.throws(() => Sketch.create().add(Number.NaN), RangeError);
    assert.throws(() => Sketch.create().add(Number.POSITIVE_INFINITY), RangeError);
    assert.throws(() => Sketch.create().add(1, -1), RangeError);
  });
});

describe("serialization", () => {
  test("round-trips exact, histogram, folded, fractional-count and empty sketches", () => {
    const r = rng(9);
    const cases = [
      Sketch.create(),
      build([0, 1, 1, 2.5]),
      build(wideValues(r, 5000)),
      build(Array.from({ length: 3000 }, () => 10 ** (r.next() * 600 - 300))),
      Sketch.create().add(3, 0.5).add(7, 2.25),
    ];
    for (const s of cases) {
      const bytes = s.serialize();
      const back = Sketch.deserialize(bytes);
      assert.deepEqual(back.serialize(), bytes);
      assert.equal(back.count, s.count);
      assert.equal(back.isExact, s.isExact);
      for (const q of QUANTILES) assert.equal(back.quantile(q), s.quantile(q));
    }
  });

  test("malformed bytes are refused", () => {
    const good = build([1, 2, 3]).serialize();
    assert.throws(() => Sketch.deserialize(new Uint8Array()), /truncated/);
    assert.throws(() => Sketch.deserialize(Uint8Array.from([9, ...good.slice(1)])), /version/);
    assert.throws(() => Sketch.deserialize(Uint8Array.from([...good, 0])), /trailing/);
    assert.throws(() => Sketch.deserialize(good.slice(0, good.length - 3)), /truncated/);
    assert.throws(() => Sketch.deserialize(Uint8Array.from([1, 7])), /kind/);
  });

  test(`size stays bounded for 1,000,000 values (at most ${SKETCH_MAX_BUCKETS} buckets)`, () => {
    const r = rng(1234);
    const typical = Sketch.create();
    const extreme = Sketch.create();
    for (let k = 0; k < 1_000_000; k++) {
      typical.add(10 ** (r.next() * 9 - 3)); // 1 ms .. 10^6 s, say
      extreme.add(2 ** (r.next() * 720 - 360)); // every magnitude PutMetricData accepts
    }
    const typicalBytes = typical.serialize().length;
    const extremeBytes = extreme.serialize().length;
    assert.equal(typical.count, 1_000_000);
    assert.ok(typical.size <= 1100, `typical buckets ${typical.size}`);
    assert.ok(typicalBytes < 6_000, `typical ${typicalBytes} bytes`);
    assert.ok(extreme.size <= SKETCH_MAX_BUCKETS, `extreme buckets ${extreme.size}`);
    assert.ok(extremeBytes < 12_000, `extreme ${extremeBytes} bytes`);
  });
});
