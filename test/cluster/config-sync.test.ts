/**
 * The safety nets behind the cluster's change propagation, with in-process instances on the real services:
 *
 * - a change written to the store with no announcement (a hint lost, an instance away when it went out)
 *   reaches every instance at the next full reconcile, and the evaluator evaluates a new alarm at once;
 * - a burst of matching events applied by a worker that is not the evaluator reaches the evaluator's
 *   "who did it" as the newest K summaries plus the exact count of the rest.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { seriesKey } from "../../src/engine/series-key.js";
import type { MetricAlarm, MetricFilter } from "../../src/store/types.js";
import { record, SEED_METRICS } from "./events.js";
import { startInstance, type TestInstance } from "./instance.js";
import { deleteStream, dropSchema, eventually, uniqueName, withServices } from "./services.js";

const GROUP = "CloudTrail/DefaultLogGroup";

const lostFilter: MetricFilter = {
  logGroupName: GROUP,
  filterName: "Written behind the cluster's back",
  filterPattern: '{ $.eventName = "Sneaky" }',
  metricTransformations: [{ metricName: "SneakyCount", metricNamespace: "Probe", metricValue: "1" }],
  creationTime: Date.now(),
};

function lostAlarm(now: number): MetricAlarm {
  return {
    alarmType: "MetricAlarm",
    alarmName: "Lost hint",
    alarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Lost hint",
    actionsEnabled: true,
    okActions: [],
    alarmActions: [],
    insufficientDataActions: [],
    metricName: "SneakyCount",
    namespace: "Probe",
    statistic: "Sum",
    dimensions: [],
    period: 60,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    // No data is not breaching: the evaluator's first evaluation moves it to OK.
    treatMissingData: "notBreaching",
    tags: {},
    stateValue: "INSUFFICIENT_DATA",
    stateReason: "Unchecked: Initial alarm creation",
    stateUpdatedTimestamp: now,
    stateTransitionedTimestamp: now,
    alarmConfigurationUpdatedTimestamp: now,
  };
}

await withServices("configuration reconcile and relayed event summaries", () => {
  describe("cluster configuration sync", () => {
    const schema = uniqueName("sync");
    const stream = uniqueName("sync").toUpperCase();
    const instances: TestInstance[] = [];
    after(async () => {
      for (const i of instances.reverse()) await i.close().catch(() => {});
      await dropSchema(schema).catch(() => {});
      await deleteStream(stream).catch(() => {});
    });

    test("evaluator first (no worker), then a worker", async () => {
      const evaluator = await startInstance({ schema, stream, role: "ingest", reconcileMs: 1000 });
      instances.push(evaluator);
      await eventually(
        "the first instance to lead",
        async () => evaluator.cluster.isEvaluator() || undefined,
        10_000,
      );
      instances.push(await startInstance({ schema, stream, role: "worker", reconcileMs: 1000 }));
    });

    test("a change no instance announced reaches all of them at the next reconcile", async () => {
      const [evaluator, worker] = instances;
      const store = worker.stores.workerStore;
      const now = Date.now();
      await store.putMetricFilter(lostFilter);
      await store.putAlarm(lostAlarm(now));
      await eventually(
        "both instances to have the filter and the alarm",
        async () =>
          instances.every(
            (i) =>
              i.ctx.engine.logs
                .pipeline(GROUP)
                ?.filters.some((f) => f.filterName === lostFilter.filterName) &&
              i.ctx.engine.alarms.get("Lost hint"),
          ) || undefined,
        5_000,
      );
      await eventually(
        "the evaluator to evaluate the new alarm",
        async () =>
          evaluator.transitions.find((t) => t.alarm.alarmName === "Lost hint" && t.newState === "OK"),
        5_000,
      );
      await eventually(
        "the worker to see the evaluator's state",
        async () => (worker.ctx.engine.alarms.get("Lost hint")?.stateValue === "OK" ? true : undefined),
        5_000,
      );
      await store.deleteAlarm("Lost hint");
      await eventually(
        "both instances to forget the deleted alarm",
        async () => instances.every((i) => i.ctx.engine.alarms.get("Lost hint") === undefined) || undefined,
        5_000,
      );
    });

    test("25 matching events applied by the worker: the evaluator has the newest 10 and counts all 25", async () => {
      const [evaluator, worker] = instances;
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      const events = Array.from({ length: 25 }, (_, i) => ({
        timestamp: minute + i,
        message: record("console", 1000 + i, minute + i),
      }));
      await evaluator.ctx.engine.ingest(GROUP, "burst", events);
      const key = seriesKey(SEED_METRICS.console);
      await eventually(
        "the worker to apply the burst",
        async () => (worker.cluster.worker?.counters.events === 25 ? true : undefined),
        10_000,
      );
      const seen = await eventually(
        "the evaluator's summaries of the burst",
        async () => {
          const c = evaluator.ctx.engine.eventRefs.collect(key, minute, minute + 60_000);
          return c.total === 25 ? c : undefined;
        },
        5_000,
      );
      assert.equal(seen.events.length, 10);
      assert.deepEqual(
        seen.events.map((e) => e.eventID),
        Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-${String(1024 - i).padStart(12, "0")}`),
        "the newest ten, newest first",
      );
      assert.equal(evaluator.cluster.worker, undefined, "the evaluator applied none of it");
    });
  });
});
