/**
 * GetMetricData over an in-memory store: results, labels, ScanBy, units, pagination, and validation with
 * AWS's codes and messages (ValidationError lines end in a newline, as AWS sends them).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AggregateAccumulator, mergeAggregate, metricId, seriesKey } from "../../src/metrics/aggregate.js";
import { CloudWatchError } from "../../src/metrics/errors.js";
import {
  type GetMetricDataInput,
  getMetricData,
  type MetricDataQuery,
} from "../../src/metrics/get-metric-data.js";
import type { MetricReader } from "../../src/metrics/get-metric-statistics.js";
import type { MetricAggregate, MetricId, StandardUnit } from "../../src/store/types.js";

/** A store in miniature: aggregates by series and bucket, merged on write, read by time range. */
class MemoryMetrics {
  private readonly series = new Map<string, Map<string, MetricAggregate>>();
  reads = 0;

  put(metric: MetricId, at: number, values: number[], unit: StandardUnit = "Count") {
    const acc = new AggregateAccumulator();
    acc.addValues(metric, { timestamp: at, unit }, values);
    for (const a of acc.drain()) {
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

  reader: MetricReader = async (metric, from, to) => {
    this.reads++;
    return [...(this.series.get(seriesKey(metric))?.values() ?? [])].filter(
      (a) => a.timestamp >= from && a.timestamp < to,
    );
  };
}

const NOW = Date.UTC(2024, 5, 10, 12, 0);
const at = (m: number) => Date.UTC(2024, 5, 10, 11, m);
const ERRORS = metricId("App", "Errors", { Service: "api" });

function query(id: string, stat = "Sum", period = 60, extra: Partial<MetricDataQuery> = {}): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: "App", MetricName: "Errors", Dimensions: [{ Name: "Service", Value: "api" }] },
      Period: period,
      Stat: stat,
    },
    ...extra,
  };
}

function request(queries: MetricDataQuery[], extra: Partial<GetMetricDataInput> = {}): GetMetricDataInput {
  return { MetricDataQueries: queries, StartTime: new Date(at(0)), EndTime: new Date(at(10)), ...extra };
}

/** Errors at 11:00 [1, 2], 11:01 [3], 11:04 [4, 4] (11:02 and 11:03 have none). */
function sample(): MemoryMetrics {
  const store = new MemoryMetrics();
  store.put(ERRORS, at(0), [1, 2]);
  store.put(ERRORS, at(1), [3]);
  store.put(ERRORS, at(4), [4, 4]);
  return store;
}

/** A dynamic label as the console writes it (returned as is: dynamic labels are not expanded). */
const DYNAMIC_LABEL = ["$", "{PROP('MetricName')}"].join("");

const iso = (ds: Date[]) => ds.map((d) => d.toISOString().slice(11, 16));

