/**
 * The events of any sources (files, folders, s3:// URLs, "-") as one stream of batches, without
 * checkpoints: what replay reads. Problems are reported through `onSkip` and passed over; an input that
 * cannot be read at all is reported once (a CloudTrail document is then taken back whole; JSON lines keep
 * the lines before the damage).
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { decompressed, inflatedInPlace } from "./byte-source.js";
import type { CloudTrailLogEvent } from "./cloudtrail-events.js";
import { cloudTrailStreamName } from "./cloudtrail-key.js";
import type { TimeRange } from "./file-source.js";
import type { Skip } from "./ingest-input.js";
import { listInputs } from "./ingest-sources.js";
import type { Input } from "./input.js";
import { type ReadProgress, readRecordBatches, UnreadableInput } from "./record-reader.js";
import { defaultS3Client } from "./s3-source.js";

export interface SourceEventsOptions {
  range?: TimeRange;
  s3Client?: () => S3Client;
  onSkip(skip: Skip): void;
  /** Called when an input has been read to its end (progress). */
  onInput?(input: Input, done: number, total: number): void;
  /** Records per batch (default: the reader's). */
  batchItems?: number;
  /** Inflate small gzipped inputs in one call on this thread (byte-source.ts's inflatedInPlace). */
  inflateInPlace?: boolean;
}

/** Events of one input. */
export interface SourceBatch {
  events: CloudTrailLogEvent[];
  /** The input's position in the listing: batches of one input come one after another. */
  input: number;
  /**
   * The input is a CloudTrail document whose end has not been checked yet: its events may still be taken
   * back by a later batch with `void`. Events of JSON lines are never taken back.
   */
  provisional: boolean;
  /** The input turned out unreadable (reported through onSkip): drop every event it gave. */
  void?: true;
}

/**
 * The events of the sources in batches (at most `batchItems` records' worth each, never spanning two
 * inputs), so that a consumer pays one `await` per batch instead of one per event. Documents are
 * streamed, not held whole: see SourceBatch.provisional.
 */
export async function* sourceEventBatches(
  specs: readonly string[],
  options: SourceEventsOptions,
): AsyncGenerator<SourceBatch> {
  yield* listedEventBatches(await listSourceInputs(specs, options), options);
}

/** The inputs the sources name (folders walked, S3 prefixes listed, only the days --since/--until need). */
export async function listSourceInputs(
  specs: readonly string[],
  options: Pick<SourceEventsOptions, "range" | "s3Client">,
): Promise<Input[]> {
  let client: S3Client | undefined;
  const s3Client = () => {
    client ??= (options.s3Client ?? defaultS3Client)();
    return client;
  };
  const inputs: Input[] = [];
  for await (const input of listInputs(specs, options.range ?? {}, s3Client)) inputs.push(input);
  return inputs;
}

/** sourceEventBatches over inputs already listed. */
export async function* listedEventBatches(
  inputs: readonly Input[],
  options: SourceEventsOptions,
): AsyncGenerator<SourceBatch> {
  let done = 0;
  for (const [index, input] of inputs.entries()) {
    yield* inputEventBatches(input, index, options);
    options.onInput?.(input, ++done, inputs.length);
  }
}

/** The events of one input (the part of an input that a replay worker reads: src/engine/replay-worker.ts). */
export async function* inputEventBatches(
  input: Pick<Input, "name" | "key" | "open">,
  index: number,
  options: Pick<SourceEventsOptions, "range" | "onSkip" | "batchItems" | "inflateInPlace">,
): AsyncGenerator<SourceBatch> {
  const range = options.range ?? {};
  const progress: ReadProgress = { consumed: 0 };
  let gave = false;
  // A document's record problems are told once it is known to be readable at all, as a whole read would.
  const held: Skip[] = [];
  try {
    const raw = input.open(0);
    const bytes = options.inflateInPlace ? inflatedInPlace(raw) : decompressed(raw);
    for await (const batch of readRecordBatches(bytes, {
      batchItems: options.batchItems,
      streamDocuments: true,
      progress,
    })) {
      const events: CloudTrailLogEvent[] = [];
      for (const item of batch.items) {
        if (item.kind === "skip") {
          const skip = { input: input.name, offset: item.offset, reason: item.reason };
          if (progress.format === "document") held.push(skip);
          else options.onSkip(skip);
          continue;
        }
        if (
          (range.since !== undefined && item.timestamp < range.since) ||
          (range.until !== undefined && item.timestamp > range.until)
        )
          continue;
        events.push({
          timestamp: item.timestamp,
          message: item.message,
          logStreamName: cloudTrailStreamName(item.account, item.region, input.key),
        });
      }
      if (events.length === 0) continue;
      gave = true;
      yield { events, input: index, provisional: progress.format === "document" };
    }
    for (const skip of held) options.onSkip(skip);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (!(err instanceof UnreadableInput) && typeof code !== "string") throw err;
    const reason =
      err instanceof UnreadableInput
        ? err.message
        : String(code).startsWith("Z_")
          ? `not valid gzip data (${(err as Error).message})`
          : (err as Error).message;
    options.onSkip({
      input: input.name,
      offset: err instanceof UnreadableInput ? err.offset : undefined,
      reason,
    });
    // A broken document is used not at all, as when it is read whole; broken JSON lines keep the lines
    // before the damage.
    if (gave && progress.format === "document")
      yield { events: [], input: index, provisional: true, void: true };
  }
}
