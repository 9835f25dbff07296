import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { installPack } from "../../src/engine/install-pack.js";
import { decompressed } from "../../src/ingest/byte-source.js";
import { planRead } from "../../src/ingest/checkpoint.js";
import { fileInput } from "../../src/ingest/file-source.js";
import { ingestInput } from "../../src/ingest/ingest-input.js";
import {
  type ReadProgress,
  type RecordBatch,
  type RecordItem,
  readRecordBatches,
  readRecords,
  UnreadableInput,
} from "../../src/ingest/record-reader.js";
import { loadPack } from "../../src/packs/pack.js";
import { testEngine } from "../helpers/engine.js";

const dir = mkdtempSync(join(tmpdir(), "trailwatch-reader-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function* chunks(buf: Buffer, size = 7): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function read(text: string | Buffer, options = {}): Promise<RecordItem[]> {
  const out: RecordItem[] = [];
  for await (const item of readRecords(decompressed(chunks(Buffer.from(text))), options)) out.push(item);
  return out;
}

const rec = (i: number, extra = {}) =>
  JSON.stringify({
    eventTime: `2024-06-01T00:00:0${i}Z`,
    recipientAccountId: "111122223333",
    awsRegion: "eu-west-1",
    n: i,
    ...extra,
  });

test("a CloudTrail document: each record's text as is, its fields, its ordinal; bad records reported", async () => {
  const doc = `{"Records": [${rec(0)}, {"eventName":"x"}, 42, ${rec(1, { s: 'a "quoted" }' })}]}`;
  const items = await read(doc);
  assert.deepEqual(
    items.map((i) =>
      i.kind === "event" ? [i.ordinal, i.timestamp, i.account, i.region] : [i.ordinal, i.reason],
    ),
    [
      [0, Date.parse("2024-06-01T00:00:00Z"), "111122223333", "eu-west-1"],
      [1, "record without eventTime"],
      [2, "record is not a JSON object"],
      [3, Date.parse("2024-06-01T00:00:01Z"), "111122223333", "eu-west-1"],
    ],
  );
  const last = items[3];
  assert.ok(last.kind === "event");
  assert.deepEqual(JSON.parse(last.message), JSON.parse(rec(1, { s: 'a "quoted" }' })));
  assert.deepEqual(
    (await read(doc, { skipBelow: 3 })).map((i) => i.ordinal),
    [3],
    "resuming skips what was done",
  );
});

test("a broken or truncated document is unreadable as a whole: nothing of it is returned", async () => {
  for (const bad of [
    `{"Records":[${rec(0)}, {"a": tru}]}`,
    `{"Records":[${rec(0)}, ${rec(1)}`,
    `{"Records":[${rec(0)}]} x`,
  ]) {
    await assert.rejects(read(bad), UnreadableInput, bad);
  }
  const gz = gzipSync(`{"Records":[${rec(0)},${rec(1)}]}`);
  await assert.rejects(
    read(gz.subarray(0, gz.length - 10)),
    (e: unknown) => (e as { code?: string }).code !== undefined,
  );
});

test("JSON lines: bad lines reported with their byte offsets, oversized lines dropped without holding them", async () => {
  const big = `{"eventTime":"2024-06-01T00:00:00Z","pad":"${"x".repeat(300)}"}`;
  const text = `${rec(0)}\n\n{"eventTime": nope}\n${big}\n${rec(1)}\n[1]\n${rec(2)}`;
  const items = await read(text, { maxRecordBytes: 200 });
  const lines = text.split("\n");
  const offsetOf = (k: number) => Buffer.byteLength(lines.slice(0, k).join("\n")) + 1;
  assert.deepEqual(
    items.map((i) =>
      i.kind === "event"
        ? `${i.ordinal} ok`
        : `${i.ordinal} @${i.offset} ${i.reason.split(" (")[0].split(":")[0]}`,
    ),
    [
      "0 ok",
      `1 @${offsetOf(2)} invalid JSON`,
      `2 @${offsetOf(3)} record larger than the 200-byte event limit`,
      "3 ok",
      `4 @${offsetOf(5)} invalid JSON`,
      "5 ok",
    ],
  );
});

test("JSON lines: a last line without newline is held back when asked (a file being written)", async () => {
  const progress: ReadProgress = { consumed: 0 };
  const text = `${rec(0)}\n${rec(1)}\n{"eventTime":"2024-06-01T00:0`;
  const items = await read(text, { holdPartialLine: true, progress });
  assert.deepEqual(
    items.map((i) => i.ordinal),
    [0, 1],
  );
  assert.equal(progress.consumed, Buffer.byteLength(`${rec(0)}\n${rec(1)}\n`));
  assert.equal(progress.consumedOrdinal, 2);
});

test("planRead: resume, up to date, appended, changed, repaired", () => {
  const cp = { v: 1 as const, version: "10:1", size: 10, records: 3, state: "partial" as const };
  assert.deepEqual(planRead(cp, { version: "10:1", size: 10, appendable: false }), {
    action: "read",
    skipBelow: 3,
    fromByte: 0,
    firstOrdinal: 0,
  });
  assert.deepEqual(planRead({ ...cp, state: "done" }, { version: "10:1", size: 10, appendable: false }), {
    action: "up-to-date",
  });
  assert.equal(
    planRead({ ...cp, state: "done" }, { version: "12:2", size: 12, appendable: false }).action,
    "changed",
  );
  assert.deepEqual(
    planRead(
      { ...cp, state: "done", bytes: 9, bytesOrdinal: 3 },
      { version: "20:2", size: 20, appendable: true },
    ),
    {
      action: "read",
      skipBelow: 3,
      fromByte: 9,
      firstOrdinal: 3,
    },
  );
  assert.equal(
    planRead({ ...cp, state: "done", bytes: 9 }, { version: "5:2", size: 5, appendable: true }).action,
    "changed",
    "shrank",
  );
  assert.equal(
    planRead({ ...cp, state: "unreadable" }, { version: "12:2", size: 12, appendable: false }).action,
    "read",
  );
});

test("a file: read once, an appended file continues where it stopped, a rewritten .gz is reported", async () => {
  const te = await testEngine();
  try {
    await installPack(te.engine, await loadPack("seed"));
    const target = {
      ingestBatch: te.engine.ingestBatch.bind(te.engine),
      getCheckpoint: (s: string) => te.engine.store.getCheckpoint(s),
    };
    const opts = (skips: string[]) => ({
      logGroupName: "CloudTrail/DefaultLogGroup",
      batchEvents: 2,
      onSkip: (s: { reason: string }) => skips.push(s.reason),
    });
    const lines = join(dir, "app.jsonl");
    writeFileSync(lines, `${rec(0)}\n${rec(1)}\n${rec(2)}\n`);
    const skips: string[] = [];
    assert.equal((await ingestInput(await fileInput(lines), target, opts(skips))).events, 3);
    assert.equal((await ingestInput(await fileInput(lines), target, opts(skips))).status, "up-to-date");
    appendFileSync(lines, `${rec(3)}\n${rec(4)}\n`);
    // mtime resolution: make sure the version differs even within one millisecond.
    const r = await ingestInput({ ...(await fileInput(lines)), version: "appended" }, target, opts(skips));
    assert.equal(r.events, 2, "only the appended lines");

    const gz = join(dir, "trail.json.gz");
    writeFileSync(gz, gzipSync(`{"Records":[${rec(0)},${rec(1)}]}`));
    assert.equal((await ingestInput(await fileInput(gz), target, opts(skips))).events, 2);
    writeFileSync(gz, gzipSync(`{"Records":[${rec(0)},${rec(1)},${rec(2)}]}`));
    const changed = await ingestInput(
      { ...(await fileInput(gz)), version: "rewritten" },
      target,
      opts(skips),
    );
    assert.equal(changed.status, "changed");
    assert.equal(changed.events, 0);
    assert.match(skips.at(-1) ?? "", /changed since it was ingested/);
    const events = await te.engine.store.scanLogEvents({
      logGroupName: "CloudTrail/DefaultLogGroup",
      limit: 100,
    });
    assert.equal(events.length, 7);
  } finally {
    await te.close();
  }
});

test("batches: bounded, and each batch's resume point re-reads exactly what comes after it", async () => {
  const doc = `{"Records":[${rec(5)},${rec(6)},42,${rec(7)},${rec(8)}]}`;
  const text = `${rec(0)}\n${rec(1)}\n\nnot json\n${doc}\n${rec(2)}\n${rec(3)}\n${rec(4)}`;
  const all = await read(text);
  for (const batchItems of [1, 2, 3, 100]) {
    const batches: RecordBatch[] = [];
    for await (const b of readRecordBatches(decompressed(chunks(Buffer.from(text), 11)), { batchItems }))
      batches.push(b);
    assert.ok(batches.every((b) => b.items.length <= batchItems));
    assert.deepEqual(
      batches.flatMap((b) => b.items),
      all,
    );
    // Resuming as a checkpoint would: from the batch's byte offset, skipping the ordinals committed.
    let done = 0;
    for (const b of batches) {
      done += b.items.length;
      const committed = all.slice(0, done).at(-1)?.ordinal ?? -1;
      const rest = await read(Buffer.from(text).subarray(b.consumed), {
        firstOffset: b.consumed,
        firstOrdinal: b.consumedOrdinal,
        skipBelow: committed + 1,
      });
      assert.deepEqual(rest, all.slice(done), `batches of ${batchItems}, after ${done} items`);
    }
  }
});

test("streamed documents: records go out before the end; a broken one then fails as a whole read does", async () => {
  const good = Array.from({ length: 400 }, (_, i) => rec(i % 10)).join(",");
  const broken = `{"Records":[${good}, {"a": tru}]}`;
  const whole = await read(broken).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(whole instanceof UnreadableInput);
  const got: RecordBatch[] = [];
  const streamed = await (async () => {
    for await (const b of readRecordBatches(decompressed(chunks(Buffer.from(broken), 4096)), {
      streamDocuments: true,
    }))
      got.push(b);
  })().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(got.length > 0, "records went out before the damage was seen");
  assert.ok(streamed instanceof UnreadableInput);
  assert.equal(streamed.message, whole.message);
  assert.equal(streamed.offset, whole.offset);
  // A good document streamed gives what a whole read gives.
  const doc = `{"Records":[${good}]}`;
  const batches: RecordBatch[] = [];
  for await (const b of readRecordBatches(decompressed(chunks(Buffer.from(doc), 999)), {
    streamDocuments: true,
  }))
    batches.push(b);
  assert.ok(batches.length > 1);
  assert.deepEqual(
    batches.flatMap((b) => b.items),
    await read(doc),
  );
});
