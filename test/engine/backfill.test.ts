/** Backfilling one metric filter over stored events: counted once, resumable, refused when done. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { backfillCheckpointSource, backfillMetricFilter } from "../../src/engine/backfill.js";
import { ManualClock } from "../../src/engine/clock.js";
import { Engine } from "../../src/engine/engine.js";
import { mergeSketch, sketchOf } from "../../src/metrics/sketch-codec.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/store.js";
import type { MetricId } from "../../src/store/types.js";

const G = "CloudTrail/DefaultLogGroup";
const FILTER = "RootAccountUsage";
const METRIC: MetricId = {
  namespace: "CloudTrailMetrics",
  metricName: "RootAccountUsageCount",
  dimensions: [],
};
const START = Date.parse("2026-01-01T00:00:00Z");
const MINUTE = 60_000;

function event(type: "Root" | "IAMUser", eventName: string): string {
  return JSON.stringify({
    eventVersion: "1.08",
    userIdentity: { type, arn: `arn:aws:iam::123456789012:${type === "Root" ? "root" : "user/alice"}` },
    eventName,
    eventType: "AwsApiCall",
  });
}

/**
 * A real engine on a real SQLite store, the store seen through a Proxy whose `commit` can be made to fail
 * (a crash between two pages of a backfill).
 */
