/**
 * Alarm evaluation at scale: 10,000 alarms on 1,000 metrics, on a real engine (SQLite store in a temporary
 * directory, manual clock), every alarm with live data.
 *
 * - `alarms/evaluation-minute`: one scheduled evaluation minute (`engine.tick`) of all 10,000 alarms,
 *   compared with a bare loop that sums each alarm's window from a plain in-memory array (in the same run).
 *   ratio = engine ms ÷ baseline ms per minute (how many times the minimal work it costs; lower is better).
 * - `alarms/incoming-datapoint`: one incoming datapoint, `engine.publishAggregates([aggregate], now)` (index
 *   update + early evaluation of the alarms on that metric), then the same with the `store.commit` included.
 *
 * Peak memory (heap and rss after setup and at the end, `process.resourceUsage().maxRSS`) is reported too, and
 * in the first scenario's JSON line (`peakRssMb`). Each scenario ends with one JSON line.
 *
 * The metrics come from metric filters with the constant value 1, like the CloudTrail pack's, so their Sum
 * alarms are evaluated early as in production. `--reps N`: measured evaluation minutes (default 7);
 * `--events N`: datapoints timed per variant in alarms/incoming-datapoint (default 20,000).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../src/engine/clock.js";
import { Engine } from "../src/engine/engine.js";
import { mergeSketch, sketchOf } from "../src/metrics/sketch-codec.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import type { Store } from "../src/store/store.js";
import type { Dimension, MetricAggregate, MetricId } from "../src/store/types.js";
import { type BenchOptions, emitJson, fullGc, int, machine, median, mib, round, selected } from "./lib.js";

const METRICS = 1_000;
const ALARMS_PER_METRIC = 10;
const ALARMS = METRICS * ALARMS_PER_METRIC;
const NAMESPACE = "Bench";
/** Metric filters per log group: CloudWatch Logs' limit. */
const FILTERS_PER_GROUP = 100;
const MINUTE = 60_000;
/** Minutes of history every metric has before the first measured minute. */
const HISTORY_MINUTES = 60;
const DEFAULT_REPS = 7;
/** Datapoints timed in alarms/incoming-datapoint (`--events N` changes it). */
const DEFAULT_DATAPOINTS = 20_000;
/** Datapoints per timed block of alarms/incoming-datapoint. */
const DATAPOINT_BLOCK = 2_000;
/** Untimed datapoints of each kind before timing. */
const WARMUP_DATAPOINTS = 1_000;
/** An arbitrary minute-aligned start, so every run sees the same windows. */
const T0 = Date.parse("2026-01-01T12:00:00Z");

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so every run publishes the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Metric i: `m<i>`; every fourth one has a dimension (as a metric filter with `dimensions` publishes). */
function metricOf(i: number): MetricId {
  const dimensions: Dimension[] = i % 4 === 0 ? [{ Name: "Region", Value: `region-${i % 3}` }] : [];
  return { namespace: NAMESPACE, metricName: `m${i}`, dimensions };
}

/**
 * The alarm mix on each metric (10 per metric), by position j:
 *   0–5  Sum >= threshold over 300 s × 1 (the CloudTrail / CIS shape), thresholds 1,1,1,2,5,10
 *   6–7  Sum >= 1, 3 of 5 at 60 s (M of N)
 *   8    Average > 0.5 over 60 s × 3
 *   9    Maximum >= 1 over 300 s × 1; p99 > 0.5 over 300 s × 1 on every tenth metric (100 alarms)
 * TreatMissingData: mostly notBreaching (the CIS default), with missing, ignore and breaching mixed in.
 */
function alarmInput(i: number, j: number, metric: MetricId): Record<string, unknown> {
  const base = {
    AlarmName: `bench-m${i}-a${j}`,
    Namespace: metric.namespace,
    MetricName: metric.metricName,
    Dimensions: metric.dimensions,
    ActionsEnabled: true,
    AlarmActions: ["arn:aws:sns:us-east-1:123456789012:bench"],
  };
  if (j <= 5) {
    return {
      ...base,
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: [1, 1, 1, 2, 5, 10][j],
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: j === 4 ? "missing" : j === 5 ? "ignore" : "notBreaching",
    };
  }
  if (j <= 7) {
    return {
      ...base,
      Statistic: "Sum",
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: j === 6 ? "breaching" : "missing",
    };
  }
  if (j === 8) {
    return {
      ...base,
      Statistic: "Average",
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 0.5,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "missing",
    };
  }
  if (i % 10 === 0) {
    return {
      ...base,
      ExtendedStatistic: "p99",
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 0.5,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
    };
  }
  return {
    ...base,
    Statistic: "Maximum",
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    TreatMissingData: "notBreaching",
  };
}

