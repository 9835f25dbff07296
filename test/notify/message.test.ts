/** The SNS message an alarm publishes (alarms.md §7), its Subject, and the region names. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AlarmTransition } from "../../src/engine/transitions.js";
import type { EventSummary } from "../../src/metrics/event-refs.js";
import {
  alarmMessage,
  alarmMessageText,
  alarmSubject,
  MAX_SUBJECT,
  type MetricAlarmMessage,
  TRAILWATCH_EVENTS_FIELD,
} from "../../src/notify/message/alarm-message.js";
import { knownRegions, regionLongName } from "../../src/notify/message/regions.js";
import type { CompositeAlarm, Identity, MetricAlarm } from "../../src/store/types.js";
import {
  rootAlarm as sharedRootAlarm,
  transitionOf as sharedTransitionOf,
} from "../helpers/alarm-fixtures.js";
import { testEngine } from "../helpers/engine.js";

const identity: Identity = { account: "123456789012", region: "us-east-1" };

/** The seed pack's first alarm as the engine stores it (Sum >= 1 over one 300 s period, no DatapointsToAlarm). */
/** The shared fixture, stamped at the times and with the reason this file's expectations use. */
function rootAlarm(overrides: Partial<MetricAlarm> = {}): MetricAlarm {
  return sharedRootAlarm({
    alarmConfigurationUpdatedTimestamp: Date.parse("2022-11-10T16:00:00.123Z"),
    stateReason: REASON,
    stateUpdatedTimestamp: Date.parse("2022-11-10T16:25:41.500Z"),
    stateTransitionedTimestamp: Date.parse("2022-11-10T16:25:41.500Z"),
    ...overrides,
  });
}

const REASON =
  "Threshold Crossed: 1 datapoint [1.0 (10/11/22 16:20:00)] was greater than or equal to the threshold (1.0).";

function transitionOf(
  alarm: MetricAlarm | CompositeAlarm,
  extra: Partial<AlarmTransition> = {},
): AlarmTransition {
  return sharedTransitionOf(alarm, { reason: REASON, ...extra });
}

/** Fixture record 419 (a root console sign-in), summarized. */
const ROOT_LOGIN: EventSummary = {
  eventTime: "2022-11-10T16:24:34Z",
  eventName: "ConsoleLogin",
  eventSource: "signin.amazonaws.com",
  userIdentityType: "Root",
  userIdentityArn: "arn:aws:iam::111122223333:root",
  sourceIPAddress: "192.0.2.0",
  userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0",
  awsRegion: "us-east-1",
  recipientAccountId: "111122223333",
  eventID: "deb1e1f9-c99b-4612-8e9f-21f93b5d79c0",
};

/**
 * Member order of a real metric alarm message (eu-west-1, 2025-08-13, Sum >= 1, no DatapointsToAlarm:
 * github.com fixture of an SQS dead-letter alarm, alarms.md §7 field list).
 */
const RECORDED_ORDER = [
  "AlarmName",
  "AlarmDescription",
  "AWSAccountId",
  "AlarmConfigurationUpdatedTimestamp",
  "NewStateValue",
  "NewStateReason",
  "StateChangeTime",
  "Region",
  "AlarmArn",
  "OldStateValue",
  "OKActions",
  "AlarmActions",
  "InsufficientDataActions",
  "Trigger",
];
const RECORDED_TRIGGER_ORDER = [
  "MetricName",
  "Namespace",
  "StatisticType",
  "Statistic",
  "Unit",
  "Dimensions",
  "Period",
  "EvaluationPeriods",
  "ComparisonOperator",
  "Threshold",
  "TreatMissingData",
  "EvaluateLowSampleCountPercentile",
];

