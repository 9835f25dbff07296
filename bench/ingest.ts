/**
 * Ingestion speed and memory.
 *
 * - `ingest/replay`: `trailwatch replay`'s path — sources -> record scanner -> the seed + CIS metric filters
 *   (17, src/packs/patterns.ts) with the summary's attribution -> event-time alarm evaluation — over N
 *   events (default 1,000,000, sampled uniformly from the 896 real records) in gzipped CloudTrail files of
 *   10,000 events in the S3 layout (at least 100 files). Reading runs on one worker thread per CPU, as the
 *   CLI does by default; the same replay on the main thread alone is measured too. The baseline, in the
 *   same run, is gunzip + JSON.parse of the same files on one thread (the least any reader must do);
 *   ratio = replay events/s ÷ baseline events/s. Peak RSS is the process's maximum resident set after the
 *   replay (the baseline runs afterwards; the files are written first, streamed, and what that left is
 *   printed too). CPU time counts every thread. `--reps N` repeats the measurements and reports the run
 *   with the median ratio: this machine's speed drifts by tens of percent from minute to minute.
 * - `ingest/store`: `trailwatch ingest`'s path into a serve's SQLite store — checkpointed batches of 5000
 *   events with the events stored, while a second engine on the same file (serve) follows the aggregate
 *   change feed every second — over the first 20 files.
 *
 * Ends with `{"bench":"ingest/replay",...}` (and `{"bench":"ingest/store",...}`).
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { openEngine } from "../src/cli/open-engine.js";
import { AggregateFollower } from "../src/engine/aggregate-follower.js";
import { ManualClock, systemClock } from "../src/engine/clock.js";
import { Engine } from "../src/engine/engine.js";
import { installPack } from "../src/engine/install-pack.js";
import { replay } from "../src/engine/replay.js";
import { defaultReplayThreads } from "../src/engine/replay-parallel.js";
import { ingestSources } from "../src/ingest/ingest-sources.js";
import { listSourceInputs } from "../src/ingest/source-events.js";
import { mergeSketch, sketchOf } from "../src/metrics/sketch-codec.js";
import type { Pack } from "../src/packs/pack.js";
import { CIS_FILTERS, SEED_FILTERS } from "../src/packs/patterns.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import { type BenchOptions, emitJson, fullGc, int, machine, round, selected } from "./lib.js";
import { writeCloudTrailFiles } from "./workload.js";

/** At least 100 files, of at most 10,000 events each: a larger run has more files, not larger ones. */
const MIN_FILES = 100;
const EVENTS_PER_FILE = 10_000;
const DEFAULT_EVENTS = 1_000_000;
const GROUP = "CloudTrail/DefaultLogGroup";

/** The seed and CIS filters as one pack, each with the alarm both sources pair it with (Sum >= 1 / 300 s). */
function seedAndCisPack(): Pack {
  const filters = [...SEED_FILTERS, ...CIS_FILTERS];
  return {
    formatVersion: 1,
    name: "seed+cis",
    logGroups: [
      {
        logGroupName: GROUP,
        metricFilters: filters.map((f) => ({
          filterName: f.filterName,
          filterPattern: f.filterPattern,
          metricTransformations: [
            { metricName: f.metricName, metricNamespace: f.namespace, metricValue: "1" },
          ],
        })),
      },
    ],
    alarms: filters.map((f) => ({
      AlarmName: `${f.id} alarm`,
      MetricName: f.metricName,
      Namespace: f.namespace,
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
    })),
  };
}

async function openEngineAt(path: string, clock: ManualClock | typeof systemClock, storeEvents: boolean) {
  const store = await openSqliteStore({ path, mergeSketch });
  return Engine.open({
    store,
    clock,
    identity: { account: "123456789012", region: "us-east-1" },
    listener: { onTransition() {} },
    storeEvents,
    mergeSketch,
    sketchOf,
  });
}

interface ReplayRun {
  ms: number;
  readMs: number;
  cpuMs: number;
  matched: number;
  samples: number;
}

/** One replay of the files as `trailwatch replay` runs it without --data-dir (a scratch store). */
async function replayOnce(trail: string, pack: Pack, threads: number, n: number): Promise<ReplayRun> {
  fullGc();
  const clock = new ManualClock(0);
  const opened = await openEngine({
    temporary: true,
    clock,
    listener: { onTransition() {} },
    storeEvents: false,
  });
  try {
    let skipped = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let readMs = 0;
    const summary = await replay({
      engine: opened.engine,
      clock,
      pack,
      onProgress: (p) => {
        if (p.phase === "evaluating") readMs = performance.now() - t0;
      },
      inputs: { list: await listSourceInputs([trail], {}), onSkip: () => skipped++ },
      threads,
      // The human summary's top identities and source IPs, as `trailwatch replay` counts them.
      attribute: true,
      keepAggregates: false,
      skipped: [],
    });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (summary.events !== n || skipped !== 0)
      throw new Error(`ingest/replay: read ${summary.events} of ${n}, ${skipped} skipped`);
    return {
      ms,
      readMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      matched: summary.matched,
      samples: summary.samples,
    };
  } finally {
    await opened.dispose();
  }
}

function baseline(paths: readonly string[]): { ms: number; events: number } {
  const t0 = performance.now();
  let events = 0;
  for (const p of paths)
    events += (JSON.parse(gunzipSync(readFileSync(p)).toString("utf8")) as { Records: unknown[] }).Records
      .length;
  return { ms: performance.now() - t0, events };
}

