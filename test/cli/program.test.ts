import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ROOT, runCli, testMetricFilter } from "./run-cli.js";

describe("trailwatch program", { concurrency: true }, () => {
  test("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const r = await runCli(["--version"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${version}\n`);
  });

  test("--help lists the command groups", async () => {
    const r = await runCli(["--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: trailwatch /);
    assert.match(r.stdout, /\blogs\b/);
    assert.match(r.stdout, /\bserve\b/);
  });

  test("an unknown command is a usage error (252)", async () => {
    const r = await runCli(["frobnicate"]);
    assert.equal(r.code, 252);
    assert.match(r.stderr, /error: unknown command 'frobnicate'/);
    assert.equal(r.stdout, "");
  });

  test("an unknown option is a usage error (252)", async () => {
    const r = await testMetricFilter(["--filter-pattern", "x", "--log-event-messages", "x", "--bogus"]);
    assert.equal(r.code, 252);
    assert.match(r.stderr, /error: unknown option '--bogus'/);
  });

  test("an unknown --output format is a usage error (252)", async () => {
    const r = await testMetricFilter([
      "--filter-pattern",
      "x",
      "--log-event-messages",
      "x",
      "--output",
      "xml",
    ]);
    assert.equal(r.code, 252);
    assert.match(r.stderr, /'xml' is invalid/);
  });

  test("a missing --filter-pattern is a usage error (252)", async () => {
    const r = await testMetricFilter(["--log-event-messages", "x"]);
    assert.equal(r.code, 252);
    assert.match(r.stderr, /required option '--filter-pattern <pattern>' not specified/);
  });

  test("no messages and no file is a usage error (252)", async () => {
    const r = await testMetricFilter(["--filter-pattern", "x"]);
    assert.equal(r.code, 252);
    assert.match(r.stderr, /one of --log-event-messages or --file is required/);
  });

  test("serve rejects a port that is not a port (252)", async () => {
    const r = await runCli(["serve", "--port", "http"]);
    assert.equal(r.code, 252);
    assert.match(r.stderr, /invalid port/);
  });
});
