/**
 * What the record readers (record-reader.ts for CloudTrail documents, record-lines.ts for JSON lines)
 * hand out: numbered items — a record ready to be a log event, or a reported problem — in batches, so
 * that a consumer pays one `await` per batch rather than per record.
 */
import { EVENT_OVERHEAD_BYTES, MAX_EVENT_BYTES } from "../logs/validate.js";
import type { RecordFields } from "./record-scanner.js";

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

/** Consecutive items of one input, and where a later read can resume once they are all committed. */
export interface RecordBatch {
  items: RecordItem[];
  /**
   * JSON lines: the byte offset just after the last line all of whose items are in this batch or an
   * earlier one. Documents are resumed by ordinal only; there it stays at the first offset.
   */
  consumed: number;
  /** The ordinal of the first record after `consumed`. */
  consumedOrdinal: number;
}

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
/** Items per batch unless asked otherwise: enough to make the per-batch costs vanish, small in memory. */
export const DEFAULT_BATCH_ITEMS = 2048;

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
  /** At most this many items per batch (default DEFAULT_BATCH_ITEMS). */
  batchItems?: number;
  /**
   * CloudTrail documents: hand records out as they are scanned instead of after the whole document was
   * checked, so that a document is never held whole. A broken document then fails (UnreadableInput)
   * after some of its records went out: only a consumer that can take them back may ask for this.
   */
  streamDocuments?: boolean;
  /** Filled in while reading: the shape found, and what the batches handed out so far cover. */
  progress?: ReadProgress;
}

export interface ReadProgress {
  format?: "document" | "lines";
  /** The `consumed` of the last batch handed out (JSON lines only): where a later read can resume. */
  consumed: number;
  /** The ordinal of the first record after `consumed`. */
  consumedOrdinal?: number;
}

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
