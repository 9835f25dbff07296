/** `trailwatch logs describe-metric-filters` and `trailwatch logs backfill-metric-filter` on data directories. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/engine/clock.js";
import { replayedDataDir } from "./cloudwatch-data-dir.js";
import { ROOT, runCli } from "./run-cli.js";

const G = "CloudTrail/DefaultLogGroup";

interface PackFilter {
  filterName: string;
  filterPattern: string;
  metricTransformations: { metricName: string; metricNamespace: string; metricValue: string }[];
}

describe("trailwatch logs describe-metric-filters", { concurrency: true }, () => {
  let data: ReturnType<typeof replayedDataDir>;
  before(() => {
    data = replayedDataDir();
  });
  after(() => data.remove());

  const logs = (args: string[]) => runCli(["logs", ...args, "--data-dir", data.dir]);

  test("the seed's three filters, exactly as the AWS CLI prints them", async () => {
    const pack = JSON.parse(readFileSync(join(ROOT, "packs/seed.json"), "utf8")) as {
      logGroups: { logGroupName: string; metricFilters: PackFilter[] }[];
    };
    const expected = {
      metricFilters: pack.logGroups[0].metricFilters
        .map((f) => ({
          filterName: f.filterName,
          filterPattern: f.filterPattern,
          metricTransformations: f.metricTransformations.map((t) => ({
            metricName: t.metricName,
            metricNamespace: t.metricNamespace,
            metricValue: t.metricValue,
          })),
          // replay installs the pack at its clock's start, the epoch
          creationTime: 0,
          logGroupName: G,
        }))
        .sort((a, b) => (a.filterName < b.filterName ? -1 : 1)),
    };
    assert.equal(expected.metricFilters.length, 3);
    const r = await logs(["describe-metric-filters"]);
    assert.equal(r.code, 0, r.stderr);
    // Byte for byte: key order (filterName, filterPattern, metricTransformations, creationTime, logGroupName).
    assert.equal(r.stdout, `${JSON.stringify(expected, null, 4)}\n`);

    const inGroup = await logs(["describe-metric-filters", "--log-group-name", G]);
    assert.equal(inGroup.stdout, r.stdout);
  });

  test("filters: name prefix (within a group), metric name and namespace", async () => {
    const names = async (args: string[]) => {
      const r = await logs(["describe-metric-filters", ...args]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).metricFilters.map((f: { filterName: string }) => f.filterName);
    };
    assert.deepEqual(await names(["--log-group-name", G, "--filter-name-prefix", "Root"]), [
      "RootAccountUsage",
    ]);
    assert.deepEqual(
      await names([
        "--metric-name",
        "ConsoleSignInWithoutMfaCount",
        "--metric-namespace",
        "CloudTrailMetrics",
      ]),
      ["ConsoleSignInWithoutMfa"],
    );
  });

  test("--output table", async () => {
    const r = await runCli(["logs", "describe-metric-filters", "--data-dir", data.dir, "--output", "table"], {
      env: { COLUMNS: "200" },
    });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines[0], `Log group ${G}`);
    assert.match(lines[1], /^FILTER +METRIC \(CloudTrailMetrics\) +VALUE +PATTERN$/);
    assert.match(lines[4], /^RootAccountUsage +RootAccountUsageCount +1 +\{ \$\.userIdentity\.type = "Root"/);
  });

  test("service errors: exit 254", async () => {
    const group = await logs(["describe-metric-filters", "--log-group-name", "Nope"]);
    assert.equal(group.code, 254);
    assert.equal(
      group.stderr,
      "\nAn error occurred (ResourceNotFoundException) when calling the DescribeMetricFilters operation: " +
        "The specified log group does not exist.\n",
    );
    const half = await logs(["describe-metric-filters", "--metric-name", "RootAccountUsageCount"]);
    assert.equal(half.code, 254);
    assert.match(
      half.stderr,
      /\(InvalidParameterException\) when calling the DescribeMetricFilters operation/,
    );
  });
});

describe("trailwatch logs backfill-metric-filter", () => {
  let dir: string;
  const t0 = Date.parse("2026-03-01T12:00:00Z");

  /** A data directory whose events were stored before the root-usage filter existed. */
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "trailwatch-backfill-cli-"));
    const { openEngine } = await import("../../src/cli/open-engine.js");
    const clock = new ManualClock(t0);
    const opened = await openEngine({
      dataDir: dir,
      clock,
      listener: { onTransition() {} },
      storeEvents: true,
    });
    const { engine } = opened;
    const msg = (type: string, name: string) =>
      JSON.stringify({ userIdentity: { type }, eventName: name, eventType: "AwsApiCall" });
    await engine.ingest(G, "stream", [
      { timestamp: t0, message: msg("Root", "ListBuckets") },
      { timestamp: t0 + 1_000, message: msg("IAMUser", "ListBuckets") },
      { timestamp: t0 + 61_000, message: msg("Root", "CreateUser") },
      { timestamp: t0 + 62_000, message: msg("Root", "CreateAccessKey") },
    ]);
    clock.set(t0 + 600_000);
    await engine.logs.putMetricFilter({
      logGroupName: G,
      filterName: "RootAccountUsage",
      filterPattern: '{ $.userIdentity.type = "Root" }',
      metricTransformations: [
        { metricName: "RootAccountUsageCount", metricNamespace: "CloudTrailMetrics", metricValue: "1" },
      ],
    });
    await opened.dispose();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const backfill = (args: string[]) =>
    runCli([
      "logs",
      "backfill-metric-filter",
      "--log-group-name",
      G,
      "--filter-name",
      "RootAccountUsage",
      ...args,
      "--data-dir",
      dir,
    ]);

  test("backfills once, then refuses unless --restart", async () => {
    const r = await backfill([]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      logGroupName: G,
      filterName: "RootAccountUsage",
      events: 4,
      matched: 3,
      samples: 3,
      skipped: 0,
    });

    const stats = await runCli([
      "cloudwatch",
      "get-metric-statistics",
      "--namespace",
      "CloudTrailMetrics",
      "--metric-name",
      "RootAccountUsageCount",
      "--start-time",
      new Date(t0).toISOString(),
      "--end-time",
      new Date(t0 + 300_000).toISOString(),
      "--period",
      "60",
      "--statistics",
      "Sum",
      "--data-dir",
      dir,
    ]);
    assert.equal(stats.code, 0, stats.stderr);
    assert.deepEqual(
      JSON.parse(stats.stdout).Datapoints.map((d: { Sum: number }) => d.Sum),
      [1, 2],
    );

    const again = await backfill([]);
    assert.equal(again.code, 254);
    assert.match(
      again.stderr,
      /^\nAn error occurred \(InvalidOperationException\) when calling the BackfillMetricFilter operation: The metric filter RootAccountUsage of log group CloudTrail\/DefaultLogGroup was already backfilled\./,
    );

    const restarted = await backfill([
      "--restart",
      "--start-time",
      String(t0 / 1000 + 60),
      "--output",
      "table",
    ]);
    assert.equal(restarted.code, 0, restarted.stderr);
    assert.equal(
      restarted.stdout,
      "Backfilled metric filter RootAccountUsage of CloudTrail/DefaultLogGroup: 2 stored events read, 2 matches, 2 samples published.\n",
    );
  });

  test("an unknown filter is ResourceNotFoundException (254)", async () => {
    const r = await runCli([
      "logs",
      "backfill-metric-filter",
      "--log-group-name",
      G,
      "--filter-name",
      "Nope",
      "--data-dir",
      dir,
    ]);
    assert.equal(r.code, 254);
    assert.match(r.stderr, /\(ResourceNotFoundException\) when calling the BackfillMetricFilter operation/);
  });
});
