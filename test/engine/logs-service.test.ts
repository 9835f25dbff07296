/** CloudWatch Logs' control plane: groups, streams and metric filters with AWS's errors and limits. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type TestEngine, testEngine } from "../helpers/engine.js";

const G = "CloudTrail/DefaultLogGroup";
const T = [{ metricName: "M", metricNamespace: "N", metricValue: "1" }];

function rejects(p: Promise<unknown>, name: string, message?: RegExp) {
  return assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name);
    if (message) assert.match(e.message, message);
    return true;
  });
}

describe("log groups, streams and metric filters", () => {
  let t: TestEngine;
  before(async () => {
    t = await testEngine();
    await t.engine.logs.createLogGroup(G);
  });
  after(() => t.close());

  test("a group exists once", async () => {
    await rejects(t.engine.logs.createLogGroup(G), "ResourceAlreadyExistsException", /already exists/);
    await rejects(
      t.engine.logs.createLogGroup("bad name"),
      "InvalidParameterException",
      /regular expression pattern/,
    );
    await rejects(t.engine.logs.deleteLogGroup("nope"), "ResourceNotFoundException", /does not exist/);
  });

  test("streams need their group", async () => {
    await t.engine.logs.createLogStream(G, "s1");
    await rejects(t.engine.logs.createLogStream(G, "s1"), "ResourceAlreadyExistsException");
    await rejects(t.engine.logs.createLogStream("missing", "s1"), "ResourceNotFoundException");
  });

  test("PutMetricFilter validates the pattern and the transformation as AWS does", async () => {
    await rejects(
      t.engine.logs.putMetricFilter({
        logGroupName: G,
        filterName: "f",
        filterPattern: "{ $.a = ",
        metricTransformations: T,
      }),
      "InvalidParameterException",
      /If a filter pattern starts with '\{' it must end with '\}'/,
    );
    await rejects(
      t.engine.logs.putMetricFilter({
        logGroupName: G,
        filterName: "f",
        filterPattern: "x",
        metricTransformations: [...T, ...T],
      }),
      "InvalidParameterException",
      /metricTransformations/,
    );
    await rejects(
      t.engine.logs.putMetricFilter({
        logGroupName: G,
        filterName: "f:x",
        filterPattern: "x",
        metricTransformations: T,
      }),
      "InvalidParameterException",
      /filterName/,
    );
    await rejects(
      t.engine.logs.putMetricFilter({
        logGroupName: "missing",
        filterName: "f",
        filterPattern: "x",
        metricTransformations: T,
      }),
      "ResourceNotFoundException",
    );
    await rejects(
      t.engine.logs.putMetricFilter({
        logGroupName: G,
        filterName: "f",
        filterPattern: "x",
        metricTransformations: [{ ...T[0], dimensions: { a: "$.a" } }],
      }),
      "InvalidParameterException",
      /does not support dimensions/,
    );
  });

  test("at most 5 regex filters and 100 filters per group", async () => {
    const g = "limits";
    await t.engine.logs.createLogGroup(g);
    for (let i = 0; i < 5; i++) {
      await t.engine.logs.putMetricFilter({
        logGroupName: g,
        filterName: `re${i}`,
        filterPattern: `%a${i}%`,
        metricTransformations: T,
      });
    }
    await rejects(
      t.engine.logs.putMetricFilter({
        logGroupName: g,
        filterName: "re5",
        filterPattern: "%b%",
        metricTransformations: T,
      }),
      "LimitExceededException",
    );
    // Replacing an existing regex filter is not a new one.
    await t.engine.logs.putMetricFilter({
      logGroupName: g,
      filterName: "re0",
      filterPattern: "%c%",
      metricTransformations: T,
    });
    for (let i = 5; i < 100; i++) {
      await t.engine.logs.putMetricFilter({
        logGroupName: g,
        filterName: `f${i}`,
        filterPattern: `w${i}`,
        metricTransformations: T,
      });
    }
    await rejects(
      t.engine.logs.putMetricFilter({
        logGroupName: g,
        filterName: "one-too-many",
        filterPattern: "x",
        metricTransformations: T,
      }),
      "LimitExceededException",
    );
    assert.equal((await t.engine.logs.describeMetricFilters({ logGroupName: g })).length, 100);
  });

  test("a metric filter counts only events ingested after it exists, as on AWS", async () => {
    const g = "after-creation";
    const now = t.clock.now();
    await t.engine.ingest(g, "s", [{ timestamp: now, message: "ERROR before" }]);
    await t.engine.logs.putMetricFilter({
      logGroupName: g,
      filterName: "errors",
      filterPattern: "ERROR",
      metricTransformations: [{ metricName: "Errors", metricNamespace: "App", metricValue: "1" }],
    });
    await t.engine.ingest(g, "s", [
      { timestamp: now, message: "ERROR after" },
      { timestamp: now, message: "INFO after" },
    ]);
    const aggs = await t.engine.store.queryAggregates(
      { namespace: "App", metricName: "Errors", dimensions: [] },
      now - 60_000,
      now + 60_000,
    );
    assert.deepEqual(
      aggs.map((a) => [a.sampleCount, a.sum]),
      [[1, 1]],
    );
  });

  test("deleting a filter stops its metric; deleting it twice is ResourceNotFound", async () => {
    await t.engine.logs.putMetricFilter({
      logGroupName: G,
      filterName: "tmp",
      filterPattern: "x",
      metricTransformations: T,
    });
    await t.engine.logs.deleteMetricFilter(G, "tmp");
    await rejects(t.engine.logs.deleteMetricFilter(G, "tmp"), "ResourceNotFoundException");
  });
});
