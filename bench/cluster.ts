/**
 * `npm run bench -- cluster`: how fast the cluster applies events, with 1, 2 and 3 worker processes on
 * this machine, beside one process applying the same batches straight into SQLite (today's serve) and
 * straight into PostgreSQL (no bus). Each worker is a real process (this file, run with `--worker`): a
 * store, the seed's metric filters, and a BusWorker on the shared durable consumer.
 *
 * Method: N events (default 100,000, the real record mix of bench/workload.ts) in batches of 500 are
 * published to a fresh stream first (publish time reported apart); the workers start, report ready, and
 * are released together; the clock runs from the release to the stream drained and every event stored.
 * Each worker count gets a fresh schema and stream. Coordination overhead per batch = (1 worker's time
 * − the direct PostgreSQL time) ÷ batches: what the bus, the claim and the acknowledgement add.
 *
 * PostgreSQL and NATS must be reachable (TRAILWATCH_TEST_POSTGRES, TRAILWATCH_TEST_NATS, as the tests).
 * Ends with `{"bench":"cluster/throughput",...}`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { BusSink } from "../src/cluster/bus-sink.js";
import { parseBusUrl } from "../src/cluster/bus-url.js";
import { BusWorker } from "../src/cluster/bus-worker.js";
import { busLag, openBus } from "../src/cluster/jetstream.js";
import { systemClock } from "../src/engine/clock.js";
import { Engine } from "../src/engine/engine.js";
import { installPack } from "../src/engine/install-pack.js";
import { mergeSketch, sketchOf } from "../src/metrics/sketch-codec.js";
import { loadPack } from "../src/packs/pack.js";
import { openPostgresStore } from "../src/store/postgres/index.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import type { Store } from "../src/store/store.js";
import { type BenchOptions, emitJson, int, machine, round, selected } from "./lib.js";
import { generateLines } from "./workload.js";

const PG_SERVER = process.env.TRAILWATCH_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const NATS = process.env.TRAILWATCH_TEST_NATS ?? "nats://127.0.0.1:4222";
const GROUP = "CloudTrail/DefaultLogGroup";
const PER_BATCH = 500;
const SELF = fileURLToPath(import.meta.url);

type Batch = { stream: string; events: { timestamp: number; message: string }[] };

function batchesOf(n: number): Batch[] {
  const base = Date.now() - 3_600_000;
  const lines = generateLines(n, { startMs: base, spanDays: 1 / 24 });
  const out: Batch[] = [];
  lines.forEach((message, i) => {
    const b = Math.floor(i / PER_BATCH);
    out[b] ??= { stream: `s${b % 4}`, events: [] };
    out[b].events.push({ timestamp: base + i, message });
  });
  return out;
}

async function openEngine(store: Store): Promise<Engine> {
  const engine = await Engine.open({
    store,
    clock: systemClock,
    identity: { account: "123456789012", region: "us-east-1" },
    listener: { onTransition() {} },
    storeEvents: true,
    mergeSketch,
    sketchOf,
  });
  engine.alarms.evaluating = false;
  return engine;
}

const busUrlOf = (name: string) => `${NATS}/?stream=${name}&subjects=${name}.events&consumer=${name}_w`;
const pgTarget = (schema: string) => ({ connectionString: PG_SERVER, schema, mergeSketch });

/** Applies every batch in one process, straight into `store` (no bus); returns ms. */
async function direct(store: Store, batches: readonly Batch[]): Promise<number> {
  const engine = await openEngine(store);
  await installPack(engine, await loadPack("seed"));
  const t0 = performance.now();
  for (const b of batches) await engine.applyBatch(GROUP, [{ logStreamName: b.stream, events: b.events }]);
  const ms = performance.now() - t0;
  await engine.close();
  return ms;
}

