/**
 * Alarm operations through the engine, as the API will call them: composite alarms following their
 * children, SetAlarmState being temporary for metric alarms, deletion, actions switches, custom metrics
 * from PutMetricData, and PutLogEvents reaching the alarms.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { testEngine, timeline } from "../helpers/engine.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (min: number, sec = 0) => T0 + min * 60_000 + sec * 1000;

const alarm = (name: string, metric: string, extra: Record<string, unknown> = {}) => ({
  AlarmName: name,
  MetricName: metric,
  Namespace: "App",
  Statistic: "Sum",
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: "GreaterThanOrEqualToThreshold",
  TreatMissingData: "notBreaching",
  ...extra,
});

const datum = (metric: string, t: number, value = 1) => ({
  Namespace: "App",
  MetricData: [{ MetricName: metric, Value: value, Timestamp: new Date(t) }],
});

describe("alarm operations through the engine", () => {
  test("custom metrics (PutMetricData) drive alarms, and a composite follows its children", async () => {
    const t = await testEngine({ start: at(0) });
    try {
      const cw = t.engine.cloudwatch;
      await cw.putMetricAlarm(alarm("a", "A"));
      await cw.putMetricAlarm(alarm("b", "B"));
      await cw.putCompositeAlarm({ AlarmName: "both", AlarmRule: "ALARM(a) AND ALARM(b)" });
      await t.engine.tick(at(1));
      assert.equal(t.engine.alarms.get("a")?.stateValue, "OK");
      assert.equal(t.engine.alarms.get("both")?.stateValue, "OK");
      t.clock.set(at(1, 10));
      await cw.putMetricData(datum("A", at(1, 5)));
      await cw.putMetricData(datum("B", at(1, 6)));
      await t.engine.tick(at(2));
      assert.equal(t.engine.alarms.get("a")?.stateValue, "ALARM");
      assert.equal(t.engine.alarms.get("b")?.stateValue, "ALARM");
      const both = t.engine.alarms.get("both");
      assert.equal(both?.stateValue, "ALARM");
      assert.match(
        both!.stateReason,
        /^arn:aws:cloudwatch:us-east-1:123456789012:alarm:[ab] transitioned to ALARM at /,
      );
      // The evaluation range is 3 periods: the 00:01 datapoints keep the children in ALARM until 00:05.
      await t.engine.tick(at(4));
      assert.equal(t.engine.alarms.get("both")?.stateValue, "ALARM");
      await t.engine.tick(at(5));
      assert.equal(t.engine.alarms.get("both")?.stateValue, "OK");
      const history = await cw.describeAlarmHistory({
        AlarmName: "both",
        AlarmTypes: ["CompositeAlarm"],
        HistoryItemType: "StateUpdate",
      });
      assert.deepEqual(
        history.AlarmHistoryItems.map((i) => i.HistorySummary),
        [
          "Alarm updated from ALARM to OK",
          "Alarm updated from OK to ALARM",
          "Alarm updated from INSUFFICIENT_DATA to OK",
        ],
      );
    } finally {
      await t.close();
    }
  });

  test("SetAlarmState is temporary: the next evaluation puts a metric alarm back", async () => {
    const t = await testEngine({ start: at(0) });
    try {
      const cw = t.engine.cloudwatch;
      await cw.putMetricAlarm(alarm("a", "A"));
      await t.engine.tick(at(1));
      t.clock.set(at(1, 30));
      await cw.setAlarmState({ AlarmName: "a", StateValue: "ALARM", StateReason: "testing purposes" });
      assert.equal(t.engine.alarms.get("a")?.stateReason, "testing purposes");
      await t.engine.tick(at(2));
      assert.equal(t.engine.alarms.get("a")?.stateValue, "OK");
      assert.deepEqual(timeline(t.transitions), [
        "00:00:00 a INSUFFICIENT_DATA->OK",
        "00:01:30 a OK->ALARM",
        "00:02:00 a ALARM->OK",
      ]);
      await assert.rejects(cw.setAlarmState({ AlarmName: "nope", StateValue: "OK", StateReason: "x" }), {
        name: "ResourceNotFound",
      });
      await assert.rejects(cw.setAlarmState({ AlarmName: "a", StateValue: "BROKEN", StateReason: "x" }), {
        name: "ValidationError",
      });
    } finally {
      await t.close();
    }
  });

  test("disabling actions is recorded; deleting alarms removes them but keeps their history", async () => {
    const t = await testEngine({ start: at(0) });
    try {
      const cw = t.engine.cloudwatch;
      await cw.putMetricAlarm(alarm("a", "A"));
      await cw.disableAlarmActions({ AlarmNames: ["a", "unknown"] });
      assert.equal(t.engine.alarms.get("a")?.actionsEnabled, false);
      const described = cw.describeAlarms({ AlarmNames: ["a"] });
      assert.equal((described.MetricAlarms[0] as { ActionsEnabled?: boolean }).ActionsEnabled, false);
      await cw.enableAlarmActions({ AlarmNames: ["a"] });
      assert.equal(t.engine.alarms.get("a")?.actionsEnabled, true);
      await cw.deleteAlarms({ AlarmNames: ["a"] });
      assert.equal(t.engine.alarms.get("a"), undefined);
      assert.equal(cw.describeAlarms({}).MetricAlarms.length, 0);
      const history = await cw.describeAlarmHistory({ AlarmName: "a" });
      assert.ok(
        history.AlarmHistoryItems.some(
          (i) => i.HistoryItemType === "ConfigurationUpdate" && /deleted/.test(i.HistorySummary),
        ),
      );
    } finally {
      await t.close();
    }
  });

  test("PutLogEvents reaches the seed's alarms; AWS's rejections are reported, not raised", async () => {
    const t = await testEngine({ start: at(0) });
    try {
      const { installPack } = await import("../../src/engine/install-pack.js");
      const { loadPack } = await import("../../src/packs/pack.js");
      await installPack(t.engine, await loadPack("seed"));
      await t.engine.logs.createLogStream("CloudTrail/DefaultLogGroup", "123456789012_CloudTrail_us-east-1");
      t.clock.set(at(5));
      const root = JSON.stringify({
        eventType: "AwsConsoleSignIn",
        eventName: "ConsoleLogin",
        userIdentity: { type: "Root" },
      });
      const r = await t.engine
        .putLogEvents({
          logGroupName: "CloudTrail/DefaultLogGroup",
          logStreamName: "123456789012_CloudTrail_us-east-1",
          logEvents: [
            { timestamp: at(5) - 20 * 86_400_000 + 3_600_000 * 23, message: "too old" },
            { timestamp: at(5) - 20 * 86_400_000 + 3_600_000 * 23 + 1, message: root },
          ]
            .map((e, i) => (i === 1 ? { ...e, timestamp: at(4) } : e))
            .sort((x, y) => x.timestamp - y.timestamp),
        })
        .catch((e) => e);
      // A batch spanning 20 days breaks the 24-hour rule: an error, and nothing is ingested.
      assert.equal((r as Error).name, "InvalidParameterException");
      const ok = await t.engine.putLogEvents({
        logGroupName: "CloudTrail/DefaultLogGroup",
        logStreamName: "123456789012_CloudTrail_us-east-1",
        logEvents: [
          { timestamp: at(4, 30), message: root },
          { timestamp: at(5) + 3 * 3_600_000, message: root },
        ],
      });
      assert.deepEqual(ok, { rejectedLogEventsInfo: { tooNewLogEventStartIndex: 1 } });
      assert.equal(t.engine.alarms.get("Root account usage")?.stateValue, "ALARM");
      await assert.rejects(
        t.engine.putLogEvents({
          logGroupName: "CloudTrail/DefaultLogGroup",
          logStreamName: "missing",
          logEvents: [{ timestamp: at(5), message: "x" }],
        }),
        { name: "ResourceNotFoundException" },
      );
    } finally {
      await t.close();
    }
  });

  test("a minute alarm keeps its schedule beside an idle high-resolution alarm (10 s steps)", async () => {
    const t = await testEngine({ start: at(0) });
    try {
      const cw = t.engine.cloudwatch;
      await cw.putMetricAlarm(alarm("fast", "F", { Period: 10 }));
      await cw.putMetricAlarm(alarm("slow", "S"));
      await t.engine.tick(at(0));
      t.clock.set(at(0, 30));
      await cw.putMetricData(datum("S", at(0, 20)));
      await t.engine.tick(at(1));
      assert.equal(t.engine.alarms.get("slow")?.stateValue, "ALARM");
      // The 'fast' alarm is idle the whole time; 'slow' must still be evaluated on each minute boundary a
      // single late tick covers, and return to OK once its datapoint has left its 3-period range (00:04).
      await t.engine.tick(at(4, 10));
      assert.equal(t.engine.alarms.get("slow")?.stateValue, "OK");
      assert.deepEqual(timeline(t.transitions.filter((x) => x.alarm.alarmName === "slow")), [
        "00:00:00 slow INSUFFICIENT_DATA->OK",
        "00:01:00 slow OK->ALARM",
        "00:04:00 slow ALARM->OK",
      ]);
    } finally {
      await t.close();
    }
  });
});
