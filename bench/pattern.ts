/**
 * Filter-pattern throughput on CloudTrail events, compared with a bare `JSON.parse` loop over the same
 * lines in the same process.
 *
 * - `pattern/seed`: the 3 seed filters (target ratio >= 1.5)
 * - `pattern/seed+cis`: the 3 seed filters + the 14 CIS / Security Hub filters (target ratio >= 1.0)
 *
 * ratio = engine events/s ÷ baseline events/s. Each scenario ends with one JSON line.
 */

import { CIS_FILTERS, type FilterDefinition, SEED_FILTERS } from "../src/packs/patterns.js";
import { type CompiledPattern, compileFilterPattern, FilterSet } from "../src/pattern/index.js";
import {
  type BenchOptions,
  emitJson,
  fullGc,
  int,
  machine,
  median,
  mib,
  round,
  selected,
  type Throughput,
  throughput,
  timeMs,
} from "./lib.js";
import { generateLines } from "./workload.js";

const DEFAULT_EVENTS = 1_000_000;
const DEFAULT_REPS = 5;
/**
 * Distinct events generated; the 1M are a ring over them. Holding 1M distinct lines (1.4 GiB of live
 * strings) fits in memory, but it makes every young-generation GC several times slower (measured: about
 * 15 ms instead of 3 ms per scavenge), which penalises whichever contender allocates more and is not what
 * a streaming ingest process sees. 200k distinct lines (~230 MiB of text) is still far larger than any CPU
 * cache, so the ring gives no caching advantage. `--distinct 1000000` measures the all-distinct case.
 */
const DEFAULT_DISTINCT = 200_000;
const WARMUP_EVENTS = 100_000;
const CROSS_CHECK_EVENTS = 20_000;
/** Events per timed block (about 120 MB of text: more than any CPU cache). */
const BLOCK = 100_000;

interface PatternScenario {
  readonly name: string;
  readonly filters: readonly FilterDefinition[];
  readonly target: number;
}

const SCENARIOS: readonly PatternScenario[] = [
  { name: "pattern/seed", filters: SEED_FILTERS, target: 1.5 },
  { name: "pattern/seed+cis", filters: [...SEED_FILTERS, ...CIS_FILTERS], target: 1.0 },
];

/** The baseline: parse every line, and use the result so the work cannot be dropped. */
function baselinePass(lines: readonly string[], from = 0, to = lines.length): number {
  let acc = 0;
  for (let i = from; i < to; i++) {
    const ev = JSON.parse(lines[i]) as { eventName?: unknown };
    if (ev.eventName !== undefined) acc++;
  }
  return acc;
}

/** The measured work: which filters match each line, counted per filter (added to `counts`). */
function enginePass(
  set: FilterSet,
  lines: readonly string[],
  counts: number[],
  from = 0,
  to = lines.length,
): void {
  for (let i = from; i < to; i++) {
    const m = set.matching(lines[i]);
    for (let j = 0; j < m.length; j++) counts[m[j]]++;
  }
}

/** `set.matching` must agree with each pattern's own `test`; a benchmark of wrong answers is worthless. */
function crossCheck(
  name: string,
  set: FilterSet,
  patterns: readonly CompiledPattern[],
  lines: readonly string[],
) {
  const end = Math.min(CROSS_CHECK_EVENTS, lines.length);
  for (let i = 0; i < end; i++) {
    const got = set.matching(lines[i]);
    const want: number[] = [];
    for (let p = 0; p < patterns.length; p++) if (patterns[p].test(lines[i])) want.push(p);
    if (got.length !== want.length || got.some((x, k) => x !== want[k])) {
      throw new Error(
        `${name}: FilterSet.matching disagrees with the patterns' own test() on event ${i}: ` +
          `matching=[${got.join(",")}], test=[${want.join(",")}]\n${lines[i]}`,
      );
    }
  }
  return end;
}

function describe(label: string, t: Throughput): string {
  return `  ${label.padEnd(9)} ${int(t.median).padStart(11)} events/s median, ${int(t.best).padStart(11)} best   (runs: ${t.runs.map(int).join(", ")})`;
}