describe("results", () => {
  test("newest first by default, missing periods omitted, labels tell the stats apart", async () => {
    const out = await getMetricData(request([query("sum"), query("avg", "Average")]), sample().reader, NOW);
    assert.deepEqual(out.Messages, []);
    assert.equal(out.NextToken, undefined);
    assert.deepEqual(
      out.MetricDataResults.map((r) => [r.Id, r.Label, iso(r.Timestamps), r.Values, r.StatusCode]),
      [
        ["sum", "Errors Sum", ["11:04", "11:01", "11:00"], [8, 3, 3], "Complete"],
        ["avg", "Errors Average", ["11:04", "11:01", "11:00"], [4, 3, 1.5], "Complete"],
      ],
    );
  });

  test("TimestampAscending returns oldest first", async () => {
    const out = await getMetricData(
      request([query("m")], { ScanBy: "TimestampAscending" }),
      sample().reader,
      NOW,
    );
    assert.deepEqual(iso(out.MetricDataResults[0].Timestamps), ["11:00", "11:01", "11:04"]);
    assert.deepEqual(out.MetricDataResults[0].Values, [3, 3, 8]);
  });

  test("labels: the metric name alone, or with Period too when periods differ; a given Label stays", async () => {
    const same = await getMetricData(request([query("a"), query("b")]), sample().reader, NOW);
    assert.deepEqual(
      same.MetricDataResults.map((r) => r.Label),
      ["Errors", "Errors"],
    );
    const periods = await getMetricData(
      request([query("a", "Sum", 60), query("b", "Sum", 300)]),
      sample().reader,
      NOW,
    );
    assert.deepEqual(
      periods.MetricDataResults.map((r) => r.Label),
      ["Errors 60", "Errors 300"],
    );
    const both = await getMetricData(
      request([query("a", "Sum", 60), query("b", "Minimum", 300), query("c", "Sum", 60, { Label: "mine" })]),
      sample().reader,
      NOW,
    );
    assert.deepEqual(
      both.MetricDataResults.map((r) => r.Label),
      ["Errors Sum 60", "Errors Minimum 300", "mine"],
    );
  });

  test("periods group minutes; ReturnData false is not returned", async () => {
    const out = await getMetricData(
      request([query("five", "SampleCount", 300), query("hidden", "Sum", 60, { ReturnData: false })]),
      sample().reader,
      NOW,
    );
    assert.deepEqual(
      out.MetricDataResults.map((r) => [r.Id, iso(r.Timestamps), r.Values]),
      [["five", ["11:00"], [5]]],
    );
  });

  test("extended statistics as Stat", async () => {
    const out = await getMetricData(
      request([query("p", "p50", 600), query("pr", "PR(:2)", 600)]),
      sample().reader,
      NOW,
    );
    assert.deepEqual(
      out.MetricDataResults.map((r) => r.Values),
      [[3], [40]],
    );
  });

  test("a period whose extended statistic cannot be computed is left out", async () => {
    const store = sample();
    store.put(ERRORS, at(4), [-1]);
    const out = await getMetricData(request([query("p", "p50")]), store.reader, NOW);
    assert.deepEqual(iso(out.MetricDataResults[0].Timestamps), ["11:01", "11:00"]);
  });

  test("no data: an empty, complete result", async () => {
    const out = await getMetricData(
      request([
        {
          Id: "x",
          MetricStat: { Metric: { Namespace: "App", MetricName: "None" }, Period: 60, Stat: "Sum" },
        },
      ]),
      sample().reader,
      NOW,
    );
    assert.deepEqual(out.MetricDataResults, [
      { Id: "x", Label: "None", Timestamps: [], Values: [], StatusCode: "Complete" },
    ]);
  });

  test("StartTime is rounded down to the minute", async () => {
    const out = await getMetricData(
      request([query("m")], { StartTime: new Date(at(1) + 30_000), ScanBy: "TimestampAscending" }),
      sample().reader,
      NOW,
    );
    assert.deepEqual(iso(out.MetricDataResults[0].Timestamps), ["11:01", "11:04"]);
  });
});

describe("units", () => {
  function mixed(): MemoryMetrics {
    const store = new MemoryMetrics();
    store.put(ERRORS, at(0), [2], "Seconds");
    store.put(ERRORS, at(0), [500], "Milliseconds");
    store.put(ERRORS, at(1), [1], "Seconds");
    return store;
  }

  test("without Unit, units are combined and reported in a MultipleUnits message", async () => {
    const out = await getMetricData(
      request([query("m", "Sum")], { ScanBy: "TimestampAscending" }),
      mixed().reader,
      NOW,
    );
    assert.deepEqual(out.MetricDataResults[0], {
      Id: "m",
      Label: "Errors",
      Timestamps: [new Date(at(0)), new Date(at(1))],
      Values: [502, 1],
      StatusCode: "Complete",
      Messages: [{ Code: "MultipleUnits", Value: "Multiple units returned: '[Milliseconds, Seconds]'" }],
    });
  });

  test("a Unit filters, and a unit without data returns nothing", async () => {
    const seconds = query("m");
    seconds.MetricStat!.Unit = "Seconds";
    const out = await getMetricData(
      request([seconds], { ScanBy: "TimestampAscending" }),
      mixed().reader,
      NOW,
    );
    assert.deepEqual(out.MetricDataResults[0].Values, [2, 1]);
    assert.equal(out.MetricDataResults[0].Messages, undefined);
    const bytes = query("b");
    bytes.MetricStat!.Unit = "Bytes";
    const none = await getMetricData(request([bytes]), mixed().reader, NOW);
    assert.deepEqual(none.MetricDataResults[0].Values, []);
  });
});

