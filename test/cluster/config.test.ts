/**
 * The cluster's pure parts, without services: the bus URL, the store URL's schema, roles, and the bus
 * message format — stable ids (the same source batch always gets the same id), splitting in order with
 * the checkpoint on the last part, and refusing what is not a trailwatch batch.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BadBusMessage, batchIdOf, decodeBatch, encodeBatch } from "../../src/cluster/batch-message.js";
import { parseBusUrl, redact } from "../../src/cluster/bus-url.js";
import { parseRole } from "../../src/cluster/role.js";
import { openServeStore, ServeStoreUsageError } from "../../src/cluster/serve-store.js";
import { splitStoreUrl } from "../../src/cluster/store-url.js";
import { controlSubject, subjectOf } from "../../src/cluster/subjects.js";
import { mergeSketch } from "../../src/metrics/sketch-codec.js";

describe("cluster configuration", () => {
  test("bus URL: servers, defaults, names, credentials, the ack wait; bad input refused", () => {
    const c = parseBusUrl("nats://127.0.0.1:4222", {});
    assert.deepEqual(c, {
      servers: ["127.0.0.1:4222"],
      stream: "TRAILWATCH_EVENTS",
      subjectPrefix: "trailwatch.events",
      consumer: "trailwatch-workers",
      ackWaitMs: 30_000,
      duplicateWindowMs: 120_000,
    });
    const d = parseBusUrl("nats://u:p%40ss@a,b:5222/?stream=S1&subjects=x.y&consumer=w", {
      TRAILWATCH_BUS_ACK_WAIT_MS: "5000",
    });
    assert.deepEqual(
      [d.servers, d.user, d.pass, d.stream, d.subjectPrefix, d.consumer, d.ackWaitMs],
      [["a:4222", "b:5222"], "u", "p@ss", "S1", "x.y", "w", 5000],
    );
    assert.throws(() => parseBusUrl("http://x", {}), /nats:\/\//);
    assert.throws(() => parseBusUrl("nats://x/?stream=a.b", {}), /stream/);
    assert.throws(() => parseBusUrl("nats://x/?subjects=a.*", {}), /wildcards/);
    assert.throws(() => parseBusUrl("nats://x/?other=1", {}), /unknown parameter/);
    assert.throws(() => parseBusUrl("nats://x", { TRAILWATCH_BUS_ACK_WAIT_MS: "10" }), /≥ 1000/);
    assert.equal(redact("nats://u:secret@h:1"), "nats://u:***@h:1");
  });

  test("store URL: ?schema= is trailwatch's, the rest goes to the driver; roles", () => {
    assert.deepEqual(splitStoreUrl("postgres://u@h:5432/db?schema=tw&sslmode=require"), {
      connectionString: "postgres://u@h:5432/db?sslmode=require",
      schema: "tw",
    });
    assert.deepEqual(splitStoreUrl("postgres://u@h/db"), { connectionString: "postgres://u@h/db" });
    assert.equal(parseRole("worker"), "worker");
    assert.throws(() => parseRole("evaluator"), /ingest, worker, all/);
  });

  test("serve refuses a bus without PostgreSQL, a role without a bus, and a store that is not postgres://", async () => {
    const base = { dataDir: "/nonexistent", storeFile: "x.db", mergeSketch };
    await assert.rejects(openServeStore({ ...base, bus: "nats://h" }), ServeStoreUsageError);
    await assert.rejects(openServeStore({ ...base, role: "worker" }), /--role needs --bus/);
    await assert.rejects(openServeStore({ ...base, store: "mysql://h/db" }), /postgres:\/\//);
  });

  test("subjects: one token per log group, whatever its characters; the instances' own traffic beside the stream", () => {
    assert.equal(subjectOf("p", "a.b/*>"), `p.${Buffer.from("a.b/*>").toString("hex")}`);
    // The stream takes `p.*` (one token): a control subject has two, so JetStream never stores it.
    for (const channel of ["config", "alarm-writes", "event-refs"] as const)
      assert.equal(controlSubject("p", channel).split(".").length, 3);
  });
});

describe("bus messages", () => {
  const events = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({
      timestamp: 1000 + from + i,
      message: `{"i":${from + i},"q":"\\"x\\""}`,
    }));
  const batch = { logGroupName: "g", streams: [{ logStreamName: "s", events: events(3) }], acceptedAt: 5 };

  test("ids: the same content or the same checkpoint gives the same id; anything else another", () => {
    const id = batchIdOf(batch);
    assert.equal(
      batchIdOf({ ...batch, acceptedAt: 99 } as never),
      id,
      "when it was accepted does not matter",
    );
    assert.notEqual(batchIdOf({ ...batch, streams: [{ logStreamName: "t", events: events(3) }] }), id);
    assert.notEqual(batchIdOf({ ...batch, streams: [{ logStreamName: "s", events: events(3, 1) }] }), id);
    const file = { ...batch, checkpoint: { source: "file:/a", position: "done:10:1" } };
    assert.equal(
      batchIdOf({ ...file, streams: [] }),
      batchIdOf(file),
      "with a checkpoint, the checkpoint names the batch",
    );
    assert.notEqual(
      batchIdOf({ ...file, checkpoint: { source: "file:/a", position: "done:11:1" } }),
      batchIdOf(file),
    );
  });

  test("a batch that fits is one message; decoding gives it back", () => {
    const [m, ...more] = encodeBatch(batch, 1_000_000);
    assert.equal(more.length, 0);
    assert.equal(m.id, batchIdOf(batch));
    assert.deepEqual(decodeBatch(m.data), batch);
  });

  test("a big batch is split in order, over streams, with the checkpoint on the last part only", () => {
    const big = {
      logGroupName: "g",
      streams: [
        { logStreamName: "a", events: events(40) },
        { logStreamName: "b", events: events(40, 40) },
      ],
      checkpoint: { source: "src", position: "p" },
      acceptedAt: 1,
    };
    const parts = encodeBatch(big, 600);
    assert.ok(parts.length > 4);
    assert.ok(parts.every((p) => p.data.length <= 600));
    const decoded = parts.map((p) => decodeBatch(p.data));
    assert.deepEqual(
      decoded.flatMap((d) =>
        d.streams.flatMap((s) => s.events.map((e) => `${s.logStreamName}${e.timestamp}`)),
      ),
      big.streams.flatMap((s) => s.events.map((e) => `${s.logStreamName}${e.timestamp}`)),
    );
    assert.deepEqual(
      decoded.map((d) => d.checkpoint?.position),
      [...Array(parts.length - 1).fill(undefined), "p"],
    );
    assert.equal(new Set(parts.map((p) => p.id)).size, parts.length);
    assert.equal(
      parts.reduce((n, p) => n + p.events, 0),
      80,
    );
    assert.throws(
      () => encodeBatch({ ...batch, streams: [{ logStreamName: "s", events: events(1) }] }, 10),
      /does not fit/,
    );
  });

  test("what is not a trailwatch batch is refused", () => {
    for (const text of ["nope", '{"v":2}', '{"v":1,"g":"g","s":[["s",[[1,2]]]],"a":1}'])
      assert.throws(() => decodeBatch(Buffer.from(text)), BadBusMessage);
  });
});
