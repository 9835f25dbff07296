/**
 * A mergeable percentile sketch for one series' values: what percentiles, trimmed means, trimmed counts and
 * sums, winsorized means and percentile ranks are computed from.
 *
 * Two representations, chosen only by the multiset of values added, never by the order of adds or merges:
 * - **exact** while there are at most {@link SKETCH_EXACT_LIMIT} distinct values: each value with its count.
 *   Metric-filter metrics are mostly one value (`1`) repeated, so they stay exact for ever.
 * - **histogram** beyond that: DDSketch-style logarithmic buckets. A positive value v goes to bucket
 *   i = ceil(log_γ v) with γ = (1+α)/(1−α), α = {@link SKETCH_RELATIVE_ACCURACY}; the bucket's representative
 *   2γ^i/(γ+1) is within a relative α of every value in (γ^(i−1), γ^i]. Zero has a bucket of its own.
 *
 * Guarantees (the tests check them against an exact sort):
 * - rank-based results (percentiles, and the values kept by percentage-bounded trimming) are within a
 *   relative α of the exact result, for the nearest-rank definition used here;
 * - sums over a rank range are within a relative α (all values are non-negative);
 * - value-bounded counts (`PR(x:y)`, `TC(x:y)`) are exact except for values within a factor γ (≈2%) of a
 *   bound, which may be counted on the wrong side;
 * - minimum and maximum are exact, and every estimate lies between them.
 *
 * Size: at most {@link SKETCH_MAX_BUCKETS} buckets. When values span more than γ^2048 ≈ 6·10^17 (max/min),
 * the lowest buckets are folded into the lowest kept one (DDSketch's collapsing-lowest store), so the
 * α guarantee then holds for the upper part of the distribution only. Folding is a monotone map of bucket
 * indexes whose threshold only rises, so merge stays associative and commutative in results.
 *
 * CloudWatch disables percentile-type statistics for a period when any value is negative: a sketch that has
 * seen a negative value drops its contents, remembers only that, and answers `undefined` to every query.
 */

export const SKETCH_RELATIVE_ACCURACY = 0.01;
export const SKETCH_EXACT_LIMIT = 256;
export const SKETCH_MAX_BUCKETS = 2048;

const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
const FORMAT_VERSION = 1;
const KIND_EXACT = 0;
const KIND_HISTOGRAM = 1;
const KIND_NEGATIVE = 2;
/** Relative slack for comparing cumulative counts, which are sums of doubles (Counts may be fractional). */
const RANK_EPSILON = 1e-9;

function bucketIndex(value: number): number {
  return Math.ceil(Math.log(value) / LN_GAMMA);
}

function bucketValue(index: number): number {
  return (2 * GAMMA ** index) / (GAMMA + 1);
}

/** Count and sum of the values in a range, with the smallest and largest of them (undefined when none). */
export interface RangeSummary {
  count: number;
  sum: number;
  min: number | undefined;
  max: number | undefined;
}

/** One distinct value (or bucket representative) and how many times it occurs, in ascending order. */
interface Entry {
  value: number;
  count: number;
}

export class Sketch {
  private negative = false;
  /** Exact mode: value → count. Null in histogram mode. */
  private exact: Map<number, number> | null = new Map();
  /** Histogram mode: bucket index → count. */
  private buckets = new Map<number, number>();
  /** Highest and lowest bucket index present (the span decides folding). */
  private top = Number.NEGATIVE_INFINITY;
  private lowest = Number.POSITIVE_INFINITY;
  private zeroCount = 0;
  private total = 0;
  private minimum = Number.POSITIVE_INFINITY;
  private maximum = Number.NEGATIVE_INFINITY;
  /** Sorted view, rebuilt lazily after a change. */
  private view: Entry[] | null = null;

  /** An empty sketch. */
  static create(): Sketch {
    return new Sketch();
  }

  /** Number of values added (sum of counts). */
  get count(): number {
    return this.total;
  }

  /** True once a negative value was added: percentile-type statistics are then unavailable. */
  get hasNegative(): boolean {
    return this.negative;
  }

  /** True while the sketch keeps every distinct value (results are exact). */
  get isExact(): boolean {
    return !this.negative && this.exact !== null;
  }

