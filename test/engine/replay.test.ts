/**
 * The seed pack over re-timed real CloudTrail records, in replay and in live mode, with transitions
 * derived by hand. Alarms: Sum >= 1 over one 300 s period, TreatMissingData missing; the evaluation range
 * is 3 periods (src/alarms/windows.ts), so an alarm stays in ALARM while its datapoint is in the last
 * 15 minutes (AWS's rule 2: the most recent real point is evaluated) and goes to INSUFFICIENT_DATA at the
 * first evaluation whose range holds no data.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { installPack } from "../../src/engine/install-pack.js";
import { replay } from "../../src/engine/replay.js";
import { toLogEvent } from "../../src/ingest/cloudtrail-events.js";
import { loadPack } from "../../src/packs/pack.js";
import { testEngine, timeline } from "../helpers/engine.js";
import { recordLine } from "../helpers/records.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (min: number, sec = 0) => T0 + min * 60_000 + sec * 1000;

/** A real record moved to `t`. */
function retimed(line: number, t: number) {
  const r = JSON.parse(recordLine(line));
  r.eventTime = new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
  const e = toLogEvent(r);
  if (typeof e === "string") throw new Error(e);
  return e;
}

const story = () => [
  retimed(419, at(2, 30)), // root console sign-in, MFAUsed "No"
  retimed(3, at(10)), // an assumed-role API call, mfaAuthenticated "false"
  retimed(420, at(30)), // root console sign-in, MFAUsed "YES": root usage, but not "without MFA"
  retimed(761, at(50)), // root call through the console (invokedBy), MFA "true": nothing
];

const EXPECTED = [
  "00:02:30 Root account usage INSUFFICIENT_DATA->ALARM",
  "00:02:30 Console sign-in without MFA INSUFFICIENT_DATA->ALARM",
  "00:10:00 API activity without MFA INSUFFICIENT_DATA->ALARM",
  "00:18:00 Root account usage ALARM->INSUFFICIENT_DATA",
  "00:18:00 Console sign-in without MFA ALARM->INSUFFICIENT_DATA",
  "00:26:00 API activity without MFA ALARM->INSUFFICIENT_DATA",
  "00:30:00 Root account usage INSUFFICIENT_DATA->ALARM",
  "00:46:00 Root account usage ALARM->INSUFFICIENT_DATA",
].sort();

async function* from<T>(xs: T[]) {
  yield* xs;
}

