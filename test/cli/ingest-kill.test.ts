/**
 * Exactly once under kill -9: `trailwatch ingest` (a real child process) is killed at random moments and
 * restarted until it finishes; the store must then hold exactly what one uninterrupted run produces — the
 * same metric sums, the same events (none twice), and the same alarm history when the alarms are
 * evaluated over it.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { eventLines, writeCloudTrailFiles } from "../../bench/workload.js";
import { ManualClock } from "../../src/engine/clock.js";
import { Engine } from "../../src/engine/engine.js";
import { mergeSketch, sketchOf } from "../../src/metrics/sketch-codec.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import type { MetricAggregate } from "../../src/store/types.js";
import { rng } from "../helpers/random.js";
import { ROOT } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "trailwatch-kill-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const START = Date.UTC(2024, 5, 1);

function ingestChild(dataDir: string, inputs: string) {
  return spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "ingest",
      "--json",
      "--batch-events",
      "23",
      "--data-dir",
      dataDir,
      inputs,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
}

function run(dataDir: string, inputs: string): Promise<{ code: number | null; stdout: string }> {
  const child = ingestChild(dataDir, inputs);
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout })));
}

/** Starts a run and kills it (SIGKILL) after `ms`; true when it had finished by itself before. */
function runAndKill(dataDir: string, inputs: string, ms: number): Promise<boolean> {
  const child = ingestChild(dataDir, inputs);
  child.stdout.resume();
  child.stderr.resume();
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    }),
  );
}

/** Everything that must be identical: aggregates per metric, events, and the alarm timeline. */
async function fingerprint(dataDir: string): Promise<unknown> {
  const path = join(dataDir, "trailwatch.db");
  const db = new Database(path, { readonly: true });
  const events = db.prepare("SELECT count(*) AS n, count(DISTINCT message) AS d FROM log_events").get();
  const streams = db
    .prepare(
      "SELECT s.name, count(*) AS n FROM log_events e JOIN log_streams s ON s.id = e.stream_id GROUP BY s.name ORDER BY s.name",
    )
    .all();
  const aggregates = db
    .prepare(
      `SELECT s.namespace, s.metric_name, a.timestamp, a.sample_count, a.sum FROM metric_aggregates a
       JOIN metric_series s ON s.id = a.series_id ORDER BY s.namespace, s.metric_name, a.timestamp`,
    )
    .all();
  db.close();

  // The alarm history the store's data gives, fed minute by minute as replay feeds it. The engine opens
  // far after the data (so nothing is preloaded) and the alarms are dated before it.
  const clock = new ManualClock(START + 400 * 86_400_000);
  const timeline: string[] = [];
  const store = await openSqliteStore({ path, mergeSketch });
  const engine = await Engine.open({
    store,
    clock,
    identity: { account: "123456789012", region: "us-east-1" },
    listener: {
      onTransition: (t) =>
        void timeline.push(`${t.timestamp} ${t.alarm.alarmName} ${t.oldState}->${t.newState}`),
    },
    storeEvents: false,
    mergeSketch,
    sketchOf,
  });
  for (const a of engine.alarms.list())
    await engine.alarms.replace({
      ...a,
      stateUpdatedTimestamp: START - 60_000,
      stateTransitionedTimestamp: START - 60_000,
    });
  const byMinute = new Map<number, MetricAggregate[]>();
  for (const m of engine.alarms.watchedMetrics())
    for (const agg of await store.queryAggregates(m, 0, Number.MAX_SAFE_INTEGER))
      byMinute.set(agg.timestamp, [...(byMinute.get(agg.timestamp) ?? []), agg]);
  for (let t = START; t <= START + 86_400_000 + 600_000; t += 60_000) {
    clock.set(t);
    await engine.tick(t);
    await engine.publishAggregates(byMinute.get(t) ?? [], t);
  }
  await engine.close();
  return { events, streams, aggregates, timeline };
}

test("kill -9 at random points, restart until done: the same sums, events and alarm history", async () => {
  // The inputs: gzipped CloudTrail files in the S3 layout, a JSON-lines file with bad lines, a corrupt .gz.
  const inputs = join(dir, "inputs");
  await writeCloudTrailFiles(inputs, 12_000, 24, { spanDays: 1, startMs: START });
  const jsonl = join(inputs, "extra.jsonl");
  writeFileSync(jsonl, "");
  let k = 0;
  for (const line of eventLines(800, { spanDays: 1, startMs: START, seed: 7 })) {
    appendFileSync(jsonl, `${line}\n`);
    if (++k % 200 === 0) appendFileSync(jsonl, '{"eventTime": broken\n{"no":"time"}\n');
  }
  mkdirSync(join(inputs, "bad"), { recursive: true });
  writeFileSync(
    join(inputs, "bad", "truncated.json.gz"),
    gzipSync('{"Records":[{"eventTime":"2024-06-01T00:00:00Z"}]}').subarray(0, 30),
  );

  // How long a run takes with nothing to read (mostly starting tsx), and with everything.
  mkdirSync(join(dir, "empty"));
  let started = Date.now();
  await run(join(dir, "startup"), join(dir, "empty"));
  const startup = Date.now() - started;
  const reference = join(dir, "reference");
  started = Date.now();
  const ref = await run(reference, inputs);
  const duration = Date.now() - started;
  assert.equal(ref.code, 0);
  const summary = JSON.parse(ref.stdout.trim().split("\n").pop() ?? "{}");
  assert.equal(summary.events, 12_800);
  assert.equal(summary.skipped, 9, "8 bad lines and the truncated file");

  const killed = join(dir, "killed");
  const random = rng(20240601);
  let kills = 0;
  for (let attempt = 0; attempt < 40; attempt++) {
    // After start-up, somewhere in the first 15% of a full run's work: many kills, each mid-ingest.
    const work = Math.max(50, duration - startup);
    const finished = await runAndKill(killed, inputs, Math.round(startup + work * 0.15 * random.next()));
    if (finished) break;
    kills++;
  }
  const last = await run(killed, inputs);
  assert.equal(last.code, 0);
  assert.ok(kills >= 5, `killed only ${kills} times`);

  const a = await fingerprint(reference);
  const b = await fingerprint(killed);
  assert.deepEqual(b, a);
  const events = (a as { events: { n: number; d: number } }).events;
  assert.equal(events.n, 12_800);
  assert.equal(events.d, 12_800, "no event stored twice");
  assert.ok(
    (a as { timeline: string[] }).timeline.some((t) => t.includes("->ALARM")),
    "alarms did fire",
  );
});
