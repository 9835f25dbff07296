/**
 * A worker: takes batches from the shared durable consumer, runs them through the metric filters
 * (Engine.prepareBatch) and commits events, aggregates, stream bookmarks, the source checkpoint and the
 * batch's claim (its message id) in ONE store transaction, then acknowledges. A batch delivered again —
 * its worker died before the ack, or took longer than the ack wait — finds its claim committed and is
 * only acknowledged: never counted twice. A batch whose commit fails is handed back (nak) and retried.
 *
 * The worker commits through a Store instance of its own, not the engine's: the evaluator (which may be
 * this same process) learns of every worker's aggregates through the store's change feed, which hands an
 * instance only what OTHER instances committed — so the evaluator's follower sees this worker's commits
 * exactly like another process's, once each.
 */
import type { ConsumerMessages, JsMsg } from "@nats-io/jetstream";
import type { Engine } from "../engine/engine.js";
import type { Store } from "../store/store.js";
import { BadBusMessage, decodeBatch } from "./batch-message.js";
import { type Bus, consumerOf } from "./jetstream.js";

export interface WorkerCounters {
  /** Batches (messages) applied: committed with their claim. */
  applied: number;
  events: number;
  /** Deliveries JetStream marked as redelivered. */
  redelivered: number;
  /** Deliveries whose claim was already committed: acknowledged, nothing written. */
  duplicates: number;
  /** Commits that failed (the batch went back to the stream). */
  failed: number;
  /** Messages that are not trailwatch batches (terminated, never retried). */
  rejected: number;
  /** Milliseconds from acceptance by an instance to commit, of the latest batch applied. */
  lastLagMs: number;
}

export interface BusWorkerOptions {
  bus: Bus;
  engine: Engine;
  /** The worker's own store instance (see above). */
  store: Store;
  clock: { now(): number };
  /** Batches applied at once (default 4). */
  concurrency?: number;
  onError(err: unknown, context: { messageId: string }): void;
}

export class BusWorker {
  readonly counters: WorkerCounters = {
    applied: 0,
    events: 0,
    redelivered: 0,
    duplicates: 0,
    failed: 0,
    rejected: 0,
    lastLagMs: 0,
  };
  #messages: ConsumerMessages | undefined;
  #loop: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(private readonly o: BusWorkerOptions) {}

  async start(): Promise<void> {
    const consumer = await consumerOf(this.o.bus);
    const concurrency = Math.max(1, this.o.concurrency ?? 4);
    // Few messages ahead of the work: messages pulled and not yet applied wait out the ack wait if this
    // process dies, so keeping the buffer small keeps a crash's delay small.
    this.#messages = await consumer.consume({ max_messages: concurrency * 2 });
    const messages = this.#messages;
    this.#loop = (async () => {
      for await (const m of messages) {
        while (this.#inFlight.size >= concurrency) await Promise.race(this.#inFlight);
        const p = this.#handle(m).finally(() => this.#inFlight.delete(p));
        this.#inFlight.add(p);
      }
    })();
  }

  /** Applies one delivered batch; never throws (failures are counted, reported and the batch retried). */
  async #handle(m: JsMsg): Promise<void> {
    const messageId = m.headers?.get("Nats-Msg-Id") || `${this.o.bus.config.stream}:${m.seq}`;
    if (m.info.redelivered) this.counters.redelivered++;
    // Tell JetStream the batch is being worked on, so a slow commit is not delivered to another worker.
    const keepAlive = setInterval(() => m.working(), Math.max(500, this.o.bus.config.ackWaitMs / 3));
    try {
      let batch: ReturnType<typeof decodeBatch>;
      try {
        batch = decodeBatch(m.data);
      } catch (err) {
        if (!(err instanceof BadBusMessage)) throw err;
        this.counters.rejected++;
        m.term(err.message);
        this.o.onError(err, { messageId });
        return;
      }
      const now = this.o.clock.now();
      const prepared = await this.o.engine.prepareBatch(
        batch.logGroupName,
        batch.streams,
        batch.checkpoint ? { checkpoint: batch.checkpoint } : {},
        now,
      );
      const result = await this.o.store.commit({ ...prepared.commit, claim: messageId });
      if (result.duplicate) {
        this.counters.duplicates++;
      } else {
        this.o.engine.countApplied(prepared);
        this.counters.applied++;
        this.counters.events += prepared.result.events;
        this.counters.lastLagMs = Math.max(0, this.o.clock.now() - batch.acceptedAt);
      }
      // Confirmed by the server; if this process dies first, the batch comes back and finds its claim.
      await m.ackAck();
    } catch (err) {
      this.counters.failed++;
      m.nak(1000);
      this.o.onError(err, { messageId });
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** Stops taking batches and waits for those in flight (their acks go out before the connection closes). */
  async stop(): Promise<void> {
    await this.#messages?.close();
    await this.#loop?.catch(() => {});
    await Promise.allSettled([...this.#inFlight]);
  }
}