  /** Number of stored entries (distinct values, or non-empty buckets): what the serialized size grows with. */
  get size(): number {
    if (this.negative) return 0;
    return this.exact ? this.exact.size : this.buckets.size + (this.zeroCount > 0 ? 1 : 0);
  }

  /**
   * Adds `value`, `count` times. Mutates this sketch: building one from a million values one at a time
   * must not copy it a million times. `count` may be fractional (PutMetricData's Counts are doubles).
   */
  add(value: number, count = 1): this {
    if (!Number.isFinite(value)) throw new RangeError(`sketch value must be finite, got ${value}`);
    if (!Number.isFinite(count) || count < 0) throw new RangeError(`sketch count must be >= 0, got ${count}`);
    if (count === 0 || this.negative) return this;
    if (value < 0) {
      this.becomeNegative();
      return this;
    }
    const v = value === 0 ? 0 : value; // -0 and 0 are one value
    this.view = null;
    this.total += count;
    if (v < this.minimum) this.minimum = v;
    if (v > this.maximum) this.maximum = v;
    if (this.exact) {
      this.exact.set(v, (this.exact.get(v) ?? 0) + count);
      if (this.exact.size > SKETCH_EXACT_LIMIT) this.toHistogram();
    } else {
      this.addToBucket(v, count);
    }
    return this;
  }

  /** The sketch of both inputs' values together; neither input changes. */
  static merge(a: Sketch, b: Sketch): Sketch {
    const out = new Sketch();
    if (a.negative || b.negative) {
      out.becomeNegative();
      return out;
    }
    out.total = a.total + b.total;
    out.minimum = Math.min(a.minimum, b.minimum);
    out.maximum = Math.max(a.maximum, b.maximum);
    if (a.exact && b.exact) {
      const union = new Map(a.exact);
      for (const [v, c] of b.exact) union.set(v, (union.get(v) ?? 0) + c);
      if (union.size <= SKETCH_EXACT_LIMIT) {
        out.exact = union;
        return out;
      }
    }
    out.exact = null;
    for (const s of [a, b]) {
      if (s.exact) for (const [v, c] of s.exact) out.addToBucket(v, c);
      else {
        out.zeroCount += s.zeroCount;
        for (const [i, c] of s.buckets) out.addToIndex(i, c);
      }
    }
    return out;
  }

  /**
   * The nearest-rank q-quantile (q in [0, 1]): the value at rank max(1, ⌈q·n⌉) in ascending order, so
   * `quantile(0)` is the minimum and `quantile(1)` the maximum. Undefined when empty or negative.
   */
  quantile(q: number): number | undefined {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
    return this.valueAtRank(Math.max(1, ceilRank(q * this.total)));
  }

  /** The value at 1-based rank `rank` in ascending order (clamped to [1, count]). */
  valueAtRank(rank: number): number | undefined {
    const entries = this.entries();
    if (entries === null || entries.length === 0) return undefined;
    const target = Math.min(Math.max(rank, 1), this.total);
    // The first and last ranks are the extremes, which are kept exactly even when bucketed.
    if (target <= 1 + RANK_EPSILON && entries[0].count >= 1 - RANK_EPSILON) return this.minimum;
    if (target >= this.total - RANK_EPSILON * Math.max(1, this.total)) return this.maximum;
    let cumulative = 0;
    for (const e of entries) {
      cumulative += e.count;
      if (cumulative >= target - RANK_EPSILON * Math.max(1, target)) return e.value;
    }
    return entries[entries.length - 1].value;
  }

  /**
   * The values whose 1-based ascending ranks r satisfy `low < r <= high`. Ranks are positions on the
   * cumulative-count axis, so with fractional counts or bounds an entry contributes the overlapping part.
   */
  rankRange(low: number, high: number): RangeSummary | undefined {
    const entries = this.entries();
    if (entries === null) return undefined;
    const out: RangeSummary = { count: 0, sum: 0, min: undefined, max: undefined };
    let before = 0;
    for (const e of entries) {
      const after = before + e.count;
      const overlap = Math.min(after, high) - Math.max(before, low);
      if (overlap > RANK_EPSILON * Math.max(1, e.count)) {
        out.count += overlap;
        out.sum += overlap * e.value;
        out.min ??= e.value;
        out.max = e.value;
      }
      before = after;
    }
    return out;
  }

