/**
 * S3 as a source, against s3rver on loopback through the real @aws-sdk/client-s3: the layout, digests
 * skipped, only the date folders a time range needs listed, exactly once across runs, changed objects
 * detected.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { installPack } from "../../src/engine/install-pack.js";
import { ingestSources } from "../../src/ingest/ingest-sources.js";
import { loadPack } from "../../src/packs/pack.js";
import { type TestEngine, testEngine } from "../helpers/engine.js";

const dir = mkdtempSync(join(tmpdir(), "trailwatch-s3-"));
let server: S3rver;
let endpoint: string;
let te: TestEngine;
const BUCKET = "trail";
const PREFIX = "AWSLogs/o-abcdef1234/111122223333/CloudTrail/eu-west-1";

function client(listed?: string[]): S3Client {
  const c = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  if (listed)
    c.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Prefix?: string; StartAfter?: string };
        if (input.Prefix !== undefined) listed.push(input.StartAfter ?? "(start)");
        return next(args);
      },
      { step: "initialize" },
    );
  return c;
}

function file(day: string, n: number, extra: Record<string, unknown> = {}): Buffer {
  const records = Array.from({ length: n }, (_, i) => ({
    eventTime: `${day}T0${i % 10}:00:00Z`,
    eventName: "DescribeInstances",
    userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice" },
    recipientAccountId: "111122223333",
    awsRegion: "eu-west-1",
    requestID: `${day}-${i}`,
    ...extra,
  }));
  return gzipSync(JSON.stringify({ Records: records }));
}

async function put(key: string, body: Buffer) {
  await client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

before(async () => {
  server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: join(dir, "s3"),
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const address = await server.run();
  endpoint = `http://127.0.0.1:${address.port}`;
  await put(`${PREFIX}/2024/05/30/a.json.gz`, file("2024-05-30", 3));
  await put(`${PREFIX}/2024/06/01/b.json.gz`, file("2024-06-01", 4));
  await put(`${PREFIX}/2024/06/02/c.json.gz`, file("2024-06-02", 5));
  await put(`${PREFIX}/2024/06/20/d.json.gz`, file("2024-06-20", 6));
  await put(`${PREFIX}/2024/06/02/corrupt.json.gz`, file("2024-06-02", 5).subarray(0, 40));
  await put(
    "AWSLogs/o-abcdef1234/111122223333/CloudTrail-Digest/eu-west-1/2024/06/01/x_CloudTrail-Digest_y.json.gz",
    gzipSync("{}"),
  );
  te = await testEngine();
  await installPack(te.engine, await loadPack("seed"));
});

after(async () => {
  await te.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const target = () => ({
  ingestBatch: te.engine.ingestBatch.bind(te.engine),
  getCheckpoint: (s: string) => te.engine.store.getCheckpoint(s),
});

test("a time range lists only the date folders it needs; the rest is read once, corrupt objects reported", async () => {
  const listed: string[] = [];
  const skips: string[] = [];
  const totals = await ingestSources([`s3://${BUCKET}/AWSLogs/`], target(), {
    logGroupName: "CloudTrail/DefaultLogGroup",
    since: Date.parse("2024-06-01T00:00:00Z"),
    until: Date.parse("2024-06-03T00:00:00Z"),
    s3Client: () => client(listed),
    onSkip: (s) => skips.push(`${s.input}: ${s.reason}`),
  });
  assert.equal(totals.events, 9, "b and c; a and d are outside the range");
  assert.equal(skips.length, 1);
  assert.match(skips[0], /corrupt\.json\.gz: not valid gzip data/);
  // Three requests: from the start, then past the days before the range, then past the region's end.
  assert.deepEqual(listed, ["(start)", `${PREFIX}/2024/05/31/`, `${PREFIX}/~`]);

  const streams = await te.engine.store.listLogStreams("CloudTrail/DefaultLogGroup", { limit: 10 });
  assert.deepEqual(
    streams.map((s) => s.logStreamName),
    ["o-abcdef1234_111122223333_CloudTrail_eu-west-1"],
  );
});

test("a second run reads nothing again; a replaced object is reported, not counted twice", async () => {
  const again = await ingestSources([`s3://${BUCKET}/${PREFIX}/`], target(), {
    logGroupName: "CloudTrail/DefaultLogGroup",
    since: Date.parse("2024-06-01T00:00:00Z"),
    until: Date.parse("2024-06-03T00:00:00Z"),
    s3Client: () => client(),
    onSkip: () => {},
  });
  assert.equal(again.events, 0);
  await put(`${PREFIX}/2024/06/01/b.json.gz`, file("2024-06-01", 7, { eventName: "Changed" }));
  const skips: string[] = [];
  const third = await ingestSources([`s3://${BUCKET}/${PREFIX}/2024/06/01/`], target(), {
    logGroupName: "CloudTrail/DefaultLogGroup",
    s3Client: () => client(),
    onSkip: (s) => skips.push(s.reason),
  });
  assert.equal(third.events, 0);
  assert.equal(skips.length, 1);
  assert.match(skips[0], /changed since it was ingested/);
  // Without a range, one flat listing of everything under the prefix (a, d new; the rest done).
  const all = await ingestSources([`s3://${BUCKET}/AWSLogs/`], target(), {
    logGroupName: "CloudTrail/DefaultLogGroup",
    s3Client: () => client(),
    onSkip: () => {},
  });
  assert.equal(all.events, 3 + 6);
});

test("replay reads S3 objects on worker threads as on the main thread (the corrupt one reported by both)", async () => {
  const { replay } = await import("../../src/engine/replay.js");
  const { listSourceInputs } = await import("../../src/ingest/source-events.js");
  // Root sign-ins: the seed's root-usage alarm turns.
  const root = {
    userIdentity: { type: "Root", arn: "arn:aws:iam::111122223333:root" },
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
  };
  await put(`${PREFIX}/2024/06/03/root.json.gz`, file("2024-06-03", 3, root));
  const list = await listSourceInputs([`s3://${BUCKET}/AWSLogs/`], { s3Client: () => client() });
  assert.equal(list.length, 6, list.map((i) => i.name).join(", "));
  const outcome = async (threads: number) => {
    const t = await testEngine({ start: 0, storeEvents: false });
    try {
      const skips: string[] = [];
      const summary = await replay({
        engine: t.engine,
        clock: t.clock,
        pack: await loadPack("seed"),
        inputs: { list, onSkip: (s) => skips.push(`${s.input} ${s.reason}`) },
        threads,
        skipped: [],
      });
      return {
        events: summary.events,
        matched: summary.matched,
        skips,
        transitions: t.transitions.map((x) => `${x.timestamp} ${x.alarm.alarmName} ${x.newState}`),
      };
    } finally {
      await t.close();
    }
  };
  const one = await outcome(1);
  assert.ok(one.events >= 3 + 4 + 5 + 6 + 3, `events: ${one.events}`); // the test before replaced an object
  assert.equal(one.skips.length, 1);
  assert.match(one.skips[0], /corrupt\.json\.gz/);
  assert.ok(
    one.transitions.some((x) => x.includes("Root account usage ALARM")),
    one.transitions.join("\n"),
  );
  assert.deepEqual(await outcome(2), one);
});
