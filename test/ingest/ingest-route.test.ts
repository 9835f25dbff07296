import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import Fastify, { type FastifyInstance } from "fastify";
import { installPack } from "../../src/engine/install-pack.js";
import { loadPack } from "../../src/packs/pack.js";
import { registerIngestRoutes } from "../../src/server/ingest-route.js";
import { type TestEngine, testEngine } from "../helpers/engine.js";

const T = Date.parse("2026-01-01T00:00:00Z");
let te: TestEngine;
before(async () => {
  te = await testEngine({ start: T });
  await installPack(te.engine, await loadPack("seed"));
});
after(() => te.close());

function record(i: number, extra: Record<string, unknown> = {}) {
  return {
    eventTime: new Date(T + i * 1000).toISOString(),
    eventName: "ConsoleLogin",
    eventType: "AwsConsoleSignIn",
    userIdentity: { type: "Root", arn: "arn:aws:iam::111122223333:root" },
    recipientAccountId: "111122223333",
    awsRegion: "eu-west-1",
    ...extra,
  };
}

function app(options: { token?: string; loopbackOnly: boolean }): FastifyInstance {
  const a = Fastify();
  a.removeAllContentTypeParsers();
  a.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
  registerIngestRoutes(
    a,
    { engine: te.engine, loopbackOnly: options.loopbackOnly },
    { token: options.token },
  );
  return a;
}

test("no token configured: refused unless the server is loopback-only", async () => {
  const open = app({ loopbackOnly: false });
  const r = await open.inject({ method: "POST", url: "/ingest", payload: JSON.stringify(record(0)) });
  assert.equal(r.statusCode, 403);
  const local = app({ loopbackOnly: true });
  const ok = await local.inject({
    method: "POST",
    url: "/ingest",
    payload: `${JSON.stringify(record(0))}\n`,
  });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().accepted, 1);
});

test("a bearer token is required when configured, compared exactly", async () => {
  const a = app({ token: "s3cret", loopbackOnly: true });
  const body = JSON.stringify({ Records: [record(1)] });
  assert.equal((await a.inject({ method: "POST", url: "/ingest", payload: body })).statusCode, 401);
  const wrong = await a.inject({
    method: "POST",
    url: "/ingest",
    payload: body,
    headers: { authorization: "Bearer s3cre" },
  });
  assert.equal(wrong.statusCode, 401);
  const right = await a.inject({
    method: "POST",
    url: "/ingest",
    payload: body,
    headers: { authorization: "Bearer s3cret" },
  });
  assert.equal(right.statusCode, 200);
  assert.deepEqual(right.json(), { accepted: 1, matched: 1, rejected: 0, rejections: [] });
});

test("gzip bodies, JSON lines with per-record rejections, and one stream per account and region", async () => {
  const a = app({ token: "t", loopbackOnly: false });
  const lines = [
    JSON.stringify(record(2)),
    '{"eventTime": nope}',
    JSON.stringify({ eventName: "NoTime" }),
    JSON.stringify(record(3, { recipientAccountId: "444455556666", awsRegion: "us-west-2" })),
  ].join("\n");
  const r = await a.inject({
    method: "POST",
    url: "/ingest",
    payload: gzipSync(lines),
    headers: { authorization: "Bearer t", "content-type": "application/octet-stream" },
  });
  assert.equal(r.statusCode, 200);
  const answer = r.json();
  assert.equal(answer.accepted, 2);
  assert.equal(answer.rejected, 2);
  assert.deepEqual(
    answer.rejections.map((x: { record: number; reason: string }) => [x.record, x.reason.split(":")[0]]),
    [
      [1, "invalid JSON"],
      [2, "record without eventTime"],
    ],
  );
  const streams = (await te.engine.store.listLogStreams("CloudTrail/DefaultLogGroup", { limit: 50 })).map(
    (s) => s.logStreamName,
  );
  assert.ok(streams.includes("444455556666_CloudTrail_us-west-2"));
  assert.ok(streams.includes("111122223333_CloudTrail_eu-west-1"));

  const corrupt = await a.inject({
    method: "POST",
    url: "/ingest",
    payload: gzipSync(lines).subarray(0, 20),
    headers: { authorization: "Bearer t" },
  });
  assert.equal(corrupt.statusCode, 400);
});

test("Idempotency-Key: a retried request is answered again, not ingested twice", async () => {
  const a = app({ token: "t", loopbackOnly: false });
  const metric = { namespace: "CloudTrailMetrics", metricName: "RootAccountUsageCount", dimensions: [] };
  const sum = async () =>
    (await te.engine.store.queryAggregates(metric, T + 3_600_000, T + 7_200_000)).reduce(
      (s, x) => s + x.sum,
      0,
    );
  const body = JSON.stringify({ Records: [record(3600), record(3601)] });
  const headers = { authorization: "Bearer t", "idempotency-key": "batch-42" };
  const first = await a.inject({ method: "POST", url: "/ingest", payload: body, headers });
  assert.equal(first.json().accepted, 2);
  const again = await a.inject({ method: "POST", url: "/ingest", payload: body, headers });
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().replayed, true);
  assert.equal(again.json().accepted, 2);
  assert.equal(await sum(), 2);
});