/** Publishes the batches, runs `workers` processes until the stream is drained; returns ms. */
async function viaBus(
  workers: number,
  batches: readonly Batch[],
  n: number,
): Promise<{ publishMs: number; applyMs: number }> {
  const name = `tw_bench_${process.pid}_${workers}`;
  const schema = name;
  const setup = await openPostgresStore(pgTarget(schema));
  const engine = await openEngine(setup);
  await installPack(engine, await loadPack("seed"));
  const bus = await openBus(parseBusUrl(busUrlOf(name), { TRAILWATCH_BUS_ACK_WAIT_MS: "30000" }), "bench");
  const sink = new BusSink(bus, systemClock);
  const p0 = performance.now();
  await Promise.all(
    batches.map((b) => sink.ingestBatch(GROUP, [{ logStreamName: b.stream, events: b.events }], {})),
  );
  const publishMs = performance.now() - p0;
  const children: ChildProcess[] = [];
  try {
    const ready: Promise<void>[] = [];
    for (let i = 0; i < workers; i++) {
      const child = spawn(process.execPath, ["--import", "tsx", SELF, "--worker", schema, busUrlOf(name)], {
        stdio: ["pipe", "pipe", "inherit"],
      });
      children.push(child);
      ready.push(
        new Promise((resolve, reject) => {
          child.stdout?.setEncoding("utf8").on("data", (s: string) => s.includes("ready") && resolve());
          child.on("exit", (code) => reject(new Error(`worker exited (${code})`)));
        }),
      );
    }
    await Promise.all(ready);
    const a0 = performance.now();
    for (const c of children) c.stdin?.write("go\n");
    const db = new pg.Client({ connectionString: PG_SERVER });
    await db.connect();
    for (;;) {
      const lag = await busLag(bus);
      if (lag.pending + lag.unacked === 0) {
        const r = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.log_events`);
        if (Number(r.rows[0].n) >= n) break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const applyMs = performance.now() - a0;
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.end();
    return { publishMs, applyMs };
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await engine.close();
    await (await jetstreamManager(bus.nc)).streams.delete(name).catch(() => false);
    await bus.close();
  }
}

/** Worker mode: a store, the filters, a BusWorker; starts consuming on "go". */
async function workerMain(schema: string, url: string): Promise<void> {
  const store = await openPostgresStore(pgTarget(schema));
  const own = await openPostgresStore(pgTarget(schema));
  const engine = await openEngine(store);
  const bus = await openBus(parseBusUrl(url, { TRAILWATCH_BUS_ACK_WAIT_MS: "30000" }), "bench worker");
  const worker = new BusWorker({
    bus,
    engine,
    store: own,
    clock: systemClock,
    onError: (err) => console.error(err),
  });
  process.stdout.write("ready\n");
  await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
  await worker.start();
  process.once("SIGTERM", async () => {
    await worker.stop();
    await bus.close();
    await Promise.all([engine.close(), own.close()]);
    process.exit(0);
  });
}

async function reachable(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: PG_SERVER, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
  } catch (err) {
    return `PostgreSQL at ${PG_SERVER}: ${(err as Error).message}`;
  } finally {
    await c.end().catch(() => {});
  }
  try {
    const nc = await connect({ servers: NATS.replace(/^nats:\/\//, ""), timeout: 3000 });
    await nc.close();
  } catch (err) {
    return `NATS at ${NATS}: ${(err as Error).message}`;
  }
  return undefined;
}

export async function run(opts: BenchOptions): Promise<void> {
  if (!selected(opts, "cluster/throughput")) return;
  console.log(`cluster/throughput — ${machine()}`);
  const why = await reachable();
  if (why) {
    console.log(`skipped: ${why}`);
    emitJson({ bench: "cluster/throughput", skipped: why });
    return;
  }
  const n = opts.events ?? 100_000;
  const batches = batchesOf(n);
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-bench-cluster-"));
  const eps = (ms: number) => (n * 1000) / ms;
  try {
    const sqliteMs = await direct(await openSqliteStore({ path: join(dir, "t.db"), mergeSketch }), batches);
    console.log(`  1 process, SQLite, no bus:       ${int(eps(sqliteMs))} events/s`);
    const pgSchema = `tw_bench_${process.pid}_direct`;
    const pgMs = await direct(await openPostgresStore(pgTarget(pgSchema)), batches);
    const db = new pg.Client({ connectionString: PG_SERVER });
    await db.connect();
    await db.query(`DROP SCHEMA ${pgSchema} CASCADE`);
    await db.end();
    console.log(`  1 process, PostgreSQL, no bus:   ${int(eps(pgMs))} events/s`);
    const runs: { workers: number; eventsPerSecond: number; publishEventsPerSecond: number }[] = [];
    for (const workers of [1, 2, 3]) {
      const r = await viaBus(workers, batches, n);
      runs.push({
        workers,
        eventsPerSecond: round(eps(r.applyMs), 0),
        publishEventsPerSecond: round(eps(r.publishMs), 0),
      });
      console.log(
        `  ${workers} worker process${workers > 1 ? "es" : "  "}, PostgreSQL + NATS: ${int(eps(r.applyMs))} events/s applied (published at ${int(eps(r.publishMs))} events/s)`,
      );
    }
    const overheadMs = (n * 1000) / runs[0].eventsPerSecond / batches.length - pgMs / batches.length;
    console.log(
      `  coordination overhead per batch of ${PER_BATCH} (1 worker vs PostgreSQL direct): ${overheadMs.toFixed(2)} ms`,
    );
    emitJson({
      bench: "cluster/throughput",
      events: n,
      batch: PER_BATCH,
      sqliteEventsPerSecond: round(eps(sqliteMs), 0),
      postgresDirectEventsPerSecond: round(eps(pgMs), 0),
      workers: runs,
      overheadMsPerBatch: round(overheadMs, 2),
      machine: machine(),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--worker" && import.meta.url === pathToFileURL(process.argv[1]).href) {
  workerMain(process.argv[3], process.argv[4]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
