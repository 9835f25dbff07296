/** `trailwatch cloudwatch …` against a data directory made by replaying the bundled sample. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { replayedDataDir } from "./cloudwatch-data-dir.js";
import { ROOT, runCli } from "./run-cli.js";

const ALARMS = ["API activity without MFA", "Console sign-in without MFA", "Root account usage"];
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Json {
  [key: string]: any;
}

/** The AWS CLI's json output of a response whose double members hold whole numbers: `1.0`, not `1`. */
function awsCliJson(value: unknown, doubles: string[]): string {
  let text = JSON.stringify(value, null, 4);
  for (const key of doubles)
    text = text.replace(
      new RegExp(`("${key}": )(-?\\d+)(,?)$`, "gm"),
      (_, k, n, comma) => `${k}${n}.0${comma}`,
    );
  return `${text}\n`;
}

/**
 * The root-usage events of the sample in [from, to), as the seed filter counts them (root user, not
 * invokedBy an AWS service, not an AwsServiceEvent), summed per 5-minute period from `from`.
 */
function expectedRootUsageSums(from: string, to: string): { Timestamp: string; Sum: number; Unit: string }[] {
  const { Records } = JSON.parse(
    readFileSync(join(ROOT, "fixtures/sample/compromised-root.json"), "utf8"),
  ) as {
    Records: Json[];
  };
  const start = Date.parse(from);
  const end = Date.parse(to);
  const sums = new Map<number, number>();
  for (const r of Records) {
    const t = Date.parse(r.eventTime);
    const root = r.userIdentity.type === "Root" && r.userIdentity.invokedBy === undefined;
    if (!root || r.eventType === "AwsServiceEvent" || t < start || t >= end) continue;
    // Datapoints are stamped at period starts counted from StartTime; data is kept per minute.
    const minute = Math.floor(t / 60_000) * 60_000;
    const period = start + Math.floor((minute - start) / 300_000) * 300_000;
    sums.set(period, (sums.get(period) ?? 0) + 1);
  }
  return [...sums]
    .sort((a, b) => a[0] - b[0])
    .map(([t, sum]) => ({ Timestamp: new Date(t).toISOString(), Sum: sum, Unit: "None" }));
}

