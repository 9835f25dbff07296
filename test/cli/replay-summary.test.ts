/**
 * `trailwatch replay`'s human summary over the bundled sample: the events, the transitions and, per
 * alarm, the identities and source IPs behind it — counted on worker threads or on the main thread alike.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runCli } from "./run-cli.js";

describe("trailwatch replay summary", { concurrency: true }, () => {
  for (const threads of ["1", "2"])
    test(`top identities and source IPs per alarm (--threads ${threads})`, async () => {
      const r = await runCli(["replay", "--threads", threads, "fixtures/sample"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /24 events read \(2020-10-15T06:00:00\.000Z to 2022-11-10T16:24:34\.000Z\), 19 matched/,
      );
      const rootUsage = r.stdout.slice(r.stdout.indexOf("  Root account usage: 16 transitions"));
      assert.match(
        rootUsage,
        /identities: arn:aws:iam::493859302102:root \(15\), arn:aws:iam::111122223333:root \(3\)\n\s+source IPs: 92\.55\.146\.245 \(11\), 71\.253\.251\.71 \(4\), 192\.0\.2\.0 \(3\)/,
      );
    });

  test("--threads must be a positive whole number (252)", async () => {
    const r = await runCli(["replay", "--threads", "0", "fixtures/sample"]);
    assert.equal(r.code, 252);
    assert.match(r.stderr, /--threads needs a positive whole number/);
  });
});