describe("pagination", () => {
  async function allPages(input: GetMetricDataInput, store: MemoryMetrics) {
    const pages = [];
    let token: string | undefined;
    do {
      const page = await getMetricData({ ...input, NextToken: token }, store.reader, NOW);
      pages.push(page);
      token = page.NextToken;
    } while (token !== undefined && pages.length < 20);
    return pages;
  }

  test("MaxDatapoints caps a page across results; NextToken continues where it stopped", async () => {
    const input = request([query("a"), query("b", "Average")], { MaxDatapoints: 2 });
    const pages = await allPages(input, sample());
    assert.deepEqual(
      pages.map((p) => p.MetricDataResults.map((r) => [r.Id, iso(r.Timestamps), r.StatusCode])),
      [
        [
          ["a", ["11:04", "11:01"], "PartialData"],
          ["b", [], "PartialData"],
        ],
        [
          ["a", ["11:00"], "Complete"],
          ["b", ["11:04"], "PartialData"],
        ],
        [
          ["a", [], "Complete"],
          ["b", ["11:01", "11:00"], "Complete"],
        ],
      ],
    );
    assert.equal(pages[2].NextToken, undefined);
    const whole = await getMetricData(request([query("a"), query("b", "Average")]), sample().reader, NOW);
    for (const k of [0, 1]) {
      assert.deepEqual(
        pages.flatMap((p) => p.MetricDataResults[k].Values),
        whole.MetricDataResults[k].Values,
      );
    }
  });

  test("data arriving between pages does not repeat or skip what was paged", async () => {
    const store = sample();
    const input = request([query("a")], { MaxDatapoints: 1, ScanBy: "TimestampAscending" });
    const first = await getMetricData(input, store.reader, NOW);
    store.put(ERRORS, at(0), [10]); // changes a page already returned
    store.put(ERRORS, at(2), [7]); // a new period ahead of the cursor
    const second = await getMetricData({ ...input, NextToken: first.NextToken }, store.reader, NOW);
    assert.deepEqual(iso(first.MetricDataResults[0].Timestamps), ["11:00"]);
    assert.deepEqual(iso(second.MetricDataResults[0].Timestamps), ["11:01"]);
    const third = await getMetricData({ ...input, NextToken: second.NextToken }, store.reader, NOW);
    assert.deepEqual(third.MetricDataResults[0].Values, [7]);
  });

  test("a token for another request, or not a token at all, is InvalidNextToken", async () => {
    const first = await getMetricData(request([query("a")], { MaxDatapoints: 1 }), sample().reader, NOW);
    assert.ok(first.NextToken);
    for (const other of [
      request([query("a", "Average")], { NextToken: first.NextToken }),
      request([query("a")], { NextToken: first.NextToken, EndTime: new Date(at(9)) }),
      request([query("a")], { NextToken: "not-a-token" }),
      request([query("a")], { NextToken: "!!" }),
    ]) {
      await assert.rejects(getMetricData(other, sample().reader, NOW), {
        name: "InvalidNextToken",
        message: "The NextToken is not valid for this request.",
      });
    }
    // The same request with a different page size may continue.
    const next = await getMetricData(
      request([query("a")], { NextToken: first.NextToken, MaxDatapoints: 5 }),
      sample().reader,
      NOW,
    );
    assert.deepEqual(next.MetricDataResults[0].Values, [3, 3]);
  });
});

