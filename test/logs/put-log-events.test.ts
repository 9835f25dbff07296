/** PutLogEvents' batch rules and the names CloudWatch Logs accepts. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  checkLogGroupName,
  checkLogStreamName,
  checkPutLogEventsBatch,
  checkRetentionInDays,
  MAX_BATCH_BYTES,
} from "../../src/logs/validate.js";

const NOW = Date.parse("2026-11-28T12:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ev = (timestamp: number, message = "x") => ({ timestamp, message });

function rejects(f: () => unknown, message: RegExp) {
  assert.throws(f, (e: Error) => {
    assert.equal(e.name, "InvalidParameterException");
    assert.match(e.message, message);
    return true;
  });
}

describe("names", () => {
  test("log group names: 1–512 of [.-_/#A-Za-z0-9]", () => {
    assert.equal(checkLogGroupName("CloudTrail/DefaultLogGroup"), "CloudTrail/DefaultLogGroup");
    assert.equal(checkLogGroupName("aws-cloudtrail-logs-123_x.y#z"), "aws-cloudtrail-logs-123_x.y#z");
    rejects(
      () => checkLogGroupName(""),
      /at 'logGroupName' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    );
    rejects(() => checkLogGroupName("a".repeat(513)), /less than or equal to 512/);
    rejects(() => checkLogGroupName("has space"), /regular expression pattern: \[\\\.\\-_\/#A-Za-z0-9\]\+/);
    rejects(() => checkLogGroupName("ünïcode"), /regular expression pattern/);
    rejects(() => checkLogGroupName(undefined), /Member must have length greater than or equal to 1/);
  });
  test("log stream names: no ':' or '*'", () => {
    assert.equal(
      checkLogStreamName("123456789012_CloudTrail_us-east-1"),
      "123456789012_CloudTrail_us-east-1",
    );
    rejects(() => checkLogStreamName("a:b"), /\[\^:\*\]\*/);
    rejects(() => checkLogStreamName("a*"), /\[\^:\*\]\*/);
  });
  test("retention: only AWS's day counts", () => {
    assert.equal(checkRetentionInDays(90), 90);
    rejects(() => checkRetentionInDays(2), /enum value set: \[1, 3, 5, 7, 14, 30/);
    rejects(() => checkRetentionInDays("30"), /enum value set/);
  });
});

describe("PutLogEvents batches", () => {
  test("an ordinary batch is accepted whole", () => {
    const r = checkPutLogEventsBatch([ev(NOW - 1000), ev(NOW)], NOW);
    assert.equal(r.accepted.length, 2);
    assert.equal(r.rejected, undefined);
  });
  test("1 to 10,000 events", () => {
    rejects(
      () => checkPutLogEventsBatch([], NOW),
      /logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    );
    checkPutLogEventsBatch(
      Array.from({ length: 10_000 }, () => ev(NOW)),
      NOW,
    );
    rejects(
      () =>
        checkPutLogEventsBatch(
          Array.from({ length: 10_001 }, () => ev(NOW)),
          NOW,
        ),
      /less than or equal to 10000/,
    );
  });
  test("at most 1,048,576 bytes, counting 26 bytes per event", () => {
    const size = 1000;
    const fits = Math.floor(MAX_BATCH_BYTES / (size + 26));
    checkPutLogEventsBatch(
      Array.from({ length: fits }, () => ev(NOW, "m".repeat(size))),
      NOW,
    );
    rejects(
      () =>
        checkPutLogEventsBatch(
          Array.from({ length: fits + 1 }, () => ev(NOW, "m".repeat(size))),
          NOW,
        ),
      /Upload too large/,
    );
  });
  test("an event of more than 256 KB is rejected; multi-byte characters count as bytes", () => {
    checkPutLogEventsBatch([ev(NOW, "m".repeat(262_144 - 26))], NOW);
    rejects(() => checkPutLogEventsBatch([ev(NOW, "m".repeat(262_144 - 25))], NOW), /Log event too large/);
    rejects(() => checkPutLogEventsBatch([ev(NOW, "한".repeat(90_000))], NOW), /Log event too large/);
  });
  test("chronological order and a 24-hour span", () => {
    rejects(() => checkPutLogEventsBatch([ev(NOW), ev(NOW - 1)], NOW), /chronological order/);
    rejects(
      () => checkPutLogEventsBatch([ev(NOW - 25 * HOUR), ev(NOW)], NOW),
      /cannot span more than 24 hours/,
    );
  });
  test("too old, expired and too new events are reported, not errors, and the rest is accepted", () => {
    // The 24-hour span rule applies to the whole batch, so each case stays within 24 hours.
    const r = checkPutLogEventsBatch([ev(NOW - 15 * DAY), ev(NOW - 15 * DAY + 1000)], NOW);
    assert.deepEqual(r.rejected, { tooOldLogEventEndIndex: 2 });
    assert.equal(r.accepted.length, 0);
    const future = checkPutLogEventsBatch([ev(NOW), ev(NOW + 3 * HOUR)], NOW);
    assert.deepEqual(future.rejected, { tooNewLogEventStartIndex: 1 });
    assert.deepEqual(future.accepted, [ev(NOW)]);
    const expired = checkPutLogEventsBatch(
      [ev(NOW - 30 * HOUR), ev(NOW - 30 * HOUR + 1), ev(NOW - 7 * HOUR)],
      NOW,
      1,
    );
    assert.deepEqual(expired.rejected, { expiredLogEventEndIndex: 2 });
    assert.equal(expired.accepted.length, 1);
  });
  test("wrong types for every field", () => {
    rejects(() => checkPutLogEventsBatch("x", NOW), /logEvents/);
    rejects(() => checkPutLogEventsBatch([null], NOW), /logEvents.1.member/);
    rejects(
      () => checkPutLogEventsBatch([{ timestamp: "1", message: "x" }], NOW),
      /logEvents.1.member.timestamp/,
    );
    rejects(() => checkPutLogEventsBatch([{ timestamp: 1.5, message: "x" }], NOW), /timestamp/);
    rejects(
      () => checkPutLogEventsBatch([{ timestamp: NOW, message: "" }], NOW),
      /logEvents.1.member.message/,
    );
    rejects(() => checkPutLogEventsBatch([{ timestamp: NOW, message: 5 }], NOW), /message/);
  });
});
