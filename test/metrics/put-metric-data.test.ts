/** PutMetricData: bad input for every field (AWS's codes and messages), and the aggregates it yields. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CloudWatchError } from "../../src/metrics/errors.js";
import {
  isStorableValue,
  type MetricDatum,
  type PutMetricDataInput,
  putMetricData,
} from "../../src/metrics/put-metric-data.js";
import { Sketch } from "../../src/metrics/sketch.js";
import { STANDARD_UNITS } from "../../src/metrics/transformation.js";
import type { Dimension } from "../../src/store/types.js";

const NOW = Date.UTC(2024, 5, 10, 12, 0, 30);
const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

function datum(extra: Partial<MetricDatum> = {}): MetricDatum {
  return { MetricName: "Errors", Value: 1, ...extra };
}

function put(data: MetricDatum[], extra: Partial<PutMetricDataInput> = {}) {
  return putMetricData({ Namespace: "App", MetricData: data, ...extra }, NOW);
}

function rejects(input: PutMetricDataInput, code: string, message: string): void {
  assert.throws(
    () => putMetricData(input, NOW),
    (e: unknown) => {
      assert.ok(e instanceof CloudWatchError, String(e));
      assert.equal(e.name, code);
      assert.equal(e.message, message);
      return true;
    },
  );
}

const P = "MetricData.member.1";

describe("bad input", () => {
  const cases: [string, PutMetricDataInput, string, string][] = [
    ["no Namespace", { MetricData: [datum()] }, "MissingParameter", "The parameter Namespace is required."],
    [
      "a Namespace under AWS/",
      { Namespace: "AWS/EC2", MetricData: [datum()] },
      "InvalidParameterValue",
      "The value AWS/EC2 for parameter Namespace is invalid.",
    ],
    [
      "a Namespace starting with a colon",
      { Namespace: ":App", MetricData: [datum()] },
      "ValidationError",
      "1 validation error detected: Value ':App' at 'namespace' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:].*",
    ],
    [
      "a Namespace of 256 characters",
      { Namespace: "a".repeat(256), MetricData: [datum()] },
      "ValidationError",
      `1 validation error detected: Value '${"a".repeat(256)}' at 'namespace' failed to satisfy constraint: Member must have length less than or equal to 255`,
    ],
    ["no MetricData", { Namespace: "App" }, "MissingParameter", "The parameter MetricData is required."],
    [
      "empty MetricData",
      { Namespace: "App", MetricData: [] },
      "MissingParameter",
      "The parameter MetricData is required.",
    ],
    [
      "1,001 MetricData",
      { Namespace: "App", MetricData: Array.from({ length: 1001 }, () => datum()) },
      "InvalidParameterValue",
      "The collection MetricData must not have a size greater than 1000.",
    ],
    [
      "EntityMetricData",
      { Namespace: "App", MetricData: [datum()], EntityMetricData: [{}] },
      "InvalidParameterValue",
      "The parameter EntityMetricData is not supported: entities are not modelled here.",
    ],
    [
      "no MetricName",
      { Namespace: "App", MetricData: [{ Value: 1 }] },
      "MissingParameter",
      `The parameter ${P}.MetricName is required.`,
    ],
    [
      "a MetricName of 256 characters",
      { Namespace: "App", MetricData: [datum({ MetricName: "m".repeat(256) })] },
      "ValidationError",
      `1 validation error detected: Value '${"m".repeat(256)}' at 'metricData.1.member.metricName' failed to satisfy constraint: Member must have length less than or equal to 255`,
    ],
    [
      "31 dimensions",
      {
        Namespace: "App",
        MetricData: [
          datum({ Dimensions: Array.from({ length: 31 }, (_, k) => ({ Name: `d${k}`, Value: "v" })) }),
        ],
      },
      "InvalidParameterValue",
      `The collection ${P}.Dimensions must not have a size greater than 30.`,
    ],
    [
      "a dimension without Value",
      { Namespace: "App", MetricData: [datum({ Dimensions: [{ Name: "Host" } as Dimension] })] },
      "MissingParameter",
      `The parameter ${P}.Dimensions.member.1.Value is required.`,
    ],
    [
      "a dimension without Name",
      { Namespace: "App", MetricData: [datum({ Dimensions: [{ Value: "a" } as Dimension] })] },
      "MissingParameter",
      `The parameter ${P}.Dimensions.member.1.Name is required.`,
    ],
    [
      "a dimension value of 1,025 characters",
      { Namespace: "App", MetricData: [datum({ Dimensions: [{ Name: "Host", Value: "v".repeat(1025) }] })] },
      "ValidationError",
      `1 validation error detected: Value '${"v".repeat(1025)}' at 'metricData.1.member.dimensions.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 1024`,
    ],
    [
      "a non-ASCII dimension value",
      { Namespace: "App", MetricData: [datum({ Dimensions: [{ Name: "City", Value: "Zürich" }] })] },
      "InvalidParameterValue",
      `The value Zürich for parameter ${P}.Dimensions.member.1.Value is invalid.`,
    ],
    [
      "a blank dimension value",
      { Namespace: "App", MetricData: [datum({ Dimensions: [{ Name: "City", Value: "   " }] })] },
      "InvalidParameterValue",
      `The value     for parameter ${P}.Dimensions.member.1.Value is invalid.`,
    ],
    [
      "a dimension name starting with a colon",
      { Namespace: "App", MetricData: [datum({ Dimensions: [{ Name: ":City", Value: "x" }] })] },
      "InvalidParameterValue",
      `The value :City for parameter ${P}.Dimensions.member.1.Name is invalid.`,
    ],
    [
      "a dimension name twice",
      {
        Namespace: "App",
        MetricData: [
          datum({
            Dimensions: [
              { Name: "Host", Value: "a" },
              { Name: "Host", Value: "b" },
            ],
          }),
        ],
      },
      "InvalidParameterValue",
      `The value Host for parameter ${P}.Dimensions.member.2.Name is invalid.`,
    ],
    [
      "Timestamps older than two weeks (every one is reported)",
      {
        Namespace: "App",
        MetricData: [
          datum({ Timestamp: new Date(NOW - 15 * DAY) }),
          datum({ Timestamp: new Date(NOW - 14 * DAY - 1) }),
        ],
      },
      "InvalidParameterValue",
      "The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.\n" +
        "The parameter MetricData.member.2.Timestamp must specify a time within the past two weeks.",
    ],
    [
      "a Timestamp over two hours ahead",
      { Namespace: "App", MetricData: [datum({ Timestamp: new Date(NOW + 2 * HOUR + 1) })] },
      "InvalidParameterValue",
      `The parameter ${P}.Timestamp must specify a time no more than two hours in the future.`,
    ],
    [
      "an invalid Timestamp",
      { Namespace: "App", MetricData: [datum({ Timestamp: new Date(Number.NaN) })] },
      "InvalidParameterValue",
      `The value Invalid Date for parameter ${P}.Timestamp is invalid.`,
    ],
    [
      "Value with StatisticValues",
      {
        Namespace: "App",
        MetricData: [datum({ StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } })],
      },
      "InvalidParameterCombination",
      `The parameters ${P}.Value and ${P}.StatisticValues are mutually exclusive and you have specified both.`,
    ],
    [
      "Value with Values",
      { Namespace: "App", MetricData: [datum({ Values: [1, 2] })] },
      "InvalidParameterCombination",
      `The parameters ${P}.Value and ${P}.Values are mutually exclusive and you have specified both.`,
    ],
    [
      "Values with StatisticValues",
      {
        Namespace: "App",
        MetricData: [
          {
            MetricName: "m",
            Values: [1],
            StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 },
          },
        ],
      },
      "InvalidParameterCombination",
      `The parameters ${P}.Values and ${P}.StatisticValues are mutually exclusive and you have specified both.`,
    ],
    [
      "no value at all",
      { Namespace: "App", MetricData: [{ MetricName: "m" }] },
      "InvalidParameterCombination",
      `One of the parameters ${P}.Value, ${P}.Values or ${P}.StatisticValues must be specified.`,
    ],
    [
      "Counts without Values",
      { Namespace: "App", MetricData: [datum({ Counts: [1] })] },
      "InvalidParameterCombination",
      `The parameter ${P}.Counts can only be used with ${P}.Values.`,
    ],
    [
      "Values and Counts of different sizes",
      { Namespace: "App", MetricData: [{ MetricName: "m", Values: [1, 2], Counts: [1] }] },
      "InvalidParameterValue",
      `The parameters ${P}.Values and ${P}.Counts must be of the same size.`,
    ],
    [
      "151 Values",
      {
        Namespace: "App",
        MetricData: [{ MetricName: "m", Values: Array.from({ length: 151 }, (_, k) => k) }],
      },
      "InvalidParameterValue",
      `The collection ${P}.Values must not have a size greater than 150.`,
    ],
    ...(
      [
        [Number.NaN, "NaN"],
        [Number.POSITIVE_INFINITY, "Infinity"],
        [Number.NEGATIVE_INFINITY, "-Infinity"],
        [2 ** 361, String(2 ** 361)],
        [-(2 ** 361), String(-(2 ** 361))],
        [2 ** -361, String(2 ** -361)],
        [Number.MIN_VALUE, String(Number.MIN_VALUE)],
      ] as const
    ).map(([v, text]): [string, PutMetricDataInput, string, string] => [
      `Value ${text}`,
      { Namespace: "App", MetricData: [datum({ Value: v })] },
      "InvalidParameterValue",
      `The value ${text} for parameter ${P}.Value is invalid.`,
    ]),
    [
      "a bad member of Values",
      { Namespace: "App", MetricData: [{ MetricName: "m", Values: [1, Number.NaN] }] },
      "InvalidParameterValue",
      `The value NaN for parameter ${P}.Values.member.2 is invalid.`,
    ],
    [
      "a negative count",
      { Namespace: "App", MetricData: [{ MetricName: "m", Values: [1], Counts: [-1] }] },
      "InvalidParameterValue",
      `The value -1 for parameter ${P}.Counts.member.1 is invalid.`,
    ],
    [
      "StatisticValues without Sum",
      {
        Namespace: "App",
        MetricData: [{ MetricName: "m", StatisticValues: { SampleCount: 1, Minimum: 1, Maximum: 1 } }],
      },
      "MissingParameter",
      `The parameter ${P}.StatisticValues.Sum is required.`,
    ],
    [
      "StatisticValues with a NaN Maximum",
      {
        Namespace: "App",
        MetricData: [
          { MetricName: "m", StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: Number.NaN } },
        ],
      },
      "InvalidParameterValue",
      `The value NaN for parameter ${P}.StatisticValues.Maximum is invalid.`,
    ],
    [
      "StatisticValues of no samples",
      {
        Namespace: "App",
        MetricData: [
          { MetricName: "m", StatisticValues: { SampleCount: 0, Sum: 0, Minimum: 0, Maximum: 0 } },
        ],
      },
      "InvalidParameterValue",
      `The value 0 for parameter ${P}.StatisticValues.SampleCount is invalid.`,
    ],
    [
      "StatisticValues with Minimum above Maximum",
      {
        Namespace: "App",
        MetricData: [
          { MetricName: "m", StatisticValues: { SampleCount: 2, Sum: 5, Minimum: 4, Maximum: 1 } },
        ],
      },
      "InvalidParameterValue",
      `The parameter ${P}.StatisticValues.Minimum must not be greater than ${P}.StatisticValues.Maximum.`,
    ],
    [
      "an unknown Unit",
      { Namespace: "App", MetricData: [datum({ Unit: "Requests" })] },
      "InvalidParameterValue",
      `The parameter ${P}.Unit must be a value in the set [${STANDARD_UNITS.join(", ")}].`,
    ],
    [
      "StorageResolution 300",
      { Namespace: "App", MetricData: [datum({ StorageResolution: 300 })] },
      "InvalidParameterValue",
      `The parameter ${P}.StorageResolution must be a value in the set [ 1, 60 ].`,
    ],
    [
      "a problem in the third datum only",
      { Namespace: "App", MetricData: [datum(), datum(), datum({ Value: Number.NaN })] },
      "InvalidParameterValue",
      "The value NaN for parameter MetricData.member.3.Value is invalid.",
    ],
  ];
  for (const [name, input, code, message] of cases) {
    test(name, () => rejects(input, code, message));
  }
});

describe("accepted input", () => {
  test("the edges of the value range, of the time window and of the lists", () => {
    for (const v of [0, -0, 2 ** 360, -(2 ** 360), 2 ** -360, -(2 ** -360), 8.51592e-109, 1.174271e108]) {
      assert.ok(isStorableValue(v), String(v));
      assert.equal(put([datum({ Value: v })]).length, 1);
    }
    assert.equal(put([datum({ Timestamp: new Date(NOW - 14 * DAY) })]).length, 1);
    assert.equal(put([datum({ Timestamp: new Date(NOW + 2 * HOUR) })]).length, 1);
    assert.equal(
      put([{ MetricName: "m", Values: Array.from({ length: 150 }, (_, k) => k) }])[0].sampleCount,
      150,
    );
    assert.equal(put(Array.from({ length: 1000 }, () => datum())).length, 1);
    assert.equal(
      put([datum({ Dimensions: Array.from({ length: 30 }, (_, k) => ({ Name: `d${k}`, Value: "v" })) })])
        .length,
      1,
    );
  });

  test("a Value without Timestamp lands in the current minute, unit None, with a sketch", () => {
    const [a] = put([
      datum({
        Value: 4,
        Dimensions: [
          { Name: "b", Value: "2" },
          { Name: "a", Value: "1" },
        ],
      }),
    ]);
    assert.deepEqual(
      { ...a, sketch: undefined },
      {
        metric: {
          namespace: "App",
          metricName: "Errors",
          dimensions: [
            { Name: "a", Value: "1" },
            { Name: "b", Value: "2" },
          ],
        },
        timestamp: Date.UTC(2024, 5, 10, 12, 0),
        resolution: 60,
        unit: "None",
        sampleCount: 1,
        sum: 4,
        min: 4,
        max: 4,
        sketch: undefined,
      },
    );
    assert.equal(Sketch.deserialize(a.sketch!).quantile(0.5), 4);
  });

  test("Values and Counts count each value that many times", () => {
    const [a] = put([{ MetricName: "m", Values: [1, 10, 100], Counts: [2, 1, 7], Unit: "Milliseconds" }]);
    assert.equal(a.sampleCount, 10);
    assert.equal(a.sum, 2 + 10 + 700);
    assert.equal(a.min, 1);
    assert.equal(a.max, 100);
    assert.equal(a.unit, "Milliseconds");
    const s = Sketch.deserialize(a.sketch!);
    assert.equal(s.quantile(0.3), 10);
    assert.equal(s.quantile(0.31), 100);
  });

  test("Values without Counts count each once (LocalStack's AWS-validated example: 6 samples, sum 42)", () => {
    const [a] = put([{ MetricName: "m", Values: [5, 10, 2, 7, 8, 10], Unit: "Count" }]);
    assert.equal(a.sampleCount, 6);
    assert.equal(a.sum, 42);
    assert.equal(a.max, 10);
  });

  test("StatisticValues keep percentiles only when their values are known", () => {
    const [unknown] = put([
      { MetricName: "m", StatisticValues: { SampleCount: 3, Sum: 9, Minimum: 1, Maximum: 5 } },
    ]);
    assert.deepEqual(
      [unknown.sampleCount, unknown.sum, unknown.min, unknown.max, unknown.sketch],
      [3, 9, 1, 5, undefined],
    );
    const [known] = put([
      { MetricName: "m", StatisticValues: { SampleCount: 3, Sum: 6, Minimum: 2, Maximum: 2 } },
    ]);
    assert.equal(Sketch.deserialize(known.sketch!).count, 3);
  });

  test("StorageResolution 1 keeps the second", () => {
    const [a] = put([datum({ StorageResolution: 1, Timestamp: new Date(NOW - 4_250) })]);
    assert.equal(a.resolution, 1);
    assert.equal(a.timestamp, NOW - 5_000);
  });

  test("one request's data for one bucket merges; units and minutes stay apart", () => {
    const out = put([
      datum({ Value: 1, Dimensions: [{ Name: "x", Value: "1" }] }),
      datum({ Value: 2, Dimensions: [{ Name: "x", Value: "1" }] }),
      datum({ Value: 3, Dimensions: [{ Name: "x", Value: "1" }], Unit: "Count" }),
      datum({ Value: 4, Dimensions: [{ Name: "x", Value: "1" }], Timestamp: new Date(NOW - 60_000) }),
    ]);
    assert.deepEqual(
      out.map((a) => [a.timestamp - Date.UTC(2024, 5, 10, 12, 0), a.unit, a.sampleCount, a.sum]),
      [
        [-60_000, "None", 1, 4],
        [0, "Count", 1, 3],
        [0, "None", 2, 3],
      ],
    );
  });
});
