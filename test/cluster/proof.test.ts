/**
 * The scale-out proof, with real processes: three `trailwatch serve --store postgres://… --bus nats://…`
 * instances on one schema and one stream take 100,000 events through PutLogEvents, each batch sent to a
 * random live instance, while one worker is killed with kill -9 (and restarted) and, later, the evaluator
 * itself. Afterwards the store must hold what a single SQLite instance holds after the same input: the
 * same metric buckets (counts and sums), the same number of events, the same alarm transitions, the same
 * notifications queued — and the HTTP subscriber must have received each alarm's notification, under one
 * message id. A new evaluator must take over within 10 s.
 *
 * TRAILWATCH_PROOF_EVENTS changes the event count (default 100,000).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import pg from "pg";
import { openBus } from "../../src/cluster/jetstream.js";
import { mergeSketch } from "../../src/metrics/sketch-codec.js";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { freePort } from "../helpers/server.js";
import { type Kind, record } from "./events.js";
import {
  type Batch,
  fingerprint,
  MARKERS,
  type Serve,
  sendAll,
  setUp,
  startServe,
  startSubscriber,
  stopServe,
  writeProofPack,
} from "./proof-kit.js";
import {
  busConfig,
  busUrl,
  deleteStream,
  dropSchema,
  eventually,
  PG_SERVER,
  storeUrl,
  uniqueName,
  withServices,
} from "./services.js";

const N = Number(process.env.TRAILWATCH_PROOF_EVENTS ?? 100_000);
const PER_BATCH = 500;
/** The cluster run's sending is spread over this long, so that the kills and restarts land mid-stream. */
const SEND_MS = 30_000;
const STREAMS = ["s0", "s1", "s2", "s3"];
/** Seed alarms (root, no MFA, console without MFA) and the markers: each goes to ALARM once. */
const ALARMS = 3 + MARKERS;

function kindOf(i: number): Kind {
  if (i % 997 === 0) return "root";
  const r = i % 10;
  return r < 6 ? "plain" : r < 8 ? "nomfa" : r < 9 ? "console" : "plain";
}

/** The input, timed from `t0`: all events within two seconds, so every alarm window holds them all. */
function batchesFor(t0: number): Batch[] {
  const markerAt = new Map<number, number>();
  for (let j = 0; j < MARKERS; j++) markerAt.set(Math.floor(((j + 0.5) * N) / MARKERS), j);
  const batches: Batch[] = [];
  for (let i = 0; i < N; i++) {
    const b = Math.floor(i / PER_BATCH);
    batches[b] ??= { stream: STREAMS[b % STREAMS.length], events: [] };
    const timestamp = t0 + Math.floor((i * 2000) / N);
    let message = record(kindOf(i), i, timestamp);
    const marker = markerAt.get(i);
    if (marker !== undefined) {
      const r = JSON.parse(message);
      r.eventName = `Marker${marker}`;
      message = JSON.stringify(r);
    }
    batches[b].events.push({ timestamp, message });
  }
  return batches;
}

/** The start of the minute half a minute ago: the events' time base. */
const timeBase = () => Math.floor((Date.now() - 30_000) / 60_000) * 60_000;

