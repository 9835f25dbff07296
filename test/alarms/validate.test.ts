/**
 * Every parameter of the alarm APIs with bad input: the error code and the exact message. AWS's own texts
 * where they are recorded (constraint messages, DatapointsToAlarm, the composite rule and children); ours
 * elsewhere (listed in the module comments).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  planAlarmDeletion,
  validateDeleteAlarms,
  validateDescribeAlarmHistory,
  validateDescribeAlarms,
  validateDescribeAlarmsForMetric,
  validatePutCompositeAlarm,
  validatePutMetricAlarm,
  validateSetAlarmState,
} from "../../src/alarms/validate.js";
import type { Alarm, CompositeAlarm, MetricAlarm } from "../../src/store/types.js";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms";

const GOOD_ALARM = {
  AlarmName: "root-usage",
  AlarmActions: [TOPIC],
  MetricName: "RootAccountUsageCount",
  Namespace: "CloudTrailMetrics",
  Statistic: "Sum",
  Dimensions: [{ Name: "User", Value: "x" }],
  Period: 300,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: "GreaterThanOrEqualToThreshold",
  TreatMissingData: "notBreaching",
};

function rejection(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    const err = e as Error & { code?: string };
    assert.equal(err.name, err.code, "name is the AWS code");
    return { code: err.name, message: err.message };
  }
  assert.fail("expected a rejection");
}

type Case = [title: string, input: Record<string, unknown>, code: string, message: string];

function table(validate: (input: unknown) => unknown, base: Record<string, unknown>, cases: Case[]): void {
  for (const [title, change, code, message] of cases) {
    test(title, () => {
      const input = { ...base, ...change };
      for (const [k, v] of Object.entries(change)) if (v === undefined) delete input[k];
      assert.deepEqual(
        rejection(() => validate(input)),
        { code, message },
      );
    });
  }
}

const c1 = (value: string, at: string, constraint: string) =>
  `1 validation error detected: Value ${value} at '${at}' failed to satisfy constraint: ${constraint}`;

describe("PutMetricAlarm: a good request", () => {
  test("is normalized to a MetricAlarmConfig with AWS's defaults", () => {
    assert.deepEqual(validatePutMetricAlarm(GOOD_ALARM), {
      alarmName: "root-usage",
      alarmDescription: undefined,
      actionsEnabled: true,
      okActions: [],
      alarmActions: [TOPIC],
      insufficientDataActions: [],
      metricName: "RootAccountUsageCount",
      namespace: "CloudTrailMetrics",
      statistic: "Sum",
      extendedStatistic: undefined,
      dimensions: [{ Name: "User", Value: "x" }],
      period: 300,
      unit: undefined,
      evaluationPeriods: 1,
      datapointsToAlarm: undefined,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      evaluateLowSampleCountPercentile: undefined,
      tags: {},
    });
  });

  test("awsQuery strings are read as their types", () => {
    const c = validatePutMetricAlarm({
      ...GOOD_ALARM,
      Period: "60",
      EvaluationPeriods: "5",
      DatapointsToAlarm: "3",
      Threshold: "1.5",
      ActionsEnabled: "false",
      TreatMissingData: undefined,
      Tags: [{ Key: "team", Value: "sec" }],
    });
    assert.equal(c.period, 60);
    assert.equal(c.evaluationPeriods, 5);
    assert.equal(c.datapointsToAlarm, 3);
    assert.equal(c.threshold, 1.5);
    assert.equal(c.actionsEnabled, false);
    assert.equal(c.treatMissingData, "missing");
    assert.deepEqual(c.tags, { team: "sec" });
  });

  const accepted: [string, Record<string, unknown>][] = [
    ["Period 10", { Period: 10 }],
    ["Period 20", { Period: 20 }],
    ["Period 30", { Period: 30 }],
    ["Period 3600 × 168 (seven days)", { Period: 3600, EvaluationPeriods: 168 }],
    ["Period 60 × 1440 (one day)", { Period: 60, EvaluationPeriods: 1440 }],
    ["ExtendedStatistic p99.9", { Statistic: undefined, ExtendedStatistic: "p99.9" }],
    ["ExtendedStatistic p0.0", { Statistic: undefined, ExtendedStatistic: "p0.0" }],
    ["ExtendedStatistic p100", { Statistic: undefined, ExtendedStatistic: "p100" }],
    ["ExtendedStatistic tm90", { Statistic: undefined, ExtendedStatistic: "tm90" }],
    ["ExtendedStatistic wm99", { Statistic: undefined, ExtendedStatistic: "wm99" }],
    ["ExtendedStatistic tc90 / ts90", { Statistic: undefined, ExtendedStatistic: "ts90" }],
    ["ExtendedStatistic IQM", { Statistic: undefined, ExtendedStatistic: "IQM" }],
    ["ExtendedStatistic TM(10%:90%)", { Statistic: undefined, ExtendedStatistic: "TM(10%:90%)" }],
    ["ExtendedStatistic WM(:90%)", { Statistic: undefined, ExtendedStatistic: "WM(:90%)" }],
    ["ExtendedStatistic PR(:300)", { Statistic: undefined, ExtendedStatistic: "PR(:300)" }],
    ["ExtendedStatistic PR(100:2000)", { Statistic: undefined, ExtendedStatistic: "PR(100:2000)" }],
    ["a Lambda action", { OKActions: ["arn:aws:lambda:us-east-1:123456789012:function:notify:prod"] }],
    ["an EC2 action", { AlarmActions: ["arn:aws:automate:us-east-1:ec2:stop"] }],
    [
      "an SSM OpsItem action",
      { AlarmActions: ["arn:aws:ssm:us-east-1:123456789012:opsitem:1#CATEGORY=Security"] },
    ],
    ["five actions", { AlarmActions: Array.from({ length: 5 }, (_, i) => `${TOPIC}${i}`) }],
    ["30 dimensions", { Dimensions: Array.from({ length: 30 }, (_, i) => ({ Name: `d${i}`, Value: "v" })) }],
    ["50 tags", { Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "" })) }],
    ["a 1024-character description", { AlarmDescription: "d".repeat(1024) }],
    ["a 255-character name", { AlarmName: "n".repeat(255) }],
    ["a negative threshold", { Threshold: -2.5 }],
  ];
  for (const [title, change] of accepted) {
    test(`accepts ${title}`, () => {
      const input: Record<string, unknown> = { ...GOOD_ALARM, ...change };
      for (const [k, v] of Object.entries(change)) if (v === undefined) delete input[k];
      validatePutMetricAlarm(input);
    });
  }
});

describe("PutMetricAlarm: bad input, every parameter", () => {
  table(validatePutMetricAlarm, GOOD_ALARM, [
    [
      "AlarmName missing",
      { AlarmName: undefined },
      "ValidationError",
      c1("null", "alarmName", "Member must not be null"),
    ],
    [
      "AlarmName empty",
      { AlarmName: "" },
      "ValidationError",
      c1("''", "alarmName", "Member must have length greater than or equal to 1"),
    ],
    [
      "AlarmName too long",
      { AlarmName: "n".repeat(256) },
      "ValidationError",
      c1(`'${"n".repeat(256)}'`, "alarmName", "Member must have length less than or equal to 255"),
    ],
    [
      "AlarmName with a control character",
      { AlarmName: "a\tb" },
      "ValidationError",
      "The alarm name must not contain ASCII control characters.",
    ],
    [
      "AlarmName not a string",
      { AlarmName: 5 },
      "InvalidParameterValue",
      "Invalid type for parameter AlarmName: expected a string, got 5.",
    ],
    [
      "AlarmDescription too long",
      { AlarmDescription: "d".repeat(1025) },
      "ValidationError",
      c1(`'${"d".repeat(1025)}'`, "alarmDescription", "Member must have length less than or equal to 1024"),
    ],
    [
      "ActionsEnabled not a boolean",
      { ActionsEnabled: "yes" },
      "InvalidParameterValue",
      'Invalid type for parameter ActionsEnabled: expected a boolean, got "yes".',
    ],
    [
      "six AlarmActions",
      { AlarmActions: Array.from({ length: 6 }, (_, i) => `t${i}`) },
      "ValidationError",
      c1("'[t0, t1, t2, t3, t4, t5]'", "alarmActions", "Member must have length less than or equal to 5"),
    ],
    [
      "six OKActions",
      { OKActions: Array.from({ length: 6 }, (_, i) => `t${i}`) },
      "ValidationError",
      c1("'[t0, t1, t2, t3, t4, t5]'", "okActions", "Member must have length less than or equal to 5"),
    ],
    [
      "six InsufficientDataActions",
      { InsufficientDataActions: Array.from({ length: 6 }, (_, i) => `t${i}`) },
      "ValidationError",
      c1(
        "'[t0, t1, t2, t3, t4, t5]'",
        "insufficientDataActions",
        "Member must have length less than or equal to 5",
      ),
    ],
    [
      "an empty action",
      { AlarmActions: [""] },
      "ValidationError",
      c1("''", "alarmActions.1.member", "Member must have length greater than or equal to 1"),
    ],
    [
      "an action that is not an ARN",
      { AlarmActions: ["my-topic"] },
      "ValidationError",
      "Invalid action my-topic in AlarmActions: the action must be an SNS topic, a Lambda function, an EC2 action, an Auto Scaling policy or a Systems Manager OpsItem or response plan ARN.",
    ],
    [
      "an SQS queue as an action",
      { OKActions: ["arn:aws:sqs:us-east-1:123456789012:q"] },
      "ValidationError",
      "Invalid action arn:aws:sqs:us-east-1:123456789012:q in OKActions: the action must be an SNS topic, a Lambda function, an EC2 action, an Auto Scaling policy or a Systems Manager OpsItem or response plan ARN.",
    ],
    [
      "an SNS ARN with a short account",
      { InsufficientDataActions: ["arn:aws:sns:us-east-1:123:t"] },
      "ValidationError",
      "Invalid action arn:aws:sns:us-east-1:123:t in InsufficientDataActions: the action must be an SNS topic, a Lambda function, an EC2 action, an Auto Scaling policy or a Systems Manager OpsItem or response plan ARN.",
    ],
    [
      "actions not a list",
      { AlarmActions: TOPIC },
      "InvalidParameterValue",
      `Invalid type for parameter AlarmActions: expected a list of strings, got "${TOPIC}".`,
    ],
    ["MetricName missing", { MetricName: undefined }, "ValidationError", "MetricName must not be null"],
    [
      "MetricName too long",
      { MetricName: "m".repeat(256) },
      "ValidationError",
      c1(`'${"m".repeat(256)}'`, "metricName", "Member must have length less than or equal to 255"),
    ],
    ["Namespace missing", { Namespace: undefined }, "ValidationError", "Namespace must not be null"],
    [
      "Namespace starting with a colon",
      { Namespace: ":ns" },
      "ValidationError",
      c1("':ns'", "namespace", "Member must satisfy regular expression pattern: [^:].*"),
    ],
    [
      "Namespace empty",
      { Namespace: "" },
      "ValidationError",
      `2 validation errors detected: Value '' at 'namespace' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'namespace' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:].*`,
    ],
    [
      "Statistic unknown",
      { Statistic: "Median" },
      "ValidationError",
      c1(
        "'Median'",
        "statistic",
        "Member must satisfy enum value set: [Maximum, SampleCount, Sum, Minimum, Average]",
      ),
    ],
    [
      "Statistic and ExtendedStatistic",
      { ExtendedStatistic: "p99" },
      "ValidationError",
      "Statistic and ExtendedStatistic cannot both be specified.",
    ],
    [
      "neither Statistic nor ExtendedStatistic",
      { Statistic: undefined },
      "ValidationError",
      "Either Statistic or ExtendedStatistic must be specified.",
    ],
    ...[
      "p101",
      "P99",
      "p",
      "tm",
      "TM(5%:90%)",
      "TM(10%:95%)",
      "TM(10:90)",
      "PR(10%:90%)",
      "IQR",
      "p99.9.9",
    ].map(
      (s): Case => [
        `ExtendedStatistic ${s}`,
        { Statistic: undefined, ExtendedStatistic: s },
        "ValidationError",
        `Invalid ExtendedStatistic '${s}': use p0.0 to p100, tmNN, tcNN, tsNN, wmNN, IQM, PR(n:m), or TM, TC, TS or WM(X%:X%) with X between 10 and 90.`,
      ],
    ),
    [
      "31 dimensions",
      { Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: "v" })) },
      "ValidationError",
      c1(
        `'[${Array.from({ length: 31 }, () => "[object Object]").join(", ")}]'`,
        "dimensions",
        "Member must have length less than or equal to 30",
      ),
    ],
    [
      "a dimension without a value",
      { Dimensions: [{ Name: "User" }] },
      "ValidationError",
      c1("null", "dimensions.1.member.value", "Member must not be null"),
    ],
    [
      "a dimension with an empty name",
      { Dimensions: [{ Name: "", Value: "v" }] },
      "ValidationError",
      c1("''", "dimensions.1.member.name", "Member must have length greater than or equal to 1"),
    ],
    [
      "a dimension name of 256",
      { Dimensions: [{ Name: "n".repeat(256), Value: "v" }] },
      "ValidationError",
      c1(
        `'${"n".repeat(256)}'`,
        "dimensions.1.member.name",
        "Member must have length less than or equal to 255",
      ),
    ],
    [
      "a dimension value of 1025",
      { Dimensions: [{ Name: "n", Value: "v".repeat(1025) }] },
      "ValidationError",
      c1(
        `'${"v".repeat(1025)}'`,
        "dimensions.1.member.value",
        "Member must have length less than or equal to 1024",
      ),
    ],
    [
      "two dimensions of one name",
      {
        Dimensions: [
          { Name: "n", Value: "a" },
          { Name: "n", Value: "b" },
        ],
      },
      "ValidationError",
      "Duplicate dimension name 'n'.",
    ],
    ["Period missing", { Period: undefined }, "ValidationError", "Period must not be null"],
    [
      "Period 0",
      { Period: 0 },
      "ValidationError",
      c1("'0'", "period", "Member must have value greater than or equal to 1"),
    ],
    ["Period 45", { Period: 45 }, "ValidationError", "Period must be 10, 20, 30 or a multiple of 60"],
    ["Period 90", { Period: 90 }, "ValidationError", "Period must be 10, 20, 30 or a multiple of 60"],
    ["Period 1", { Period: 1 }, "ValidationError", "Period must be 10, 20, 30 or a multiple of 60"],
    [
      "Period 30.5",
      { Period: 30.5 },
      "InvalidParameterValue",
      "Invalid type for parameter Period: expected an integer, got 30.5.",
    ],
    [
      "Period abc",
      { Period: "abc" },
      "InvalidParameterValue",
      'Invalid type for parameter Period: expected an integer, got "abc".',
    ],
    [
      "Unit unknown",
      { Unit: "Hours" },
      "ValidationError",
      c1(
        "'Hours'",
        "unit",
        "Member must satisfy enum value set: [Seconds, Microseconds, Milliseconds, Bytes, Kilobytes, Megabytes, Gigabytes, Terabytes, Bits, Kilobits, Megabits, Gigabits, Terabits, Percent, Count, Bytes/Second, Kilobytes/Second, Megabytes/Second, Gigabytes/Second, Terabytes/Second, Bits/Second, Kilobits/Second, Megabits/Second, Gigabits/Second, Terabits/Second, Count/Second, None]",
      ),
    ],
    [
      "EvaluationPeriods missing",
      { EvaluationPeriods: undefined },
      "ValidationError",
      c1("null", "evaluationPeriods", "Member must not be null"),
    ],
    [
      "EvaluationPeriods 0",
      { EvaluationPeriods: 0 },
      "ValidationError",
      c1("'0'", "evaluationPeriods", "Member must have value greater than or equal to 1"),
    ],
    [
      "Period × N over one day below an hour",
      { Period: 60, EvaluationPeriods: 1441 },
      "ValidationError",
      "Period * EvaluationPeriods must be at most 86400 seconds (one day) for a Period under one hour; it is 86460.",
    ],
    [
      "Period × N over seven days",
      { Period: 3600, EvaluationPeriods: 169 },
      "ValidationError",
      "Period * EvaluationPeriods must be at most 604800 seconds (seven days); it is 608400.",
    ],
    [
      "DatapointsToAlarm 0",
      { DatapointsToAlarm: 0 },
      "ValidationError",
      c1("'0'", "datapointsToAlarm", "Member must have value greater than or equal to 1"),
    ],
    [
      "DatapointsToAlarm above N",
      { EvaluationPeriods: 3, DatapointsToAlarm: 4 },
      "ValidationError",
      "DatapointsToAlarm must be less than or equal to EvaluationPeriods",
    ],
    ["Threshold missing", { Threshold: undefined }, "ValidationError", "Threshold must not be null"],
    [
      "Threshold not a number",
      { Threshold: "high" },
      "InvalidParameterValue",
      'Invalid type for parameter Threshold: expected a finite number, got "high".',
    ],
    [
      "Threshold NaN",
      { Threshold: "NaN" },
      "InvalidParameterValue",
      'Invalid type for parameter Threshold: expected a finite number, got "NaN".',
    ],
    [
      "ComparisonOperator missing",
      { ComparisonOperator: undefined },
      "ValidationError",
      c1("null", "comparisonOperator", "Member must not be null"),
    ],
    [
      "ComparisonOperator unknown",
      { ComparisonOperator: "GreaterThan" },
      "ValidationError",
      c1(
        "'GreaterThan'",
        "comparisonOperator",
        "Member must satisfy enum value set: [GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold, LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, GreaterThanUpperThreshold]",
      ),
    ],
    ...[
      "LessThanLowerOrGreaterThanUpperThreshold",
      "LessThanLowerThreshold",
      "GreaterThanUpperThreshold",
    ].map(
      (op): Case => [
        `ComparisonOperator ${op} (anomaly detection)`,
        { ComparisonOperator: op },
        "InvalidParameterValue",
        `ComparisonOperator ${op} is only for anomaly detection alarms, which trailwatch does not support. Use GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold.`,
      ],
    ),
    [
      "TreatMissingData unknown",
      { TreatMissingData: "zero" },
      "ValidationError",
      "Invalid TreatMissingData 'zero'. Valid values are: breaching, notBreaching, ignore, missing.",
    ],
    [
      "TreatMissingData empty",
      { TreatMissingData: "" },
      "ValidationError",
      c1("''", "treatMissingData", "Member must have length greater than or equal to 1"),
    ],
    [
      "EvaluateLowSampleCountPercentile unknown",
      { EvaluateLowSampleCountPercentile: "skip" },
      "ValidationError",
      "Invalid EvaluateLowSampleCountPercentile 'skip'. Valid values are: evaluate, ignore.",
    ],
    [
      "Metrics (metric math)",
      { Metrics: [{ Id: "m1" }] },
      "InvalidParameterValue",
      "trailwatch does not support metric math alarms (Metrics): an alarm watches one metric given by MetricName, Namespace and Dimensions.",
    ],
    [
      "ThresholdMetricId (anomaly detection)",
      { ThresholdMetricId: "ad1" },
      "InvalidParameterValue",
      "trailwatch does not support anomaly detection alarms (ThresholdMetricId): an alarm watches one metric given by MetricName, Namespace and Dimensions.",
    ],
    [
      "EvaluationCriteria (PromQL)",
      { EvaluationCriteria: {} },
      "InvalidParameterValue",
      "trailwatch does not support Metrics Insights and PromQL alarms (EvaluationCriteria): an alarm watches one metric given by MetricName, Namespace and Dimensions.",
    ],
    [
      "51 tags",
      { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "" })) },
      "ValidationError",
      "An alarm can have at most 50 tags; 51 were given.",
    ],
    [
      "a tag key of 129",
      { Tags: [{ Key: "k".repeat(129), Value: "" }] },
      "ValidationError",
      c1(`'${"k".repeat(129)}'`, "tags.1.member.key", "Member must have length less than or equal to 128"),
    ],
    [
      "a tag value of 257",
      { Tags: [{ Key: "k", Value: "v".repeat(257) }] },
      "ValidationError",
      c1(`'${"v".repeat(257)}'`, "tags.1.member.value", "Member must have length less than or equal to 256"),
    ],
    [
      "a tag without a value",
      { Tags: [{ Key: "k" }] },
      "ValidationError",
      c1("null", "tags.1.member.value", "Member must not be null"),
    ],
    [
      "a tag key twice",
      {
        Tags: [
          { Key: "k", Value: "a" },
          { Key: "k", Value: "b" },
        ],
      },
      "ValidationError",
      "Duplicate tag key 'k'.",
    ],
    [
      "tags not structures",
      { Tags: ["k=v"] },
      "InvalidParameterValue",
      'Invalid type for parameter Tags: expected a list of structures, got ["k=v"].',
    ],
  ]);

  test("every constraint failure is reported at once", () => {
    const { code, message } = rejection(() =>
      validatePutMetricAlarm({
        ...GOOD_ALARM,
        AlarmName: undefined,
        Period: 0,
        ComparisonOperator: undefined,
      }),
    );
    assert.equal(code, "ValidationError");
    assert.equal(
      message,
      "3 validation errors detected: Value null at 'alarmName' failed to satisfy constraint: Member must not be null; Value '0' at 'period' failed to satisfy constraint: Member must have value greater than or equal to 1; Value null at 'comparisonOperator' failed to satisfy constraint: Member must not be null",
    );
  });

  test("the request must be an object", () => {
    assert.deepEqual(
      rejection(() => validatePutMetricAlarm("x")),
      {
        code: "InvalidParameterValue",
        message: 'Invalid type for parameter request: expected an object, got "x".',
      },
    );
  });
});

const GOOD_COMPOSITE = { AlarmName: "c", AlarmRule: "ALARM(a) OR ALARM(b)", AlarmActions: [TOPIC] };

describe("PutCompositeAlarm", () => {
  test("a good request", () => {
    const { config, rule } = validatePutCompositeAlarm(
      {
        ...GOOD_COMPOSITE,
        ActionsSuppressor: "maint",
        ActionsSuppressorWaitPeriod: 60,
        ActionsSuppressorExtensionPeriod: 120,
      },
      { alarmExists: () => true },
    );
    assert.equal(rule.kind, "or");
    assert.deepEqual(config, {
      alarmName: "c",
      alarmDescription: undefined,
      actionsEnabled: true,
      okActions: [],
      alarmActions: [TOPIC],
      insufficientDataActions: [],
      alarmRule: "ALARM(a) OR ALARM(b)",
      actionsSuppressor: "maint",
      actionsSuppressorWaitPeriod: 60,
      actionsSuppressorExtensionPeriod: 120,
      tags: {},
    });
  });

  table(
    (i) => validatePutCompositeAlarm(i, { alarmExists: (n) => ["a", "b", "maint"].includes(n) }),
    GOOD_COMPOSITE,
    [
      [
        "AlarmName missing",
        { AlarmName: undefined },
        "ValidationError",
        c1("null", "alarmName", "Member must not be null"),
      ],
      [
        "AlarmName too long",
        { AlarmName: "n".repeat(256) },
        "ValidationError",
        c1(`'${"n".repeat(256)}'`, "alarmName", "Member must have length less than or equal to 255"),
      ],
      [
        "AlarmDescription too long",
        { AlarmDescription: "d".repeat(1025) },
        "ValidationError",
        c1(`'${"d".repeat(1025)}'`, "alarmDescription", "Member must have length less than or equal to 1024"),
      ],
      [
        "AlarmRule missing",
        { AlarmRule: undefined },
        "ValidationError",
        c1("null", "alarmRule", "Member must not be null"),
      ],
      [
        "AlarmRule empty",
        { AlarmRule: "" },
        "ValidationError",
        c1("''", "alarmRule", "Member must have length greater than or equal to 1"),
      ],
      [
        "AlarmRule bad syntax",
        { AlarmRule: "ALARM(a) OR" },
        "ValidationError",
        "Error in AlarmRule [Unexpected end of rule at char 11, must be: '(', 'NOT', TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA]",
      ],
      [
        "a child that does not exist",
        { AlarmRule: 'ALARM(a) OR ALARM(gone) OR OK("gone2")' },
        "ValidationError",
        "Could not save the composite alarm as alarms [gone, gone2] in the alarm rule do not exist",
      ],
      [
        "an EC2 action",
        { AlarmActions: ["arn:aws:automate:us-east-1:ec2:stop"] },
        "ValidationError",
        "Invalid action arn:aws:automate:us-east-1:ec2:stop in AlarmActions: the action must be an SNS topic, a Lambda function or a Systems Manager OpsItem or response plan ARN.",
      ],
      [
        "six OKActions",
        { OKActions: Array.from({ length: 6 }, () => TOPIC) },
        "ValidationError",
        c1(
          `'[${Array.from({ length: 6 }, () => TOPIC).join(", ")}]'`,
          "okActions",
          "Member must have length less than or equal to 5",
        ),
      ],
      [
        "ActionsSuppressor without periods",
        { ActionsSuppressor: "maint" },
        "ValidationError",
        "ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod are required when ActionsSuppressor is specified.",
      ],
      [
        "periods without ActionsSuppressor",
        { ActionsSuppressorWaitPeriod: 60 },
        "ValidationError",
        "ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod can only be used together with ActionsSuppressor.",
      ],
      [
        "a negative period",
        { ActionsSuppressor: "maint", ActionsSuppressorWaitPeriod: -1, ActionsSuppressorExtensionPeriod: 0 },
        "ValidationError",
        "ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod must not be negative.",
      ],
      [
        "an unknown suppressor",
        { ActionsSuppressor: "nope", ActionsSuppressorWaitPeriod: 1, ActionsSuppressorExtensionPeriod: 1 },
        "ValidationError",
        "Could not save the composite alarm as the actions suppressor [nope] does not exist",
      ],
      [
        "ActionsSuppressor too long",
        { ActionsSuppressor: "s".repeat(1601) },
        "ValidationError",
        c1(
          `'${"s".repeat(1601)}'`,
          "actionsSuppressor",
          "Member must have length less than or equal to 1600",
        ),
      ],
      [
        "51 tags",
        { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "" })) },
        "ValidationError",
        "An alarm can have at most 50 tags; 51 were given.",
      ],
    ],
  );

  test("children given by ARN are looked up by name", () => {
    validatePutCompositeAlarm(
      { ...GOOD_COMPOSITE, AlarmRule: "ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:a)" },
      { alarmExists: (n) => n === "a" },
    );
  });
});

describe("SetAlarmState", () => {
  const base = { AlarmName: "a", StateValue: "ALARM", StateReason: "testing purposes" };
  test("a good request", () => {
    assert.deepEqual(validateSetAlarmState({ ...base, StateReasonData: '{"x":1}' }), {
      alarmName: "a",
      stateValue: "ALARM",
      stateReason: "testing purposes",
      stateReasonData: '{"x":1}',
    });
  });
  test("an empty reason is allowed", () => {
    validateSetAlarmState({ ...base, StateReason: "" });
  });
  table(validateSetAlarmState, base, [
    [
      "StateValue INVALID (recorded from AWS)",
      { StateValue: "INVALID" },
      "ValidationError",
      c1("'INVALID'", "stateValue", "Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]"),
    ],
    [
      "AlarmName missing",
      { AlarmName: undefined },
      "ValidationError",
      c1("null", "alarmName", "Member must not be null"),
    ],
    [
      "StateValue missing",
      { StateValue: undefined },
      "ValidationError",
      c1("null", "stateValue", "Member must not be null"),
    ],
    [
      "StateReason missing",
      { StateReason: undefined },
      "ValidationError",
      c1("null", "stateReason", "Member must not be null"),
    ],
    [
      "StateReason too long",
      { StateReason: "r".repeat(1024) },
      "ValidationError",
      c1(`'${"r".repeat(1024)}'`, "stateReason", "Member must have length less than or equal to 1023"),
    ],
    [
      "StateReasonData too long",
      { StateReasonData: `"${"d".repeat(3999)}"` },
      "ValidationError",
      c1(`'"${"d".repeat(3999)}"'`, "stateReasonData", "Member must have length less than or equal to 4000"),
    ],
    [
      "StateReasonData not JSON",
      { StateReasonData: "{bad" },
      "InvalidFormat",
      "Data was not syntactically valid JSON",
    ],
  ]);
});

describe("DeleteAlarms", () => {
  test("names, each once", () =>
    assert.deepEqual(validateDeleteAlarms({ AlarmNames: ["a", "b", "a"] }), ["a", "b"]));
  table(validateDeleteAlarms, { AlarmNames: ["a"] }, [
    [
      "AlarmNames missing",
      { AlarmNames: undefined },
      "ValidationError",
      c1("null", "alarmNames", "Member must not be null"),
    ],
    [
      "101 names",
      { AlarmNames: Array.from({ length: 101 }, (_, i) => `a${i}`) },
      "ValidationError",
      c1(
        `'[${Array.from({ length: 101 }, (_, i) => `a${i}`).join(", ")}]'`,
        "alarmNames",
        "Member must have length less than or equal to 100",
      ),
    ],
    [
      "an empty name",
      { AlarmNames: ["a", ""] },
      "ValidationError",
      c1("''", "alarmNames.2.member", "Member must have length greater than or equal to 1"),
    ],
  ]);

  const metric = (name: string) => ({ alarmName: name, alarmType: "MetricAlarm" }) as MetricAlarm;
  const composite = (name: string, rule: string) =>
    ({ alarmName: name, alarmType: "CompositeAlarm", alarmRule: rule }) as CompositeAlarm;
  const alarms: Alarm[] = [
    metric("m1"),
    metric("m2"),
    metric("m3"),
    metric("m4"),
    composite("c1", "ALARM(m1) OR ALARM(m2)"),
    composite("c2", "ALARM(c1)"),
    composite("c3", "OK(m4)"),
  ];

  test("unknown names are skipped", () => {
    assert.deepEqual(
      planAlarmDeletion(["m3", "nope"], alarms).map((a) => a.alarmName),
      ["m3"],
    );
  });
  test("a composite and the alarms only it references go together", () => {
    assert.deepEqual(
      planAlarmDeletion(["c3", "m4"], alarms).map((a) => a.alarmName),
      ["c3", "m4"],
    );
  });
  test("two composites in one call", () => {
    assert.deepEqual(
      rejection(() => planAlarmDeletion(["c1", "c2"], alarms)),
      {
        code: "ValidationError",
        message: "At most one composite alarm can be deleted per call; the request names 2: c1, c2.",
      },
    );
  });
  test("children of a remaining composite", () => {
    assert.deepEqual(
      rejection(() => planAlarmDeletion(["m1", "m2"], alarms)),
      {
        code: "ValidationError",
        message: "Cannot delete m1, m2: composite alarms that will remain depend on them.",
      },
    );
    assert.deepEqual(
      rejection(() => planAlarmDeletion(["c1"], alarms)),
      {
        code: "ValidationError",
        message: "Cannot delete c1: composite alarms that will remain depend on it.",
      },
    );
  });
});

describe("DescribeAlarms input", () => {
  test("defaults: metric alarms, 50 records", () => {
    assert.deepEqual(validateDescribeAlarms({}), {
      alarmNames: undefined,
      alarmNamePrefix: undefined,
      alarmTypes: ["MetricAlarm"],
      childrenOfAlarmName: undefined,
      parentsOfAlarmName: undefined,
      stateValue: undefined,
      actionPrefix: undefined,
      maxRecords: 50,
      nextToken: undefined,
    });
  });
  test("ChildrenOfAlarmName with MaxRecords and NextToken only", () => {
    validateDescribeAlarms({ ChildrenOfAlarmName: "c", MaxRecords: 10, NextToken: "x" });
  });
  table(validateDescribeAlarms, {}, [
    [
      "101 AlarmNames",
      { AlarmNames: Array.from({ length: 101 }, () => "a") },
      "ValidationError",
      c1(
        `'[${Array.from({ length: 101 }, () => "a").join(", ")}]'`,
        "alarmNames",
        "Member must have length less than or equal to 100",
      ),
    ],
    [
      "an empty AlarmNames member",
      { AlarmNames: [""] },
      "ValidationError",
      c1("''", "alarmNames.1.member", "Member must have length greater than or equal to 1"),
    ],
    [
      "AlarmNamePrefix empty",
      { AlarmNamePrefix: "" },
      "ValidationError",
      c1("''", "alarmNamePrefix", "Member must have length greater than or equal to 1"),
    ],
    [
      "AlarmNames and AlarmNamePrefix",
      { AlarmNames: ["a"], AlarmNamePrefix: "a" },
      "ValidationError",
      "AlarmNames and AlarmNamePrefix cannot be specified together.",
    ],
    [
      "AlarmTypes unknown",
      { AlarmTypes: ["MetricAlarm", "Alarm"] },
      "ValidationError",
      c1(
        "'Alarm'",
        "alarmTypes.2.member",
        "Member must satisfy enum value set: [CompositeAlarm, MetricAlarm]",
      ),
    ],
    [
      "StateValue unknown",
      { StateValue: "FIRING" },
      "ValidationError",
      c1("'FIRING'", "stateValue", "Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]"),
    ],
    [
      "ActionPrefix too long",
      { ActionPrefix: "a".repeat(1025) },
      "ValidationError",
      c1(`'${"a".repeat(1025)}'`, "actionPrefix", "Member must have length less than or equal to 1024"),
    ],
    [
      "MaxRecords 0",
      { MaxRecords: 0 },
      "ValidationError",
      c1("'0'", "maxRecords", "Member must have value greater than or equal to 1"),
    ],
    [
      "MaxRecords 101",
      { MaxRecords: 101 },
      "ValidationError",
      c1("'101'", "maxRecords", "Member must have value less than or equal to 100"),
    ],
    [
      "ChildrenOfAlarmName and ParentsOfAlarmName",
      { ChildrenOfAlarmName: "a", ParentsOfAlarmName: "b" },
      "ValidationError",
      "ChildrenOfAlarmName and ParentsOfAlarmName cannot be specified together.",
    ],
    [
      "ChildrenOfAlarmName with StateValue",
      { ChildrenOfAlarmName: "a", StateValue: "OK" },
      "ValidationError",
      "ChildrenOfAlarmName cannot be combined with StateValue; only MaxRecords and NextToken may be given with it.",
    ],
    [
      "ParentsOfAlarmName with AlarmTypes and ActionPrefix",
      { ParentsOfAlarmName: "a", AlarmTypes: ["CompositeAlarm"], ActionPrefix: "x" },
      "ValidationError",
      "ParentsOfAlarmName cannot be combined with AlarmTypes, ActionPrefix; only MaxRecords and NextToken may be given with it.",
    ],
    [
      "ChildrenOfAlarmName too long",
      { ChildrenOfAlarmName: "c".repeat(256) },
      "ValidationError",
      c1(`'${"c".repeat(256)}'`, "childrenOfAlarmName", "Member must have length less than or equal to 255"),
    ],
    [
      "NextToken not a string",
      { NextToken: 3 },
      "InvalidParameterValue",
      "Invalid type for parameter NextToken: expected a string, got 3.",
    ],
  ]);
});

describe("DescribeAlarmsForMetric input", () => {
  const base = { MetricName: "m", Namespace: "ns" };
  test("a good request", () => {
    assert.deepEqual(
      validateDescribeAlarmsForMetric({ ...base, Period: 300, Unit: "Count", ExtendedStatistic: "p99" }),
      {
        metricName: "m",
        namespace: "ns",
        statistic: undefined,
        extendedStatistic: "p99",
        dimensions: [],
        period: 300,
        unit: "Count",
      },
    );
  });
  table(validateDescribeAlarmsForMetric, base, [
    [
      "MetricName missing",
      { MetricName: undefined },
      "ValidationError",
      c1("null", "metricName", "Member must not be null"),
    ],
    [
      "Namespace missing",
      { Namespace: undefined },
      "ValidationError",
      c1("null", "namespace", "Member must not be null"),
    ],
    [
      "Namespace with a leading colon",
      { Namespace: ":x" },
      "ValidationError",
      c1("':x'", "namespace", "Member must satisfy regular expression pattern: [^:].*"),
    ],
    [
      "Statistic unknown",
      { Statistic: "Max" },
      "ValidationError",
      c1(
        "'Max'",
        "statistic",
        "Member must satisfy enum value set: [SampleCount, Average, Sum, Minimum, Maximum]",
      ),
    ],
    [
      "Statistic and ExtendedStatistic",
      { Statistic: "Sum", ExtendedStatistic: "p99" },
      "ValidationError",
      "Statistic and ExtendedStatistic cannot both be specified.",
    ],
    [
      "ExtendedStatistic invalid",
      { ExtendedStatistic: "p200" },
      "ValidationError",
      "Invalid ExtendedStatistic 'p200'.",
    ],
    [
      "Period 0",
      { Period: 0 },
      "ValidationError",
      c1("'0'", "period", "Member must have value greater than or equal to 1"),
    ],
    [
      "Unit unknown",
      { Unit: "Hours" },
      "ValidationError",
      c1(
        "'Hours'",
        "unit",
        "Member must satisfy enum value set: [Seconds, Microseconds, Milliseconds, Bytes, Kilobytes, Megabytes, Gigabytes, Terabytes, Bits, Kilobits, Megabits, Gigabits, Terabits, Percent, Count, Bytes/Second, Kilobytes/Second, Megabytes/Second, Gigabytes/Second, Terabytes/Second, Bits/Second, Kilobits/Second, Megabits/Second, Gigabits/Second, Terabits/Second, Count/Second, None]",
      ),
    ],
    [
      "a dimension without a name",
      { Dimensions: [{ Value: "v" }] },
      "ValidationError",
      c1("null", "dimensions.1.member.name", "Member must not be null"),
    ],
  ]);
});

describe("DescribeAlarmHistory input", () => {
  test("defaults and dates in their three encodings", () => {
    const q = validateDescribeAlarmHistory({
      StartDate: new Date("2026-11-28T00:00:00Z"),
      EndDate: 1795910400,
      ScanBy: "TimestampAscending",
    });
    assert.equal(q.startDate, Date.parse("2026-11-28T00:00:00Z"));
    assert.equal(q.endDate, 1795910400000);
    assert.equal(q.ascending, true);
    assert.deepEqual(q.alarmTypes, ["MetricAlarm"]);
    assert.equal(q.maxRecords, 50);
    assert.equal(
      validateDescribeAlarmHistory({ StartDate: "2026-11-28T00:00:00.000Z" }).startDate,
      Date.parse("2026-11-28T00:00:00Z"),
    );
    assert.equal(validateDescribeAlarmHistory({}).ascending, false);
  });
  table(validateDescribeAlarmHistory, {}, [
    [
      "AlarmName empty",
      { AlarmName: "" },
      "ValidationError",
      c1("''", "alarmName", "Member must have length greater than or equal to 1"),
    ],
    [
      "AlarmTypes unknown",
      { AlarmTypes: ["X"] },
      "ValidationError",
      c1("'X'", "alarmTypes.1.member", "Member must satisfy enum value set: [CompositeAlarm, MetricAlarm]"),
    ],
    [
      "HistoryItemType unknown",
      { HistoryItemType: "Create" },
      "ValidationError",
      c1(
        "'Create'",
        "historyItemType",
        "Member must satisfy enum value set: [ConfigurationUpdate, StateUpdate, Action, AlarmContributorStateUpdate, AlarmContributorAction]",
      ),
    ],
    [
      "StartDate not a date",
      { StartDate: "yesterday" },
      "InvalidParameterValue",
      'Invalid type for parameter StartDate: expected a timestamp, got "yesterday".',
    ],
    [
      "EndDate not a date",
      { EndDate: {} },
      "InvalidParameterValue",
      "Invalid type for parameter EndDate: expected a timestamp, got {}.",
    ],
    [
      "MaxRecords 101",
      { MaxRecords: 101 },
      "ValidationError",
      c1("'101'", "maxRecords", "Member must have value less than or equal to 100"),
    ],
    [
      "ScanBy unknown",
      { ScanBy: "Newest" },
      "ValidationError",
      c1(
        "'Newest'",
        "scanBy",
        "Member must satisfy enum value set: [TimestampDescending, TimestampAscending]",
      ),
    ],
  ]);
});