describe("alarmMessage: a metric alarm", () => {
  test("the seed alarm's message, exactly: members in AWS's order, Java doubles, long region name", () => {
    assert.equal(
      alarmMessageText(transitionOf(rootAlarm()), identity),
      "{" +
        '"AlarmName":"Root account usage",' +
        '"AlarmDescription":"The root user\'s credentials were used (not by an AWS service on its behalf).",' +
        '"AWSAccountId":"123456789012",' +
        '"AlarmConfigurationUpdatedTimestamp":"2022-11-10T16:00:00.123+0000",' +
        '"NewStateValue":"ALARM",' +
        '"NewStateReason":"Threshold Crossed: 1 datapoint [1.0 (10/11/22 16:20:00)] was greater than or equal to the threshold (1.0).",' +
        '"StateChangeTime":"2022-11-10T16:25:41.500+0000",' +
        '"Region":"US East (N. Virginia)",' +
        '"AlarmArn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:Root account usage",' +
        '"OldStateValue":"OK",' +
        '"OKActions":[],' +
        '"AlarmActions":["arn:aws:sns:us-east-1:123456789012:security-alerts"],' +
        '"InsufficientDataActions":[],' +
        '"Trigger":{' +
        '"MetricName":"RootAccountUsageCount",' +
        '"Namespace":"CloudTrailMetrics",' +
        '"StatisticType":"Statistic",' +
        '"Statistic":"SUM",' +
        '"Unit":null,' +
        '"Dimensions":[],' +
        '"Period":300,' +
        '"EvaluationPeriods":1,' +
        '"ComparisonOperator":"GreaterThanOrEqualToThreshold",' +
        '"Threshold":1.0,' +
        '"TreatMissingData":"missing",' +
        '"EvaluateLowSampleCountPercentile":""' +
        "}}",
    );
  });

  test("member order matches a recorded message; the object and the text agree", () => {
    const t = transitionOf(rootAlarm());
    const message = alarmMessage(t, identity);
    assert.deepEqual(Object.keys(message), RECORDED_ORDER);
    assert.deepEqual(Object.keys((message as MetricAlarmMessage).Trigger), RECORDED_TRIGGER_ORDER);
    assert.deepEqual(JSON.parse(alarmMessageText(t, identity)), message);
  });

  test("DatapointsToAlarm appears, after EvaluationPeriods, only when the alarm sets it", () => {
    const text = alarmMessageText(
      transitionOf(rootAlarm({ evaluationPeriods: 5, datapointsToAlarm: 3, threshold: 70 })),
      identity,
    );
    assert.match(text, /"EvaluationPeriods":5,"DatapointsToAlarm":3,"ComparisonOperator"/);
    assert.match(text, /"Threshold":70\.0,/);
  });

  test("unset description is null; statistics upper-case; percentiles are ExtendedStatistic", () => {
    const noDescription = alarmMessage(transitionOf(rootAlarm({ alarmDescription: undefined })), identity);
    assert.equal(noDescription.AlarmDescription, null);
    const trigger = (a: Partial<MetricAlarm>) =>
      (alarmMessage(transitionOf(rootAlarm(a)), identity) as MetricAlarmMessage).Trigger;
    assert.equal(trigger({ statistic: "Average" }).Statistic, "AVERAGE");
    assert.equal(trigger({ statistic: "Maximum" }).Statistic, "MAXIMUM");
    assert.equal(trigger({ statistic: "SampleCount" }).Statistic, "SAMPLE_COUNT");
    const p99 = trigger({
      statistic: undefined,
      extendedStatistic: "p99",
      evaluateLowSampleCountPercentile: "ignore",
    });
    assert.equal(p99.StatisticType, "ExtendedStatistic");
    assert.equal(p99.Statistic, "p99");
    assert.equal(p99.EvaluateLowSampleCountPercentile, "ignore");
    assert.equal(trigger({ unit: "Count" }).Unit, "Count");
  });

  test("dimensions are {value, name} with lower-case keys, in the alarm's order", () => {
    const text = alarmMessageText(
      transitionOf(
        rootAlarm({
          dimensions: [
            { Name: "eventName", Value: "ConsoleLogin" },
            { Name: "awsRegion", Value: "us-east-1" },
          ],
        }),
      ),
      identity,
    );
    assert.match(
      text,
      /"Dimensions":\[\{"value":"ConsoleLogin","name":"eventName"\},\{"value":"us-east-1","name":"awsRegion"\}\]/,
    );
  });

  test("large and fractional thresholds print as Java does", () => {
    assert.match(
      alarmMessageText(transitionOf(rootAlarm({ threshold: 1e7 })), identity),
      /"Threshold":1\.0E7,/,
    );
    assert.match(
      alarmMessageText(transitionOf(rootAlarm({ threshold: 0.5 })), identity),
      /"Threshold":0\.5,/,
    );
    assert.match(alarmMessageText(transitionOf(rootAlarm({ threshold: 0 })), identity), /"Threshold":0\.0,/);
  });
});

