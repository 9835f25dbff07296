/**
 * GetMetricStatistics over an in-memory store (a Map of series → buckets, merging like a real store):
 * period grouping and alignment, the 1,440 limit, units, exact dimension matching, missing periods, and
 * AWS's validation messages.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AggregateAccumulator, mergeAggregate, metricId, seriesKey } from "../../src/metrics/aggregate.js";
import { CloudWatchError } from "../../src/metrics/errors.js";
import {
  type GetMetricStatisticsInput,
  getMetricStatistics,
  type MetricReader,
} from "../../src/metrics/get-metric-statistics.js";
import { STANDARD_UNITS } from "../../src/metrics/transformation.js";
import type { Dimension, MetricAggregate, MetricId, StandardUnit } from "../../src/store/types.js";

/** A store in miniature: aggregates by series and bucket, merged on write, read by time range. */
class MemoryMetrics {
  private readonly series = new Map<string, Map<string, MetricAggregate>>();
  readonly reads: { metric: MetricId; from: number; to: number }[] = [];

  write(aggregates: MetricAggregate[]): void {
    for (const a of aggregates) {
      const key = seriesKey(a.metric);
      let buckets = this.series.get(key);
      if (!buckets) {
        buckets = new Map();
        this.series.set(key, buckets);
      }
      const bucket = `${a.timestamp}|${a.resolution}|${a.unit}`;
      const seen = buckets.get(bucket);
      buckets.set(bucket, seen ? mergeAggregate(seen, a) : a);
    }
  }

  put(
    metric: MetricId,
    at: number,
    values: number[],
    unit: StandardUnit = "Milliseconds",
    resolution: 1 | 60 = 60,
  ) {
    const acc = new AggregateAccumulator();
    acc.addValues(metric, { timestamp: at, unit, resolution }, values);
    this.write(acc.drain());
  }

  reader: MetricReader = async (metric, from, to) => {
    this.reads.push({ metric, from, to });
    return [...(this.series.get(seriesKey(metric))?.values() ?? [])].filter(
      (a) => a.timestamp >= from && a.timestamp < to,
    );
  };
}

const NOW = Date.UTC(2024, 5, 10, 12, 0);
const at = (h: number, m: number, s = 0) => Date.UTC(2024, 5, 10, h, m, s);
const DAY = 24 * 3600 * 1000;
const LATENCY = metricId("App", "Latency", { Host: "a" });
const DIMS: Dimension[] = [{ Name: "Host", Value: "a" }];
const ALL = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

function request(extra: Partial<GetMetricStatisticsInput> = {}): GetMetricStatisticsInput {
  return {
    Namespace: "App",
    MetricName: "Latency",
    Dimensions: DIMS,
    StartTime: new Date(at(11, 0)),
    EndTime: new Date(at(11, 5)),
    Period: 60,
    Statistics: ALL,
    ...extra,
  };
}

function sample(): MemoryMetrics {
  const store = new MemoryMetrics();
  store.put(LATENCY, at(11, 0, 5), [1, 3]);
  store.put(LATENCY, at(11, 1, 59), [5]);
  store.put(LATENCY, at(11, 3), [2, 2, 2]); // 11:02 has no data
  return store;
}

const times = (out: { Datapoints: { Timestamp: Date }[] }) =>
  out.Datapoints.map((d) => d.Timestamp.toISOString());

