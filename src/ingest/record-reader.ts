/**
 * The records of one input (a file, an S3 object, a request body, stdin), as numbered items in batches:
 * each record becomes a log event or a reported problem, and every item carries its ordinal (its position
 * among the input's records) and its byte offset in the decompressed data. Ordinals are what checkpoints
 * count.
 *
 * Two shapes, told apart by the first bytes, not by the name:
 * - CloudTrail documents `{"Records":[...]}` (one, or several in a row): read whole, then checked whole
 *   before the first record is handed out — a corrupt or truncated file yields nothing (UnreadableInput),
 *   so it can be ingested in full once it is repaired;
 * - JSON lines (record-lines.ts): streamed, each bad line reported and skipped on its own.
 */
import { isAscii } from "node:buffer";
import { StringDecoder } from "node:string_decoder";
import { DocumentScanner, type OnElement } from "./document-stream.js";
import {
  DEFAULT_BATCH_ITEMS,
  MAX_DOCUMENT_BYTES,
  MAX_RECORD_BYTES,
  type ReadOptions,
  type RecordBatch,
  type RecordItem,
  toRecordEvent,
  UnreadableInput,
} from "./record-items.js";
import { readLineBatches } from "./record-lines.js";
import { JsonScanError, looksLikeCloudTrailDocument } from "./record-scanner.js";

export {
  MAX_DOCUMENT_BYTES,
  MAX_RECORD_BYTES,
  type ReadOptions,
  type ReadProgress,
  type RecordBatch,
  type RecordEvent,
  type RecordItem,
  type RecordProblem,
  toRecordEvent,
  UnreadableInput,
} from "./record-items.js";

function tooLarge(text: string, limit: number): number | undefined {
  if (text.length <= limit / 3) return undefined;
  const bytes = Buffer.byteLength(text, "utf8");
  return bytes > limit ? bytes : undefined;
}

/** The records of decompressed bytes, a batch at a time; see the module comment. */
export async function* readRecordBatches(
  chunks: AsyncIterable<Buffer>,
  options: ReadOptions = {},
): AsyncGenerator<RecordBatch> {
  const it = chunks[Symbol.asyncIterator]();
  // Sniff: enough bytes to see past leading whitespace to the first key.
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < 64) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  const first = Buffer.concat(head);
  const progress = options.progress ?? { consumed: 0 };
  const isDocument =
    (options.firstOffset ?? 0) === 0 && looksLikeCloudTrailDocument(first.toString("utf8", 0, 256));
  progress.format = isDocument ? "document" : "lines";
  const rest = ended ? emptyIterator() : it;
  try {
    if (isDocument) yield* readDocument(first, rest, options);
    else yield* readLineBatches(first, rest, options, progress);
  } finally {
    // A consumer that stops early (or fails) must not leave the file or the request body open.
    await it.return?.();
  }
}

/**
 * The records one at a time (a request body, tests). Each item costs an `await`: bulk readers use
 * readRecordBatches. `progress` then covers the whole batch an item came in.
 */
export async function* readRecords(
  chunks: AsyncIterable<Buffer>,
  options: ReadOptions = {},
): AsyncGenerator<RecordItem> {
  for await (const batch of readRecordBatches(chunks, options)) yield* batch.items;
}

async function* emptyIterator(): AsyncGenerator<Buffer> {}

/**
 * A CloudTrail document's records. Scanned as the text arrives (document-stream.ts); the items are held
 * until the whole text has been checked, unless `streamDocuments` asks for them as they come.
 */
async function* readDocument(
  first: Buffer,
  rest: AsyncIterator<Buffer>,
  options: ReadOptions,
): AsyncGenerator<RecordBatch> {
  const limit = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  const skipBelow = options.skipBelow ?? 0;
  const maxRecord = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  const batchItems = options.batchItems ?? DEFAULT_BATCH_ITEMS;
  const firstOffset = options.firstOffset ?? 0;
  const streaming = options.streamDocuments === true;
  const scanner = new DocumentScanner();
  const decoder = new StringDecoder("utf8");
  let ordinal = 0;
  let items: RecordItem[] = [];
  const held: RecordItem[][] = [];
  const onElement: OnElement = (r, text, byteOffsetOf) => {
    const n = ordinal++;
    if (n < skipBelow) return;
    if (r.notObject) {
      items.push({
        kind: "skip",
        ordinal: n,
        offset: byteOffsetOf(r.start),
        reason: "record is not a JSON object",
      });
    } else {
      const message = text.slice(r.start, r.end);
      const big = tooLarge(message, maxRecord);
      if (big !== undefined) {
        items.push({
          kind: "skip",
          ordinal: n,
          offset: byteOffsetOf(r.start),
          reason: `record of ${big} bytes exceeds the ${maxRecord}-byte event limit`,
        });
      } else {
        // The byte offset is computed only for a problem report (it costs a pass over the text before it).
        items.push(toRecordEvent(r, message, n, () => byteOffsetOf(r.start)));
      }
    }
    if (items.length >= batchItems) {
      held.push(items);
      items = [];
    }
  };
  const scan = (text: string, final: boolean, bytes?: number) => {
    try {
      scanner.push(text, final, onElement, bytes);
    } catch (err) {
      if (!(err instanceof JsonScanError)) throw err;
      throw new UnreadableInput(
        scanner.byteOffsetOf(err.offset),
        `invalid JSON in CloudTrail file: ${err.message}`,
      );
    }
  };
  const batch = (list: RecordItem[]): RecordBatch => ({
    items: list,
    consumed: firstOffset,
    consumedOrdinal: 0,
  });

  let size = first.length;
  let chunk: Buffer | undefined = first;
  while (chunk !== undefined) {
    const text = decoder.write(chunk);
    // Plain ASCII (CloudTrail's usual text): its UTF-8 length is its length, no need to count.
    scan(text, false, text.length === chunk.length && isAscii(chunk) ? chunk.length : undefined);
    if (streaming) {
      if (items.length > 0) held.push(items);
      items = [];
      for (const list of held.splice(0)) yield batch(list);
    }
    const r = await rest.next();
    chunk = r.done ? undefined : r.value;
    if (chunk === undefined) break;
    size += chunk.length;
    if (size > limit) {
      await rest.return?.();
      throw new UnreadableInput(undefined, `CloudTrail document larger than ${limit} bytes`);
    }
  }
  scan(decoder.end(), true);
  if (items.length > 0) held.push(items);
  for (const list of held.splice(0)) yield batch(list);
}
