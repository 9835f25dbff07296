/**
 * Exactly-once ingestion of one input: read from where its checkpoint says, in bounded batches, each
 * batch committed with the checkpoint that covers it — the target commits events, metric aggregates and
 * checkpoint in one transaction (Engine.ingestBatch), so a kill at any moment leaves the store at a batch
 * boundary, and the next run starts exactly there.
 *
 * The target is an interface, not the engine: src/ingest sits below src/engine.
 */
import { decompressed } from "./byte-source.js";
import { type Checkpoint, formatCheckpoint, parseCheckpoint, planRead } from "./checkpoint.js";
import { cloudTrailStreamName } from "./cloudtrail-key.js";
import type { Input } from "./input.js";
import { type ReadProgress, readRecordBatches, UnreadableInput } from "./record-reader.js";

/** Where ingested events go: Engine.ingestBatch and Store.getCheckpoint have these shapes. */
export interface IngestTarget {
  ingestBatch(
    logGroupName: string,
    streams: readonly { logStreamName: string; events: readonly { timestamp: number; message: string }[] }[],
    options: { checkpoint?: { source: string; position: string } },
  ): Promise<{ events: number; matched: number }>;
  getCheckpoint(source: string): Promise<string | undefined>;
}

/** A record or input that was not ingested, and why. */
export interface Skip {
  input: string;
  /** Byte offset in the (decompressed) input, when known. */
  offset?: number;
  reason: string;
}

/** An event as it is committed, handed to observers (progress, summaries). */
export interface IngestedEvent {
  timestamp: number;
  message: string;
  logStreamName: string;
}

export interface IngestInputOptions {
  logGroupName: string;
  /** Events per transaction (default 5000): bounds memory whatever the input's size. */
  batchEvents?: number;
  /** Events outside [since, until] are passed over (not skipped as errors). */
  since?: number;
  until?: number;
  /** JSON lines: keep a last line without "\n" for later (--follow on a file being written). */
  holdPartialLine?: boolean;
  onSkip(skip: Skip): void;
  /** After each commit: how many events it held. */
  onCommit?(events: number): void;
}

export type InputStatus = "read" | "up-to-date" | "changed" | "unreadable";

export interface InputResult {
  status: InputStatus;
  events: number;
  matched: number;
  /** Records reported through onSkip (the input itself counts as one when changed or unreadable). */
  skipped: number;
  /** Events before --since or after --until. */
  outOfRange: number;
}

const DEFAULT_BATCH = 5000;

export async function ingestInput(
  input: Input,
  target: IngestTarget,
  options: IngestInputOptions,
): Promise<InputResult> {
  const result: InputResult = { status: "read", events: 0, matched: 0, skipped: 0, outOfRange: 0 };
  const source = input.source;
  const previous = source === undefined ? undefined : parseCheckpoint(await target.getCheckpoint(source));
  const plan = planRead(previous, input);
  if (plan.action === "up-to-date") return { ...result, status: "up-to-date" };
  if (plan.action === "changed") {
    options.onSkip({ input: input.name, reason: plan.reason });
    return { ...result, status: "changed", skipped: 1 };
  }

  const batchEvents = options.batchEvents ?? DEFAULT_BATCH;
  const progress: ReadProgress = { consumed: plan.fromByte, consumedOrdinal: plan.firstOrdinal };
  // What the batches taken in so far cover: a commit names exactly these, never what is still unread.
  let records = plan.skipBelow; // ordinals below this are done
  let consumed = plan.fromByte;
  let consumedOrdinal = plan.firstOrdinal;
  const byStream = new Map<string, { timestamp: number; message: string }[]>();
  let pending = 0;

  const checkpointOf = (state: Checkpoint["state"]): { source: string; position: string } | undefined =>
    source === undefined
      ? undefined
      : {
          source,
          position: formatCheckpoint({
            v: 1,
            version: input.version,
            size: input.size,
            records,
            ...(progress.format === "lines" && input.appendable
              ? { bytes: consumed, bytesOrdinal: consumedOrdinal }
              : {}),
            state,
          }),
        };

  const commit = async (state: Checkpoint["state"]) => {
    const streams = [...byStream].map(([logStreamName, events]) => ({ logStreamName, events }));
    byStream.clear();
    const n = pending;
    pending = 0;
    const checkpoint = checkpointOf(state);
    if (n === 0 && checkpoint === undefined) return;
    const r = await target.ingestBatch(options.logGroupName, streams, checkpoint ? { checkpoint } : {});
    result.events += r.events;
    result.matched += r.matched;
    options.onCommit?.(r.events);
  };

  try {
    const batches = readErrorsAsUnreadable(
      readRecordBatches(decompressed(input.open(plan.fromByte)), {
        skipBelow: plan.skipBelow,
        firstOrdinal: plan.firstOrdinal,
        firstOffset: plan.fromByte,
        holdPartialLine: options.holdPartialLine,
        // A batch never holds more events than a commit may, so commits fall on batch boundaries.
        batchItems: batchEvents,
        progress,
      }),
    );
    for await (const batch of batches) {
      // Commit first when this batch would not fit: a transaction holds at most batchEvents events.
      if (pending > 0 && pending + batch.items.length > batchEvents) await commit("partial");
      for (const item of batch.items) {
        records = item.ordinal + 1;
        if (item.kind === "skip") {
          result.skipped++;
          options.onSkip({ input: input.name, offset: item.offset, reason: item.reason });
          continue;
        }
        if (
          (options.since !== undefined && item.timestamp < options.since) ||
          (options.until !== undefined && item.timestamp > options.until)
        ) {
          result.outOfRange++;
          continue;
        }
        const stream = cloudTrailStreamName(item.account, item.region, input.key);
        let list = byStream.get(stream);
        if (!list) {
          list = [];
          byStream.set(stream, list);
        }
        list.push({ timestamp: item.timestamp, message: item.message });
        pending++;
      }
      consumed = batch.consumed;
      consumedOrdinal = batch.consumedOrdinal;
      if (pending >= batchEvents) await commit("partial");
    }
  } catch (err) {
    // Only the reading side throws UnreadableInput; a failing commit propagates as it is.
    if (!(err instanceof UnreadableInput)) throw err;
    const unreadable = err;
    result.skipped++;
    options.onSkip({ input: input.name, offset: unreadable.offset, reason: unreadable.message });
    if (progress.format === "document" || result.events + pending === 0) {
      // Nothing of it was used: remember it as unreadable, so that a repaired copy is read in full.
      byStream.clear();
      pending = 0;
      records = 0;
      await commit("unreadable");
      return { ...result, status: "unreadable" };
    }
    // JSON lines cut short (a truncated .gz): what was read stands; the rest cannot be reached.
    await commit("done");
    return result;
  }
  await commit(options.holdPartialLine ? "partial" : "done");
  return result;
}

/**
 * Errors of reading the bytes — the file system, zlib (corrupt or truncated gzip), the network, all with a
 * string `code` — become UnreadableInput; anything else (a bug) is rethrown as it is.
 */
async function* readErrorsAsUnreadable<T>(items: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (err) {
    if (err instanceof UnreadableInput) throw err;
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code !== "string") throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new UnreadableInput(
      undefined,
      code.startsWith("Z_") ? `not valid gzip data (${message})` : `${message} (${code})`,
    );
  }
}
