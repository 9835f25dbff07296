/**
 * What a metric filter publishes: the recorded AWS behaviour of ../shared/conformance/metric-publication.json,
 * the `value` rows of the filter-pattern tables, and AWS's validation of transformations.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  compileMetricTransformation,
  type MetricSample,
  type MetricTransformation,
  publishedSamples,
} from "../../src/metrics/transformation.js";
import { compileFilterPattern } from "../../src/pattern/index.js";
import { readJsonLines, SHARED, sharedAvailable } from "../helpers/shared.js";

const available = sharedAvailable();

interface Series {
  dimensions: Record<string, string>;
  Sum: number;
  SampleCount: number;
  Minimum: number;
  Maximum: number;
}

function aggregate(samples: MetricSample[]): Series[] {
  const by = new Map<string, Series>();
  for (const s of samples) {
    const key = JSON.stringify(Object.entries(s.dimensions).sort());
    let a = by.get(key);
    if (!a) {
      a = { dimensions: s.dimensions, Sum: 0, SampleCount: 0, Minimum: Infinity, Maximum: -Infinity };
      by.set(key, a);
    }
    a.Sum += s.value;
    a.SampleCount++;
    a.Minimum = Math.min(a.Minimum, s.value);
    a.Maximum = Math.max(a.Maximum, s.value);
  }
  return [...by.values()];
}

describe("recorded publication behaviour (metric-publication.json)", {
  skip: !available && "../shared is absent",
}, () => {
  const doc = available
    ? JSON.parse(readFileSync(join(SHARED, "conformance", "metric-publication.json"), "utf8"))
    : { cases: [] };
  for (const c of doc.cases) {
    test(`${c.id}${c.lesson ? `: ${c.lesson}` : ""}`, () => {
      const pattern = compileFilterPattern(c.filterPattern);
      const t: MetricTransformation = {
        metricName: "M",
        metricNamespace: "N",
        metricValue: c.metricValue,
        defaultValue: c.defaultValue,
        dimensions: c.dimensions,
      };
      const compiled = compileMetricTransformation(t, pattern, c.emitSystemFieldDimensions ?? []);
      const events: string[] = c.batches
        ? c.batches.flat()
        : c.events.map((e: unknown) => (typeof e === "string" ? e : JSON.stringify(e)));
      const samples = events.flatMap((m) =>
        compiled.samples(pattern.match(m), { account: "123456789012", region: "eu-west-1" }),
      );
      const series = aggregate(samples);
      if (c.expect?.datapoints) {
        assert.deepEqual(series, c.expect.datapoints);
        return;
      }
      if (c.expect) {
        assert.equal(series.length, 1);
        for (const [k, v] of Object.entries(c.expect)) assert.equal((series[0] as any)[k], v, k);
      }
      for (const e of c.expectSeries ?? []) {
        const dims = Object.fromEntries(
          Object.entries(e.dimensions).map(([k, v]) => [k, v === "<caller account>" ? "123456789012" : v]),
        );
        const found = series.find(
          (s) =>
            JSON.stringify(Object.entries(s.dimensions).sort()) ===
            JSON.stringify(Object.entries(dims).sort()),
        );
        assert.ok(found, `series ${JSON.stringify(dims)} published`);
        assert.equal(found.Sum, e.Sum);
        assert.equal(found.SampleCount, e.SampleCount);
      }
      for (const absent of c.expectAbsent ?? []) {
        assert.ok(
          !series.some((s) => JSON.stringify(s.dimensions) === JSON.stringify(absent)),
          `no series ${JSON.stringify(absent)}`,
        );
      }
    });
  }

  test("recorded validation: a wildcard selector is not a metric value", () => {
    assert.throws(
      () =>
        compileMetricTransformation(
          { metricName: "M", metricNamespace: "N", metricValue: "$.values[*]" },
          compileFilterPattern("{ $.values[*] = * }"),
        ),
      {
        name: "InvalidParameterException",
        message: "Invalid metric transformation: metric value $.values[*] must be a valid number",
      },
    );
  });
  test("recorded validation: selectors the pattern does not mention are accepted", () => {
    const p = compileFilterPattern('{ $.probe = "yes" }');
    compileMetricTransformation(
      { metricName: "M", metricNamespace: "N", metricValue: "$.value", defaultValue: 7 },
      p,
    );
    compileMetricTransformation(
      { metricName: "M", metricNamespace: "N", metricValue: "1", dimensions: { A: "$.a" } },
      p,
    );
  });
  test("recorded validation: ordinary dimensions with a default are rejected; system dimensions with a default are not", () => {
    const p = compileFilterPattern("{ $.a = * }");
    assert.throws(
      () =>
        compileMetricTransformation(
          {
            metricName: "M",
            metricNamespace: "N",
            metricValue: "1",
            defaultValue: 0,
            dimensions: { A: "$.a" },
          },
          p,
        ),
      {
        name: "InvalidParameterException",
      },
    );
    compileMetricTransformation(
      { metricName: "M", metricNamespace: "N", metricValue: "1", defaultValue: 0 },
      p,
      ["@aws.account", "@aws.region"],
    );
  });
  test("recorded validation: at most 3 dimensions, ordinary and system together", () => {
    const p = compileFilterPattern("{ $.a = * }");
    const dims = { A: "$.a", B: "$.b" };
    compileMetricTransformation(
      { metricName: "M", metricNamespace: "N", metricValue: "1", dimensions: dims },
      p,
      ["@aws.region"],
    );
    assert.throws(
      () =>
        compileMetricTransformation(
          { metricName: "M", metricNamespace: "N", metricValue: "1", dimensions: dims },
          p,
          ["@aws.region", "@aws.account"],
        ),
      {
        name: "InvalidParameterException",
      },
    );
  });
});

describe("the value rows of the filter-pattern tables", { skip: !available }, () => {
  const rows = available
    ? [
        ...readJsonLines<any>(join(SHARED, "conformance", "filter-patterns.jsonl")),
        ...readJsonLines<any>(join(SHARED, "conformance", "filter-patterns.inferred.jsonl")),
      ].filter((r) => r.kind === "value")
    : [];
  for (const r of rows) {
    test(`${r.id}: ${r.metricValue} from ${r.pattern.slice(0, 60)}`, () => {
      const dims = r.dimensions
        ? Object.fromEntries(Object.keys(r.dimensions).map((k) => [k, `$${k}`]))
        : undefined;
      const samples = publishedSamples(
        r.pattern,
        { metricName: "M", metricNamespace: "N", metricValue: r.metricValue, dimensions: dims },
        r.message,
      );
      if (!r.match) {
        assert.deepEqual(samples, []);
        return;
      }
      assert.equal(samples.length, 1);
      assert.equal(samples[0].value, r.value);
      if (r.dimensions) assert.deepEqual(samples[0].dimensions, r.dimensions);
    });
  }
});

describe("validation of a transformation", () => {
  const json = compileFilterPattern("{ $.a = * }");
  const terms = compileFilterPattern("ERROR");
  const ok: MetricTransformation = {
    metricName: "RootAccountUsageCount",
    metricNamespace: "CloudTrailMetrics",
    metricValue: "1",
  };
  const bad: [string, Partial<MetricTransformation>, RegExp][] = [
    ["an empty metric name", { metricName: "" }, /metricName.*length greater than or equal to 1/],
    [
      "a metric name with ':'",
      { metricName: "a:b" },
      /metricName.*regular expression pattern: \[\^:\*\$\]\*/,
    ],
    ["a namespace with '$'", { metricNamespace: "a$" }, /metricNamespace/],
    ["a name over 255 characters", { metricName: "x".repeat(256) }, /length less than or equal to 255/],
    ["a bare word as the value", { metricValue: "length" }, /metric value length must be a valid number/],
    ["a value over 100 characters", { metricValue: "1".repeat(101) }, /length less than or equal to 100/],
    ["an unknown unit", { unit: "Furlongs" as any }, /enum value set/],
    ["a non-numeric default", { defaultValue: "7" as any }, /cannot be converted to Double/],
  ];
  for (const [what, change, message] of bad) {
    test(`rejects ${what}`, () => {
      assert.throws(() => compileMetricTransformation({ ...ok, ...change }, json), {
        name: "InvalidParameterException",
        message,
      });
    });
  }
  test("dimensions need a JSON or space-delimited pattern", () => {
    assert.throws(() => compileMetricTransformation({ ...ok, dimensions: { A: "$.a" } }, terms), {
      message: "The specified filter pattern does not support dimensions",
    });
  });
  test("`$.path` values need a JSON pattern, `$name` a space-delimited one", () => {
    assert.throws(() => compileMetricTransformation({ ...ok, metricValue: "$.a" }, terms), {
      name: "InvalidParameterException",
    });
    assert.throws(() => compileMetricTransformation({ ...ok, metricValue: "$a" }, json), {
      name: "InvalidParameterException",
    });
  });
  test("the seed's transformation publishes 1 per matching event and nothing otherwise", () => {
    const seed = '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" }';
    const hit = JSON.stringify({ eventName: "ConsoleLogin", additionalEventData: { MFAUsed: "No" } });
    assert.deepEqual(publishedSamples(seed, ok, hit), [
      {
        namespace: "CloudTrailMetrics",
        metricName: "RootAccountUsageCount",
        value: 1,
        unit: "None",
        dimensions: {},
      },
    ]);
    assert.deepEqual(publishedSamples(seed, ok, "{}"), []);
  });
  test("a JSON string holding a number is a value; a boolean is not", () => {
    const t = { ...ok, metricValue: "$.a" };
    assert.equal(publishedSamples("{ $.a = * }", t, '{"a":"42"}')[0].value, 42);
    assert.deepEqual(publishedSamples("{ $.b IS TRUE }", t, '{"a":true,"b":true}'), []);
  });
});
