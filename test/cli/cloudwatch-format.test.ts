/** The AWS CLI's option values and output formats, in process (the verbs' end-to-end tests spawn the CLI). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dimensionsOption, parseAwsTimestamp, parseShorthand } from "../../src/cli/aws-args.js";
import { awsCliJson, awsCliText, pythonFloat } from "../../src/cli/output/aws-cli-format.js";
import { renderGrid } from "../../src/cli/output/grid.js";
import { alarmsTable } from "../../src/cli/output/views.js";

describe("AWS CLI option values", () => {
  test("timestamps: ISO-8601 (UTC unless an offset is given) or epoch seconds", () => {
    const at = Date.parse("2020-10-30T23:00:00Z");
    assert.equal(parseAwsTimestamp("2020-10-30T23:00:00Z"), at);
    assert.equal(parseAwsTimestamp("2020-10-30T23:00:00"), at, "no offset: UTC, as botocore reads it");
    assert.equal(parseAwsTimestamp("2020-10-30 23:00"), at);
    assert.equal(parseAwsTimestamp("2020-10-31T01:00:00+02:00"), at);
    assert.equal(parseAwsTimestamp("2020-10-30T18:30:00-0430"), at);
    assert.equal(parseAwsTimestamp("2020-10-30T23:00:00.442Z"), at + 442);
    assert.equal(parseAwsTimestamp("2020-10-30"), Date.parse("2020-10-30T00:00:00Z"));
    assert.equal(parseAwsTimestamp("1604098800"), at);
    assert.equal(parseAwsTimestamp("1604098800.5"), at + 500);
    for (const bad of ["yesterday", "2020-02-30", "2020-13-01", "2020-10-30T24:00:00Z", "", "10/30/2020"])
      assert.equal(parseAwsTimestamp(bad), undefined, bad);
  });

  test("shorthand structures and dimensions", () => {
    assert.deepEqual(parseShorthand("Name=InstanceId,Value=i-1"), { Name: "InstanceId", Value: "i-1" });
    assert.deepEqual(parseShorthand("Name=a,Value='x,y'"), { Name: "a", Value: "x,y" });
    assert.deepEqual(parseShorthand('Name=a,Value="say \\"hi\\""'), { Name: "a", Value: 'say "hi"' });
    assert.throws(() => parseShorthand("Name"), /Expected: '='/);
    const dims = dimensionsOption(true);
    assert.deepEqual(
      dims('[{"Name":"a","Value":"1"},{"Name":"b","Value":"2"}]', dims("Name=z,Value=0", undefined)),
      [
        { Name: "z", Value: "0" },
        { Name: "a", Value: "1" },
        { Name: "b", Value: "2" },
      ],
    );
    assert.throws(() => dims("Name=a", undefined), /Missing required key 'Value'/);
    assert.throws(() => dims("Name=a,Valeu=1", undefined), /Unknown key 'Valeu'/);
    assert.deepEqual(dimensionsOption(false)("Name=a", undefined), [{ Name: "a" }]);
  });
});

describe("AWS CLI output", () => {
  test("doubles print as Python floats", () => {
    const cases: [number, string][] = [
      [1, "1.0"],
      [70, "70.0"],
      [0.1, "0.1"],
      [1e-5, "1e-05"],
      [0.0001, "0.0001"],
      [0.00012345, "0.00012345"],
      [1e16, "1e+16"],
      [9999999999999998, "9999999999999998.0"],
      [123456789012345.6, "123456789012345.6"],
      [1.5e300, "1.5e+300"],
      [-2.5, "-2.5"],
      [5e-324, "5e-324"],
      [-0, "-0.0"],
      [1 / 3, "0.3333333333333333"],
      [2 ** 53 + 2, "9007199254740994.0"],
      [1e22, "1e+22"],
    ];
    for (const [n, python] of cases) assert.equal(pythonFloat(n), python, String(n));
  });

  test("json: json.dump(indent=4), double members as floats, dates as ISO-8601, {} prints nothing", () => {
    const out = awsCliJson({
      Label: "M",
      Datapoints: [
        {
          Timestamp: new Date(Date.UTC(2014, 3, 9, 18, 59, 6, 442)),
          SampleCount: 2,
          Sum: 3,
          Unit: "Count",
          ExtendedStatistics: { p99: 1 },
        },
      ],
      Period: 300,
      Empty: [],
      Nothing: undefined,
    });
    assert.equal(
      out,
      `{
    "Label": "M",
    "Datapoints": [
        {
            "Timestamp": "2014-04-09T18:59:06.442Z",
            "SampleCount": 2.0,
            "Sum": 3.0,
            "Unit": "Count",
            "ExtendedStatistics": {
                "p99": 1.0
            }
        }
    ],
    "Period": 300,
    "Empty": []
}
`,
    );
    assert.equal(awsCliJson({}), "");
  });

  test("text: awscli/text.py's rows", () => {
    const text = awsCliText({
      MetricAlarms: [
        {
          AlarmName: "a",
          ActionsEnabled: true,
          Threshold: 1,
          Dimensions: [{ Name: "n", Value: "v" }],
          OKActions: [],
        },
        {
          AlarmName: "b",
          ActionsEnabled: false,
          Threshold: 2.5,
          Dimensions: [],
          OKActions: ["arn:1", "arn:2"],
        },
      ],
      CompositeAlarms: [],
    });
    assert.equal(
      text,
      [
        "METRICALARMS\tTrue\ta\t1.0",
        "DIMENSIONS\tn\tv",
        "METRICALARMS\tFalse\tb\t2.5",
        "OKACTIONS\tarn:1",
        "OKACTIONS\tarn:2",
        "",
      ].join("\n"),
    );
  });

  test("tables fit the terminal: the flex column gives way, escapes control characters", () => {
    const rows = [
      { name: "short", reason: "a fairly long reason that will need to be cut somewhere" },
      { name: "bell\u0007", reason: "ok" },
    ];
    const out = renderGrid(
      rows,
      [
        { header: "NAME", value: (r) => r.name },
        { header: "REASON", value: (r) => r.reason, flex: true },
      ],
      { width: 40, color: false },
    );
    assert.equal(
      out,
      ["NAME        REASON", "short       a fairly long reason that w…", "bell\\u0007  ok", ""].join("\n"),
    );
  });

  test("the alarms table: metric and composite alarms, and the partial alarms of ChildrenOfAlarmName", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const common = {
      AlarmArn: "arn",
      AlarmConfigurationUpdatedTimestamp: at,
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [],
      InsufficientDataActions: [],
      StateUpdatedTimestamp: at,
      StateTransitionedTimestamp: at,
    };
    const out = alarmsTable(
      {
        MetricAlarms: [
          {
            ...common,
            AlarmName: "errors",
            StateValue: "ALARM",
            StateReason: "Threshold Crossed",
            MetricName: "Errors",
            Namespace: "App",
            Statistic: "Sum",
            Dimensions: [{ Name: "Service", Value: "api" }],
            Period: 60,
            EvaluationPeriods: 5,
            DatapointsToAlarm: 3,
            Threshold: 10,
            ComparisonOperator: "GreaterThanThreshold",
            TreatMissingData: "missing",
          },
          { AlarmName: "child", AlarmArn: "arn:child", StateValue: "OK", StateUpdatedTimestamp: at },
        ],
        CompositeAlarms: [
          {
            ...common,
            AlarmName: "any",
            AlarmRule: 'ALARM("errors")',
            StateValue: "OK",
            StateReason: "fine",
          },
        ],
      },
      { width: 200, color: false },
    );
    assert.equal(
      out,
      [
        "NAME    STATE  SINCE                 METRIC (App)          THRESHOLD            REASON",
        'any     OK     2026-01-01 00:00:00Z  (composite)           ALARM("errors")      fine',
        "child   OK     2026-01-01 00:00:00Z",
        "errors  ALARM  2026-01-01 00:00:00Z  Errors {Service=api}  Sum > 10 (3/5 × 1m)  Threshold Crossed",
        "",
      ].join("\n"),
    );
  });
});