describe("alarmMessage: the events member", () => {
  test("TrailwatchEvents comes last, in CloudTrail's shape; AWS's members are unchanged", () => {
    const t = transitionOf(rootAlarm());
    const plain = alarmMessage(t, identity);
    const withEvents = alarmMessage(t, identity, {
      events: {
        events: [ROOT_LOGIN, { eventTime: "2022-11-10T16:21:00Z", message: "root login from 1.2.3.4" }],
        total: 3,
      },
    });
    assert.deepEqual(Object.keys(withEvents), [...RECORDED_ORDER, TRAILWATCH_EVENTS_FIELD]);
    const { TrailwatchEvents, ...aws } = withEvents;
    assert.deepEqual(aws, plain);
    assert.deepEqual(TrailwatchEvents, {
      Total: 3,
      Events: [
        {
          eventTime: "2022-11-10T16:24:34Z",
          eventName: "ConsoleLogin",
          eventSource: "signin.amazonaws.com",
          userIdentity: { type: "Root", arn: "arn:aws:iam::111122223333:root" },
          sourceIPAddress: "192.0.2.0",
          userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0",
          awsRegion: "us-east-1",
          recipientAccountId: "111122223333",
          eventID: "deb1e1f9-c99b-4612-8e9f-21f93b5d79c0",
        },
        { eventTime: "2022-11-10T16:21:00Z", message: "root login from 1.2.3.4" },
      ],
    });
    const text = alarmMessageText(t, identity, { events: { events: [ROOT_LOGIN], total: 1 } });
    assert.ok(text.startsWith(alarmMessageText(t, identity).slice(0, -1)));
    assert.match(
      text,
      /"EvaluateLowSampleCountPercentile":""\},"TrailwatchEvents":\{"Total":1,"Events":\[\{"eventTime"/,
    );
  });

  test("no events option, no member; an empty list is still written", () => {
    assert.ok(!(TRAILWATCH_EVENTS_FIELD in alarmMessage(transitionOf(rootAlarm()), identity)));
    const empty = alarmMessage(transitionOf(rootAlarm()), identity, { events: { events: [], total: 0 } });
    assert.deepEqual(empty.TrailwatchEvents, { Total: 0, Events: [] });
  });

  test("a partial identity keeps only what is known", () => {
    const m = alarmMessage(transitionOf(rootAlarm()), identity, {
      events: { events: [{ eventName: "GetObject", userIdentityType: "AWSService" }], total: 1 },
    });
    assert.deepEqual(m.TrailwatchEvents?.Events, [
      { eventName: "GetObject", userIdentity: { type: "AWSService" } },
    ]);
  });
});

describe("alarmMessage: a composite alarm", () => {
  const composite: CompositeAlarm = {
    alarmType: "CompositeAlarm",
    alarmName: "Account takeover",
    actionsEnabled: true,
    okActions: ["arn:aws:sns:us-east-1:123456789012:security-alerts"],
    alarmActions: ["arn:aws:sns:us-east-1:123456789012:security-alerts"],
    insufficientDataActions: [],
    alarmRule: 'ALARM("Root account usage") AND ALARM("Console sign-in without MFA")',
    tags: {},
    alarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Account takeover",
    alarmConfigurationUpdatedTimestamp: Date.parse("2022-11-10T15:00:00.000Z"),
    stateValue: "ALARM",
    stateReason: "",
    stateUpdatedTimestamp: 0,
    stateTransitionedTimestamp: 0,
  };
  const reasonData =
    '{"triggeringAlarms":[' +
    '{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:Root account usage","state":{"value":"ALARM","timestamp":"2022-11-10T16:25:41.500+0000"}},' +
    '{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:Console sign-in without MFA","state":{"value":"ALARM","timestamp":"2022-11-10T16:25:40.000+0000"}}]}';
  const t = transitionOf(composite, {
    reason:
      "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Root account usage transitioned to ALARM at Thursday 10 November, 2022 16:25:41 UTC",
    reasonData,
  });

  test("AlarmRule and TriggeringChildren in place of Trigger (the 2021 capture's shape)", () => {
    const m = alarmMessage(t, identity);
    assert.deepEqual(Object.keys(m), [...RECORDED_ORDER.slice(0, -1), "AlarmRule", "TriggeringChildren"]);
    assert.equal(m.AlarmDescription, null);
    assert.ok(!("Trigger" in m));
    assert.deepEqual((m as { TriggeringChildren: unknown }).TriggeringChildren, [
      {
        Arn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Root account usage",
        State: { Value: "ALARM", Timestamp: "2022-11-10T16:25:41.500+0000" },
      },
      {
        Arn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Console sign-in without MFA",
        State: { Value: "ALARM", Timestamp: "2022-11-10T16:25:40.000+0000" },
      },
    ]);
    assert.match(
      alarmMessageText(t, identity),
      /"OldStateValue":"OK","OKActions":\["arn:aws:sns:us-east-1:123456789012:security-alerts"\],"AlarmActions":\[.*\],"InsufficientDataActions":\[\],"AlarmRule":"ALARM\(\\"Root account usage\\"\) AND/,
    );
  });

  test("missing or unreadable reason data gives no children; events still go last", () => {
    for (const reasonData of [undefined, "not json", "{}", '{"triggeringAlarms":[{"arn":1}]}']) {
      const m = alarmMessage({ ...t, reasonData }, identity, { events: { events: [], total: 0 } });
      assert.deepEqual((m as { TriggeringChildren: unknown }).TriggeringChildren, []);
      assert.equal(Object.keys(m).at(-1), TRAILWATCH_EVENTS_FIELD);
    }
  });
});

describe("alarmSubject", () => {
  test("the recorded form for each state", () => {
    assert.equal(
      alarmSubject(transitionOf(rootAlarm()), identity),
      'ALARM: "Root account usage" in US East (N. Virginia)',
    );
    assert.equal(
      alarmSubject(transitionOf(rootAlarm(), { oldState: "ALARM", newState: "OK" }), {
        ...identity,
        region: "eu-west-1",
      }),
      'OK: "Root account usage" in EU (Ireland)',
    );
    assert.equal(
      alarmSubject(transitionOf(rootAlarm(), { newState: "INSUFFICIENT_DATA" }), {
        ...identity,
        region: "ap-southeast-2",
      }),
      'INSUFFICIENT_DATA: "Root account usage" in Asia Pacific (Sydney)',
    );
  });

  test("a long name is cut with '...', keeping state, quotes and region, under 100 characters", () => {
    const name = "A".repeat(255);
    const subject = alarmSubject(transitionOf(rootAlarm({ alarmName: name })), identity);
    assert.equal(subject.length, MAX_SUBJECT);
    assert.ok(subject.length < 100);
    assert.match(subject, /^ALARM: "A+\.\.\." in US East \(N\. Virginia\)$/);
    const insufficient = alarmSubject(
      transitionOf(rootAlarm({ alarmName: name }), { newState: "INSUFFICIENT_DATA" }),
      {
        ...identity,
        region: "ap-southeast-2",
      },
    );
    assert.ok(insufficient.length <= MAX_SUBJECT);
    assert.match(insufficient, /^INSUFFICIENT_DATA: "A+\.\.\." in Asia Pacific \(Sydney\)$/);
  });

  test("a name of exactly the room left is not cut; one more character is", () => {
    const room = MAX_SUBJECT - 'ALARM: "" in US East (N. Virginia)'.length;
    const fits = alarmSubject(transitionOf(rootAlarm({ alarmName: "x".repeat(room) })), identity);
    assert.equal(fits, `ALARM: "${"x".repeat(room)}" in US East (N. Virginia)`);
    const over = alarmSubject(transitionOf(rootAlarm({ alarmName: "x".repeat(room + 1) })), identity);
    assert.equal(over, `ALARM: "${"x".repeat(room - 3)}..." in US East (N. Virginia)`);
  });

  test("no surrogate pair is split; control characters become spaces", () => {
    const subject = alarmSubject(transitionOf(rootAlarm({ alarmName: "🔥".repeat(80) })), identity);
    assert.ok(subject.length <= MAX_SUBJECT);
    assert.doesNotMatch(subject, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    assert.equal(
      alarmSubject(transitionOf(rootAlarm({ alarmName: "line\nbreak\ttab" })), identity),
      'ALARM: "line break tab" in US East (N. Virginia)',
    );
  });
});

describe("regionLongName", () => {
  test("recorded names; the older EU (…) form; unknown codes as they are", () => {
    assert.equal(regionLongName("us-east-1"), "US East (N. Virginia)");
    assert.equal(regionLongName("us-east-2"), "US East (Ohio)");
    assert.equal(regionLongName("us-west-2"), "US West (Oregon)");
    assert.equal(regionLongName("eu-west-1"), "EU (Ireland)");
    assert.equal(regionLongName("eu-central-1"), "EU (Frankfurt)");
    assert.equal(regionLongName("ap-northeast-2"), "Asia Pacific (Seoul)");
    assert.equal(regionLongName("ap-southeast-1"), "Asia Pacific (Singapore)");
    assert.equal(regionLongName("ap-southeast-2"), "Asia Pacific (Sydney)");
    assert.equal(regionLongName("sa-east-1"), "South America (Sao Paulo)");
    assert.equal(regionLongName("xx-nowhere-9"), "xx-nowhere-9");
    assert.equal(regionLongName("toString"), "toString");
  });

  test("every known name has the Area (Place) form", () => {
    for (const code of knownRegions())
      assert.match(regionLongName(code), /^[A-Za-z ]+ \([A-Za-z .-]+\)$/, code);
  });
});

describe("from the engine", () => {
  test("the seed pack's alarm, fired by a root sign-in, publishes the recorded shape", async () => {
    const at = (min: number) => Date.parse("2026-01-01T00:00:00Z") + min * 60_000;
    const t = await testEngine({ start: at(0) });
    try {
      const { installPack } = await import("../../src/engine/install-pack.js");
      const { loadPack } = await import("../../src/packs/pack.js");
      await installPack(t.engine, await loadPack("seed"));
      const stream = "123456789012_CloudTrail_us-east-1";
      await t.engine.logs.createLogStream("CloudTrail/DefaultLogGroup", stream);
      t.clock.set(at(5));
      await t.engine.putLogEvents({
        logGroupName: "CloudTrail/DefaultLogGroup",
        logStreamName: stream,
        logEvents: [
          {
            timestamp: at(4),
            message: JSON.stringify({
              eventType: "AwsConsoleSignIn",
              eventName: "ConsoleLogin",
              userIdentity: { type: "Root" },
            }),
          },
        ],
      });
      const fired = t.transitions.find(
        (x) => x.alarm.alarmName === "Root account usage" && x.newState === "ALARM",
      );
      assert.ok(fired, "the seed's root alarm fires");
      const m = alarmMessage(fired, t.engine.identity);
      assert.deepEqual(Object.keys(m), RECORDED_ORDER);
      assert.equal(m.Region, "US East (N. Virginia)");
      assert.equal(m.AlarmArn, "arn:aws:cloudwatch:us-east-1:123456789012:alarm:Root account usage");
      const text = alarmMessageText(fired, t.engine.identity);
      assert.match(
        text,
        /"Trigger":\{"MetricName":"RootAccountUsageCount","Namespace":"CloudTrailMetrics","StatisticType":"Statistic","Statistic":"SUM","Unit":null,"Dimensions":\[\],"Period":300,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold","Threshold":1\.0,/,
      );
      assert.match(m.StateChangeTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
      assert.match(m.NewStateReason, /^Threshold Crossed: /);
    } finally {
      await t.close();
    }
  });
});
