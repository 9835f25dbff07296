/** DescribeAlarms, DescribeAlarmsForMetric and DescribeAlarmHistory: filters, order, pagination, output shape. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeAlarms, describeAlarmsForMetric } from "../../src/alarms/describe.js";
import {
  actionHistory,
  alarmCreatedHistory,
  alarmDeletedHistory,
  alarmUpdatedHistory,
  describeAlarmHistory,
  historyPage,
  historyStoreQuery,
  stateUpdateHistory,
} from "../../src/alarms/history.js";
import {
  putCompositeAlarmRecord,
  putMetricAlarmRecord,
  setAlarmStateRecord,
} from "../../src/alarms/records.js";
import {
  validateDescribeAlarmHistory,
  validateDescribeAlarms,
  validateDescribeAlarmsForMetric,
  validatePutCompositeAlarm,
  validatePutMetricAlarm,
  validateSetAlarmState,
} from "../../src/alarms/validate.js";
import type { Alarm, AlarmHistoryItem, MetricAlarm } from "../../src/store/types.js";

const IDENTITY = { account: "123456789012", region: "us-east-1" };
const T0 = Date.parse("2026-11-28T12:00:00.000Z");
const TOPIC = "arn:aws:sns:us-east-1:123456789012:security";
const OTHER_TOPIC = "arn:aws:sns:us-east-1:123456789012:ops";

function metricAlarm(name: string, extra: Record<string, unknown> = {}): MetricAlarm {
  const config = validatePutMetricAlarm({
    AlarmName: name,
    MetricName: "RootAccountUsageCount",
    Namespace: "CloudTrailMetrics",
    Statistic: "Sum",
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    ...extra,
  });
  return putMetricAlarmRecord(config, undefined, IDENTITY, T0);
}

function compositeAlarm(name: string, rule: string): Alarm {
  const { config } = validatePutCompositeAlarm({ AlarmName: name, AlarmRule: rule });
  return putCompositeAlarmRecord(config, undefined, IDENTITY, T0);
}

function inState(a: Alarm, stateValue: "OK" | "ALARM"): Alarm {
  return {
    ...a,
    ...setAlarmStateRecord(
      a,
      validateSetAlarmState({ AlarmName: a.alarmName, StateValue: stateValue, StateReason: "t" }),
      T0 + 1000,
    ),
  };
}

const ALARMS: Alarm[] = [
  inState(metricAlarm("root-usage", { AlarmActions: [TOPIC] }), "ALARM"),
  metricAlarm("console-no-mfa", { OKActions: [OTHER_TOPIC] }),
  metricAlarm("iam-changes", {
    InsufficientDataActions: [`${TOPIC}-x`],
    Dimensions: [
      { Name: "B", Value: "2" },
      { Name: "A", Value: "1" },
    ],
  }),
  inState(
    metricAlarm("cloudtrail-changes", {
      MetricName: "CloudTrailEventCount",
      Statistic: "Maximum",
      Period: 60,
    }),
    "OK",
  ),
  compositeAlarm(
    "security",
    "ALARM(root-usage) OR ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:console-no-mfa)",
  ),
  compositeAlarm("all", 'ALARM(security) AND NOT ALARM("iam-changes")'),
];

const names = (out: {
  MetricAlarms: { AlarmName?: string }[];
  CompositeAlarms: { AlarmName?: string }[];
}) => [...out.MetricAlarms.map((a) => a.AlarmName), ...out.CompositeAlarms.map((a) => a.AlarmName)];

describe("DescribeAlarms filters", () => {
  const run = (input: Record<string, unknown>) => describeAlarms(ALARMS, validateDescribeAlarms(input));

  test("no filter: metric alarms only, in name order", () => {
    assert.deepEqual(names(run({})), ["cloudtrail-changes", "console-no-mfa", "iam-changes", "root-usage"]);
  });
  test("AlarmTypes CompositeAlarm", () => {
    assert.deepEqual(names(run({ AlarmTypes: ["CompositeAlarm"] })), ["all", "security"]);
  });
  test("both types", () => {
    const out = run({ AlarmTypes: ["MetricAlarm", "CompositeAlarm"] });
    assert.equal(out.MetricAlarms.length, 4);
    assert.equal(out.CompositeAlarms.length, 2);
  });
  test("AlarmNames, exact", () => {
    assert.deepEqual(names(run({ AlarmNames: ["root-usage", "root", "security"] })), ["root-usage"]);
  });
  test("AlarmNamePrefix", () => {
    assert.deepEqual(names(run({ AlarmNamePrefix: "c", AlarmTypes: ["MetricAlarm", "CompositeAlarm"] })), [
      "cloudtrail-changes",
      "console-no-mfa",
    ]);
  });
  test("StateValue", () => {
    assert.deepEqual(names(run({ StateValue: "ALARM" })), ["root-usage"]);
    assert.deepEqual(names(run({ StateValue: "INSUFFICIENT_DATA" })), ["console-no-mfa", "iam-changes"]);
  });
  test("ActionPrefix matches any of the three action lists", () => {
    assert.deepEqual(names(run({ ActionPrefix: TOPIC })), ["iam-changes", "root-usage"]);
    assert.deepEqual(names(run({ ActionPrefix: OTHER_TOPIC })), ["console-no-mfa"]);
    assert.deepEqual(names(run({ ActionPrefix: "arn:aws:lambda" })), []);
  });
  test("filters combine", () => {
    assert.deepEqual(names(run({ ActionPrefix: TOPIC, StateValue: "ALARM", AlarmNamePrefix: "root" })), [
      "root-usage",
    ]);
    assert.deepEqual(names(run({ ActionPrefix: TOPIC, StateValue: "OK" })), []);
  });
  test("ChildrenOfAlarmName: both types, names or ARNs, partial fields", () => {
    const out = run({ ChildrenOfAlarmName: "all" });
    assert.deepEqual(out.MetricAlarms, [
      {
        AlarmName: "iam-changes",
        AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:iam-changes",
        StateValue: "INSUFFICIENT_DATA",
        StateUpdatedTimestamp: new Date(T0),
      },
    ]);
    assert.deepEqual(names({ MetricAlarms: [], CompositeAlarms: out.CompositeAlarms }), ["security"]);
    assert.deepEqual(names(run({ ChildrenOfAlarmName: "security" })), ["console-no-mfa", "root-usage"]);
  });
  test("ChildrenOfAlarmName of a metric alarm or an unknown name: nothing", () => {
    assert.deepEqual(names(run({ ChildrenOfAlarmName: "root-usage" })), []);
    assert.deepEqual(names(run({ ChildrenOfAlarmName: "nope" })), []);
  });
  test("ParentsOfAlarmName: composites only, name and ARN only", () => {
    const out = run({ ParentsOfAlarmName: "console-no-mfa" });
    assert.deepEqual(out, {
      MetricAlarms: [],
      CompositeAlarms: [
        { AlarmName: "security", AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:security" },
      ],
    });
    assert.deepEqual(names(run({ ParentsOfAlarmName: "security" })), ["all"]);
    assert.deepEqual(
      names(run({ ParentsOfAlarmName: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:iam-changes" })),
      ["all"],
    );
    assert.deepEqual(names(run({ ParentsOfAlarmName: "cloudtrail-changes" })), []);
  });
});

describe("DescribeAlarms pagination", () => {
  test("pages of MaxRecords follow each other without gaps or repeats", () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = describeAlarms(
        ALARMS,
        validateDescribeAlarms({
          MaxRecords: 2,
          NextToken: token,
          AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
        }),
      );
      seen.push(...(names(out) as string[]));
      token = out.NextToken;
      pages++;
    } while (token !== undefined);
    assert.equal(pages, 3);
    assert.deepEqual(seen.sort(), ALARMS.map((a) => a.alarmName).sort());
  });
  test("the last page has no NextToken; an exact fit has none either", () => {
    assert.equal(describeAlarms(ALARMS, validateDescribeAlarms({ MaxRecords: 4 })).NextToken, undefined);
    assert.ok(describeAlarms(ALARMS, validateDescribeAlarms({ MaxRecords: 3 })).NextToken);
  });
  test("a page is cut in name order across both types", () => {
    const out = describeAlarms(
      ALARMS,
      validateDescribeAlarms({ MaxRecords: 3, AlarmTypes: ["MetricAlarm", "CompositeAlarm"] }),
    );
    assert.deepEqual(names(out), ["cloudtrail-changes", "console-no-mfa", "all"]);
  });
  for (const bad of [
    "nope!",
    "bm9wZQ",
    Buffer.from('{"v":1,"k":"history","p":3}').toString("base64url"),
    "",
  ]) {
    test(`NextToken ${JSON.stringify(bad)} is InvalidNextToken`, () => {
      assert.throws(() => describeAlarms(ALARMS, validateDescribeAlarms({ NextToken: bad })), {
        name: "InvalidNextToken",
        message: "The next token specified is invalid.",
      });
    });
  }
});

describe("DescribeAlarms output shape", () => {
  test("a metric alarm, PascalCase, Dates, unset members absent", () => {
    const out = describeAlarms(ALARMS, validateDescribeAlarms({ AlarmNames: ["iam-changes"] }));
    assert.deepEqual(out.MetricAlarms[0], {
      AlarmName: "iam-changes",
      AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:iam-changes",
      AlarmConfigurationUpdatedTimestamp: new Date(T0),
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [],
      InsufficientDataActions: [`${TOPIC}-x`],
      StateValue: "INSUFFICIENT_DATA",
      StateReason: "Unchecked: Initial alarm creation",
      StateUpdatedTimestamp: new Date(T0),
      MetricName: "RootAccountUsageCount",
      Namespace: "CloudTrailMetrics",
      Statistic: "Sum",
      Dimensions: [
        { Name: "B", Value: "2" },
        { Name: "A", Value: "1" },
      ],
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "missing",
      StateTransitionedTimestamp: new Date(T0),
    });
    assert.equal(out.NextToken, undefined);
  });
  test("a composite alarm", () => {
    const out = describeAlarms(
      ALARMS,
      validateDescribeAlarms({ AlarmNames: ["security"], AlarmTypes: ["CompositeAlarm"] }),
    );
    assert.deepEqual(out.CompositeAlarms[0], {
      AlarmName: "security",
      AlarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:security",
      AlarmConfigurationUpdatedTimestamp: new Date(T0),
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [],
      InsufficientDataActions: [],
      AlarmRule: "ALARM(root-usage) OR ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:console-no-mfa)",
      StateValue: "INSUFFICIENT_DATA",
      StateReason: "Unchecked: Initial alarm creation",
      StateUpdatedTimestamp: new Date(T0),
      StateTransitionedTimestamp: new Date(T0),
    });
  });
  test("state set by SetAlarmState, and the transition time", () => {
    const out = describeAlarms(ALARMS, validateDescribeAlarms({ AlarmNames: ["root-usage"] }));
    assert.equal(out.MetricAlarms[0].StateValue, "ALARM");
    assert.equal((out.MetricAlarms[0] as { StateReason: string }).StateReason, "t");
    assert.deepEqual(out.MetricAlarms[0].StateUpdatedTimestamp, new Date(T0 + 1000));
  });
});

describe("DescribeAlarmsForMetric", () => {
  const run = (input: Record<string, unknown>) =>
    describeAlarmsForMetric(
      ALARMS,
      validateDescribeAlarmsForMetric({
        MetricName: "RootAccountUsageCount",
        Namespace: "CloudTrailMetrics",
        ...input,
      }),
    ).MetricAlarms.map((a) => a.AlarmName);
  test("the metric without dimensions", () => assert.deepEqual(run({}), ["console-no-mfa", "root-usage"]));
  test("the metric's dimension set, in any order", () => {
    assert.deepEqual(
      run({
        Dimensions: [
          { Name: "A", Value: "1" },
          { Name: "B", Value: "2" },
        ],
      }),
      ["iam-changes"],
    );
    assert.deepEqual(run({ Dimensions: [{ Name: "A", Value: "1" }] }), []);
  });
  test("Statistic, Period and Unit filters", () => {
    assert.deepEqual(run({ Statistic: "Sum" }), ["console-no-mfa", "root-usage"]);
    assert.deepEqual(run({ Statistic: "Average" }), []);
    assert.deepEqual(run({ Period: 60 }), []);
    assert.deepEqual(run({ Unit: "Count" }), []);
    assert.deepEqual(
      describeAlarmsForMetric(
        ALARMS,
        validateDescribeAlarmsForMetric({
          MetricName: "CloudTrailEventCount",
          Namespace: "CloudTrailMetrics",
          Period: 60,
        }),
      ).MetricAlarms.map((a) => a.AlarmName),
      ["cloudtrail-changes"],
    );
  });
  test("other namespace: nothing", () => {
    assert.deepEqual(
      describeAlarmsForMetric(
        ALARMS,
        validateDescribeAlarmsForMetric({ MetricName: "RootAccountUsageCount", Namespace: "Other" }),
      ).MetricAlarms,
      [],
    );
  });
});

describe("history items", () => {
  const alarm = metricAlarm("root-usage", {
    AlarmActions: [TOPIC],
    Dimensions: [{ Name: "User", Value: "x" }],
  });

  test("ConfigurationUpdate on creation, in AWS's recorded field order (with its lower-case okactions)", () => {
    const item = alarmCreatedHistory(alarm, T0);
    assert.equal(item.historySummary, 'Alarm "root-usage" created');
    assert.equal(item.historyItemType, "ConfigurationUpdate");
    assert.equal(item.alarmType, "MetricAlarm");
    assert.equal(
      item.historyData,
      '{"version":"1.0","type":"Create","createdAlarm":{"alarmName":"root-usage","alarmArn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:root-usage","alarmConfigurationUpdatedTimestamp":"2026-11-28T12:00:00.000+0000","namespace":"CloudTrailMetrics","metricName":"RootAccountUsageCount","statistic":"Sum","period":300,"dimensions":[{"value":"x","name":"User"}],"threshold":1.0,"comparisonOperator":"GreaterThanOrEqualToThreshold","evaluationPeriods":1,"treatMissingData":"missing","stateValue":"INSUFFICIENT_DATA","stateUpdatedTimestamp":"2026-11-28T12:00:00.000+0000","actionsEnabled":true,"alarmActions":["arn:aws:sns:us-east-1:123456789012:security"],"insufficientDataActions":[],"okactions":[]}}',
    );
  });

  test("ConfigurationUpdate on update: the new alarm and the old values of what changed", () => {
    const updated = putMetricAlarmRecord({ ...alarm, threshold: 5 }, alarm, IDENTITY, T0 + 60_000);
    const item = alarmUpdatedHistory(alarm, updated, T0 + 60_000);
    assert.equal(item.historySummary, 'Alarm "root-usage" updated');
    const data = JSON.parse(item.historyData);
    assert.equal(data.type, "Update");
    assert.equal(data.updatedAlarm.threshold, 5);
    assert.deepEqual(data.originalUpdatedFields, {
      alarmConfigurationUpdatedTimestamp: "2026-11-28T12:00:00.000+0000",
      threshold: 1,
    });
    assert.match(
      item.historyData,
      /"originalUpdatedFields":\{"alarmConfigurationUpdatedTimestamp":"2026-11-28T12:00:00\.000\+0000","threshold":1\.0\}/,
    );
  });

  test("an update keeps the state and the tags", () => {
    const tagged = putMetricAlarmRecord({ ...alarm, tags: { a: "1" } }, undefined, IDENTITY, T0);
    const alarming = {
      ...tagged,
      ...setAlarmStateRecord(
        tagged,
        { alarmName: "root-usage", stateValue: "ALARM", stateReason: "x" },
        T0 + 5,
      ),
    };
    const updated = putMetricAlarmRecord({ ...alarm, tags: { b: "2" } }, alarming, IDENTITY, T0 + 10);
    assert.equal(updated.stateValue, "ALARM");
    assert.equal(updated.stateTransitionedTimestamp, T0 + 5);
    assert.deepEqual(updated.tags, { a: "1" });
    assert.equal(updated.alarmConfigurationUpdatedTimestamp, T0 + 10);
  });

  test("ConfigurationUpdate on deletion", () => {
    const item = alarmDeletedHistory(alarm, T0);
    assert.equal(item.historySummary, 'Alarm "root-usage" deleted');
    assert.match(
      item.historyData,
      /^\{"version":"1\.0","type":"Delete","deletedAlarm":\{"alarmName":"root-usage",/,
    );
  });

  test("StateUpdate: `Alarm updated from INSUFFICIENT_DATA to ALARM`, reason data nested as JSON", () => {
    const reasonData =
      '{"version":"1.0","queryDate":"2026-11-28T12:06:00.000+0000","statistic":"Sum","period":300,"recentDatapoints":[1.0],"threshold":1.0}';
    const item = stateUpdateHistory(
      alarm,
      { stateValue: "ALARM", stateReason: "Threshold Crossed: ...", stateReasonData: reasonData },
      T0 + 360_000,
    );
    assert.equal(item.historySummary, "Alarm updated from INSUFFICIENT_DATA to ALARM");
    assert.equal(item.historyItemType, "StateUpdate");
    assert.equal(item.timestamp, T0 + 360_000);
    assert.equal(
      item.historyData,
      `{"version":"1.0","oldState":{"stateValue":"INSUFFICIENT_DATA","stateReason":"Unchecked: Initial alarm creation"},"newState":{"stateValue":"ALARM","stateReason":"Threshold Crossed: ...","stateReasonData":${reasonData}}}`,
    );
  });

  test("StateUpdate keeps HistoryData within 4095 characters", () => {
    const big = JSON.stringify({ recentDatapoints: Array.from({ length: 600 }, (_, i) => i + 0.5) });
    const item = stateUpdateHistory(
      alarm,
      { stateValue: "ALARM", stateReason: "r", stateReasonData: big },
      T0,
    );
    assert.ok(item.historyData.length <= 4095);
    assert.equal(JSON.parse(item.historyData).newState.stateReason, "r");
  });

  test("Action, succeeded and failed", () => {
    const ok = actionHistory(alarm, {
      action: TOPIC,
      succeeded: true,
      timestamp: T0,
      publishedMessage: "{}",
    });
    assert.equal(ok.historySummary, `Successfully executed action ${TOPIC}`);
    assert.equal(ok.historyItemType, "Action");
    assert.deepEqual(JSON.parse(ok.historyData), {
      actionState: "Succeeded",
      stateUpdateTimestamp: T0,
      notificationResource: TOPIC,
      publishedMessage: "{}",
    });
    const failed = actionHistory(alarm, {
      action: TOPIC,
      succeeded: false,
      timestamp: T0,
      error: "connection refused",
    });
    assert.equal(failed.historySummary, `Failed to execute action ${TOPIC}`);
    assert.equal(JSON.parse(failed.historyData).error, "connection refused");
  });

  test("HistorySummary is cut at 255 characters", () => {
    const long = metricAlarm("n".repeat(255));
    assert.equal(alarmCreatedHistory(long, T0).historySummary.length, 255);
  });
});

describe("DescribeAlarmHistory", () => {
  const m = metricAlarm("root-usage");
  const c = compositeAlarm("security", "ALARM(root-usage)");
  const items: AlarmHistoryItem[] = [
    alarmCreatedHistory(m, T0),
    alarmCreatedHistory(c, T0 + 1),
    stateUpdateHistory(m, { stateValue: "ALARM", stateReason: "r1" }, T0 + 60_000),
    actionHistory(m, { action: TOPIC, succeeded: true, timestamp: T0 + 60_000 }),
    stateUpdateHistory(c, { stateValue: "ALARM", stateReason: "r2" }, T0 + 61_000),
    stateUpdateHistory({ ...m, stateValue: "ALARM" }, { stateValue: "OK", stateReason: "r3" }, T0 + 120_000),
  ];
  const run = (input: Record<string, unknown>) =>
    describeAlarmHistory(items, validateDescribeAlarmHistory(input));
  const summaries = (out: ReturnType<typeof run>) => out.AlarmHistoryItems.map((i) => i.HistorySummary);

  test("default: metric alarms, newest first; equal times keep their recorded order reversed", () => {
    assert.deepEqual(summaries(run({})), [
      "Alarm updated from ALARM to OK",
      `Successfully executed action ${TOPIC}`,
      "Alarm updated from INSUFFICIENT_DATA to ALARM",
      'Alarm "root-usage" created',
    ]);
  });
  test("TimestampAscending", () => {
    assert.deepEqual(summaries(run({ ScanBy: "TimestampAscending" }))[0], 'Alarm "root-usage" created');
  });
  test("composite alarms only when asked", () => {
    assert.deepEqual(summaries(run({ AlarmTypes: ["CompositeAlarm"] })), [
      "Alarm updated from INSUFFICIENT_DATA to ALARM",
      'Alarm "security" created',
    ]);
    assert.equal(run({ AlarmTypes: ["CompositeAlarm", "MetricAlarm"] }).AlarmHistoryItems.length, 6);
  });
  test("AlarmName and HistoryItemType", () => {
    assert.deepEqual(summaries(run({ AlarmName: "root-usage", HistoryItemType: "StateUpdate" })), [
      "Alarm updated from ALARM to OK",
      "Alarm updated from INSUFFICIENT_DATA to ALARM",
    ]);
    assert.deepEqual(summaries(run({ AlarmName: "security" })), []);
    assert.deepEqual(summaries(run({ HistoryItemType: "AlarmContributorStateUpdate" })), []);
  });
  test("StartDate and EndDate are inclusive", () => {
    assert.equal(
      run({ StartDate: new Date(T0 + 60_000), EndDate: new Date(T0 + 60_000) }).AlarmHistoryItems.length,
      2,
    );
    assert.equal(run({ StartDate: new Date(T0 + 60_001) }).AlarmHistoryItems.length, 1);
  });
  test("output shape", () => {
    const out = run({ MaxRecords: 1 });
    assert.deepEqual(out.AlarmHistoryItems[0], {
      AlarmName: "root-usage",
      AlarmType: "MetricAlarm",
      Timestamp: new Date(T0 + 120_000),
      HistoryItemType: "StateUpdate",
      HistorySummary: "Alarm updated from ALARM to OK",
      HistoryData: items[5].historyData,
    });
  });
  test("pagination visits every item once", () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const out = run({ MaxRecords: 3, NextToken: token, AlarmTypes: ["MetricAlarm", "CompositeAlarm"] });
      seen.push(...out.AlarmHistoryItems.map((i) => `${i.AlarmName}:${i.HistorySummary}`));
      token = out.NextToken;
    } while (token !== undefined);
    assert.equal(seen.length, 6);
    assert.equal(new Set(seen).size, 6);
  });
  test("a token from DescribeAlarms is InvalidNextToken", () => {
    const alarmsToken = describeAlarms(
      [m, metricAlarm("z")],
      validateDescribeAlarms({ MaxRecords: 1 }),
    ).NextToken;
    assert.throws(() => run({ NextToken: alarmsToken }), { name: "InvalidNextToken" });
  });
  test("store paging: one more than the page is fetched; the token carries the offset", () => {
    const query = validateDescribeAlarmHistory({ MaxRecords: 2 });
    const storeQuery = historyStoreQuery(query);
    assert.equal(storeQuery.limit, 3);
    assert.equal(storeQuery.offset, 0);
    const page = historyPage(items.slice(0, 3), query);
    assert.equal(page.AlarmHistoryItems.length, 2);
    const next = validateDescribeAlarmHistory({ MaxRecords: 2, NextToken: page.NextToken });
    assert.equal(historyStoreQuery(next).offset, 2);
    assert.equal(historyPage(items.slice(2, 4), next).NextToken, undefined);
  });
});
