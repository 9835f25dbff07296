/**
 * The bus in process, against the real PostgreSQL and NATS: batches accepted on one instance are applied
 * by the workers of two, once each; a batch delivered again after its worker committed it (and did not
 * acknowledge) is acknowledged without being counted; a batch published twice is one message; a batch too
 * big for one message is split and still counted once.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.js";
import type { MetricId } from "../../src/store/types.js";
import { CONTRIBUTES, type Kind, record, SEED_METRICS } from "./events.js";
import { startInstance, type TestInstance } from "./instance.js";
import { deleteStream, dropSchema, eventually, uniqueName, withServices } from "./services.js";

/** A second bus worker beside the instance's own, on its engine and store (a worker come back). */
async function busWorkerOf(i: TestInstance) {
  const { BusWorker } = await import("../../src/cluster/bus-worker.js");
  return new BusWorker({
    bus: i.cluster.bus,
    engine: i.ctx.engine,
    store: i.stores.workerStore,
    clock: { now: () => Date.now() },
    onError: (err) => assert.fail(err as Error),
  });
}

const GROUP = "CloudTrail/DefaultLogGroup";
const KINDS: Kind[] = ["plain", "nomfa", "plain", "root", "console", "plain", "nomfa"];

async function sumOf(store: Store, metric: MetricId): Promise<number> {
  const rows = await store.queryAggregates(metric, 0, Number.MAX_SAFE_INTEGER);
  return rows.reduce((s, a) => s + a.sum, 0);
}

function expected(kinds: readonly Kind[]): Record<string, number> {
  const out: Record<string, number> = { root: 0, nomfa: 0, console: 0 };
  for (const k of kinds) for (const [m, v] of Object.entries(CONTRIBUTES[k])) out[m] += v ?? 0;
  return out;
}

async function sums(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [k, m] of Object.entries(SEED_METRICS)) out[k] = await sumOf(store, m);
  return out;
}

await withServices("cluster bus", () => {
  describe("cluster bus (PostgreSQL + NATS JetStream)", () => {
    const schema = uniqueName("bus");
    const stream = uniqueName("bus").toUpperCase();
    let a: TestInstance;
    let b: TestInstance;
    const sent: Kind[] = [];
    let seq = 0;
    const t0 = Date.now() - 60_000;

    /** Accepts `n` events on instance `via`, in one batch (one stream). */
    async function send(via: TestInstance, n: number, stream = "s1") {
      const events = [];
      for (let i = 0; i < n; i++) {
        const kind = KINDS[seq % KINDS.length];
        sent.push(kind);
        events.push({ timestamp: t0 + seq, message: record(kind, seq, t0 + seq) });
        seq++;
      }
      return via.ctx.engine.ingestBatch(GROUP, [{ logStreamName: stream, events }]);
    }

    const settled = (label: string) =>
      eventually(label, async () => {
        const want = expected(sent);
        const got = await sums(a.stores.workerStore);
        return JSON.stringify(got) === JSON.stringify(want) ? got : undefined;
      });

    before(async () => {
      a = await startInstance({ schema, stream, role: "all", ackWaitMs: 1500 });
      b = await startInstance({ schema, stream, role: "worker", ackWaitMs: 1500 });
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await dropSchema(schema);
      await deleteStream(stream);
    });

    test("accepted on one instance, applied by the workers of two, each batch once", async () => {
      for (let i = 0; i < 40; i++) {
        const r = await send(a, 25, `s${i % 3}`);
        assert.deepEqual(r, { events: 25, matched: 0, samples: 0, queued: true });
      }
      await settled("the workers to apply 40 batches");
      const wa = a.cluster.worker!.counters;
      const wb = b.cluster.worker!.counters;
      assert.equal(wa.applied + wb.applied, 40);
      assert.equal(wa.events + wb.events, 1000);
      assert.ok(wa.applied > 0 && wb.applied > 0, `both workers took batches (${wa.applied}, ${wb.applied})`);
      assert.equal(wa.duplicates + wb.duplicates, 0);
      // The events are stored too, once each.
      const stored = await a.stores.workerStore.scanLogEvents({ logGroupName: GROUP, limit: 2000 });
      assert.equal(stored.length, 1000);
      assert.equal(new Set(stored.map((e) => e.message)).size, 1000);
    });

    test("a batch published twice (a retried request) is one message, counted once", async () => {
      const events = [{ timestamp: t0, message: record("root", 10_000, t0) }];
      sent.push("root");
      const before = a.cluster.sink!.counters.duplicates;
      await a.ctx.engine.ingestBatch(GROUP, [{ logStreamName: "retry", events }]);
      await a.ctx.engine.ingestBatch(GROUP, [{ logStreamName: "retry", events }]);
      assert.equal(a.cluster.sink!.counters.duplicates, before + 1, "JetStream dropped the second copy");
      await settled("the retried batch");
    });

    test("a batch committed but not acknowledged comes back and is acknowledged without being counted", async () => {
      // Stop both workers, publish one batch, and play a worker that dies after its commit: take the
      // message, commit it with its claim, never acknowledge.
      await a.cluster.worker!.stop();
      await b.cluster.worker!.stop();
      await send(a, 10, "crash");
      const consumer = await a.cluster.bus.js.consumers.get(
        a.cluster.bus.config.stream,
        a.cluster.bus.config.consumer,
      );
      const m = await consumer.next({ expires: 5000 });
      assert.ok(m, "the batch is on the bus");
      const { decodeBatch } = await import("../../src/cluster/batch-message.js");
      const batch = decodeBatch(m.data);
      const prepared = await a.ctx.engine.prepareBatch(batch.logGroupName, batch.streams, {}, Date.now());
      const id = m.headers?.get("Nats-Msg-Id");
      assert.ok(id);
      const first = await b.stores.workerStore.commit({ ...prepared.commit, claim: id });
      assert.equal(first.duplicate, undefined);
      await settled("the dying worker's commit");
      // A worker comes back; after the ack wait JetStream delivers the batch again.
      const w = await busWorkerOf(a);
      await w.start();
      try {
        await eventually(
          "the redelivery",
          async () => (w.counters.duplicates === 1 ? true : undefined),
          15_000,
        );
        assert.equal(w.counters.redelivered, 1);
        assert.equal(w.counters.applied, 0);
        assert.deepEqual(await sums(a.stores.workerStore), expected(sent), "nothing counted twice");
        const lag = await (await import("../../src/cluster/jetstream.js")).busLag(a.cluster.bus);
        assert.deepEqual([lag.pending, lag.unacked], [0, 0], "acknowledged: gone from the bus");
      } finally {
        await w.stop();
      }
    });

    test("a batch bigger than one message is split, and each part applied once", async () => {
      const w = await busWorkerOf(a);
      await w.start();
      try {
        const max = a.cluster.bus.maxMessageBytes;
        const before = a.cluster.sink!.counters.messages;
        // Padded records: about 3 × max_payload in one batch.
        const events = [];
        const pad = "x".repeat(4000);
        for (let i = 0; events.length * 4300 < 3 * max; i++) {
          const kind = KINDS[i % KINDS.length];
          sent.push(kind);
          const r = JSON.parse(record(kind, 20_000 + i, t0 + i));
          r.requestParameters = { pad };
          events.push({ timestamp: t0 + i, message: JSON.stringify(r) });
        }
        await a.ctx.engine.ingestBatch(GROUP, [{ logStreamName: "big", events }]);
        assert.ok(a.cluster.sink!.counters.messages - before >= 3, "split into several messages");
        await settled("the split batch");
      } finally {
        await w.stop();
      }
    });
  });
});
