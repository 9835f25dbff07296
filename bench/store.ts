/**
 * `npm run bench -- store`: one store commit as ingestion makes it — 1,000 CloudTrail events, their stream
 * bookmarks, 50 metric aggregates with percentile sketches and a source checkpoint, in one transaction — on
 * SQLite (a file in a temporary folder) and on PostgreSQL (a fresh schema on TRAILWATCH_BENCH_POSTGRES,
 * default postgres://postgres@127.0.0.1:5432/test; left out with a message when unreachable). SQLite is the
 * baseline of the same run. Ends with `{"bench":"store/commit",...}`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { mergeSketch, sketchOf } from "../src/metrics/sketch-codec.js";
import { openPostgresStore } from "../src/store/postgres/index.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import type { CommitBatch, Store } from "../src/store/store.js";
import type { MetricAggregate } from "../src/store/types.js";
import { type BenchOptions, emitJson, int, machine, round, selected } from "./lib.js";

const GROUP = "/aws/cloudtrail";
const EVENTS = 1000;
const AGGREGATES = 50;

const MESSAGE = JSON.stringify({
  eventVersion: "1.08",
  userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::123456789012:assumed-role/Admin/alice" },
  eventTime: "2024-01-01T00:00:00Z",
  eventSource: "s3.amazonaws.com",
  eventName: "GetObject",
  awsRegion: "us-east-1",
  sourceIPAddress: "203.0.113.7",
  userAgent: "aws-sdk-js/3.0",
  requestParameters: { bucketName: "logs", key: "a/b/c.json.gz" },
  requestID: "ABCDEF0123456789",
  eventID: "00000000-0000-0000-0000-000000000000",
  readOnly: true,
  eventType: "AwsApiCall",
  recipientAccountId: "123456789012",
});

function batch(b: number): CommitBatch {
  const stream = (k: number) => `123456789012_CloudTrail_us-east-${k}`;
  return {
    events: Array.from({ length: EVENTS }, (_, i) => ({
      logGroupName: GROUP,
      logStreamName: stream(i % 2),
      timestamp: b * 60_000 + i,
      ingestionTime: b * 60_000 + 1000,
      message: MESSAGE,
    })),
    streams: [0, 1].map((k) => ({
      logGroupName: GROUP,
      logStreamName: stream(k),
      creationTime: 0,
      firstEventTimestamp: b * 60_000,
      lastEventTimestamp: b * 60_000 + EVENTS - 1,
      lastIngestionTime: b * 60_000 + 1000,
    })),
    // Three buckets in turn, so that most commits merge into buckets already stored.
    aggregates: Array.from(
      { length: AGGREGATES },
      (_, k): MetricAggregate => ({
        metric: {
          namespace: "CloudTrailMetrics",
          metricName: `Metric${k % 10}`,
          dimensions: [{ Name: "Region", Value: `r${k % 5}` }],
        },
        timestamp: (b % 3) * 60_000,
        resolution: 60,
        unit: "Count",
        sampleCount: 20,
        sum: 20,
        min: 1,
        max: 1,
        sketch: sketchOf(Array.from({ length: 20 }, () => 1)),
      }),
    ),
    checkpoints: [{ source: "s3://bucket/prefix", position: String(b) }],
  };
}

/** Events per second over `batches` commits, after one warm-up commit. */
async function measure(
  store: Store,
  batches: number,
): Promise<{ eventsPerSec: number; msPerCommit: number }> {
  await store.createLogGroup({ logGroupName: GROUP, creationTime: 0, tags: {} });
  await store.commit(batch(0));
  const started = process.hrtime.bigint();
  for (let b = 1; b <= batches; b++) await store.commit(batch(b));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { eventsPerSec: (batches * EVENTS) / seconds, msPerCommit: (seconds / batches) * 1000 };
}

export async function run(opts: BenchOptions): Promise<void> {
  if (!selected(opts, "store/commit")) return;
  const batches = opts.reps ?? 30;
  console.log(
    `store/commit — ${machine()}; ${batches} commits of ${EVENTS} events + ${AGGREGATES} aggregates`,
  );
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-bench-store-"));
  let sqlite: { eventsPerSec: number; msPerCommit: number };
  try {
    const store = await openSqliteStore({ path: join(dir, "bench.db"), mergeSketch });
    try {
      sqlite = await measure(store, batches);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `  SQLite:     ${int(sqlite.eventsPerSec)} events/s, ${round(sqlite.msPerCommit, 1)} ms per commit`,
  );

  const server = process.env.TRAILWATCH_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
  const schema = `trailwatch_bench_${process.pid}`;
  let postgres: { eventsPerSec: number; msPerCommit: number } | undefined;
  try {
    const store = await openPostgresStore({ connectionString: server, schema, mergeSketch });
    try {
      postgres = await measure(store, batches);
    } finally {
      await store.close();
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
    console.log(
      `  PostgreSQL: ${int(postgres.eventsPerSec)} events/s, ${round(postgres.msPerCommit, 1)} ms per commit ` +
        `(${round(postgres.eventsPerSec / sqlite.eventsPerSec, 2)} of SQLite's)`,
    );
  } catch (e) {
    console.log(`  PostgreSQL: left out (${(e as Error).message})`);
  }
  emitJson({
    bench: "store/commit",
    sqliteEventsPerSec: Math.round(sqlite.eventsPerSec),
    postgresEventsPerSec: postgres ? Math.round(postgres.eventsPerSec) : null,
    ratio: postgres ? round(postgres.eventsPerSec / sqlite.eventsPerSec, 3) : null,
  });
}