export async function run(opts: BenchOptions): Promise<void> {
  const n = opts.events ?? DEFAULT_EVENTS;
  const dir = await mkdtemp(join(tmpdir(), "trailwatch-bench-ingest-"));
  try {
    console.log(`ingest: ${machine()}`);
    const g0 = performance.now();
    const files = Math.max(MIN_FILES, Math.ceil(n / EVENTS_PER_FILE));
    const paths = await writeCloudTrailFiles(join(dir, "trail"), n, files);
    console.log(
      `  wrote ${int(n)} events in ${files} gzipped CloudTrail files in ${int(performance.now() - g0)} ms`,
    );
    const pack = seedAndCisPack();

    if (selected(opts, "ingest/replay")) {
      const threads = defaultReplayThreads();
      const reps = opts.reps ?? 1;
      const trail = join(dir, "trail");
      const rssBefore = process.resourceUsage().maxRSS / 1024;
      const runs: { all: ReplayRun; one: ReplayRun; baselineMs: number }[] = [];
      let peakRssMb = 0;
      for (let rep = 0; rep < reps; rep++) {
        // The replay as `trailwatch replay` runs it (one worker per CPU), its maximum resident set, the
        // same on one thread, then the baseline: each figure next to its baseline in time.
        const all = await replayOnce(trail, pack, threads, n);
        peakRssMb = Math.max(peakRssMb, process.resourceUsage().maxRSS / 1024);
        const one = await replayOnce(trail, pack, 1, n);
        fullGc();
        const base = baseline(paths);
        if (base.events !== n) throw new Error(`ingest/replay: the baseline read ${base.events} of ${n}`);
        runs.push({ all, one, baselineMs: base.ms });
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const ratios = runs.map((r) => r.baselineMs / r.all.ms);
      const pick = runs[ratios.indexOf(median(ratios))];
      const { all, one } = pick;
      const perSec = (ms: number) => (n * 1000) / ms;
      console.log(
        `  ingest/replay: ${int(n)} events, ${int(all.matched)} matched, ${int(all.samples)} samples in ${int(all.ms)} ms = ${int(perSec(all.ms))} events/s on ${threads} worker threads`,
      );
      console.log(
        `    of which reading + metric filters ${int(all.readMs)} ms (${int(perSec(all.readMs))} events/s), event-time alarm evaluation ${int(all.ms - all.readMs)} ms; CPU ${int(all.cpuMs)} ms (all threads)`,
      );
      console.log(
        `  the same on the main thread only (--threads 1): ${int(one.ms)} ms = ${int(perSec(one.ms))} events/s (reading ${int(one.readMs)} ms, evaluation ${int(one.ms - one.readMs)} ms)`,
      );
      console.log(
        `  baseline gunzip + JSON.parse (one thread): ${int(pick.baselineMs)} ms = ${int(perSec(pick.baselineMs))} events/s`,
      );
      console.log(
        `  ratio ${round(pick.baselineMs / all.ms, 3)} (target >= 0.6; ${round(pick.baselineMs / one.ms, 3)} on one thread), peak RSS ${int(peakRssMb)} MiB (${int(rssBefore)} MiB before the replay, after writing the files)` +
          (reps > 1 ? `; median of ${reps} runs, ratios ${ratios.map((r) => round(r, 3)).join(", ")}` : ""),
      );
      emitJson({
        bench: "ingest/replay",
        events: n,
        files,
        threads,
        eventsPerSec: Math.round(perSec(all.ms)),
        baselineEventsPerSec: Math.round(perSec(pick.baselineMs)),
        ratio: round(pick.baselineMs / all.ms, 3),
        peakRssMb: Math.round(peakRssMb),
        cpuMs: Math.round(all.cpuMs),
        readEventsPerSec: Math.round(perSec(all.readMs)),
        evaluationMs: Math.round(all.ms - all.readMs),
        oneThreadRatio: round(pick.baselineMs / one.ms, 3),
      });
    }

    if (selected(opts, "ingest/store")) {
      const path = join(dir, "serve.db");
      const serve = await openEngineAt(path, systemClock, true);
      await installPack(serve, pack);
      const follower = await AggregateFollower.start(serve, { onError: (e) => console.error(e) });
      const writer = await openEngineAt(path, systemClock, true);
      for (const a of writer.alarms.list()) writer.alarms.forget(a.alarmName);
      const subset = paths.slice(0, 20);
      const t0 = performance.now();
      const totals = await ingestSources(
        subset,
        {
          ingestBatch: (g, s, o) => writer.ingestBatch(g, s, o),
          getCheckpoint: (s) => writer.store.getCheckpoint(s),
        },
        { logGroupName: GROUP, batchEvents: 5000, onSkip: () => {} },
      );
      const ms = performance.now() - t0;
      await follower.pollNow();
      follower.stop();
      const eventsPerSec = (totals.events * 1000) / ms;
      const base = baseline(subset);
      const baselineEventsPerSec = (base.events * 1000) / base.ms;
      console.log(
        `  ingest/store: ${int(totals.events)} events from ${subset.length} files into SQLite (events kept) with serve following: ${int(ms)} ms = ${int(eventsPerSec)} events/s\n` +
          `  baseline, gunzip + JSON.parse of the same files: ${int(baselineEventsPerSec)} events/s (ratio ${round(eventsPerSec / baselineEventsPerSec, 3)})`,
      );
      emitJson({
        bench: "ingest/store",
        events: totals.events,
        eventsPerSec: Math.round(eventsPerSec),
        baselineEventsPerSec: Math.round(baselineEventsPerSec),
        ratio: round(eventsPerSec / baselineEventsPerSec, 3),
      });
      await writer.close();
      await serve.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