describe("trailwatch cloudwatch", { concurrency: true }, () => {
  let data: ReturnType<typeof replayedDataDir>;
  before(() => {
    data = replayedDataDir();
  });
  after(() => data.remove());

  const cw = (args: string[], dir = data.dir, env?: NodeJS.ProcessEnv) =>
    runCli(["cloudwatch", ...args, "--data-dir", dir], { env });
  const json = async (args: string[], dir?: string): Promise<Json> => {
    const r = await cw(args, dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    return JSON.parse(r.stdout);
  };

  test("describe-alarms: the seed's three alarms, printed as the AWS CLI prints them", async () => {
    const r = await cw(["describe-alarms"]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    // All pages, merged: the paginator's result keys in order, no NextToken.
    assert.deepEqual(Object.keys(out), ["MetricAlarms", "CompositeAlarms"]);
    assert.deepEqual(out.CompositeAlarms, []);
    assert.deepEqual(
      out.MetricAlarms.map((a: Json) => a.AlarmName),
      ALARMS,
    );
    assert.equal(r.stdout, awsCliJson(out, ["Threshold"]));
    assert.match(r.stdout, /^ {12}"Threshold": 1\.0,$/m);
    const root = out.MetricAlarms[2];
    assert.deepEqual(Object.keys(root), [
      "AlarmName",
      "AlarmArn",
      "AlarmDescription",
      "AlarmConfigurationUpdatedTimestamp",
      "ActionsEnabled",
      "OKActions",
      "AlarmActions",
      "InsufficientDataActions",
      "StateValue",
      "StateReason",
      "StateReasonData",
      "StateUpdatedTimestamp",
      "MetricName",
      "Namespace",
      "Statistic",
      "Dimensions",
      "Period",
      "EvaluationPeriods",
      "Threshold",
      "ComparisonOperator",
      "TreatMissingData",
      "StateTransitionedTimestamp",
    ]);
    assert.equal(root.AlarmArn, "arn:aws:cloudwatch:us-east-1:000000000000:alarm:Root account usage");
    assert.equal(root.MetricName, "RootAccountUsageCount");
    assert.equal(root.Namespace, "CloudTrailMetrics");
    assert.equal(root.Statistic, "Sum");
    assert.equal(root.Period, 300);
    assert.equal(root.EvaluationPeriods, 1);
    assert.equal(root.Threshold, 1);
    assert.equal(root.ComparisonOperator, "GreaterThanOrEqualToThreshold");
    assert.equal(root.TreatMissingData, "missing");
    assert.equal(root.ActionsEnabled, true);
    // The sample's last root sign-ins (2022-11-10 16:24:34) raised it; 16:40 it went back for want of data.
    assert.equal(root.StateValue, "INSUFFICIENT_DATA");
    assert.equal(root.StateReason, "Insufficient Data: 1 datapoint was unknown.");
    assert.equal(root.StateUpdatedTimestamp, "2022-11-10T16:40:00.000Z");
    for (const a of out.MetricAlarms) {
      assert.match(a.StateUpdatedTimestamp, ISO_MS);
      assert.match(a.AlarmConfigurationUpdatedTimestamp, ISO_MS);
    }
  });

  test("describe-alarms --alarm-name-prefix", async () => {
    const byPrefix = await json(["describe-alarms", "--alarm-name-prefix", "Console"]);
    assert.deepEqual(
      byPrefix.MetricAlarms.map((a: Json) => a.AlarmName),
      ["Console sign-in without MFA"],
    );
  });

  test("describe-alarms --max-records pages by hand, with NextToken, in the model's member order", async () => {
    const first = await json(["describe-alarms", "--max-records", "2"]);
    assert.deepEqual(Object.keys(first), ["CompositeAlarms", "MetricAlarms", "NextToken"]);
    assert.deepEqual(
      first.MetricAlarms.map((a: Json) => a.AlarmName),
      ALARMS.slice(0, 2),
    );
    const second = await json(["describe-alarms", "--max-records", "2", "--next-token", first.NextToken]);
    assert.deepEqual(Object.keys(second), ["CompositeAlarms", "MetricAlarms"]);
    assert.deepEqual(
      second.MetricAlarms.map((a: Json) => a.AlarmName),
      ALARMS.slice(2),
    );
  });

  test("describe-alarms --output table: one row per alarm, the state in colour", async () => {
    const r = await cw(["describe-alarms", "--output", "table", "--color", "on"], data.dir, {
      COLUMNS: "200",
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\u001b\[33mINSUFFICIENT_DATA\u001b\[0m/);
    const lines = r.stdout
      .replace(/\u001b\[[0-9;]*m/g, "")
      .trimEnd()
      .split("\n");
    assert.match(lines[0], /^NAME +STATE +SINCE +METRIC \(CloudTrailMetrics\) +THRESHOLD +REASON$/);
    assert.equal(lines.length, 4);
    assert.match(
      lines[3],
      /^Root account usage +INSUFFICIENT_DATA +2022-11-10 16:40:00Z +RootAccountUsageCount +Sum >= 1 \(1\/1 × 5m\) +Insufficient Data: 1 datapoint was unknown\.$/,
    );
  });

  test("describe-alarm-history: the replay's state updates, newest or oldest first, paged", async () => {
    const desc = await json(["describe-alarm-history", "--history-item-type", "StateUpdate"]);
    assert.deepEqual(Object.keys(desc), ["AlarmHistoryItems"]);
    const items: Json[] = desc.AlarmHistoryItems;
    assert.equal(items.length, 32, "the replay's 32 transitions");
    for (const i of items) {
      assert.deepEqual(Object.keys(i), [
        "AlarmName",
        "AlarmType",
        "Timestamp",
        "HistoryItemType",
        "HistorySummary",
        "HistoryData",
      ]);
      assert.equal(i.HistoryItemType, "StateUpdate");
      assert.equal(i.AlarmType, "MetricAlarm");
      assert.match(
        i.HistorySummary,
        /^Alarm updated from (OK|ALARM|INSUFFICIENT_DATA) to (OK|ALARM|INSUFFICIENT_DATA)$/,
      );
      assert.match(i.Timestamp, ISO_MS);
    }
    const times = items.map((i) => i.Timestamp);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.equal(times[0], "2022-11-10T16:40:00.000Z");

    // Oldest first; without a type, the alarms' creation (ConfigurationUpdate) comes first.
    const all = (await json(["describe-alarm-history", "--scan-by", "TimestampAscending"])).AlarmHistoryItems;
    assert.equal(all.length, 35);
    assert.deepEqual(
      all
        .slice(0, 3)
        .map((i: Json) => i.HistorySummary)
        .sort(),
      ALARMS.map((n) => `Alarm "${n}" created`),
    );
    const asc = all.filter((i: Json) => i.HistoryItemType === "StateUpdate");
    assert.deepEqual(
      asc.map((i: Json) => i.Timestamp),
      [...times].reverse(),
    );
    assert.equal(asc[0].Timestamp, "2020-10-15T06:00:00.000Z");
    assert.equal(asc[0].HistorySummary, "Alarm updated from INSUFFICIENT_DATA to ALARM");

    // --max-records and --next-token page through the same items: one page at a time, with NextToken.
    const base = [
      "describe-alarm-history",
      "--history-item-type",
      "StateUpdate",
      "--scan-by",
      "TimestampAscending",
    ];
    const paged: Json[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await json([...base, "--max-records", "16", ...(token ? ["--next-token", token] : [])]);
      assert.deepEqual(
        Object.keys(page),
        page.NextToken ? ["AlarmHistoryItems", "NextToken"] : ["AlarmHistoryItems"],
      );
      paged.push(...page.AlarmHistoryItems);
      sizes.push(page.AlarmHistoryItems.length);
      token = page.NextToken;
    } while (token);
    assert.deepEqual(sizes, [16, 16]);
    assert.deepEqual(paged, asc);
  });

  test("describe-alarm-history: --start-date and --end-date (ISO-8601 or epoch seconds), inclusive", async () => {
    const out = await json([
      "describe-alarm-history",
      "--alarm-name",
      "Root account usage",
      "--start-date",
      "2020-11-01T08:29:10Z",
      "--end-date",
      String(Date.parse("2020-11-01T08:55:00Z") / 1000),
    ]);
    assert.deepEqual(
      out.AlarmHistoryItems.map((i: Json) => [i.Timestamp, i.HistorySummary]),
      [
        ["2020-11-01T08:55:00.000Z", "Alarm updated from ALARM to INSUFFICIENT_DATA"],
        ["2020-11-01T08:29:10.000Z", "Alarm updated from INSUFFICIENT_DATA to ALARM"],
      ],
    );
  });

  test("describe-alarm-history --output table: one row per item", async () => {
    const r = await cw(
      [
        "describe-alarm-history",
        "--alarm-name",
        "Root account usage",
        "--max-records",
        "2",
        "--output",
        "table",
      ],
      data.dir,
      { COLUMNS: "200" },
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.match(lines[0], /^TIME +ALARM +TYPE +SUMMARY$/);
    assert.equal(
      lines[1],
      "2022-11-10 16:40:00Z  Root account usage  StateUpdate  Alarm updated from ALARM to INSUFFICIENT_DATA",
    );
    assert.equal(
      lines[2],
      "2022-11-10 16:24:34Z  Root account usage  StateUpdate  Alarm updated from INSUFFICIENT_DATA to ALARM",
    );
    assert.match(lines[4], /^More items: --next-token \S+$/);
  });

  test("get-metric-statistics: the Sum of root usage per 5 minutes over the sample's time range", async () => {
    const from = "2020-10-30T23:00:00Z";
    const to = "2020-11-02T00:00:00Z";
    const args = [
      "get-metric-statistics",
      "--namespace",
      "CloudTrailMetrics",
      "--metric-name",
      "RootAccountUsageCount",
      "--start-time",
      from,
      "--end-time",
      to,
      "--period",
      "300",
      "--statistics",
      "Sum",
    ];
    const r = await cw(args);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    const expected = expectedRootUsageSums(from, to);
    // 23:25 sign-in, 10:32, 14:45, 08:29 sign-ins, then 08:30-08:39 the attacker's API calls.
    assert.deepEqual(
      expected.map((d) => d.Sum),
      [1, 1, 1, 1, 2, 5],
    );
    assert.deepEqual(out, { Label: "RootAccountUsageCount", Datapoints: expected });
    assert.equal(r.stdout, awsCliJson(out, ["Sum"]));
    assert.match(r.stdout, /"Sum": 5\.0,/);

    // Epoch seconds, and the datapoint members in the model's order whatever the order asked.
    const both = await json([
      "get-metric-statistics",
      "--namespace",
      "CloudTrailMetrics",
      "--metric-name",
      "RootAccountUsageCount",
      "--start-time",
      String(Date.parse("2020-11-01T08:00:00Z") / 1000),
      "--end-time",
      "2020-11-01T09:00:00Z",
      "--period",
      "3600",
      "--statistics",
      "Maximum",
      "SampleCount",
      "Sum",
    ]);
    assert.deepEqual(both.Datapoints, [
      { Timestamp: "2020-11-01T08:00:00.000Z", SampleCount: 8, Sum: 8, Maximum: 1, Unit: "None" },
    ]);
    assert.deepEqual(Object.keys(both.Datapoints[0]), ["Timestamp", "SampleCount", "Sum", "Maximum", "Unit"]);
  });

  test("get-metric-statistics: --dimensions shorthand selects a series (this one has none)", async () => {
    const out = await json([
      "get-metric-statistics",
      "--namespace",
      "CloudTrailMetrics",
      "--metric-name",
      "RootAccountUsageCount",
      "--dimensions",
      "Name=Account,Value=000000000000",
      "--start-time",
      "2020-10-30T23:00:00Z",
      "--end-time",
      "2020-11-02T00:00:00Z",
      "--period",
      "3600",
      "--statistics",
      "Sum",
    ]);
    assert.deepEqual(out, { Label: "RootAccountUsageCount", Datapoints: [] });
  });

  test("get-metric-statistics --output table", async () => {
    const r = await cw([
      "get-metric-statistics",
      "--namespace",
      "CloudTrailMetrics",
      "--metric-name",
      "RootAccountUsageCount",
      "--start-time",
      "2020-11-01T08:00:00Z",
      "--end-time",
      "2020-11-01T09:00:00Z",
      "--period",
      "300",
      "--statistics",
      "Sum",
      "--output",
      "table",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        "CloudTrailMetrics/RootAccountUsageCount",
        "TIMESTAMP             SUM  UNIT",
        "2020-11-01 08:25:00Z    1  None",
        "2020-11-01 08:30:00Z    2  None",
        "2020-11-01 08:35:00Z    5  None",
        "",
      ].join("\n"),
    );
  });

  test("list-metrics: the metrics the sample published, filtered as ListMetrics filters", async () => {
    const out = await json(["list-metrics"]);
    assert.deepEqual(out, {
      Metrics: [
        { Namespace: "CloudTrailMetrics", MetricName: "ConsoleSignInWithoutMfaCount", Dimensions: [] },
        { Namespace: "CloudTrailMetrics", MetricName: "RootAccountUsageCount", Dimensions: [] },
      ],
    });
    const text = await cw(["list-metrics", "--output", "text"]);
    assert.equal(
      text.stdout,
      "METRICS\tConsoleSignInWithoutMfaCount\tCloudTrailMetrics\nMETRICS\tRootAccountUsageCount\tCloudTrailMetrics\n",
    );
  });

  test("set-alarm-state, then describe-alarms shows the new state and history has it", async () => {
    const dir = data.copy();
    const r = await cw(
      [
        "set-alarm-state",
        "--alarm-name",
        "Root account usage",
        "--state-value",
        "ALARM",
        "--state-reason",
        "Testing the actions",
        "--state-reason-data",
        '{"tested":true}',
      ],
      dir,
    );
    assert.deepEqual(r, { code: 0, stdout: "", stderr: "" }, "prints nothing, as the AWS CLI");
    const alarm = (await json(["describe-alarms", "--alarm-names", "Root account usage"], dir))
      .MetricAlarms[0];
    assert.equal(alarm.StateValue, "ALARM");
    assert.equal(alarm.StateReason, "Testing the actions");
    assert.equal(alarm.StateReasonData, '{"tested":true}');
    assert.ok(Date.now() - Date.parse(alarm.StateUpdatedTimestamp) < 60_000, "stamped with the system clock");
    const history = await json(
      ["describe-alarm-history", "--alarm-name", "Root account usage", "--max-records", "1"],
      dir,
    );
    assert.equal(
      history.AlarmHistoryItems[0].HistorySummary,
      "Alarm updated from INSUFFICIENT_DATA to ALARM",
    );
  });

  test("disable-alarm-actions and enable-alarm-actions", async () => {
    const dir = data.copy();
    const enabled = async () =>
      (await json(["describe-alarms"], dir)).MetricAlarms.map((a: Json) => [a.AlarmName, a.ActionsEnabled]);
    const off = await cw(
      ["disable-alarm-actions", "--alarm-names", ALARMS[0], ALARMS[2], "No such alarm"],
      dir,
    );
    assert.deepEqual(off, { code: 0, stdout: "", stderr: "" });
    assert.equal((await cw(["enable-alarm-actions", "--alarm-names", ALARMS[2]], dir)).code, 0);
    assert.deepEqual(await enabled(), [
      [ALARMS[0], false],
      [ALARMS[1], true],
      [ALARMS[2], true],
    ]);
  });

  test("service errors: exit 254 with the AWS CLI's message", async () => {
    const unknown = await cw([
      "set-alarm-state",
      "--alarm-name",
      "nope",
      "--state-value",
      "OK",
      "--state-reason",
      "x",
    ]);
    assert.equal(unknown.code, 254);
    assert.equal(
      unknown.stderr,
      "\nAn error occurred (ResourceNotFound) when calling the SetAlarmState operation: \n",
    );
    assert.equal(unknown.stdout, "");

    const period = await cw([
      "get-metric-statistics",
      "--namespace",
      "CloudTrailMetrics",
      "--metric-name",
      "RootAccountUsageCount",
      "--start-time",
      "2020-10-30T23:00:00Z",
      "--end-time",
      "2020-11-02T00:00:00Z",
      "--period",
      "7",
      "--statistics",
      "Sum",
    ]);
    assert.equal(period.code, 254);
    assert.match(
      period.stderr,
      /^\nAn error occurred \(InvalidParameterValue\) when calling the GetMetricStatistics operation: .*Period/,
    );
  });

  test("usage errors: exit 252", async () => {
    const missing = await cw([
      "get-metric-statistics",
      "--namespace",
      "N",
      "--start-time",
      "1",
      "--end-time",
      "2",
      "--period",
      "60",
    ]);
    assert.equal(missing.code, 252);
    assert.match(missing.stderr, /required option '--metric-name <name>' not specified/);

    const time = await cw(["describe-alarm-history", "--start-date", "last tuesday"]);
    assert.equal(time.code, 252);
    assert.match(time.stderr, /'--start-date <time>' argument 'last tuesday' is invalid/);
  });

  test("a data directory without a store is an error, not an empty answer", async () => {
    const r = await cw(["describe-alarms"], join(data.dir, "no-such-dir"));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no trailwatch data in .*no-such-dir/);
  });

  test("TRAILWATCH_DATA_DIR is the default data directory", async () => {
    const r = await runCli(["cloudwatch", "list-metrics", "--metric-name", "RootAccountUsageCount"], {
      env: { TRAILWATCH_DATA_DIR: data.dir },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Metrics.length, 1);
  });
});
