/** ListMetrics: filters, RecentlyActive, paging and validation. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { metricId } from "../../src/metrics/aggregate.js";
import { CloudWatchError } from "../../src/metrics/errors.js";
import { type ListedMetric, type ListMetricsInput, listMetrics } from "../../src/metrics/list-metrics.js";

const NOW = Date.UTC(2024, 5, 10, 12, 0);
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

const listed = (
  ns: string,
  name: string,
  dims: Record<string, string>,
  lastPublished?: number,
): ListedMetric => ({
  ...metricId(ns, name, dims),
  lastPublished,
});

const CATALOG: ListedMetric[] = [
  listed("CloudTrailMetrics", "RootUsage", {}, NOW - HOUR),
  listed("CloudTrailMetrics", "ConsoleSignInFailures", { User: "alice" }, NOW - 5 * HOUR),
  listed("CloudTrailMetrics", "ConsoleSignInFailures", { User: "bob", Region: "eu-west-1" }, NOW - 2 * HOUR),
  listed("App", "Latency", { Host: "a", Port: "80" }),
  listed("App", "Latency", { Host: "b" }, NOW - 15 * DAY),
];

function names(input: ListMetricsInput, metrics = CATALOG): string[] {
  return listMetrics(input, metrics, NOW).Metrics.map(
    (m) => `${m.Namespace}/${m.MetricName}${m.Dimensions.map((d) => ` ${d.Name}=${d.Value}`).join("")}`,
  );
}

describe("filters", () => {
  test("no filter lists everything with data in the last two weeks, sorted", () => {
    assert.deepEqual(names({}), [
      "App/Latency Host=a Port=80",
      "CloudTrailMetrics/ConsoleSignInFailures Region=eu-west-1 User=bob",
      "CloudTrailMetrics/ConsoleSignInFailures User=alice",
      "CloudTrailMetrics/RootUsage",
    ]);
  });

  test("Namespace and MetricName match exactly", () => {
    assert.deepEqual(names({ Namespace: "CloudTrailMetrics", MetricName: "RootUsage" }), [
      "CloudTrailMetrics/RootUsage",
    ]);
    assert.deepEqual(names({ Namespace: "CloudTrail" }), []);
    assert.deepEqual(names({ MetricName: "consolesigninfailures" }), []);
  });

  test("a dimension filter by Name keeps metrics having it among others", () => {
    assert.deepEqual(names({ Dimensions: [{ Name: "User" }] }), [
      "CloudTrailMetrics/ConsoleSignInFailures Region=eu-west-1 User=bob",
      "CloudTrailMetrics/ConsoleSignInFailures User=alice",
    ]);
  });

  test("a dimension filter with Value matches that value; several filters must all match", () => {
    assert.deepEqual(names({ Dimensions: [{ Name: "User", Value: "alice" }] }), [
      "CloudTrailMetrics/ConsoleSignInFailures User=alice",
    ]);
    assert.deepEqual(names({ Dimensions: [{ Name: "User" }, { Name: "Region", Value: "eu-west-1" }] }), [
      "CloudTrailMetrics/ConsoleSignInFailures Region=eu-west-1 User=bob",
    ]);
    assert.deepEqual(names({ Dimensions: [{ Name: "User", Value: "carol" }] }), []);
  });

  test("RecentlyActive PT3H keeps metrics with data in the last three hours", () => {
    assert.deepEqual(names({ RecentlyActive: "PT3H" }), [
      "CloudTrailMetrics/ConsoleSignInFailures Region=eu-west-1 User=bob",
      "CloudTrailMetrics/RootUsage",
    ]);
  });

  test("a series listed twice is returned once", () => {
    assert.deepEqual(
      names({ Namespace: "X" }, [
        listed("X", "m", { a: "1", b: "2" }),
        { ...listed("X", "m", { b: "2", a: "1" }) },
      ]),
      ["X/m a=1 b=2"],
    );
  });
});

describe("paging", () => {
  const many = Array.from({ length: 1234 }, (_, k) =>
    listed("Bulk", `m${String(k).padStart(4, "0")}`, {}, NOW),
  );

  test("500 per page; NextToken continues; the last page has none", () => {
    const seen: string[] = [];
    let token: string | undefined;
    const sizes: number[] = [];
    do {
      const page = listMetrics({ Namespace: "Bulk", NextToken: token }, many, NOW);
      sizes.push(page.Metrics.length);
      seen.push(...page.Metrics.map((m) => m.MetricName));
      token = page.NextToken;
    } while (token !== undefined);
    assert.deepEqual(sizes, [500, 500, 234]);
    assert.equal(new Set(seen).size, 1234);
    assert.deepEqual(seen, [...seen].sort());
  });

  test("a metric added between pages does not shift the next page", () => {
    const first = listMetrics({ Namespace: "Bulk" }, many, NOW);
    const more = [listed("Bulk", "m0000a", {}, NOW), ...many];
    const second = listMetrics({ Namespace: "Bulk", NextToken: first.NextToken }, more, NOW);
    assert.equal(second.Metrics[0].MetricName, "m0500");
  });
});

describe("validation", () => {
  const cases: [string, ListMetricsInput, string, string][] = [
    [
      "11 dimension filters",
      { Dimensions: Array.from({ length: 11 }, (_, k) => ({ Name: `d${k}` })) },
      "InvalidParameterValue",
      "The collection Dimensions must not have a size greater than 10.",
    ],
    [
      "a dimension filter without Name",
      { Dimensions: [{ Value: "x" }] },
      "MissingParameter",
      "The parameter Dimensions.member.1.Name is required.",
    ],
    [
      "RecentlyActive other than PT3H",
      { RecentlyActive: "PT1H" },
      "InvalidParameterValue",
      "The parameter RecentlyActive must be a value in the set [PT3H].",
    ],
    [
      "a NextToken that is not one",
      { NextToken: "nope!" },
      "InvalidParameterValue",
      "The value nope! for parameter NextToken is invalid.",
    ],
    [
      "a Namespace starting with a colon",
      { Namespace: ":x" },
      "ValidationError",
      "1 validation error detected: Value ':x' at 'namespace' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:].*",
    ],
    [
      "an empty MetricName",
      { MetricName: "" },
      "ValidationError",
      "1 validation error detected: Value '' at 'metricName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
  ];
  for (const [name, input, code, message] of cases) {
    test(name, () => {
      assert.throws(
        () => listMetrics(input, CATALOG, NOW),
        (e: unknown) => {
          assert.ok(e instanceof CloudWatchError);
          assert.equal(e.name, code);
          assert.equal(e.message, message);
          return true;
        },
      );
    });
  }

  test("ten filters are allowed", () => {
    assert.deepEqual(
      listMetrics({ Dimensions: Array.from({ length: 10 }, (_, k) => ({ Name: `d${k}` })) }, CATALOG, NOW),
      {
        Metrics: [],
      },
    );
  });
});