/** What the baseline loop needs of an alarm: its metric, window length in minutes, threshold. */
interface PlainAlarm {
  metric: number;
  minutes: number;
  threshold: number;
}

/**
 * One minute of one metric, as a metric filter with value 1 and default 0 publishes it: 1–4 samples, each
 * 1 (a matching event, rare: 0.1–1% per metric) or 0. Sum, min, max and the percentile sketch follow.
 */
class DataSource {
  private readonly random = rng(42);
  private readonly rates = Array.from(
    { length: METRICS },
    (_, i) => 0.001 + (0.009 * ((i * 7919) % 1000)) / 1000,
  );
  /** The sum of each metric per minute (minute index from T0 - HISTORY_MINUTES), for the baseline. */
  readonly sums: Float64Array[] = Array.from({ length: METRICS }, () => new Float64Array(0));
  readonly metrics = Array.from({ length: METRICS }, (_, i) => metricOf(i));

  aggregate(i: number, timestamp: number): MetricAggregate {
    const n = 1 + Math.floor(this.random() * 4);
    const values: number[] = [];
    for (let k = 0; k < n; k++) values.push(this.random() < this.rates[i] ? 1 : 0);
    let sum = 0;
    for (const v of values) sum += v;
    return {
      metric: this.metrics[i],
      timestamp,
      resolution: 60,
      unit: "None",
      sampleCount: n,
      sum,
      min: Math.min(...values),
      max: Math.max(...values),
      sketch: sketchOf(values),
    };
  }

  /** One datapoint for every metric at `timestamp` (a minute); records the sums for the baseline. */
  minute(timestamp: number): MetricAggregate[] {
    const index = (timestamp - (T0 - HISTORY_MINUTES * MINUTE)) / MINUTE;
    const out: MetricAggregate[] = [];
    for (let i = 0; i < METRICS; i++) {
      const a = this.aggregate(i, timestamp);
      let s = this.sums[i];
      if (s.length <= index) {
        const grown = new Float64Array(Math.max(2 * s.length, index + 1, 128));
        grown.set(s);
        s = grown;
        this.sums[i] = s;
      }
      s[index] += a.sum;
      out.push(a);
    }
    return out;
  }
}

/**
 * The baseline: for each alarm, the Sum of its window (Period × EvaluationPeriods) from a plain in-memory
 * array of per-minute sums, compared with its threshold. The minimal work any evaluator must do.
 */
function baselineMinute(
  alarms: readonly PlainAlarm[],
  sums: readonly Float64Array[],
  endIndex: number,
): number {
  let breaching = 0;
  for (let k = 0; k < alarms.length; k++) {
    const a = alarms[k];
    const s = sums[a.metric];
    let sum = 0;
    for (let m = endIndex - a.minutes; m < endIndex; m++) sum += s[m];
    if (sum >= a.threshold) breaching++;
  }
  return breaching;
}

/** The last hour of data, committed minute by minute and published in one call; returns the timings. */
async function loadHistory(
  store: Store,
  engine: Engine,
  source: DataSource,
): Promise<{ count: number; commitMs: number; publishMs: number }> {
  const history: MetricAggregate[] = [];
  let commitMs = 0;
  for (let k = HISTORY_MINUTES; k >= 1; k--) {
    const aggregates = source.minute(T0 - k * MINUTE);
    commitMs += await timeAsync(() => store.commit({ events: [], streams: [], aggregates }));
    for (const a of aggregates) history.push(a);
  }
  const publishMs = await timeAsync(() => engine.publishAggregates(history, T0));
  return { count: history.length, commitMs, publishMs };
}

