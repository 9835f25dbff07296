import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { APACHE_LINE, APACHE_PATTERN, APACHE_VALUES } from "./fixture-files.js";
import { runCli, testMetricFilter } from "./run-cli.js";

describe("logs test-metric-filter --log-event-messages", { concurrency: true }, () => {
  test("prints the AWS CLI's JSON (4-space indent, API key order) when stdout is not a terminal", async () => {
    const r = await testMetricFilter([
      "--filter-pattern",
      "ERROR",
      "--log-event-messages",
      "ERROR: disk full",
      "all fine",
      "another ERROR",
    ]);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      `{
    "matches": [
        {
            "eventNumber": 1,
            "eventMessage": "ERROR: disk full",
            "extractedValues": {}
        },
        {
            "eventNumber": 3,
            "eventMessage": "another ERROR",
            "extractedValues": {}
        }
    ]
}
`,
    );
  });

  test("no match prints an empty matches list and exits 0", async () => {
    const r = await testMetricFilter(["--filter-pattern", "ERROR", "--log-event-messages", "all fine"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '{\n    "matches": []\n}\n');
  });

  test("a space-delimited pattern returns the extracted values", async () => {
    const r = await testMetricFilter([
      "--output",
      "json",
      "--filter-pattern",
      APACHE_PATTERN,
      "--log-event-messages",
      APACHE_LINE,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      matches: [{ eventNumber: 1, eventMessage: APACHE_LINE, extractedValues: APACHE_VALUES }],
    });
  });

  test("--output text prints AWS CLI text rows; extracted values ordered by name", async () => {
    const r = await testMetricFilter([
      "--filter-pattern",
      APACHE_PATTERN,
      "--log-event-messages",
      "not an access log line",
      APACHE_LINE,
      "--output",
      "text",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `MATCHES\t${APACHE_LINE}\t2\n` +
        "EXTRACTEDVALUES\t1534\t127.0.0.1\tGET /apache_pb.gif HTTP/1.0\t200\t10/Oct/2000:13:25:15 -0700\t-\tfrank\n",
    );
  });

  test("global options work before the command as well as after it", async () => {
    const args = ["--filter-pattern", "ERROR", "--log-event-messages", "ERROR x"];
    const before = await runCli(["--output", "text", "logs", "test-metric-filter", ...args]);
    assert.equal(before.code, 0, before.stderr);
    assert.equal(before.stdout, "MATCHES\tERROR x\t1\n");
  });

  test("an invalid pattern is AWS's InvalidParameterException: stderr like the AWS CLI, exit 254", async () => {
    const r = await testMetricFilter([
      "--filter-pattern",
      '{ $.eventName = "x"',
      "--log-event-messages",
      "x",
    ]);
    assert.equal(r.code, 254);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^\nAn error occurred \(InvalidParameterException\) when calling the TestMetricFilter operation: .+\n$/,
    );
  });

  test("where the parser knows the place, the pattern is shown with a caret under it", async () => {
    const r = await testMetricFilter(["--filter-pattern", "{ $.a[-1] = 2 }", "--log-event-messages", "x"]);
    assert.equal(r.code, 254);
    assert.equal(
      r.stderr,
      "\nAn error occurred (InvalidParameterException) when calling the TestMetricFilter operation: Invalid character(s) in term '[-'\n\n  { $.a[-1] = 2 }\n       ^ position 5\n",
    );
  });

  test("more than 50 messages is rejected like the API does (254)", async () => {
    const messages = Array.from({ length: 51 }, (_, i) => `m${i}`);
    const r = await testMetricFilter(["--filter-pattern", "m", "--log-event-messages", ...messages]);
    assert.equal(r.code, 254);
    assert.match(r.stderr, /InvalidParameterException.*logEventMessages/);
  });
});
