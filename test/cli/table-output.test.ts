import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createFixtureFiles, type FixtureFiles, SAMPLE_RECORDS } from "./fixture-files.js";
import { testMetricFilter } from "./run-cli.js";

const ESC = "\u001b[";
const LOGIN = '{ $.eventName = "ConsoleLogin" }';

describe("logs test-metric-filter --output table", { concurrency: true }, () => {
  let files: FixtureFiles;
  before(() => {
    files = createFixtureFiles();
  });
  after(() => files.remove());

  test("shows the CloudTrail key fields of each match and a summary", async () => {
    const r = await testMetricFilter([
      "--filter-pattern",
      LOGIN,
      "--file",
      files.cloudTrailJson,
      "--output",
      "table",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const login = SAMPLE_RECORDS[1] as {
      eventTime: string;
      sourceIPAddress: string;
      awsRegion: string;
      userIdentity: { type: string; arn: string };
    };
    const block = r.stdout.split("\n\n")[0];
    assert.equal(
      block,
      [
        "Event 2",
        `  eventTime          ${login.eventTime}`,
        "  eventName          ConsoleLogin",
        "  eventSource        signin.amazonaws.com",
        `  userIdentity.type  ${login.userIdentity.type}`,
        `  userIdentity.arn   ${login.userIdentity.arn}`,
        `  sourceIPAddress    ${login.sourceIPAddress}`,
        `  awsRegion          ${login.awsRegion}`,
      ].join("\n"),
    );
    assert.match(r.stdout, /\nEvent 4\n/);
    assert.ok(r.stdout.endsWith("\n2 of 4 events matched\n"), r.stdout);
    assert.ok(!r.stdout.includes(ESC), "no colour when stdout is not a terminal");
  });

  test("a plain message is shown cut to the terminal width, extracted values listed", async () => {
    const long = `ERROR ${"x".repeat(200)}`;
    const r = await testMetricFilter(
      ["--filter-pattern", "[level, rest]", "--log-event-messages", long, "--output", "table"],
      { env: { COLUMNS: "60" } },
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split("\n");
    assert.equal(lines[0], "Event 1");
    assert.match(lines[1], /^ {2}message +ERROR x+…$/);
    assert.ok(Array.from(lines[1]).length <= 60, lines[1]);
    assert.match(lines[2], /^ {2}\$level +ERROR$/);
    assert.ok(r.stdout.endsWith("\n1 of 1 events matched\n"));
  });

  test("control characters in messages are escaped, never sent to the terminal raw", async () => {
    const r = await testMetricFilter([
      "--filter-pattern",
      "evil",
      "--log-event-messages",
      "evil \u001b[2J\ttab",
      "--output",
      "table",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes("\u001b"));
    assert.match(r.stdout, /evil \\u001b\[2J\\ttab/);
  });

  test("--color on highlights the extracted values, even with NO_COLOR set", async () => {
    const args = [
      "--filter-pattern",
      "[level, rest]",
      "--log-event-messages",
      "ERROR boom",
      "--output",
      "table",
    ];
    const r = await testMetricFilter([...args, "--color", "on"], { env: { NO_COLOR: "1" } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`${ESC}1;33mERROR${ESC}22;39m`), JSON.stringify(r.stdout));
    const off = await testMetricFilter([...args, "--no-color"]);
    assert.ok(!off.stdout.includes(ESC));
  });

  test("no matches: only the summary", async () => {
    const r = await testMetricFilter([
      "--filter-pattern",
      "ERROR",
      "--log-event-messages",
      "a",
      "b",
      "--output",
      "table",
    ]);
    assert.equal(r.stdout, "0 of 2 events matched\n");
  });
});