describe("the seed pack on event time", () => {
  test("replay yields the hand-derived transitions, whatever the input order", async () => {
    for (const events of [story(), story().reverse()]) {
      const t = await testEngine({ start: 0 });
      try {
        const summary = await replay({
          engine: t.engine,
          clock: t.clock,
          pack: await loadPack("seed"),
          events: from(events),
          skipped: [],
        });
        assert.equal(summary.events, 4);
        assert.equal(summary.matched, 3);
        assert.deepEqual(timeline(t.transitions), EXPECTED);
        // Replay defers its state writes; by its end the store holds every one of them.
        const stored = await t.engine.store.queryAlarmHistory({
          historyItemType: "StateUpdate",
          ascending: true,
          limit: 100,
        });
        assert.deepEqual(
          stored.map((h) => `${h.timestamp} ${h.alarmName}`).sort(),
          t.transitions.map((x) => `${x.timestamp} ${x.alarm.alarmName}`).sort(),
        );
        for (const a of await t.engine.store.listAlarms())
          assert.equal(a.stateValue, t.engine.alarms.get(a.alarmName)?.stateValue, a.alarmName);
        // The reason names the datapoint, as CloudWatch does.
        assert.equal(
          t.transitions.find((x) => x.alarm.alarmName === "Root account usage")?.reason,
          "Threshold Crossed: 1 datapoint [1.0 (31/12/25 23:58:00)] was greater than or equal to the threshold (1.0).",
        );
      } finally {
        await t.close();
      }
    }
  });

  test("live mode (events arriving at their event time, the scheduler ticking each minute) yields the same", async () => {
    const t = await testEngine({ start: at(0) });
    try {
      await installPack(t.engine, await loadPack("seed"));
      const events = story();
      for (let now = at(0); now <= at(70); now += 1000) {
        t.clock.set(now);
        if (now % 60_000 === 0) await t.engine.tick(now);
        for (const e of events.filter((x) => x.timestamp === now)) {
          await t.engine.ingest("CloudTrail/DefaultLogGroup", e.logStreamName, [e]);
        }
      }
      assert.deepEqual(timeline(t.transitions), EXPECTED);
    } finally {
      await t.close();
    }
  });

  test("the first root sign-in changes the alarm at once, not at the next minute", async () => {
    const t = await testEngine({ start: at(0) });
    try {
      await installPack(t.engine, await loadPack("seed"));
      await t.engine.tick(at(0));
      t.clock.set(at(2, 30));
      const e = retimed(419, at(2, 30));
      await t.engine.ingest("CloudTrail/DefaultLogGroup", e.logStreamName, [e]);
      const root = t.engine.alarms.get("Root account usage");
      assert.equal(root?.stateValue, "ALARM");
      assert.equal(root?.stateUpdatedTimestamp, at(2, 30));
      // The scheduled evaluation agrees and produces no second transition.
      await t.engine.tick(at(3));
      assert.deepEqual(timeline(t.transitions.filter((x) => x.alarm.alarmName === "Root account usage")), [
        "00:02:30 Root account usage INSUFFICIENT_DATA->ALARM",
      ]);
    } finally {
      await t.close();
    }
  });

  test("early evaluation never moves an alarm out of ALARM, nor alarms on data more data could undo", async () => {
    const t = await testEngine({ start: at(0) });
    try {
      await installPack(t.engine, await loadPack("seed"));
      await t.engine.cloudwatch.putMetricAlarm({
        AlarmName: "average",
        MetricName: "RootAccountUsageCount",
        Namespace: "CloudTrailMetrics",
        Statistic: "Average",
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
      t.clock.set(at(1));
      const e = retimed(419, at(1));
      await t.engine.ingest("CloudTrail/DefaultLogGroup", e.logStreamName, [e]);
      assert.equal(t.engine.alarms.get("average")?.stateValue, "INSUFFICIENT_DATA");
      await t.engine.tick(at(2));
      assert.equal(t.engine.alarms.get("average")?.stateValue, "ALARM");
    } finally {
      await t.close();
    }
  });
});

describe("state survives a restart", () => {
  test("alarms, their state and the recent metrics are reloaded from the store", async () => {
    const t = await testEngine({ start: at(0) });
    try {
      await installPack(t.engine, await loadPack("seed"));
      t.clock.set(at(2));
      const e = retimed(419, at(2));
      await t.engine.ingest("CloudTrail/DefaultLogGroup", e.logStreamName, [e]);
      const { Engine } = await import("../../src/engine/engine.js");
      const { openSqliteStore } = await import("../../src/store/sqlite/index.js");
      const { mergeSketch } = await import("../../src/metrics/sketch-codec.js");
      const { join } = await import("node:path");
      const second = await Engine.open({
        store: await openSqliteStore({ path: join(t.dir, "trailwatch.db"), mergeSketch }),
        clock: t.clock,
        identity: { account: "123456789012", region: "us-east-1" },
        listener: { onTransition: () => {} },
        storeEvents: true,
      });
      assert.equal(second.alarms.get("Root account usage")?.stateValue, "ALARM");
      // The datapoint was reloaded: the alarm stays in ALARM at the next minutes, then leaves it on time.
      await second.tick(at(10));
      assert.equal(second.alarms.get("Root account usage")?.stateValue, "ALARM");
      await second.tick(at(18));
      assert.equal(second.alarms.get("Root account usage")?.stateValue, "INSUFFICIENT_DATA");
      await second.close();
    } finally {
      await t.close();
    }
  });
});