  /** The values v with `lower < v <= upper` (CloudWatch's bound rule: lower exclusive, upper inclusive). */
  valueRange(lower: number, upper: number): RangeSummary | undefined {
    const entries = this.entries();
    if (entries === null) return undefined;
    const out: RangeSummary = { count: 0, sum: 0, min: undefined, max: undefined };
    for (const e of entries) {
      if (e.value > lower && e.value <= upper) {
        out.count += e.count;
        out.sum += e.count * e.value;
        out.min ??= e.value;
        out.max = e.value;
      }
    }
    return out;
  }

  /** Compact, canonical bytes (equal sketches serialize equally). See {@link Sketch.deserialize}. */
  serialize(): Uint8Array {
    const w = new ByteWriter();
    w.u8(FORMAT_VERSION);
    if (this.negative) {
      w.u8(KIND_NEGATIVE);
      return w.bytes();
    }
    const entries: [number, number][] = this.exact
      ? [...this.exact].sort((x, y) => x[0] - y[0])
      : [...this.buckets].sort((x, y) => x[0] - y[0]);
    const counts = this.exact ? entries.map((e) => e[1]) : [this.zeroCount, ...entries.map((e) => e[1])];
    const integral = counts.every((c) => Number.isSafeInteger(c));
    w.u8(this.exact ? KIND_EXACT : KIND_HISTOGRAM);
    w.u8(integral ? 0 : 1);
    w.f64(this.minimum);
    w.f64(this.maximum);
    const count = (c: number) => (integral ? w.varint(c) : w.f64(c));
    if (this.exact) {
      w.varint(entries.length);
      for (const [v, c] of entries) {
        w.f64(v);
        count(c);
      }
    } else {
      count(this.zeroCount);
      w.varint(entries.length);
      let previous = 0;
      for (const [i, c] of entries) {
        w.zigzag(i - previous);
        previous = i;
        count(c);
      }
    }
    return w.bytes();
  }

