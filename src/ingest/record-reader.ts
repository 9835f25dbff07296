/**
 * The records of one input (a file, an S3 object, a request body, stdin), as numbered items: each record
 * becomes a log event or a reported problem, and every item carries its ordinal (its position among the
 * input's records) and its byte offset in the decompressed data. Ordinals are what checkpoints count.
 *
 * Two shapes, told apart by the first bytes, not by the name:
 * - CloudTrail documents `{"Records":[...]}` (one, or several in a row): read whole, then checked whole
 *   before the first record is handed out — a corrupt or truncated file yields nothing (UnreadableInput),
 *   so it can be ingested in full once it is repaired;
 * - JSON lines (one record a line; a line may also be a whole CloudTrail document): streamed, each bad line
 *   reported and skipped on its own.
 */
import { EVENT_OVERHEAD_BYTES, MAX_EVENT_BYTES } from "../logs/validate.js";
import {
  JsonScanError,
  looksLikeCloudTrailDocument,
  type RecordFields,
  scanCloudTrailDocuments,
  scanRecordLine,
} from "./record-scanner.js";

/** One record ready to be a log event. */
export interface RecordEvent {
  kind: "event";
  ordinal: number;
  /** eventTime, epoch ms. */
  timestamp: number;
  account?: string;
  region?: string;
  /** The record's JSON text, as CloudTrail delivers it to CloudWatch Logs. */
  message: string;
}

/** A record that cannot be ingested: reported with where and why, counted, skipped. */
export interface RecordProblem {
  kind: "skip";
  ordinal: number;
  offset: number;
  reason: string;
}

export type RecordItem = RecordEvent | RecordProblem;