function memLine(label: string): { heapUsed: number; rss: number } {
  const m = process.memoryUsage();
  console.log(
    `memory ${label}: heap used ${mib(m.heapUsed)}, rss ${mib(m.rss)}, peak rss ${mib(peakRssBytes())}`,
  );
  return { heapUsed: m.heapUsed, rss: m.rss };
}

/** process.resourceUsage().maxRSS is in kilobytes. */
function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function ms(x: number): string {
  return x < 10 ? x.toFixed(2) : x.toFixed(0);
}

function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  return fn().then(() => Number(process.hrtime.bigint() - t0) / 1e6);
}

export async function run(opts: BenchOptions): Promise<void> {
  const doMinute = selected(opts, "alarms/evaluation-minute");
  const doDatapoint = selected(opts, "alarms/incoming-datapoint");
  if (!doMinute && !doDatapoint) return;
  const reps = opts.reps ?? DEFAULT_REPS;
  const datapoints = opts.events ?? DEFAULT_DATAPOINTS;

  console.log(`# alarms — ${machine()}`);
  fullGc();
  memLine("at start");

  // ---- setup: store, clock, engine, metric filters, alarms ----
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-bench-alarms-"));
  const clock = new ManualClock(T0);
  let transitions = 0;
  const store = await openSqliteStore({ path: join(dir, "trailwatch.db"), mergeSketch });
  const engine = await Engine.open({
    store,
    clock,
    identity: { account: "123456789012", region: "us-east-1" },
    listener: { onTransition: () => void transitions++ },
    storeEvents: false,
    mergeSketch,
    sketchOf,
  });
  try {
    const source = new DataSource();

    // The metrics come from metric filters with a constant value 1 (as the CloudTrail pack's do): that makes
    // their Sum alarms eligible for early evaluation, as in production.
    const filtersMs = await timeAsync(async () => {
      for (let g = 0; g < METRICS / FILTERS_PER_GROUP; g++) {
        const logGroupName = `/bench/group-${g}`;
        await engine.logs.createLogGroup(logGroupName);
        for (let k = 0; k < FILTERS_PER_GROUP; k++) {
          const i = g * FILTERS_PER_GROUP + k;
          const m = source.metrics[i];
          await engine.logs.putMetricFilter({
            logGroupName,
            filterName: `filter-m${i}`,
            filterPattern: `{ $.eventName = "Event${i}" }`,
            metricTransformations: [
              {
                metricName: m.metricName,
                metricNamespace: m.namespace,
                metricValue: "1",
                ...(m.dimensions.length > 0
                  ? { dimensions: { Region: "$.awsRegion" } }
                  : { defaultValue: 0 }),
              },
            ],
          });
        }
      }
    });
    console.log(
      `setup: ${int(METRICS)} metric filters (${METRICS / FILTERS_PER_GROUP} log groups) in ${ms(filtersMs)} ms`,
    );

    const plain: PlainAlarm[] = [];
    const mix = new Map<string, number>();
    transitions = 0;
    const createMs = await timeAsync(async () => {
      for (let i = 0; i < METRICS; i++) {
        for (let j = 0; j < ALARMS_PER_METRIC; j++) {
          const input = alarmInput(i, j, source.metrics[i]);
          await engine.cloudwatch.putMetricAlarm(input);
          const period = input.Period as number;
          const n = input.EvaluationPeriods as number;
          plain.push({ metric: i, minutes: (period / 60) * n, threshold: input.Threshold as number });
          const shape = `${input.Statistic ?? input.ExtendedStatistic} ${period}s×${n}${input.DatapointsToAlarm ? ` (${input.DatapointsToAlarm} of ${n})` : ""}`;
          mix.set(shape, (mix.get(shape) ?? 0) + 1);
        }
      }
    });
    console.log(
      `setup: ${int(ALARMS)} alarms created (PutMetricAlarm, no data yet) in ${ms(createMs)} ms — ` +
        `${ms((1000 * createMs) / ALARMS)} µs/alarm, ${transitions} transitions`,
    );
    console.log(
      `  mix: ${[...mix].map(([k, v]) => `${int(v)} ${k}`).join(", ")}; TreatMissingData mostly notBreaching`,
    );

    // ---- data: one datapoint per metric per minute for the last hour ----
    transitions = 0;
    // One commit per minute of data; one publish of the whole hour (as after a backfill), which evaluates
    // each alarm once: publishing minute by minute would evaluate them 60 times (the per-minute cost is
    // measured below, "feeding each minute's datapoints").
    const { count, commitMs, publishMs } = await loadHistory(store, engine, source);
    console.log(
      `setup: ${int(count)} aggregates (${HISTORY_MINUTES} min × ${int(METRICS)} metrics, with sketches): ` +
        `store.commit ${ms(commitMs)} ms (${HISTORY_MINUTES} commits), publishAggregates ${ms(publishMs)} ms ` +
        `(one call; ${transitions} early transitions)`,
    );
    transitions = 0;
    const firstTickMs = await timeAsync(() => engine.tick(T0));
    console.log(
      `setup: first evaluation minute (untimed: the alarms settle on the hour of data): ${ms(firstTickMs)} ms, ${int(transitions)} transitions`,
    );
    fullGc();
    const afterSetup = memLine("after setup");

    // ---- alarms/evaluation-minute ----
    // Minute k: feed one datapoint per metric for [T0 + (k-1) min, T0 + k min), then tick at T0 + k min.
    let minute = 0;
    const feedMinute = async (): Promise<number> => {
      const bucket = T0 + minute * MINUTE;
      clock.set(bucket + 30_000);
      const aggregates = source.minute(bucket);
      const t = await timeAsync(async () => {
        await store.commit({ events: [], streams: [], aggregates });
        await engine.publishAggregates(aggregates, clock.now());
      });
      minute++;
      return t;
    };
    const tickMinute = async (): Promise<number> => {
      const t = T0 + minute * MINUTE;
      clock.set(t);
      return timeAsync(() => engine.tick(t));
    };
    /** Index (into source.sums) of the minute the window ends at, for the baseline. */
    const endIndex = () => HISTORY_MINUTES + minute;

    if (doMinute) {
      // One untimed minute to warm up the steady state, then `reps` measured minutes.
      await feedMinute();
      await tickMinute();
      for (let w = 0; w < 20; w++) baselineMinute(plain, source.sums, endIndex());

      const engineMs: number[] = [];
      const baseMs: number[] = [];
      const feedMs: number[] = [];
      const perMinuteTransitions: number[] = [];
      let check = 0;
      for (let r = 0; r < reps; r++) {
        feedMs.push(await feedMinute());
        fullGc();
        transitions = 0;
        engineMs.push(await tickMinute());
        perMinuteTransitions.push(transitions);
        // The baseline is about a thousand times faster: time 20 passes and keep the mean of one.
        const b0 = process.hrtime.bigint();
        for (let x = 0; x < 20; x++) check += baselineMinute(plain, source.sums, endIndex());
        baseMs.push(Number(process.hrtime.bigint() - b0) / 1e6 / 20);
      }
      const med = median(engineMs);
      const best = Math.min(...engineMs);
      const baseMed = median(baseMs);
      const ratio = med / baseMed;
      fullGc();
      const end = memLine("after the evaluation minutes");
      const peak = peakRssBytes();
      console.log(
        `\nalarms/evaluation-minute: ${int(ALARMS)} alarms on ${int(METRICS)} metrics, ${reps} minutes`,
      );
      console.log(
        `  engine    ${ms(med).padStart(7)} ms/minute median, ${ms(best)} best   (runs: ${engineMs.map(ms).join(", ")})` +
          `   ${int((ALARMS * 1000) / med)} evaluations/s`,
      );
      console.log(
        `  baseline  ${baseMed.toFixed(3).padStart(7)} ms/minute median   [Sum of each alarm's Period × EvaluationPeriods from a plain array, vs its threshold; ${int(check / (20 * reps))} at or over]`,
      );
      console.log(`  ratio     ${ratio.toFixed(0)}× the baseline (engine ms ÷ baseline ms; lower is better)`);
      console.log(
        `  transitions per minute: ${perMinuteTransitions.join(", ")}; feeding each minute's ${int(METRICS)} datapoints ` +
          `(commit + publish, untimed above): ${feedMs.map(ms).join(", ")} ms`,
      );
      emitJson({
        bench: "alarms/evaluation-minute",
        alarms: ALARMS,
        metrics: METRICS,
        msPerMinute: round(med, 2),
        bestMsPerMinute: round(best, 2),
        evaluationsPerSec: Math.round((ALARMS * 1000) / med),
        baselineMsPerMinute: round(baseMed, 4),
        ratio: round(ratio, 1),
        heapUsedMbAfterSetup: round(afterSetup.heapUsed / 2 ** 20, 1),
        rssMbAfterSetup: round(afterSetup.rss / 2 ** 20, 1),
        heapUsedMbAtEnd: round(end.heapUsed / 2 ** 20, 1),
        peakRssMb: round(peak / 2 ** 20, 1),
      });
    }

    // ---- alarms/incoming-datapoint ----
    if (doDatapoint) {
      // Datapoints for random metrics land in the current minute's buckets (merged with what is there,
      // sketches included), as batches of one arrive during a minute. Of each metric's 10 alarms, the 8 Sum
      // and the Maximum ones are evaluated early (unless already in ALARM); Average and p99 never are.
      const bucket = T0 + minute * MINUTE;
      const random = rng(7);
      const make = (count: number): MetricAggregate[] => {
        const out: MetricAggregate[] = [];
        for (let d = 0; d < count; d++) {
          const i = Math.floor(random() * METRICS);
          out.push(source.aggregate(i, bucket));
        }
        return out;
      };
      clock.set(bucket + 30_000);
      const publishOnly = async (batch: readonly MetricAggregate[]) => {
        for (const a of batch) await engine.publishAggregates([a], clock.now());
      };
      const withCommit = async (batch: readonly MetricAggregate[]) => {
        for (const a of batch) {
          await store.commit({ events: [], streams: [], aggregates: [a] });
          await engine.publishAggregates([a], clock.now());
        }
      };
      await publishOnly(make(WARMUP_DATAPOINTS));
      await withCommit(make(WARMUP_DATAPOINTS));

      // Blocks of each kind in turn (alternating who goes first), so that a burst of outside load, and the
      // alarms that go into ALARM along the way (skipped from then on), weigh on both alike.
      const blocks = Math.max(1, Math.round(datapoints / DATAPOINT_BLOCK));
      const size = Math.ceil(datapoints / blocks);
      const blockUs: [number[], number[]] = [[], []];
      const blockTransitions = [0, 0];
      for (let b = 0; b < blocks; b++) {
        for (const kind of b % 2 === 0 ? [0, 1] : [1, 0]) {
          const batch = make(size);
          transitions = 0;
          const t = await timeAsync(() => (kind === 0 ? publishOnly(batch) : withCommit(batch)));
          blockTransitions[kind] += transitions;
          blockUs[kind].push((1000 * t) / size);
        }
      }
      const us = median(blockUs[0]);
      const usCommit = median(blockUs[1]);
      const total = blocks * size;
      console.log(
        `\nalarms/incoming-datapoint: ${int(total)} + ${int(total)} datapoints, one per call, on random metrics ` +
          `(${ALARMS_PER_METRIC} alarms each, 8–9 evaluated early), in ${blocks} blocks of ${int(size)} per variant; µs per datapoint, median block`,
      );
      const line = (label: string, kind: number) =>
        `  ${label.padEnd(33)} ${median(blockUs[kind]).toFixed(1).padStart(6)} µs/datapoint ` +
        `${int(1e6 / median(blockUs[kind])).padStart(7)} datapoints/s   (blocks: ${blockUs[kind].map((x) => x.toFixed(0)).join(", ")}; ` +
        `${blockTransitions[kind]} early transitions)`;
      console.log(line("publishAggregates", 0));
      console.log(line("store.commit + publishAggregates", 1));
      emitJson({
        bench: "alarms/incoming-datapoint",
        usPerDatapoint: round(us, 2),
        usPerDatapointWithCommit: round(usCommit, 2),
        peakRssMb: round(peakRssBytes() / 2 ** 20, 1),
      });
    }
    fullGc();
    memLine("at the end");
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