  /** Reads bytes written by {@link Sketch.serialize}; throws on anything malformed. */
  static deserialize(bytes: Uint8Array): Sketch {
    const r = new ByteReader(bytes);
    if (r.u8() !== FORMAT_VERSION) throw new Error("Invalid sketch: unknown format version");
    const kind = r.u8();
    const s = new Sketch();
    if (kind === KIND_NEGATIVE) {
      s.becomeNegative();
    } else if (kind === KIND_EXACT || kind === KIND_HISTOGRAM) {
      const encoding = r.u8();
      if (encoding > 1) throw new Error("Invalid sketch: unknown count encoding");
      const count = () => {
        const c = encoding === 0 ? r.varint() : r.f64();
        if (!(Number.isFinite(c) && c >= 0)) throw new Error("Invalid sketch: bad count");
        return c;
      };
      s.minimum = r.f64();
      s.maximum = r.f64();
      if (kind === KIND_EXACT) {
        const n = r.varint();
        if (n > SKETCH_EXACT_LIMIT) throw new Error("Invalid sketch: too many exact values");
        let previous = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < n; k++) {
          const v = r.f64();
          if (!(Number.isFinite(v) && v >= 0 && v > previous)) throw new Error("Invalid sketch: bad value");
          const c = count();
          if (c === 0) throw new Error("Invalid sketch: empty entry");
          s.exact!.set(v, c);
          s.total += c;
          previous = v;
        }
      } else {
        s.exact = null;
        s.zeroCount = count();
        s.total = s.zeroCount;
        const n = r.varint();
        if (n > SKETCH_MAX_BUCKETS) throw new Error("Invalid sketch: too many buckets");
        let index = 0;
        for (let k = 0; k < n; k++) {
          const delta = r.zigzag();
          if (k > 0 && delta <= 0) throw new Error("Invalid sketch: buckets out of order");
          index += delta;
          const c = count();
          if (c === 0) throw new Error("Invalid sketch: empty entry");
          s.buckets.set(index, c);
          s.total += c;
          s.lowest = Math.min(s.lowest, index);
          s.top = Math.max(s.top, index);
        }
        if (s.top - s.lowest + 1 > SKETCH_MAX_BUCKETS)
          throw new Error("Invalid sketch: buckets span too wide");
      }
      const empty = s.total === 0;
      if (
        empty
          ? s.minimum !== Number.POSITIVE_INFINITY || s.maximum !== Number.NEGATIVE_INFINITY
          : !(s.minimum <= s.maximum && s.minimum >= 0 && Number.isFinite(s.maximum))
      ) {
        throw new Error("Invalid sketch: bad minimum or maximum");
      }
    } else {
      throw new Error("Invalid sketch: unknown kind");
    }
    if (!r.atEnd()) throw new Error("Invalid sketch: trailing bytes");
    return s;
  }

  private becomeNegative(): void {
    this.negative = true;
    this.exact = null;
    this.buckets = new Map();
    this.zeroCount = 0;
    this.view = null;
  }

  private toHistogram(): void {
    const values = this.exact!;
    this.exact = null;
    for (const [v, c] of values) this.addToBucket(v, c);
  }

  private addToBucket(value: number, count: number): void {
    if (value === 0) this.zeroCount += count;
    else this.addToIndex(bucketIndex(value), count);
  }

  /**
   * Adds to bucket `index`, keeping the index span within SKETCH_MAX_BUCKETS: everything below
   * top − SKETCH_MAX_BUCKETS + 1 lives in that bucket. The threshold depends only on the highest index
   * seen, so the final buckets depend only on the values, not on the order they came in.
   */
  private addToIndex(index: number, count: number): void {
    if (index > this.top) this.top = index;
    const floor = this.top - SKETCH_MAX_BUCKETS + 1;
    const i = Math.max(index, floor);
    this.buckets.set(i, (this.buckets.get(i) ?? 0) + count);
    if (i < this.lowest) this.lowest = i;
    if (this.lowest < floor) {
      let folded = 0;
      for (const [k, c] of this.buckets) {
        if (k < floor) {
          folded += c;
          this.buckets.delete(k);
        }
      }
      this.buckets.set(floor, (this.buckets.get(floor) ?? 0) + folded);
      this.lowest = floor;
    }
  }

  /** Ascending entries; histogram representatives are clamped into [min, max] (exact extremes). */
  private entries(): Entry[] | null {
    if (this.negative) return null;
    if (this.view) return this.view;
    let view: Entry[];
    if (this.exact) {
      view = [...this.exact].map(([value, count]) => ({ value, count })).sort((x, y) => x.value - y.value);
    } else {
      const clamp = (v: number) => Math.min(Math.max(v, this.minimum), this.maximum);
      view = [...this.buckets]
        .sort((x, y) => x[0] - y[0])
        .map(([i, count]) => ({ value: clamp(bucketValue(i)), count }));
      if (this.zeroCount > 0) view.unshift({ value: 0, count: this.zeroCount });
    }
    this.view = view;
    return view;
  }
}

/** ⌈x⌉ tolerant of the float noise in products like 0.9 × 10 = 9.000000000000002. */
export function ceilRank(x: number): number {
  return Math.ceil(x - RANK_EPSILON * Math.max(1, Math.abs(x)));
}

class ByteWriter {
  private parts: number[] = [];
  private readonly scratch = new DataView(new ArrayBuffer(8));

  u8(v: number): void {
    this.parts.push(v & 0xff);
  }

  /** Unsigned LEB128 for integers up to 2^53 (arithmetic, not bitwise, past 32 bits). */
  varint(v: number): void {
    let n = v;
    while (n >= 0x80) {
      this.parts.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.parts.push(n);
  }

  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  f64(v: number): void {
    this.scratch.setFloat64(0, v, true);
    for (let k = 0; k < 8; k++) this.parts.push(this.scratch.getUint8(k));
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

class ByteReader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  u8(): number {
    if (this.offset >= this.data.length) throw new Error("Invalid sketch: truncated");
    return this.data[this.offset++];
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new Error("Invalid sketch: varint too long");
    }
    return result;
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  f64(): number {
    if (this.offset + 8 > this.data.length) throw new Error("Invalid sketch: truncated");
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }

  atEnd(): boolean {
    return this.offset === this.data.length;
  }
}
