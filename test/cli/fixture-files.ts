import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "./run-cli.js";

/** Real CloudTrail records (see fixtures/cloudtrail/SOURCES.md), one compact JSON per line. */
const RECORD_LINES = readFileSync(join(ROOT, "fixtures/cloudtrail/records.jsonl"), "utf8")
  .trimEnd()
  .split("\n");

/**
 * Four records: AssumeRole, ConsoleLogin (IAMUser), SendCommand, ConsoleLogin (Root) — the logins are the
 * 2nd and 4th events.
 */
export const SAMPLE_RECORDS: Record<string, unknown>[] = [30, 413, 34, 418].map((i) =>
  JSON.parse(RECORD_LINES[i]),
);

export const APACHE_LINE =
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534';

export const APACHE_PATTERN = "[ip, user, username, timestamp, request, status_code, bytes]";
export const APACHE_VALUES = {
  $ip: "127.0.0.1",
  $user: "-",
  $username: "frank",
  $timestamp: "10/Oct/2000:13:25:15 -0700",
  $request: "GET /apache_pb.gif HTTP/1.0",
  $status_code: "200",
  $bytes: "1534",
};

export interface FixtureFiles {
  dir: string;
  text: string;
  jsonLines: string;
  cloudTrailJson: string;
  cloudTrailGz: string;
  /** A gzipped CloudTrail file whose name does not say so. */
  cloudTrailGzNoExtension: string;
  corruptGz: string;
  truncatedGz: string;
  badCloudTrailJson: string;
  remove(): void;
}

export function createFixtureFiles(): FixtureFiles {
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-cli-"));
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const cloudTrail = JSON.stringify({ Records: SAMPLE_RECORDS });
  const gz = gzipSync(cloudTrail);
  return {
    dir,
    // CRLF, a blank line and a trailing line without newline: all common in hand-made files.
    text: file("app.log", `ERROR: disk full\r\nall fine\r\n\r\n${APACHE_LINE}\nanother ERROR`),
    jsonLines: file(
      "events.jsonl",
      `${JSON.stringify(SAMPLE_RECORDS[0])}\n{not json, still a message}\n\n${JSON.stringify(SAMPLE_RECORDS[1])}\n`,
    ),
    // Pretty-printed on purpose: CloudTrail writes compact JSON, people saving files often do not.
    cloudTrailJson: file("trail.json", JSON.stringify({ Records: SAMPLE_RECORDS }, null, 2)),
    cloudTrailGz: file("trail.json.gz", gz),
    cloudTrailGzNoExtension: file("trail-download", gz),
    corruptGz: file("corrupt.json.gz", Buffer.concat([gz.subarray(0, 10), Buffer.alloc(64, 0x55)])),
    truncatedGz: file("truncated.json.gz", gz.subarray(0, gz.length >> 1)),
    badCloudTrailJson: file("bad.json", `{"Records": [${JSON.stringify(SAMPLE_RECORDS[0])}, {"eventName": `),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
