import assert from "node:assert/strict";
import { test } from "node:test";
import { applyRetention } from "../../src/engine/retention.js";
import { testEngine } from "../helpers/engine.js";

const DAY = 86_400_000;

test("retention drops a group's old events and old metric data, and nothing else", async () => {
  const t = await testEngine({ start: Date.parse("2026-11-28T00:00:00Z") });
  try {
    const now = t.clock.now();
    await t.engine.logs.createLogGroup("kept");
    await t.engine.logs.createLogGroup("short");
    await t.engine.logs.putRetentionPolicy("short", 1);
    await t.engine.logs.putMetricFilter({
      logGroupName: "short",
      filterName: "all",
      filterPattern: "",
      metricTransformations: [{ metricName: "Events", metricNamespace: "T", metricValue: "1" }],
    });
    for (const g of ["kept", "short"]) {
      await t.engine.ingest(g, "s", [
        { timestamp: now - 3 * DAY, message: "old" },
        { timestamp: now - 1000, message: "new" },
      ]);
    }
    await t.engine.ingest("short", "s", [{ timestamp: now - 500 * DAY, message: "ancient" }]);
    const r = await applyRetention(t.engine, now);
    assert.equal(r.logEventsDeleted, 2);
    assert.equal(r.aggregatesDeleted, 1);
    const left = (g: string) =>
      t.engine.store.scanLogEvents({ logGroupName: g, limit: 10 }).then((es) => es.map((e) => e.message));
    assert.deepEqual(await left("kept"), ["old", "new"]);
    assert.deepEqual(await left("short"), ["new"]);
    const aggs = await t.engine.store.queryAggregates(
      { namespace: "T", metricName: "Events", dimensions: [] },
      0,
      now + DAY,
    );
    assert.equal(aggs.length, 2);
  } finally {
    await t.close();
  }
});