describe("validation", () => {
  const ok = () => query("m");
  const cases: [string, GetMetricDataInput, string, string][] = [
    [
      "nothing",
      {},
      "MissingParameter",
      "The parameter MetricDataQueries is required.\nThe parameter StartTime is required.\nThe parameter EndTime is required.",
    ],
    ["no queries", request([]), "MissingParameter", "The parameter MetricDataQueries is required."],
    [
      "an Expression",
      request([ok(), { Id: "e", Expression: "SUM(METRICS())" }]),
      "InvalidParameterValue",
      "The parameter MetricDataQueries.member.2.Expression is not supported: metric math and Metrics Insights queries are not available here; use MetricStat.",
    ],
    [
      "an AccountId",
      request([{ ...ok(), AccountId: "123456789012" }]),
      "InvalidParameterValue",
      "The parameter MetricDataQueries.member.1.AccountId is not supported: cross-account queries are not available here.",
    ],
    [
      "501 queries",
      request(Array.from({ length: 501 }, (_, k) => query(`q${k}`))),
      "ValidationError",
      "The collection MetricDataQueries must not have a size greater than 500.\n",
    ],
    [
      "Ids not matching the pattern",
      request([query("5xx_errors"), query("Upper"), query("ok_1")]),
      "ValidationError",
      "The value 5xx_errors for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.\n" +
        "The value Upper for parameter MetricDataQueries.member.2.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.\n",
    ],
    [
      "a duplicate Id",
      request([query("m"), query("m")]),
      "ValidationError",
      "The value m for parameter MetricDataQueries.member.2.Id is duplicated.\n",
    ],
    [
      "no Id",
      request([{ MetricStat: ok().MetricStat }]),
      "ValidationError",
      "The parameter MetricDataQueries.member.1.Id is required.\n",
    ],
    [
      "no MetricStat",
      request([{ Id: "m" }]),
      "ValidationError",
      "The parameter MetricDataQueries.member.1.MetricStat is required.\n",
    ],
    [
      "an incomplete MetricStat",
      request([{ Id: "m", MetricStat: { Metric: { Namespace: "App" } } }]),
      "ValidationError",
      "The parameter MetricDataQueries.member.1.MetricStat.Metric.MetricName is required.\n" +
        "The parameter MetricDataQueries.member.1.MetricStat.Period is required.\n" +
        "The parameter MetricDataQueries.member.1.MetricStat.Stat is required.\n",
    ],
    [
      "an unknown Stat",
      request([query("m", "Median")]),
      "ValidationError",
      "The value Median for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.\n",
    ],
    [
      "a bad Period",
      request([query("m", "Sum", 45)]),
      "ValidationError",
      "The parameter MetricDataQueries.member.1.MetricStat.Period must be 1, 5, 10, 20, 30, 60, or any multiple of 60.\n",
    ],
    [
      "StartTime equal to EndTime",
      request([ok()], { EndTime: new Date(at(0)) }),
      "ValidationError",
      "The parameter StartTime must not equal parameter EndTime.\n",
    ],
    [
      "StartTime after EndTime",
      request([ok()], { StartTime: new Date(at(11)) }),
      "ValidationError",
      "The parameter StartTime must be less than the parameter EndTime.\n",
    ],
    [
      "an unknown ScanBy",
      request([ok()], { ScanBy: "Newest" }),
      "ValidationError",
      "The parameter ScanBy must be a value in the set [TimestampDescending, TimestampAscending].\n",
    ],
    [
      "MaxDatapoints 0",
      request([ok()], { MaxDatapoints: 0 }),
      "ValidationError",
      "1 validation error detected: Value '0' at 'maxDatapoints' failed to satisfy constraint: Member must have value greater than or equal to 1\n",
    ],
    [
      "a bad Timezone",
      request([ok()], { LabelOptions: { Timezone: "+2500" } }),
      "ValidationError",
      "The value +2500 for parameter LabelOptions.Timezone is invalid.\n",
    ],
  ];
  for (const [name, input, code, message] of cases) {
    test(name, async () => {
      const store = sample();
      await assert.rejects(getMetricData(input, store.reader, NOW), (e: unknown) => {
        assert.ok(e instanceof CloudWatchError);
        assert.equal(e.name, code);
        assert.equal(e.message, message);
        return true;
      });
      assert.equal(store.reads, 0);
    });
  }

  test("a valid Timezone and Label pass (dynamic labels are returned as written)", async () => {
    const out = await getMetricData(
      request([query("m", "Sum", 60, { Label: DYNAMIC_LABEL })], {
        LabelOptions: { Timezone: "-0130" },
      }),
      sample().reader,
      NOW,
    );
    assert.equal(out.MetricDataResults[0].Label, DYNAMIC_LABEL);
  });
});