/** The whole input cannot be read (corrupt gzip, broken JSON document, too large): nothing of it is used. */
export class UnreadableInput extends Error {
  override readonly name = "UnreadableInput";
  constructor(
    readonly offset: number | undefined,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * CloudWatch Logs' limit on one event (message bytes + 26 bytes of overhead = 256 KB): a larger record
 * could not have reached a metric filter on AWS either.
 */
export const MAX_RECORD_BYTES = MAX_EVENT_BYTES - EVENT_OVERHEAD_BYTES;
/** A CloudTrail document is read whole; CloudTrail's own files are far smaller (tens of MB at most). */
export const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

export interface ReadOptions {
  /** Records with a lower ordinal were ingested before: they are read (to count them) but not returned. */
  skipBelow?: number;
  /** The ordinal of the first record of these bytes (a seek into an appended file continues the count). */
  firstOrdinal?: number;
  /** The byte offset of the first byte given (a seek), so that reported offsets stay file offsets. */
  firstOffset?: number;
  /** JSON lines: leave a last line without "\n" unread (a file still being appended to). */
  holdPartialLine?: boolean;
  maxRecordBytes?: number;
  maxDocumentBytes?: number;
  /** Filled in while reading: the shape found, and (JSON lines) the byte offset after the last whole line. */
  progress?: ReadProgress;
}

export interface ReadProgress {
  format?: "document" | "lines";
  /** Byte offset just after the last line consumed (JSON lines only): where a later read can resume. */
  consumed: number;
  /** The ordinal of the first record after `consumed`. */
  consumedOrdinal?: number;
}

const NEWLINE = 0x0a;

/** A record's fields as a log event, or why it cannot be one. */
export function toRecordEvent(
  fields: RecordFields,
  message: string,
  ordinal: number,
  offsetOf: () => number,
): RecordItem {
  const time = fields.eventTime;
  if (time === undefined)
    return { kind: "skip", ordinal, offset: offsetOf(), reason: "record without eventTime" };
  const timestamp = Date.parse(time);
  if (Number.isNaN(timestamp))
    return {
      kind: "skip",
      ordinal,
      offset: offsetOf(),
      reason: `unreadable eventTime ${JSON.stringify(time.slice(0, 40))}`,
    };
  return {
    kind: "event",
    ordinal,
    timestamp,
    account: fields.recipientAccountId,
    region: fields.awsRegion,
    message,
  };
}

function tooLarge(text: string, limit: number): number | undefined {
  if (text.length <= limit / 3) return undefined;
  const bytes = Buffer.byteLength(text, "utf8");
  return bytes > limit ? bytes : undefined;
}

/** The records of decompressed bytes; see the module comment. */
export async function* readRecords(
  chunks: AsyncIterable<Buffer>,
  options: ReadOptions = {},
): AsyncGenerator<RecordItem> {
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
  if (isDocument) yield* readDocument(first, rest, options);
  else yield* readLines(first, rest, options, progress);
}

async function* emptyIterator(): AsyncGenerator<Buffer> {}

async function* readDocument(
  first: Buffer,
  rest: AsyncIterator<Buffer>,
  options: ReadOptions,
): AsyncGenerator<RecordItem> {
  const limit = options.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  const parts = [first];
  let size = first.length;
  for (;;) {
    const r = await rest.next();
    if (r.done) break;
    size += r.value.length;
    if (size > limit) {
      await rest.return?.();
      throw new UnreadableInput(undefined, `CloudTrail document larger than ${limit} bytes`);
    }
    parts.push(r.value);
  }
  const text = Buffer.concat(parts, size).toString("utf8");
  parts.length = 0;
  let records: ReturnType<typeof scanCloudTrailDocuments>;
  try {
    records = scanCloudTrailDocuments(text);
  } catch (err) {
    if (!(err instanceof JsonScanError)) throw err;
    throw new UnreadableInput(
      byteOffset(text, err.offset),
      `invalid JSON in CloudTrail file: ${err.message}`,
    );
  }
  const skipBelow = options.skipBelow ?? 0;
  const maxRecord = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  for (let ordinal = skipBelow; ordinal < records.length; ordinal++) {
    const r = records[ordinal];
    if (r.notObject) {
      yield {
        kind: "skip",
        ordinal,
        offset: byteOffset(text, r.start),
        reason: "record is not a JSON object",
      };
      continue;
    }
    const message = text.slice(r.start, r.end);
    const big = tooLarge(message, maxRecord);
    if (big !== undefined) {
      yield {
        kind: "skip",
        ordinal,
        offset: byteOffset(text, r.start),
        reason: `record of ${big} bytes exceeds the ${maxRecord}-byte event limit`,
      };
      continue;
    }
    // The byte offset is computed only for a problem report (it costs a pass over the text before it).
    yield toRecordEvent(r, message, ordinal, () => byteOffset(text, r.start));
  }
}

/** Char offset -> UTF-8 byte offset (only computed for reports). */
function byteOffset(text: string, charOffset: number): number {
  return Buffer.byteLength(text.slice(0, charOffset), "utf8");
}

async function* readLines(
  first: Buffer,
  rest: AsyncIterator<Buffer>,
  options: ReadOptions,
  progress: ReadProgress,
): AsyncGenerator<RecordItem> {
  const maxRecord = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  const skipBelow = options.skipBelow ?? 0;
  let ordinal = options.firstOrdinal ?? 0;
  let offset = options.firstOffset ?? 0; // file offset of `pending`'s first byte
  progress.consumed = offset;
  progress.consumedOrdinal = ordinal;
  let pending: Buffer = first;
  // While a line has grown past the limit: its start, so the rest of it is dropped up to its newline.
  let oversizedAt: number | undefined;

  /** The items of one line (several when the line is a whole CloudTrail document). */
  const lineItems = (line: Buffer, at: number): RecordItem[] => {
    const text = line.toString("utf8").trim();
    if (text === "") return [];
    if (looksLikeCloudTrailDocument(text)) {
      let records: ReturnType<typeof scanCloudTrailDocuments>;
      try {
        records = scanCloudTrailDocuments(text);
      } catch (err) {
        if (!(err instanceof JsonScanError)) throw err;
        return [{ kind: "skip", ordinal: ordinal++, offset: at, reason: `invalid JSON: ${err.message}` }];
      }
      return records.map((r) => {
        const n = ordinal++;
        if (r.notObject)
          return { kind: "skip", ordinal: n, offset: at, reason: "record is not a JSON object" };
        return toRecordEvent(r, text.slice(r.start, r.end), n, () => at);
      });
    }
    const n = ordinal++;
    try {
      return [toRecordEvent(scanRecordLine(text), text, n, () => at)];
    } catch (err) {
      if (!(err instanceof JsonScanError)) throw err;
      return [{ kind: "skip", ordinal: n, offset: at, reason: `invalid JSON: ${err.message}` }];
    }
  };
  const oversized = (at: number, bytes?: number): RecordItem[] => [
    {
      kind: "skip",
      ordinal: ordinal++,
      offset: at,
      reason:
        bytes === undefined
          ? `record larger than the ${maxRecord}-byte event limit`
          : `record of ${bytes} bytes exceeds the ${maxRecord}-byte event limit`,
    },
  ];
  /**
   * Hands out a line's items. The progress moves past the line just before its last item goes out: a
   * consumer that commits up to an item never finds the progress ahead of what it committed.
   */
  const emit = function* (items: RecordItem[], lineEnd: number): Generator<RecordItem> {
    for (let k = 0; k < items.length; k++) {
      if (k === items.length - 1) {
        progress.consumed = lineEnd;
        progress.consumedOrdinal = ordinal;
      }
      if (items[k].ordinal >= skipBelow) yield items[k];
    }
    progress.consumed = lineEnd;
    progress.consumedOrdinal = ordinal;
  };

  const drain = function* (final: boolean): Generator<RecordItem> {
    let start = 0;
    for (let nl = pending.indexOf(NEWLINE); nl !== -1; nl = pending.indexOf(NEWLINE, start)) {
      let items: RecordItem[];
      if (oversizedAt !== undefined) {
        items = oversized(oversizedAt);
        oversizedAt = undefined;
      } else if (nl - start > maxRecord + 2) items = oversized(offset + start, nl - start);
      else items = lineItems(pending.subarray(start, nl), offset + start);
      start = nl + 1;
      yield* emit(items, offset + start);
    }
    offset += start;
    pending = pending.subarray(start);
    // No newline in sight: drop the bytes instead of holding a line of unbounded size.
    if (oversizedAt === undefined && pending.length > maxRecord + 2) oversizedAt = offset;
    if (oversizedAt !== undefined) {
      offset += pending.length;
      pending = Buffer.alloc(0);
    }
    if (final && options.holdPartialLine !== true) {
      let items: RecordItem[] = [];
      if (oversizedAt !== undefined) items = oversized(oversizedAt);
      else if (pending.length > 0) items = lineItems(pending, offset);
      oversizedAt = undefined;
      offset += pending.length;
      pending = Buffer.alloc(0);
      yield* emit(items, offset);
    }
  };

  yield* drain(false);
  for (;;) {
    const r = await rest.next();
    if (r.done) break;
    pending = pending.length === 0 ? r.value : Buffer.concat([pending, r.value]);
    yield* drain(false);
  }
  yield* drain(true);
}
