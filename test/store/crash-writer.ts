/**
 * The child of sqlite.test.ts's crash test: commits batches to the store at argv[2] until it is killed.
 * Each batch holds n events (messages e<k>, k = 0, 1, ... across all runs), a stream bookmark, aggregates
 * that add n to two series (one with a count "sketch") and the checkpoint "crash" = events committed so far.
 * After any kill, a consistent store has: checkpoint = event count = aggregate totals.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/store.js";
import type { MetricAggregate } from "../../src/store/types.js";

export const CRASH_T0 = Date.UTC(2024, 0, 1);
export const CRASH_GROUP = "/crash";
export const CRASH_STREAM = "writer";

/** The crash test's sketch: a little-endian uint32 count; merging adds. */
export function countSketch(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}
export function sketchCount(b: Uint8Array): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);
}
export function addCounts(a: Uint8Array, b: Uint8Array): Uint8Array {
  return countSketch(sketchCount(a) + sketchCount(b));
}

/**
 * What the store API must show after a kill when `total` events were committed: aggregates that add up to
 * the batches (the count sketch merged once per batch) and the stream bookmark of the last batch.
 */
export async function assertCrashAggregates(store: Store, total: number): Promise<void> {
  const all = (metric: { metricName: string; dimensions: { Name: string; Value: string }[] }) =>
    store.queryAggregates({ namespace: "Crash", ...metric }, 0, Number.MAX_SAFE_INTEGER);
  const counts = await all({ metricName: "Events", dimensions: [{ Name: "Writer", Value: "1" }] });
  const doubles = await all({ metricName: "Double", dimensions: [] });
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  assert.equal(sum(counts.map((a) => a.sum)), total, "aggregate sums match");
  assert.equal(sum(counts.map((a) => a.sampleCount)), total);
  assert.equal(
    sum(counts.map((a) => sketchCount(a.sketch!))),
    total,
    "sketches merged exactly once per batch",
  );
  assert.equal(sum(doubles.map((a) => a.sum)), 2 * total);
  if (total > 0) {
    const s = await store.getLogStream(CRASH_GROUP, CRASH_STREAM);
    assert.equal(s?.lastEventTimestamp, CRASH_T0 + total - 1, "the bookmark went with its batch");
    assert.equal(s?.firstEventTimestamp, CRASH_T0);
  }
}

async function main(path: string): Promise<void> {
  const store = await openSqliteStore({ path, mergeSketch: addCounts });
  await store.createLogGroup({ logGroupName: CRASH_GROUP, creationTime: CRASH_T0, tags: {} });
  await store.createLogStream({
    logGroupName: CRASH_GROUP,
    logStreamName: CRASH_STREAM,
    creationTime: CRASH_T0,
  });
  let total = Number((await store.getCheckpoint("crash")) ?? "0");
  process.stdout.write("ready\n");
  const padding = "x".repeat(300);
  for (let batch = 0; ; batch++) {
    const n = 1 + Math.floor(Math.random() * 200);
    const events = Array.from({ length: n }, (_, i) => ({
      logGroupName: CRASH_GROUP,
      logStreamName: CRASH_STREAM,
      timestamp: CRASH_T0 + total + i,
      ingestionTime: Date.now(),
      message: `e${total + i} ${padding}`,
    }));
    const bucket = CRASH_T0 + (batch % 7) * 60_000;
    const aggregates: MetricAggregate[] = [
      {
        metric: { namespace: "Crash", metricName: "Events", dimensions: [{ Name: "Writer", Value: "1" }] },
        timestamp: bucket,
        resolution: 60,
        unit: "Count",
        sampleCount: n,
        sum: n,
        min: 1,
        max: 1,
        sketch: countSketch(n),
      },
      {
        metric: { namespace: "Crash", metricName: "Double", dimensions: [] },
        timestamp: CRASH_T0 + (batch % 13) * 1000,
        resolution: 1,
        unit: "None",
        sampleCount: 1,
        sum: 2 * n,
        min: 2 * n,
        max: 2 * n,
      },
    ];
    await store.commit({
      events,
      streams: [
        {
          logGroupName: CRASH_GROUP,
          logStreamName: CRASH_STREAM,
          creationTime: CRASH_T0,
          firstEventTimestamp: CRASH_T0 + total,
          lastEventTimestamp: CRASH_T0 + total + n - 1,
          lastIngestionTime: Date.now(),
        },
      ],
      aggregates,
      checkpoints: [{ source: "crash", position: String(total + n) }],
    });
    total += n;
  }
}

// Run as a script (not when the test imports the helpers above).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv[2]);
}
