/**
 * Ingestion speed and memory.
 *
 * - `ingest/replay`: `trailwatch replay`'s path — sources -> record scanner -> the seed + CIS metric filters
 *   (17, src/packs/patterns.ts) -> event-time alarm evaluation — over N events (default 1,000,000, sampled
 *   uniformly from the 896 real records) in 100 gzipped CloudTrail files in the S3 layout. The baseline,
 *   in the same run, is gunzip + JSON.parse of the same files (the least any reader must do); ratio =
 *   replay events/s ÷ baseline events/s. Peak RSS is the process's maximum resident set after the replay
 *   (file generation streams, and its peak is printed too; the baseline runs afterwards). CPU time counts
 *   every thread: zlib inflates in the thread pool, partly beside the main thread, where the baseline's
 *   gunzipSync does not.
 * - `ingest/store`: `trailwatch ingest`'s path into a serve's SQLite store — checkpointed batches of 5000
 *   events with the events stored, while a second engine on the same file (serve) follows the aggregate
 *   change feed every second — over the first 20 files.
 *
 * Ends with `{"bench":"ingest/replay",...}` (and `{"bench":"ingest/store",...}`).
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { openEngine } from "../src/cli/open-engine.js";
import { AggregateFollower } from "../src/engine/aggregate-follower.js";
import { ManualClock, systemClock } from "../src/engine/clock.js";
import { Engine } from "../src/engine/engine.js";
import { installPack } from "../src/engine/install-pack.js";
import { replay } from "../src/engine/replay.js";
import { ingestSources } from "../src/ingest/ingest-sources.js";
import { listSourceInputs } from "../src/ingest/source-events.js";
import { mergeSketch, sketchOf } from "../src/metrics/sketch-codec.js";
import type { Pack } from "../src/packs/pack.js";
import { CIS_FILTERS, SEED_FILTERS } from "../src/packs/patterns.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import { type BenchOptions, emitJson, fullGc, int, machine, round, selected } from "./lib.js";
import { writeCloudTrailFiles } from "./workload.js";

const FILES = 100;
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
    const paths = await writeCloudTrailFiles(join(dir, "trail"), n, FILES);
    console.log(
      `  wrote ${int(n)} events in ${FILES} gzipped CloudTrail files in ${int(performance.now() - g0)} ms`,
    );
    const pack = seedAndCisPack();

    if (selected(opts, "ingest/replay")) {
      fullGc();
      const clock = new ManualClock(0);
      const threads = availableParallelism();
      // As `trailwatch replay` opens it without --data-dir: a temporary scratch store.
      const opened = await openEngine({
        temporary: true,
        clock,
        listener: { onTransition() {} },
        storeEvents: false,
      });
      const engine = opened.engine;
      let skipped = 0;
      const rssBefore = process.resourceUsage().maxRSS / 1024;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let readMs = 0;
      const summary = await replay({
        engine,
        clock,
        pack,
        onProgress: (p) => {
          if (p.phase === "evaluating") readMs = performance.now() - t0;
        },
        inputs: { list: await listSourceInputs([join(dir, "trail")], {}), onSkip: () => skipped++ },
        threads,
        attribute: true,
        keepAggregates: false,
        skipped: [],
      });
      const replayMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      await opened.dispose();
      fullGc();
      const base = baseline(paths);
      const eventsPerSec = (summary.events * 1000) / replayMs;
      const baselineEventsPerSec = (base.events * 1000) / base.ms;
      if (summary.events !== n || base.events !== n || skipped !== 0)
        throw new Error(
          `ingest/replay: read ${summary.events} (baseline ${base.events}) of ${n}, ${skipped} skipped`,
        );
      console.log(
        `  ingest/replay: ${int(summary.events)} events, ${int(summary.matched)} matched, ${int(summary.samples)} samples in ${int(replayMs)} ms = ${int(eventsPerSec)} events/s`,
      );
      console.log(
        `    of which reading + metric filters ${int(readMs)} ms (${int((summary.events * 1000) / readMs)} events/s), event-time alarm evaluation ${int(replayMs - readMs)} ms`,
      );
      console.log(
        `  baseline gunzip + JSON.parse: ${int(base.ms)} ms = ${int(baselineEventsPerSec)} events/s`,
      );
      console.log(
        `  ratio ${round(eventsPerSec / baselineEventsPerSec, 3)} (target >= 0.6), peak RSS ${int(peakRssMb)} MiB (${int(rssBefore)} MiB before the replay, after writing the files)`,
      );
      // zlib inflates in the thread pool, partly beside the main thread: CPU time says how much.
      console.log(
        `  replay CPU time ${int((cpu.user + cpu.system) / 1000)} ms (user + system, all threads) for ${int(replayMs)} ms wall`,
      );
      emitJson({
        bench: "ingest/replay",
        events: n,
        files: FILES,
        eventsPerSec: Math.round(eventsPerSec),
        baselineEventsPerSec: Math.round(baselineEventsPerSec),
        ratio: round(eventsPerSec / baselineEventsPerSec, 3),
        peakRssMb: Math.round(peakRssMb),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        readEventsPerSec: Math.round((summary.events * 1000) / readMs),
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