describe("datapoints", () => {
  test("one per period with data, sorted, with every statistic; missing periods omitted", async () => {
    const out = await getMetricStatistics(request(), sample().reader, NOW);
    assert.equal(out.Label, "Latency");
    assert.deepEqual(out.Datapoints, [
      {
        Timestamp: new Date(at(11, 0)),
        Unit: "Milliseconds",
        SampleCount: 2,
        Average: 2,
        Sum: 4,
        Minimum: 1,
        Maximum: 3,
      },
      {
        Timestamp: new Date(at(11, 1)),
        Unit: "Milliseconds",
        SampleCount: 1,
        Average: 5,
        Sum: 5,
        Minimum: 5,
        Maximum: 5,
      },
      {
        Timestamp: new Date(at(11, 3)),
        Unit: "Milliseconds",
        SampleCount: 3,
        Average: 2,
        Sum: 6,
        Minimum: 2,
        Maximum: 2,
      },
    ]);
  });

  test("longer periods combine minutes", async () => {
    const five = await getMetricStatistics(request({ Period: 300 }), sample().reader, NOW);
    assert.deepEqual(five.Datapoints, [
      {
        Timestamp: new Date(at(11, 0)),
        Unit: "Milliseconds",
        SampleCount: 6,
        Average: 2.5,
        Sum: 15,
        Minimum: 1,
        Maximum: 5,
      },
    ]);
    const two = await getMetricStatistics(
      request({ Period: 120, Statistics: ["Sum"] }),
      sample().reader,
      NOW,
    );
    assert.deepEqual(two.Datapoints, [
      { Timestamp: new Date(at(11, 0)), Unit: "Milliseconds", Sum: 9 },
      { Timestamp: new Date(at(11, 2)), Unit: "Milliseconds", Sum: 6 },
    ]);
  });

  test("only the requested statistics are present", async () => {
    const out = await getMetricStatistics(
      request({ Statistics: ["Maximum", "SampleCount"] }),
      sample().reader,
      NOW,
    );
    assert.deepEqual(Object.keys(out.Datapoints[0]).sort(), ["Maximum", "SampleCount", "Timestamp", "Unit"]);
  });

  test("no data, no datapoints", async () => {
    const out = await getMetricStatistics(request({ MetricName: "Nothing" }), sample().reader, NOW);
    assert.deepEqual(out, { Label: "Nothing", Datapoints: [] });
  });
});

describe("period alignment", () => {
  test("StartTime is rounded down to the minute and periods run from it", async () => {
    const store = sample();
    const out = await getMetricStatistics(
      request({ StartTime: new Date(at(11, 1, 30)), Period: 120, Statistics: ["Sum"] }),
      store.reader,
      NOW,
    );
    // 11:01 + 2 min holds 11:01 and 11:02; the next period starts at 11:03.
    assert.deepEqual(times(out), ["2024-06-10T11:01:00.000Z", "2024-06-10T11:03:00.000Z"]);
    assert.deepEqual(
      out.Datapoints.map((d) => d.Sum),
      [5, 6],
    );
    assert.equal(store.reads[0].from, at(11, 1));
    assert.equal(store.reads[0].to, at(11, 5));
  });

  test("EndTime is exclusive", async () => {
    const out = await getMetricStatistics(request({ EndTime: new Date(at(11, 3)) }), sample().reader, NOW);
    assert.deepEqual(times(out), ["2024-06-10T11:00:00.000Z", "2024-06-10T11:01:00.000Z"]);
  });

  test("start times 15 to 63 days old round to 5 minutes, older ones to the hour", async () => {
    const store = new MemoryMetrics();
    const old20 = NOW - 20 * DAY + 7 * 60_000; // hh:07, twenty days ago
    const old70 = NOW - 70 * DAY + 37 * 60_000; // hh:37, seventy days ago
    store.put(LATENCY, old20, [4]);
    store.put(LATENCY, old70, [8]);
    const twenty = await getMetricStatistics(
      request({ StartTime: new Date(old20 + 90_000), EndTime: new Date(old20 + 3_600_000), Period: 300 }),
      store.reader,
      NOW,
    );
    assert.deepEqual(
      twenty.Datapoints.map((d) => [d.Timestamp.getTime(), d.Sum]),
      [[old20 - 2 * 60_000, 4]],
    );
    const seventy = await getMetricStatistics(
      request({ StartTime: new Date(old70 + 60_000), EndTime: new Date(old70 + 3_600_000), Period: 3600 }),
      store.reader,
      NOW,
    );
    assert.deepEqual(
      seventy.Datapoints.map((d) => [d.Timestamp.getTime(), d.Sum]),
      [[old70 - 37 * 60_000, 8]],
    );
  });

  test("sub-minute periods round to divisions of the minute and read high-resolution data", async () => {
    const store = new MemoryMetrics();
    store.put(LATENCY, at(11, 0, 21), [1], "Milliseconds", 1);
    store.put(LATENCY, at(11, 0, 29), [2], "Milliseconds", 1);
    store.put(LATENCY, at(11, 0, 35), [4], "Milliseconds", 1);
    const out = await getMetricStatistics(
      request({
        StartTime: new Date(at(11, 0, 25)),
        EndTime: new Date(at(11, 1)),
        Period: 10,
        Statistics: ["Sum"],
      }),
      store.reader,
      NOW,
    );
    assert.deepEqual(
      out.Datapoints.map((d) => [d.Timestamp.toISOString(), d.Sum]),
      [
        ["2024-06-10T11:00:20.000Z", 3],
        ["2024-06-10T11:00:30.000Z", 4],
      ],
    );
  });

  test("standard-resolution data read with a 10-second period fills the period holding the minute", async () => {
    const out = await getMetricStatistics(request({ Period: 10, Statistics: ["Sum"] }), sample().reader, NOW);
    assert.deepEqual(times(out), [
      "2024-06-10T11:00:00.000Z",
      "2024-06-10T11:01:00.000Z",
      "2024-06-10T11:03:00.000Z",
    ]);
  });
});

