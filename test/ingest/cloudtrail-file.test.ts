import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import {
  iterateCloudTrailRecords,
  iterateLogMessages,
  LogFileError,
  readLogMessages,
} from "../../src/ingest/cloudtrail-file.js";

const RECORDS = [
  { eventVersion: "1.08", eventName: "ConsoleLogin", userIdentity: { type: "Root" }, n: 1.5 },
  { eventVersion: "1.08", eventName: "StopLogging", requestParameters: { name: "trail" } },
];

/** Whether this process holds a descriptor on `path` (Linux; elsewhere always false). */
function isOpen(path: string): boolean {
  if (!existsSync("/proc/self/fd")) return false;
  return readdirSync("/proc/self/fd").some((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  });
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("ingest/cloudtrail-file", () => {
  let dir: string;
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "trailwatch-ingest-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("CloudTrail file: records re-serialised as compact JSON", async () => {
    const path = file("ct.json", `\n  ${JSON.stringify({ Records: RECORDS }, null, 4)}\n`);
    assert.deepEqual(
      await readLogMessages(path),
      RECORDS.map((r) => JSON.stringify(r)),
    );
    assert.deepEqual(await collect(iterateCloudTrailRecords(path)), RECORDS);
  });

  test("gzipped CloudTrail file, whatever its name", async () => {
    const path = file("download.bin", gzipSync(JSON.stringify({ Records: RECORDS })));
    assert.deepEqual(await collect(iterateCloudTrailRecords(path)), RECORDS);
  });

  test("gzipped JSON lines; concatenated gzip members are read through", async () => {
    const lines = RECORDS.map((r) => JSON.stringify(r));
    const path = file("lines.gz", Buffer.concat([gzipSync(`${lines[0]}\n`), gzipSync(`${lines[1]}\n`)]));
    assert.deepEqual(await readLogMessages(path), lines);
    assert.deepEqual(await collect(iterateCloudTrailRecords(path)), RECORDS);
  });

  test("text: BOM dropped, CRLF and empty lines handled, a last line without newline kept", async () => {
    const path = file("t.log", "\uFEFFfirst\r\n\r\n  \nlast");
    assert.deepEqual(await readLogMessages(path), ["first", "  ", "last"]);
  });

  test("an empty file has no messages", async () => {
    assert.deepEqual(await readLogMessages(file("empty", "")), []);
    assert.deepEqual(await readLogMessages(file("empty-ct.json", '{"Records":[]}')), []);
  });

  test("a line that is not JSON: a message, but not a record", async () => {
    const path = file("mixed.jsonl", `${JSON.stringify(RECORDS[0])}\nplain text\n`);
    assert.deepEqual(await readLogMessages(path), [JSON.stringify(RECORDS[0]), "plain text"]);
    await assert.rejects(collect(iterateCloudTrailRecords(path)), {
      name: "LogFileError",
      message: new RegExp(`^${path}: line 2: invalid JSON`),
    });
  });

  test("Records that is not an array, or holds a non-object", async () => {
    await assert.rejects(readLogMessages(file("r1.json", '{"Records": {}}')), /"Records" is not an array/);
    await assert.rejects(
      collect(iterateCloudTrailRecords(file("r2.json", '{"Records": [1]}'))),
      /Records\[0\]/,
    );
  });

  test("errors are LogFileErrors naming the file", async () => {
    const gz = gzipSync(JSON.stringify({ Records: RECORDS }));
    const cases: Array<[string, RegExp]> = [
      [join(dir, "missing.json"), /: no such file or directory$/],
      [dir, /: is a directory$/],
      [file("bad.gz", Buffer.concat([gz.subarray(0, 12), Buffer.alloc(40, 7)])), /: not valid gzip data/],
      [file("short.gz", gz.subarray(0, 20)), /: not valid gzip data \(unexpected end of file\)$/],
      [file("bad.json", '{"Records": [{"a":'), /: invalid JSON in CloudTrail file/],
    ];
    for (const [path, reason] of cases) {
      const err = await readLogMessages(path).then(
        () => assert.fail(`${path} should not be readable`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof LogFileError, String(err));
      assert.equal(err.path, path);
      assert.ok(err.message.startsWith(`${path}: `), err.message);
      assert.match(err.message, reason);
      assert.ok(!err.message.includes("\n"));
    }
  });

  test("stopping early releases the file", async () => {
    const path = file("many.log", Array.from({ length: 100_000 }, (_, i) => `line ${i}`).join("\n"));
    const it = iterateLogMessages(path);
    assert.deepEqual(await it.next(), { value: "line 0", done: false });
    assert.equal(isOpen(path), existsSync("/proc/self/fd"));
    await it.return(undefined);
    assert.deepEqual(await it.next(), { value: undefined, done: true });
    // close(2) runs on libuv's thread pool: give it a moment.
    for (let i = 0; i < 50 && isOpen(path); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(isOpen(path), false);
  });
});
