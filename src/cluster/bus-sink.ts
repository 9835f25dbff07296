/**
 * The bus as the engine's ingest sink: what an instance accepts (PutLogEvents, POST /ingest, files, S3) is
 * published to JetStream instead of applied here, and the call returns once JetStream has stored every
 * message of the batch — from then on the batch survives this instance. Metric filters run later, on
 * whichever worker takes it (bus-worker.ts).
 */
import type { IngestEvent, IngestResult, IngestSink } from "../engine/engine.js";
import { encodeBatch } from "./batch-message.js";
import type { Bus } from "./jetstream.js";
import { subjectOf } from "./subjects.js";

export interface PublishCounters {
  batches: number;
  messages: number;
  events: number;
  /** Messages JetStream already held (same id within its duplicate window): a retried batch. */
  duplicates: number;
}

export class BusSink implements IngestSink {
  readonly counters: PublishCounters = { batches: 0, messages: 0, events: 0, duplicates: 0 };

  constructor(
    private readonly bus: Bus,
    private readonly clock: { now(): number },
  ) {}

  async ingestBatch(
    logGroupName: string,
    streams: readonly { logStreamName: string; events: readonly IngestEvent[] }[],
    options: { checkpoint?: { source: string; position: string } },
  ): Promise<IngestResult> {
    const kept = streams
      .filter((s) => s.events.length > 0)
      .map((s) => ({ logStreamName: s.logStreamName, events: [...s.events] }));
    const events = kept.reduce((n, s) => n + s.events.length, 0);
    // A checkpoint alone (a file with no events) still travels: the worker writes it.
    if (kept.length === 0 && !options.checkpoint) return { events: 0, matched: 0, samples: 0, queued: true };
    const messages = encodeBatch(
      {
        logGroupName,
        streams: kept,
        ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
        acceptedAt: this.clock.now(),
      },
      this.bus.maxMessageBytes,
    );
    const subject = subjectOf(this.bus.config.subjectPrefix, logGroupName);
    // In parallel: JetStream stores them in any order, and the worker does not care about order.
    const acks = await Promise.all(
      messages.map((m) => this.bus.js.publish(subject, m.data, { msgID: m.id })),
    );
    const c = this.counters;
    c.batches++;
    c.messages += messages.length;
    c.events += events;
    c.duplicates += acks.filter((a) => a.duplicate).length;
    return { events, matched: 0, samples: 0, queued: true };
  }
}