describe("the 1,440 datapoint limit", () => {
  test("exactly 1,440 is allowed", async () => {
    const out = await getMetricStatistics(
      request({ StartTime: new Date(NOW - DAY), EndTime: new Date(NOW), Period: 60 }),
      sample().reader,
      NOW,
    );
    assert.equal(out.Datapoints.length, 3);
  });

  for (const [name, start, period, requested] of [
    ["a day and a minute at 60 s", NOW - DAY - 60_000, 60, 1441],
    ["1,441 seconds at 1 s", NOW - 1_441_000, 1, 1441],
    ["a day at 1 s", NOW - DAY, 1, 86400],
  ] as const) {
    test(`${name} is refused`, async () => {
      const store = sample();
      await assert.rejects(
        getMetricStatistics(
          request({ StartTime: new Date(start), EndTime: new Date(NOW), Period: period }),
          store.reader,
          NOW,
        ),
        {
          name: "InvalidParameterCombination",
          message: `You have requested up to ${requested} datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
        },
      );
      assert.equal(store.reads.length, 0, "nothing is read for a refused request");
    });
  }
});

describe("units", () => {
  function mixed(): MemoryMetrics {
    const store = new MemoryMetrics();
    store.put(LATENCY, at(11, 0), [10], "Seconds");
    store.put(LATENCY, at(11, 0), [4, 6], "Count");
    store.put(LATENCY, at(11, 1), [1], "Count");
    return store;
  }

  test("without Unit, one datapoint per unit and period", async () => {
    const out = await getMetricStatistics(request({ Statistics: ["Average"] }), mixed().reader, NOW);
    assert.deepEqual(
      out.Datapoints.map((d) => [d.Timestamp.toISOString(), d.Unit, d.Average]),
      [
        ["2024-06-10T11:00:00.000Z", "Count", 5],
        ["2024-06-10T11:00:00.000Z", "Seconds", 10],
        ["2024-06-10T11:01:00.000Z", "Count", 1],
      ],
    );
  });

  test("a Unit returns only data published with it; another unit returns nothing", async () => {
    const seconds = await getMetricStatistics(request({ Unit: "Seconds" }), mixed().reader, NOW);
    assert.deepEqual(
      seconds.Datapoints.map((d) => [d.Unit, d.Sum]),
      [["Seconds", 10]],
    );
    const bytes = await getMetricStatistics(request({ Unit: "Bytes" }), mixed().reader, NOW);
    assert.deepEqual(bytes.Datapoints, []);
  });
});

describe("dimensions", () => {
  test("are matched exactly, in any order", async () => {
    const store = new MemoryMetrics();
    store.put(LATENCY, at(11, 0), [1]);
    store.put(metricId("App", "Latency", { Host: "a", Port: "80" }), at(11, 0), [100]);
    store.put(metricId("App", "Latency"), at(11, 0), [1000]);
    const host = await getMetricStatistics(request({ Statistics: ["Sum"] }), store.reader, NOW);
    assert.deepEqual(
      host.Datapoints.map((d) => d.Sum),
      [1],
    );
    const both = await getMetricStatistics(
      request({
        Statistics: ["Sum"],
        Dimensions: [
          { Name: "Port", Value: "80" },
          { Name: "Host", Value: "a" },
        ],
      }),
      store.reader,
      NOW,
    );
    assert.deepEqual(
      both.Datapoints.map((d) => d.Sum),
      [100],
    );
    const none = await getMetricStatistics(
      request({ Statistics: ["Sum"], Dimensions: undefined }),
      store.reader,
      NOW,
    );
    assert.deepEqual(
      none.Datapoints.map((d) => d.Sum),
      [1000],
    );
  });

  test("a reader that returns too much is filtered", async () => {
    const store = sample();
    store.put(metricId("App", "Other"), at(11, 2), [1000]);
    // Ignores the range and mixes in another series.
    const sloppy: MetricReader = async () => [
      ...(await store.reader(LATENCY, 0, Number.MAX_SAFE_INTEGER)),
      ...(await store.reader(metricId("App", "Other"), 0, Number.MAX_SAFE_INTEGER)),
    ];
    const out = await getMetricStatistics(
      request({ StartTime: new Date(at(11, 1)), Statistics: ["Sum"] }),
      sloppy,
      NOW,
    );
    assert.deepEqual(
      out.Datapoints.map((d) => [d.Timestamp.toISOString(), d.Sum]),
      [
        ["2024-06-10T11:01:00.000Z", 5],
        ["2024-06-10T11:03:00.000Z", 6],
      ],
    );
  });
});

describe("extended statistics", () => {
  test("are computed from the sketches", async () => {
    const store = new MemoryMetrics();
    store.put(LATENCY, at(11, 0), [7, 3, 10, 1, 5]);
    store.put(LATENCY, at(11, 0, 40), [2, 9, 4, 8, 6]);
    const out = await getMetricStatistics(
      request({ Statistics: undefined, ExtendedStatistics: ["p50", "tm90", "IQM", "PR(:3)", "p50"] }),
      store.reader,
      NOW,
    );
    assert.deepEqual(out.Datapoints, [
      {
        Timestamp: new Date(at(11, 0)),
        Unit: "Milliseconds",
        ExtendedStatistics: { p50: 5, tm90: 5, IQM: 6, "PR(:3)": 30 },
      },
    ]);
  });

  test("are left out where values are negative", async () => {
    const store = new MemoryMetrics();
    store.put(LATENCY, at(11, 0), [5, -1]);
    store.put(LATENCY, at(11, 1), [5, 1]);
    const out = await getMetricStatistics(
      request({ Statistics: undefined, ExtendedStatistics: ["p50"] }),
      store.reader,
      NOW,
    );
    assert.deepEqual(
      out.Datapoints.map((d) => d.ExtendedStatistics),
      [{}, { p50: 1 }],
    );
  });
});

describe("validation", () => {
  const UNITS = STANDARD_UNITS.join(", ");
  const cases: [string, GetMetricStatisticsInput, string, string][] = [
    [
      "everything missing",
      {},
      "MissingParameter",
      "The parameter Namespace is required.\nThe parameter MetricName is required.\nThe parameter StartTime is required.\nThe parameter EndTime is required.\nThe parameter Period is required.",
    ],
    [
      "Period missing",
      request({ Period: undefined }),
      "MissingParameter",
      "The parameter Period is required.",
    ],
    [
      "Namespace starting with a colon",
      request({ Namespace: ":x" }),
      "ValidationError",
      "1 validation error detected: Value ':x' at 'namespace' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:].*",
    ],
    [
      "Namespace too long",
      request({ Namespace: "n".repeat(256) }),
      "ValidationError",
      `1 validation error detected: Value '${"n".repeat(256)}' at 'namespace' failed to satisfy constraint: Member must have length less than or equal to 255`,
    ],
    [
      "empty MetricName",
      request({ MetricName: "" }),
      "ValidationError",
      "1 validation error detected: Value '' at 'metricName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      "31 dimensions",
      request({ Dimensions: Array.from({ length: 31 }, (_, k) => ({ Name: `d${k}`, Value: "v" })) }),
      "InvalidParameterValue",
      "The collection Dimensions must not have a size greater than 30.",
    ],
    [
      "a dimension without a Value",
      request({ Dimensions: [{ Name: "Host" } as Dimension] }),
      "MissingParameter",
      "The parameter Dimensions.member.1.Value is required.",
    ],
    [
      "StartTime equal to EndTime",
      request({ EndTime: new Date(at(11, 0)) }),
      "InvalidParameterValue",
      "The parameter StartTime must not equal parameter EndTime.",
    ],
    [
      "StartTime after EndTime",
      request({ StartTime: new Date(at(11, 6)) }),
      "InvalidParameterValue",
      "The parameter StartTime must be less than the parameter EndTime.",
    ],
    [
      "an invalid StartTime",
      request({ StartTime: new Date(Number.NaN) }),
      "InvalidParameterValue",
      "The value Invalid Date for parameter StartTime is invalid.",
    ],
    [
      "Period 0",
      request({ Period: 0 }),
      "ValidationError",
      "1 validation error detected: Value '0' at 'period' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    ...[45, 90, 1.5, 7].map((p): [string, GetMetricStatisticsInput, string, string] => [
      `Period ${p}`,
      request({ Period: p }),
      "InvalidParameterValue",
      "The parameter Period must be 1, 5, 10, 20, 30, 60, or any multiple of 60.",
    ]),
    [
      "no statistics",
      request({ Statistics: undefined }),
      "InvalidParameterCombination",
      "Must specify either Statistics or ExtendedStatistics",
    ],
    [
      "both kinds of statistics",
      request({ ExtendedStatistics: ["p99"] }),
      "InvalidParameterCombination",
      "The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.",
    ],
    [
      "six statistics",
      request({ Statistics: [...ALL, "Sum"] }),
      "InvalidParameterValue",
      "The collection Statistics must not have a size greater than 5.",
    ],
    [
      "eleven extended statistics",
      request({ Statistics: undefined, ExtendedStatistics: Array.from({ length: 11 }, (_, k) => `p${k}`) }),
      "InvalidParameterValue",
      "The collection ExtendedStatistics must not have a size greater than 10.",
    ],
    [
      "an unknown statistic",
      request({ Statistics: ["Average", "Median"] }),
      "InvalidParameterValue",
      "The parameter Statistics.member.2.<list element> must be a value in the set [SampleCount, Average, Sum, Minimum, Maximum].",
    ],
    [
      "an invalid extended statistic",
      request({ Statistics: undefined, ExtendedStatistics: ["p99", "p101"] }),
      "InvalidParameterValue",
      "The value p101 for parameter ExtendedStatistics.member.2 is not supported.",
    ],
    [
      "an unknown unit",
      request({ Unit: "Furlongs" }),
      "InvalidParameterValue",
      `The parameter Unit must be a value in the set [${UNITS}].`,
    ],
  ];
  for (const [name, input, code, message] of cases) {
    test(name, async () => {
      const store = sample();
      await assert.rejects(getMetricStatistics(input, store.reader, NOW), (e: unknown) => {
        assert.ok(e instanceof CloudWatchError);
        assert.equal(e.name, code);
        assert.equal(e.message, message);
        return true;
      });
      assert.equal(store.reads.length, 0);
    });
  }

  test("valid sub-minute and multiple-of-60 periods pass", async () => {
    for (const p of [1, 5, 10, 20, 30, 60, 120, 3600, 86400]) {
      const out = await getMetricStatistics(
        request({ StartTime: new Date(at(11, 0)), EndTime: new Date(at(11, 1)), Period: p }),
        sample().reader,
        NOW,
      );
      assert.ok(Array.isArray(out.Datapoints), `Period ${p}`);
    }
  });
});
