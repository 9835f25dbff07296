import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  APACHE_LINE,
  APACHE_PATTERN,
  APACHE_VALUES,
  createFixtureFiles,
  type FixtureFiles,
  SAMPLE_RECORDS,
} from "./fixture-files.js";
import { type CliResult, testMetricFilter } from "./run-cli.js";

interface Match {
  eventNumber: number;
  eventMessage: string;
  extractedValues: Record<string, string>;
}

function matches(r: CliResult): Match[] {
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  return (JSON.parse(r.stdout) as { matches: Match[] }).matches;
}

/** A file error is one line on stderr naming the file, exit 1, never a stack trace. */
function assertFileError(r: CliResult, path: string, reason: RegExp): void {
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.ok(r.stderr.startsWith(`trailwatch: ${path}: `), r.stderr);
  assert.match(r.stderr, reason);
  assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
}

const LOGIN = '{ $.eventName = "ConsoleLogin" }';
// CloudTrail delivers compact JSON to CloudWatch Logs: that is the message a record becomes.
const LOGIN_MATCHES: Match[] = [
  { eventNumber: 2, eventMessage: JSON.stringify(SAMPLE_RECORDS[1]), extractedValues: {} },
  { eventNumber: 4, eventMessage: JSON.stringify(SAMPLE_RECORDS[3]), extractedValues: {} },
];

describe("logs test-metric-filter --file", { concurrency: true }, () => {
  let files: FixtureFiles;
  before(() => {
    files = createFixtureFiles();
  });
  after(() => files.remove());

  test("a text file: one message per line, empty lines skipped, CRLF handled", async () => {
    const r = await testMetricFilter(["--filter-pattern", "ERROR", "--file", files.text]);
    assert.deepEqual(matches(r), [
      { eventNumber: 1, eventMessage: "ERROR: disk full", extractedValues: {} },
      { eventNumber: 4, eventMessage: "another ERROR", extractedValues: {} },
    ]);
  });

  test("a text file with a space-delimited pattern extracts values", async () => {
    const r = await testMetricFilter(["--filter-pattern", APACHE_PATTERN, "--file", files.text]);
    assert.deepEqual(matches(r), [
      { eventNumber: 3, eventMessage: APACHE_LINE, extractedValues: APACHE_VALUES },
    ]);
  });

  test("JSON lines: each line as is; an invalid-JSON line is still a message", async () => {
    const all = matches(await testMetricFilter(["--filter-pattern", "", "--file", files.jsonLines]));
    assert.deepEqual(
      all.map((m) => m.eventMessage),
      [JSON.stringify(SAMPLE_RECORDS[0]), "{not json, still a message}", JSON.stringify(SAMPLE_RECORDS[1])],
    );
    const logins = matches(await testMetricFilter(["--filter-pattern", LOGIN, "--file", files.jsonLines]));
    assert.deepEqual(logins, [{ ...LOGIN_MATCHES[0], eventNumber: 3 }]);
  });

  test("a CloudTrail .json file: each record is one compact-JSON message", async () => {
    const r = await testMetricFilter(["--filter-pattern", LOGIN, "--file", files.cloudTrailJson]);
    assert.deepEqual(matches(r), LOGIN_MATCHES);
  });

  test("a CloudTrail .json.gz file", async () => {
    const r = await testMetricFilter(["--filter-pattern", LOGIN, "--file", files.cloudTrailGz]);
    assert.deepEqual(matches(r), LOGIN_MATCHES);
  });

  test("gzip is recognised by its magic bytes, not by the file name", async () => {
    const r = await testMetricFilter(["--filter-pattern", LOGIN, "--file", files.cloudTrailGzNoExtension]);
    assert.deepEqual(matches(r), LOGIN_MATCHES);
  });

  test("--file - reads stdin, plain or gzipped", async () => {
    const text = await testMetricFilter(["--filter-pattern", "ERROR", "--file", "-"], {
      input: "ERROR one\nfine\nERROR two\n",
    });
    assert.deepEqual(
      matches(text).map((m) => [m.eventNumber, m.eventMessage]),
      [
        [1, "ERROR one"],
        [3, "ERROR two"],
      ],
    );
    const gz = await testMetricFilter(["--filter-pattern", LOGIN, "--file", "-"], {
      input: readFileSync(files.cloudTrailGz),
    });
    assert.deepEqual(matches(gz), LOGIN_MATCHES);
  });

  test("several files and --log-event-messages: numbered on across all of them, messages first", async () => {
    const r = await testMetricFilter([
      "--filter-pattern",
      LOGIN,
      "--log-event-messages",
      JSON.stringify({ eventName: "ConsoleLogin" }),
      "--file",
      files.cloudTrailJson,
      files.cloudTrailGz,
    ]);
    assert.deepEqual(
      matches(r).map((m) => m.eventNumber),
      [1, 3, 5, 7, 9],
    );
  });

  test("more than 50 events from a file are fine (the API limit is for --log-event-messages)", async () => {
    const input = Array.from({ length: 200 }, (_, i) => `line ${i}`).join("\n");
    const r = await testMetricFilter(["--filter-pattern", "", "--file", "-"], { input });
    const found = matches(r);
    assert.equal(found.length, 200);
    assert.deepEqual(found[199], { eventNumber: 200, eventMessage: "line 199", extractedValues: {} });
  });

  test("a corrupt .gz is a one-line error naming the file (exit 1)", async () => {
    const r = await testMetricFilter(["--filter-pattern", "x", "--file", files.corruptGz]);
    assertFileError(r, files.corruptGz, /not valid gzip data/);
  });

  test("a truncated .gz is a one-line error naming the file (exit 1)", async () => {
    const r = await testMetricFilter(["--filter-pattern", "x", "--file", files.truncatedGz]);
    assertFileError(r, files.truncatedGz, /not valid gzip data \(unexpected end of file\)/);
  });

  test('invalid JSON in a {"Records" file is an error naming the file (exit 1)', async () => {
    const r = await testMetricFilter(["--filter-pattern", "x", "--file", files.badCloudTrailJson]);
    assertFileError(r, files.badCloudTrailJson, /invalid JSON in CloudTrail file/);
  });

  test("a missing file is an error naming the file (exit 1), before any output", async () => {
    const missing = `${files.dir}/nope.json`;
    const r = await testMetricFilter([
      "--filter-pattern",
      "ERROR",
      "--log-event-messages",
      "ERROR on the command line",
      "--file",
      files.text,
      missing,
    ]);
    assertFileError(r, missing, /no such file or directory/);
  });

  test("a directory is an error naming it (exit 1)", async () => {
    const r = await testMetricFilter(["--filter-pattern", "x", "--file", files.dir]);
    assertFileError(r, files.dir, /is a directory/);
  });

  test("an invalid pattern is reported before the file is read", async () => {
    const r = await testMetricFilter([
      "--filter-pattern",
      '{ $.eventName = "x"',
      "--file",
      `${files.dir}/nope`,
    ]);
    assert.equal(r.code, 254);
    assert.match(r.stderr, /InvalidParameterException/);
  });
});