async function setup() {
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-backfill-"));
  const store = await openSqliteStore({ path: join(dir, "trailwatch.db"), mergeSketch });
  const crash = { commits: 0, failAt: undefined as number | undefined };
  const proxied = new Proxy(store, {
    get(target, prop) {
      if (prop === "commit") {
        return async (batch: Parameters<Store["commit"]>[0]) => {
          crash.commits++;
          if (crash.failAt !== undefined && crash.commits === crash.failAt)
            throw new Error("simulated crash");
          return target.commit(batch);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as Store;
  const clock = new ManualClock(START);
  const engine = await Engine.open({
    store: proxied,
    clock,
    identity: { account: "123456789012", region: "us-east-1" },
    listener: { onTransition() {} },
    storeEvents: true,
    mergeSketch,
    sketchOf,
  });
  await engine.logs.createLogGroup(G);
  return {
    engine,
    clock,
    crash,
    /** Makes the n-th commit from now on fail. */
    failCommit(n: number) {
      crash.commits = 0;
      crash.failAt = n;
    },
    async putFilter() {
      await engine.logs.putMetricFilter({
        logGroupName: G,
        filterName: FILTER,
        filterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }',
        metricTransformations: [
          { metricName: METRIC.metricName, metricNamespace: METRIC.namespace, metricValue: "1" },
        ],
      });
    },
    /** Sum per minute of the metric, as stored. */
    async sums(): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const a of await engine.store.queryAggregates(METRIC, 0, Number.MAX_SAFE_INTEGER))
        out[new Date(a.timestamp).toISOString().slice(11, 16)] = a.sum;
      return out;
    },
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Twelve events over four minutes, ingested before any filter exists: 7 by the root user (minute 0: 2,
 * minute 1: 1, minute 2: 3, minute 3: 1).
 */
const HISTORY: { minute: number; type: "Root" | "IAMUser" }[] = [
  { minute: 0, type: "Root" },
  { minute: 0, type: "IAMUser" },
  { minute: 0, type: "Root" },
  { minute: 1, type: "IAMUser" },
  { minute: 1, type: "Root" },
  { minute: 1, type: "IAMUser" },
  { minute: 2, type: "Root" },
  { minute: 2, type: "Root" },
  { minute: 2, type: "IAMUser" },
  { minute: 2, type: "Root" },
  { minute: 3, type: "IAMUser" },
  { minute: 3, type: "Root" },
];
const EXPECTED = { "00:00": 2, "00:01": 1, "00:02": 3, "00:03": 1 };

async function ingestHistory(t: Awaited<ReturnType<typeof setup>>, liveMatches = 0) {
  t.clock.set(START + 10 * MINUTE);
  const result = await t.engine.ingest(
    G,
    "123456789012_CloudTrail_us-east-1",
    HISTORY.map((h, i) => ({
      timestamp: START + h.minute * MINUTE + i * 1000,
      message: event(h.type, `E${i}`),
    })),
  );
  assert.deepEqual(
    result,
    { events: 12, matched: liveMatches, samples: liveMatches },
    "RootAccountUsage not there yet",
  );
  t.clock.set(START + 11 * MINUTE);
}

describe("backfillMetricFilter", () => {
  test("publishes the filter's datapoints for events stored before it existed", async () => {
    const t = await setup();
    try {
      await ingestHistory(t);
      await t.putFilter();
      assert.deepEqual(await t.sums(), {}, "a new filter does not look back by itself");
      const result = await backfillMetricFilter(t.engine, { logGroupName: G, filterName: FILTER });
      assert.deepEqual(result, { events: 12, matched: 7, samples: 7, skipped: 0, lastSeq: result.lastSeq });
      assert.deepEqual(await t.sums(), EXPECTED);
      assert.equal(
        await t.engine.store.getCheckpoint(backfillCheckpointSource(G, FILTER)),
        `done:${result.lastSeq}`,
      );
      // Within the alarm windows kept in memory: there too, for the next evaluation.
      const inMemory = t.engine.index.range(METRIC, START, START + 10 * MINUTE);
      assert.equal(
        inMemory.reduce((s, a) => s + a.sum, 0),
        7,
      );
      // GetMetricStatistics sees them.
      const stats = await t.engine.cloudwatch.getMetricStatistics({
        Namespace: METRIC.namespace,
        MetricName: METRIC.metricName,
        StartTime: new Date(START),
        EndTime: new Date(START + 5 * MINUTE),
        Period: 300,
        Statistics: ["Sum"],
      });
      assert.deepEqual(
        stats.Datapoints.map((d) => d.Sum),
        [7],
      );
    } finally {
      await t.close();
    }
  });

  test("a completed backfill is refused, unless restarted (which counts again)", async () => {
    const t = await setup();
    try {
      await ingestHistory(t);
      await t.putFilter();
      await backfillMetricFilter(t.engine, { logGroupName: G, filterName: FILTER });
      await assert.rejects(
        backfillMetricFilter(t.engine, { logGroupName: G, filterName: FILTER }),
        (e: Error) => {
          assert.equal(e.name, "InvalidOperationException");
          assert.match(e.message, /already backfilled.*restart/);
          return true;
        },
      );
      assert.deepEqual(await t.sums(), EXPECTED, "the refusal changed nothing");
      const again = await backfillMetricFilter(t.engine, {
        logGroupName: G,
        filterName: FILTER,
        restart: true,
      });
      assert.equal(again.matched, 7);
      assert.deepEqual(await t.sums(), { "00:00": 4, "00:01": 2, "00:02": 6, "00:03": 2 });
    } finally {
      await t.close();
    }
  });

  test("an interrupted backfill resumes from its checkpoint without counting a page twice", async () => {
    const t = await setup();
    try {
      await ingestHistory(t);
      await t.putFilter();
      t.failCommit(2);
      await assert.rejects(
        backfillMetricFilter(t.engine, { logGroupName: G, filterName: FILTER, pageSize: 5 }),
        /simulated crash/,
      );
      // The first page (events 0–4: root at minutes 0, 0 and 1) is committed, with its checkpoint.
      assert.deepEqual(await t.sums(), { "00:00": 2, "00:01": 1 });
      const checkpoint = await t.engine.store.getCheckpoint(backfillCheckpointSource(G, FILTER));
      const firstPage = await t.engine.store.scanLogEvents({ logGroupName: G, limit: 5 });
      assert.equal(checkpoint, String(firstPage[4].seq));

      t.failCommit(0);
      const resumed = await backfillMetricFilter(t.engine, {
        logGroupName: G,
        filterName: FILTER,
        pageSize: 5,
      });
      assert.equal(resumed.resumedAfter, firstPage[4].seq);
      assert.equal(resumed.events, 7, "only the events after the checkpoint are read again");
      assert.equal(resumed.matched, 4);
      assert.deepEqual(await t.sums(), EXPECTED, "no minute counted twice");
      assert.equal(
        await t.engine.store.getCheckpoint(backfillCheckpointSource(G, FILTER)),
        `done:${resumed.lastSeq}`,
      );
    } finally {
      await t.close();
    }
  });

  test("events ingested after the filter existed were counted live and are skipped", async () => {
    const t = await setup();
    try {
      await ingestHistory(t);
      await t.putFilter();
      t.clock.set(START + 12 * MINUTE);
      const live = await t.engine.ingest(G, "s2", [
        { timestamp: START + 12 * MINUTE, message: event("Root", "Live1") },
        { timestamp: START + 12 * MINUTE + 1000, message: event("IAMUser", "Live2") },
      ]);
      assert.equal(live.matched, 1);
      const result = await backfillMetricFilter(t.engine, { logGroupName: G, filterName: FILTER });
      assert.equal(result.events, 14);
      assert.equal(result.skipped, 2);
      assert.equal(result.matched, 7);
      assert.deepEqual(await t.sums(), { ...EXPECTED, "00:12": 1 });
    } finally {
      await t.close();
    }
  });

  test("a time window limits the events; only that filter runs", async () => {
    const t = await setup();
    try {
      await t.engine.logs.putMetricFilter({
        logGroupName: G,
        filterName: "Everything",
        filterPattern: "",
        metricTransformations: [
          { metricName: "All", metricNamespace: "CloudTrailMetrics", metricValue: "1" },
        ],
      });
      await ingestHistory(t, 12);
      const all: MetricId = { namespace: "CloudTrailMetrics", metricName: "All", dimensions: [] };
      const before = (await t.engine.store.queryAggregates(all, 0, Number.MAX_SAFE_INTEGER)).reduce(
        (s, a) => s + a.sum,
        0,
      );
      assert.equal(before, 12, "the other filter counted the events live");
      await t.putFilter();
      const result = await backfillMetricFilter(t.engine, {
        logGroupName: G,
        filterName: FILTER,
        startTime: START + MINUTE,
        endTime: START + 3 * MINUTE,
      });
      assert.equal(result.events, 7);
      assert.deepEqual(await t.sums(), { "00:01": 1, "00:02": 3 });
      const after = (await t.engine.store.queryAggregates(all, 0, Number.MAX_SAFE_INTEGER)).reduce(
        (s, a) => s + a.sum,
        0,
      );
      assert.equal(after, 12, "the group's other filter was not run again");
    } finally {
      await t.close();
    }
  });

  test("unknown log group or filter: ResourceNotFoundException", async () => {
    const t = await setup();
    try {
      await assert.rejects(backfillMetricFilter(t.engine, { logGroupName: "nope", filterName: FILTER }), {
        name: "ResourceNotFoundException",
        message: "The specified log group does not exist.",
      });
      await assert.rejects(backfillMetricFilter(t.engine, { logGroupName: G, filterName: "Root" }), {
        name: "ResourceNotFoundException",
      });
    } finally {
      await t.close();
    }
  });
});