await withServices("scale-out proof", () => {
  test(`three instances on PostgreSQL + NATS, a worker and the evaluator killed with -9: the same as one SQLite instance (${N} events)`, {
    timeout: 280_000,
  }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "trailwatch-proof-"));
    const schema = uniqueName("proof");
    const stream = uniqueName("proof").toUpperCase();
    const pack = writeProofPack(dir);
    const serves: Serve[] = [];
    const subscribers: { close(): Promise<void> }[] = [];
    try {
      // ---- one instance on SQLite ----
      const started = Date.now();
      const t0Base = timeBase();
      const baseSub = await startSubscriber();
      subscribers.push(baseSub);
      const baseDir = join(dir, "single");
      const single = await startServe({ port: await freePort(), dataDir: baseDir, pack });
      serves.push(single);
      await setUp(single.url, baseSub.url, STREAMS);
      await baseSub.confirmed;
      await sendAll(batchesFor(t0Base), () => [single.url], { concurrency: 4 });
      await eventually("the single instance's notifications", async () =>
        new Set(baseSub.notifications.map((n) => n.alarmName)).size === ALARMS ? true : undefined,
      );
      await stopServe(single);
      const sqlite = await openSqliteStore({ path: join(baseDir, "trailwatch.db"), mergeSketch });
      const expected = await fingerprint(sqlite, t0Base);
      await sqlite.close();
      t.diagnostic(`single SQLite instance: ${((Date.now() - started) / 1000).toFixed(1)} s`);

      // ---- three instances on PostgreSQL + NATS ----
      const clusterStarted = Date.now();
      const t0 = timeBase();
      const sub = await startSubscriber();
      subscribers.push(sub);
      const shared = join(dir, "cluster");
      const ports = [await freePort(), await freePort(), await freePort()];
      const options = (port: number) => ({
        port,
        dataDir: shared,
        pack,
        store: storeUrl(schema),
        bus: busUrl(stream),
      });
      // The first alone (it makes the schema, the stream and the signing key), then the other two.
      const first = await startServe(options(ports[0]));
      const rest = await Promise.all(ports.slice(1).map((p) => startServe(options(p))));
      const live = new Set<Serve>([first, ...rest]);
      serves.push(first, ...rest);
      await setUp(first.url, sub.url, STREAMS);
      await sub.confirmed;

      const db = new pg.Client({ connectionString: PG_SERVER });
      await db.connect();
      const leaderPid = async (): Promise<number | undefined> => {
        const r = await db.query<{ holder: string }>(
          `SELECT holder FROM ${schema}.leases WHERE name = 'evaluator' AND expires_at > $1`,
          [Date.now()],
        );
        return r.rows[0] ? Number(r.rows[0].holder.split(":")[1]) : undefined;
      };
      const restarts: Promise<void>[] = [];
      const restart = (s: Serve, afterMs: number) =>
        restarts.push(
          (async () => {
            await new Promise((r) => setTimeout(r, afterMs));
            const again = await startServe(options(s.port));
            serves.push(again);
            live.add(again);
          })(),
        );
      let takeoverMs = -1;
      const batches = batchesFor(t0);
      const { retries } = await sendAll(batches, () => [...live].map((s) => s.url), {
        concurrency: 4,
        durationMs: SEND_MS,
        onProgress: async (done) => {
          if (done === Math.floor(batches.length * 0.3)) {
            // A worker that is not the evaluator: kill -9, restart at once.
            const leader = await leaderPid();
            const victim = [...live].find((s) => s.child.pid !== leader)!;
            live.delete(victim);
            victim.child.kill("SIGKILL");
            restart(victim, 0);
            t.diagnostic(`killed worker pid ${victim.child.pid} after ${done} batches`);
          }
          if (done === Math.floor(batches.length * 0.6)) {
            const leader = await leaderPid();
            const victim = [...live].find((s) => s.child.pid === leader);
            assert.ok(victim, "the evaluator is one of the live instances");
            live.delete(victim);
            const killedAt = Date.now();
            victim.child.kill("SIGKILL");
            t.diagnostic(`killed the evaluator pid ${leader} after ${done} batches`);
            restarts.push(
              (async () => {
                await eventually(
                  "a new evaluator",
                  async () => {
                    const now = await leaderPid();
                    return now !== undefined && now !== leader ? now : undefined;
                  },
                  20_000,
                );
                takeoverMs = Date.now() - killedAt;
              })(),
            );
            restart(victim, 3000);
          }
        },
      });
      await Promise.all(restarts);
      t.diagnostic(`sent ${N} events in ${batches.length} batches (${retries} requests retried elsewhere)`);
      t.diagnostic(`evaluator takeover after ${takeoverMs} ms`);
      assert.ok(takeoverMs >= 0 && takeoverMs <= 10_000, `takeover within 10 s (${takeoverMs} ms)`);

      // Everything applied, every notification sent.
      const bus = await openBus(busConfig(stream), "proof-check");
      try {
        await eventually(
          "the bus to drain",
          async () => {
            const info = await bus.jsm.consumers.info(bus.config.stream, bus.config.consumer);
            return info.num_pending + info.num_ack_pending === 0 ? true : undefined;
          },
          60_000,
        );
      } finally {
        await bus.close();
      }
      await eventually(
        "every alarm's notification",
        async () => (new Set(sub.notifications.map((n) => n.alarmName)).size === ALARMS ? true : undefined),
        60_000,
      );
      await eventually("the outbox to empty", async () => {
        const r = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${schema}.delivery_outbox WHERE status = 'pending'`,
        );
        return Number(r.rows[0].n) === 0 ? true : undefined;
      });
      await db.end();
      await Promise.all([...live].map((s) => stopServe(s)));
      const store = await openPostgresStore({ connectionString: PG_SERVER, schema, mergeSketch });
      const actual = await fingerprint(store, t0);
      await store.close();
      t.diagnostic(`cluster run: ${((Date.now() - clusterStarted) / 1000).toFixed(1)} s`);

      const summary = expected as {
        metrics: object;
        transitions: Record<string, string[]>;
        deliveries: string[];
      };
      t.diagnostic(
        `compared: ${Object.keys(summary.metrics).length} metric series, ` +
          `${Object.values(summary.transitions).flat().length} transitions, ${summary.deliveries.length} deliveries`,
      );
      if (process.env.PROOF_DEBUG)
        t.diagnostic(JSON.stringify((actual as { transitions: unknown }).transitions));
      assert.equal(actual.events, N, "every event stored once");
      assert.deepEqual(actual, expected, "the cluster's store is the single instance's");
      const ids = (list: { messageId: string; alarmName: string; newState: string }[]) =>
        [...new Map(list.map((n) => [n.messageId, `${n.alarmName} ${n.newState}`])).values()].sort();
      assert.deepEqual(ids(sub.notifications), ids(baseSub.notifications), "one message id per notification");
      assert.equal(ids(sub.notifications).length, ALARMS);
      const copies = sub.notifications.length - ids(sub.notifications).length;
      t.diagnostic(
        `notifications received: ${sub.notifications.length} (${copies} repeated under the same id)`,
      );
    } finally {
      await Promise.all(serves.map((s) => stopServe(s, "SIGKILL")));
      for (const s of subscribers) await s.close();
      await dropSchema(schema).catch(() => {});
      await deleteStream(stream).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
