/**
 * What travels on the bus: one accepted ingest batch (a log group, its streams' events, the source
 * checkpoint) as JSON, split into messages that fit the server's max_payload, each with a message id that
 * is stable for the same source batch — so that a source retrying a batch (a client retrying PutLogEvents
 * or POST /ingest, a file read again after a crash) publishes the same ids, which JetStream's duplicate
 * window drops and the store's batch claims (CommitBatch.claim) catch for good.
 *
 * The id: the checkpoint (source and position) when the batch has one — the source's own notion of "this
 * batch" — otherwise a hash of the content. Two byte-identical PutLogEvents batches into the same stream
 * are therefore counted once: a retry is by far the likelier cause (AWS documents PutLogEvents as not
 * idempotent; trailwatch errs the other way).
 */
import { createHash } from "node:crypto";
import type { IngestEvent } from "../engine/engine.js";

export interface BusBatch {
  logGroupName: string;
  streams: { logStreamName: string; events: IngestEvent[] }[];
  /** Written by the worker with the batch's last message. */
  checkpoint?: { source: string; position: string };
  /** When the instance accepted it (ms): the bus lag is measured from here. */
  acceptedAt: number;
}

export interface BusMessage {
  id: string;
  data: Uint8Array;
  events: number;
}

const VERSION = 1;

/** The stable id of a batch (before splitting). */
export function batchIdOf(batch: Omit<BusBatch, "acceptedAt">): string {
  const h = createHash("sha256");
  const part = (s: string) => h.update(`${Buffer.byteLength(s)}:${s}`);
  part(batch.logGroupName);
  if (batch.checkpoint) {
    part("checkpoint");
    part(batch.checkpoint.source);
    part(batch.checkpoint.position);
  } else {
    part("content");
    for (const s of batch.streams) {
      part(s.logStreamName);
      part(String(s.events.length));
      for (const e of s.events) {
        part(String(e.timestamp));
        part(e.message);
      }
    }
  }
  return h.digest("hex").slice(0, 40);
}

/**
 * The batch as messages of at most `maxBytes` each: one when it fits, otherwise its events split in
 * order (ids `<id>.<i>of<n>`), the checkpoint on the last. A single event too big for a message throws.
 */
export function encodeBatch(batch: BusBatch, maxBytes: number): BusMessage[] {
  const id = batchIdOf(batch);
  const whole = encode(batch);
  const events = countEvents(batch);
  if (whole.length <= maxBytes) return [{ id, data: whole, events }];
  const parts: BusBatch[] = [];
  split(batch, maxBytes, parts);
  return parts.map((p, i) => ({
    id: `${id}.${i + 1}of${parts.length}`,
    data: encode(p),
    events: countEvents(p),
  }));
}

function split(batch: BusBatch, maxBytes: number, out: BusBatch[]): void {
  if (encode(batch).length <= maxBytes) {
    out.push(batch);
    return;
  }
  const flat = batch.streams.flatMap((s) => s.events.map((e) => ({ stream: s.logStreamName, e })));
  if (flat.length <= 1)
    throw new Error(`one event of ${batch.logGroupName} does not fit in a bus message of ${maxBytes} bytes`);
  const half = Math.ceil(flat.length / 2);
  const { checkpoint, ...rest } = batch;
  split({ ...rest, streams: regroup(flat.slice(0, half)) }, maxBytes, out);
  split(
    { ...rest, streams: regroup(flat.slice(half)), ...(checkpoint ? { checkpoint } : {}) },
    maxBytes,
    out,
  );
}

function regroup(flat: { stream: string; e: IngestEvent }[]): BusBatch["streams"] {
  const out: BusBatch["streams"] = [];
  for (const { stream, e } of flat) {
    const last = out[out.length - 1];
    if (last?.logStreamName === stream) last.events.push(e);
    else out.push({ logStreamName: stream, events: [e] });
  }
  return out;
}

function countEvents(batch: BusBatch): number {
  return batch.streams.reduce((n, s) => n + s.events.length, 0);
}

function encode(batch: BusBatch): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      v: VERSION,
      g: batch.logGroupName,
      s: batch.streams.map((s) => [s.logStreamName, s.events.map((e) => [e.timestamp, e.message])]),
      ...(batch.checkpoint ? { c: [batch.checkpoint.source, batch.checkpoint.position] } : {}),
      a: batch.acceptedAt,
    }),
    "utf8",
  );
}

export class BadBusMessage extends Error {
  override name = "BadBusMessage";
}

/** Reads a message back; a message that is not one of ours throws BadBusMessage (it is never retried). */
export function decodeBatch(data: Uint8Array): BusBatch {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8"));
  } catch {
    throw new BadBusMessage("not JSON");
  }
  const o = raw as { v?: unknown; g?: unknown; s?: unknown; c?: unknown; a?: unknown };
  if (o?.v !== VERSION) throw new BadBusMessage(`unknown version ${JSON.stringify(o?.v)}`);
  if (typeof o.g !== "string" || !Array.isArray(o.s) || typeof o.a !== "number")
    throw new BadBusMessage("missing members");
  const streams = o.s.map((entry: unknown) => {
    const [name, events] = entry as [unknown, unknown];
    if (typeof name !== "string" || !Array.isArray(events)) throw new BadBusMessage("bad stream");
    return {
      logStreamName: name,
      events: events.map((e: unknown) => {
        const [timestamp, message] = e as [unknown, unknown];
        if (typeof timestamp !== "number" || typeof message !== "string")
          throw new BadBusMessage("bad event");
        return { timestamp, message };
      }),
    };
  });
  let checkpoint: BusBatch["checkpoint"];
  if (o.c !== undefined) {
    const [source, position] = o.c as [unknown, unknown];
    if (typeof source !== "string" || typeof position !== "string") throw new BadBusMessage("bad checkpoint");
    checkpoint = { source, position };
  }
  return { logGroupName: o.g, streams, ...(checkpoint ? { checkpoint } : {}), acceptedAt: o.a };
}