export async function run(opts: BenchOptions): Promise<void> {
  const scenarios = SCENARIOS.filter((s) => selected(opts, s.name));
  if (scenarios.length === 0) return;
  const n = opts.events ?? DEFAULT_EVENTS;
  const reps = opts.reps ?? DEFAULT_REPS;
  const distinct = Math.min(n, opts.distinct ?? DEFAULT_DISTINCT);

  console.log(`# pattern — ${machine()}`);

  // Workload
  fullGc();
  const heapBefore = process.memoryUsage().heapUsed;
  let lines: string[] = [];
  const genMs = timeMs(() => {
    lines = generateLines(n, { distinct });
  });
  fullGc();
  const mem = process.memoryUsage();
  let chars = 0;
  for (let i = 0; i < distinct; i++) chars += lines[i].length;
  console.log(
    `workload: ${int(n)} events sampled uniformly from the 896 fixture records` +
      (distinct < n
        ? `, as a ring over ${int(distinct)} distinct events (a smaller live heap; --distinct ${n} for all distinct)`
        : ", all distinct") +
      `; ${int(chars / distinct)} bytes/event on average, ${mib(chars)} of JSON text; generated in ${(genMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `memory: heap +${mib(mem.heapUsed - heapBefore)} for the workload (heap used ${mib(mem.heapUsed)}, rss ${mib(mem.rss)})`,
  );

  // Compile, cross-check, warm up
  const sets = scenarios.map((s) => {
    const patterns = s.filters.map((f) => compileFilterPattern(f.filterPattern));
    const set = new FilterSet(patterns);
    const checked = crossCheck(s.name, set, patterns, lines);
    return { scenario: s, patterns, set, counts: new Array<number>(patterns.length).fill(0), checked };
  });
  for (const s of sets) {
    console.log(
      `cross-check ${s.scenario.name}: FilterSet.matching = each test() on the first ${int(s.checked)} events`,
    );
  }
  // Warm up: the JIT on a slice, then one untimed pass over every distinct event (the first pass over a freshly
  // generated heap is consistently slower, whichever loop runs it).
  const warm = Math.min(WARMUP_EVENTS, n);
  for (let r = 0; r < 3; r++) {
    baselinePass(lines, 0, warm);
    for (const s of sets) enginePass(s.set, lines, s.counts, 0, warm);
  }
  baselinePass(lines, 0, distinct);

  // Measure. The machine may be busy (2 cores shared), so each run goes through the events in blocks
  // and times every contender on each block in turn, rotating who goes first: a burst of outside load
  // then hits baseline and engines alike instead of whichever pass happened to be running.
  const contenders = 1 + sets.length; // 0 = baseline, k = sets[k - 1]
  const runMs: number[][] = Array.from({ length: contenders }, () => []);
  const firstCounts: number[][] = [];
  let parsed = -1;
  for (let r = 0; r < reps; r++) {
    const ms = new Array<number>(contenders).fill(0);
    for (const s of sets) s.counts.fill(0);
    let acc = 0;
    for (let from = 0, b = 0; from < n; from += BLOCK, b++) {
      const to = Math.min(n, from + BLOCK);
      for (let j = 0; j < contenders; j++) {
        const c = (j + b + r) % contenders;
        if (c === 0) {
          ms[0] += timeMs(() => {
            acc += baselinePass(lines, from, to);
          });
        } else {
          const s = sets[c - 1];
          ms[c] += timeMs(() => enginePass(s.set, lines, s.counts, from, to));
        }
      }
    }
    if (parsed >= 0 && acc !== parsed) throw new Error("baseline: different results over the same events");
    parsed = acc;
    sets.forEach((s, k) => {
      if (r === 0) firstCounts[k] = [...s.counts];
      else if (s.counts.some((c, j) => c !== firstCounts[k][j])) {
        throw new Error(`${s.scenario.name}: match counts changed between runs over the same events`);
      }
    });
    ms.forEach((t, c) => {
      runMs[c].push(t);
    });
  }
  const baseline = throughput(n, runMs[0]);
  const engineMs = runMs.slice(1);

  sets.forEach((s, k) => {
    const engine = throughput(n, engineMs[k]);
    const ratio = engine.median / baseline.median;
    const ratioBest = engine.best / baseline.best;
    const verdict = ratio >= s.scenario.target ? "PASS" : "BELOW TARGET";
    console.log(`\n${s.scenario.name}: ${s.patterns.length} filters, ${int(n)} events × ${reps} runs`);
    console.log(describe("engine", engine));
    console.log(describe("baseline", baseline) + "  [JSON.parse only]");
    const paired = engineMs[k].map((ms, r) => runMs[0][r] / ms);
    console.log(
      `  ratio     ${ratio.toFixed(3)} median (${ratioBest.toFixed(3)} best)   target >= ${s.scenario.target.toFixed(1)}: ${verdict}`,
    );
    console.log(
      `            run by run (same blocks, same moment): ${paired.map((x) => x.toFixed(2)).join(", ")}; median ${median(paired).toFixed(3)}`,
    );
    console.log("  matches per filter:");
    s.scenario.filters.forEach((f, j) => {
      const c = s.counts[j];
      console.log(
        `    ${f.id.padEnd(32)} ${f.metricName.padEnd(38)} ${int(c).padStart(9)}  (${((100 * c) / n).toFixed(2)}%)`,
      );
    });
    emitJson({
      bench: s.scenario.name,
      eventsPerSec: Math.round(engine.median),
      baselineEventsPerSec: Math.round(baseline.median),
      ratio: round(ratio, 3),
    });
  });
}
