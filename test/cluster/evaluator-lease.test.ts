/**
 * One evaluator at a time, on the real PostgreSQL store with a hand-moved clock: the lease goes to one
 * instance, passes to another only once it expired, the new holder's token is greater, and the deposed
 * holder's alarm state writes are refused by the store (fencing) — including one it started before it
 * knew. Also: two batches with one claim committed at the same moment by two store instances apply once.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EVALUATOR_LEASE, LeaseElector } from "../../src/cluster/evaluator-lease.js";
import { fencedStore } from "../../src/cluster/fenced-store.js";
import { splitStoreUrl } from "../../src/cluster/store-url.js";
import { ManualClock } from "../../src/engine/clock.js";
import { mergeSketch } from "../../src/metrics/sketch-codec.js";
import { openPostgresStore, type PostgresStore } from "../../src/store/postgres/index.js";
import type { AlarmState, MetricAlarm } from "../../src/store/types.js";
import { dropSchema, storeUrl, uniqueName, withServices } from "./services.js";

const T0 = Date.UTC(2026, 0, 1);

function alarm(): MetricAlarm {
  return {
    alarmType: "MetricAlarm",
    alarmName: "A",
    alarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:A",
    actionsEnabled: true,
    okActions: [],
    alarmActions: [],
    insufficientDataActions: [],
    metricName: "M",
    namespace: "N",
    statistic: "Sum",
    dimensions: [],
    period: 60,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "missing",
    tags: {},
    stateValue: "INSUFFICIENT_DATA",
    stateReason: "new",
    stateUpdatedTimestamp: T0,
    stateTransitionedTimestamp: T0,
    alarmConfigurationUpdatedTimestamp: T0,
  };
}

const state = (stateValue: AlarmState["stateValue"], at: number): AlarmState => ({
  stateValue,
  stateReason: `${stateValue} at ${at}`,
  stateUpdatedTimestamp: at,
  stateTransitionedTimestamp: at,
});

const history = (at: number) => ({
  alarmName: "A",
  alarmType: "MetricAlarm" as const,
  timestamp: at,
  historyItemType: "StateUpdate" as const,
  historySummary: `update at ${at}`,
  historyData: "{}",
});

await withServices("evaluator lease", () => {
  describe("evaluator lease and fencing (PostgreSQL)", () => {
    const schema = uniqueName("lease");
    let one: PostgresStore;
    let two: PostgresStore;
    before(async () => {
      const target = { ...splitStoreUrl(storeUrl(schema)), mergeSketch };
      one = await openPostgresStore(target);
      two = await openPostgresStore(target);
      await one.putAlarm(alarm());
    });
    after(async () => {
      await one?.close();
      await two?.close();
      await dropSchema(schema);
    });

    test("one holder; takeover only after expiry, with a greater token; the deposed holder's writes are refused", async () => {
      const clock = new ManualClock(T0);
      const log: string[] = [];
      const fences = { a: 0, b: 0 };
      const elector = (name: "a" | "b", store: PostgresStore) =>
        new LeaseElector({
          store,
          clock,
          holder: name,
          ttlMs: 6000,
          renewMs: 2000,
          onElected: async (token) => {
            fences[name] = token;
            log.push(`${name} elected ${token}`);
          },
          onDeposed: async (reason) => void log.push(`${name} deposed: ${reason}`),
          onError: (err) => assert.fail(err as Error),
        });
      const a = elector("a", one);
      const b = elector("b", two);
      const storeA = fencedStore(one, () => fences.a);
      const storeB = fencedStore(two, () => fences.b);

      await a.runOnce();
      await b.runOnce();
      assert.deepEqual([a.isLeader, b.isLeader], [true, false]);
      await storeA.setAlarmState("A", state("ALARM", T0 + 1), history(T0 + 1));
      await assert.rejects(
        storeB.setAlarmState("A", state("OK", T0 + 2), history(T0 + 2)),
        (e: Error) => e.name === "FencedError",
        "an instance that never led writes no state",
      );

      // A renews while alive; B cannot take it.
      clock.set(T0 + 4000);
      await a.runOnce();
      clock.set(T0 + 9000);
      await b.runOnce();
      assert.equal(b.isLeader, false, "A renewed at +4 s: its lease runs to +10 s");

      // A stops renewing (a pause, or death). At +10 s its lease ends and B takes over.
      clock.set(T0 + 10_000);
      await b.runOnce();
      assert.deepEqual([b.isLeader, b.token], [true, 2]);
      await storeB.setAlarmState("A", state("OK", T0 + 10_001), history(T0 + 10_001));

      // A wakes up still believing it leads: its write is refused before it even learns.
      assert.equal(a.isLeader, true);
      await assert.rejects(
        storeA.setAlarmState("A", state("ALARM", T0 + 10_002), history(T0 + 10_002)),
        (e: Error) => e.name === "FencedError",
      );
      await a.runOnce();
      assert.equal(a.isLeader, false);
      assert.deepEqual(log, ["a elected 1", "b elected 2", "a deposed: another instance holds the lease"]);

      const stored = await one.getAlarm("A");
      assert.equal(stored?.stateValue, "OK", "the successor's write stands");
      const items = await one.queryAlarmHistory({ alarmName: "A", ascending: true, limit: 10 });
      assert.deepEqual(
        items.map((h) => h.historySummary),
        [`update at ${T0 + 1}`, `update at ${T0 + 10_001}`],
      );

      // A clean stop releases at once: A gets it back without waiting for the expiry.
      await b.stop();
      assert.equal(b.isLeader, false);
      await a.runOnce();
      assert.deepEqual([a.isLeader, a.token], [true, 3]);
      await a.stop();
    });

    test("a holder's write racing a takeover: it lands whole before the takeover, or not at all", async () => {
      // Many rounds of: A (token t) writes while B takes the lease over. Either A's write committed before
      // B held the lease (the takeover waited for it), or it was refused with nothing written.
      for (let round = 0; round < 20; round++) {
        const at = T0 + 100_000 * (round + 1);
        const holderA = `a${round}`;
        const lease = await one.acquireLease(EVALUATOR_LEASE, holderA, at, 1000);
        assert.ok(lease);
        const write = one
          .setAlarmState("A", state("ALARM", at + 1), history(at + 1), {
            lease: EVALUATOR_LEASE,
            token: lease.token,
          })
          .then(
            () => "written",
            (e: Error) => e.name,
          );
        const takeover = two.acquireLease(EVALUATOR_LEASE, `b${round}`, at + 1000, 1000);
        const [outcome, taken] = await Promise.all([write, takeover]);
        assert.ok(taken && taken.token === lease.token + 1);
        assert.ok(outcome === "written" || outcome === "FencedError", outcome);
        const landed = await one.queryAlarmHistory({
          alarmName: "A",
          startDate: at + 1,
          endDate: at + 1,
          limit: 5,
        });
        assert.equal(
          landed.length,
          outcome === "written" ? 1 : 0,
          "the state and its history item, or neither",
        );
        const after = await two.setAlarmState("A", state("OK", at + 2), history(at + 2), {
          lease: EVALUATOR_LEASE,
          token: taken.token,
        });
        assert.equal(after, undefined);
        assert.equal((await one.getAlarm("A"))?.stateValue, "OK");
      }
    });

    test("two instances committing one claim at the same moment: applied once", async () => {
      await one.createLogGroup({ logGroupName: "/g", creationTime: T0, tags: {} });
      const m = { namespace: "N", metricName: "Claims", dimensions: [] };
      const batch = (claim: string) => ({
        events: [],
        streams: [],
        aggregates: [
          {
            metric: m,
            timestamp: T0,
            resolution: 60 as const,
            unit: "Count" as const,
            sampleCount: 1,
            sum: 1,
            min: 1,
            max: 1,
          },
        ],
        claim,
      });
      for (let i = 0; i < 30; i++) {
        const results = await Promise.all([one.commit(batch(`c${i}`)), two.commit(batch(`c${i}`))]);
        assert.equal(results.filter((r) => r.duplicate).length, 1, `claim c${i}`);
      }
      const total = (await one.queryAggregates(m, T0, T0 + 60_000)).reduce((s, a) => s + a.sum, 0);
      assert.equal(total, 30);
    });
  });
});
