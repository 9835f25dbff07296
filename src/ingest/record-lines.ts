/**
 * JSON lines as record batches: one record a line (a line may also be a whole CloudTrail document),
 * streamed, each bad line reported and skipped on its own, a line over the record limit dropped without
 * ever being held whole. record-reader.ts tells this shape from a CloudTrail document and calls in here.
 */
import {
  DEFAULT_BATCH_ITEMS,
  MAX_RECORD_BYTES,
  type ReadOptions,
  type ReadProgress,
  type RecordBatch,
  type RecordItem,
  toRecordEvent,
} from "./record-items.js";
import {
  JsonScanError,
  looksLikeCloudTrailDocument,
  scanCloudTrailDocuments,
  scanRecordLine,
} from "./record-scanner.js";

const NEWLINE = 0x0a;

/**
 * The batches of a JSON-lines input whose first bytes are `first`. A batch's `consumed` never runs ahead
 * of its items: it is the end of the last line all of whose items are in this batch or an earlier one (a
 * line holding a whole document may be split over batches), so a consumer that commits a batch and resumes
 * from `consumed` skipping the ordinals it committed reads every record exactly once.
 */
export async function* readLineBatches(
  first: Buffer,
  rest: AsyncIterator<Buffer>,
  options: ReadOptions,
  progress: ReadProgress,
): AsyncGenerator<RecordBatch> {
  const maxRecord = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  const skipBelow = options.skipBelow ?? 0;
  const batchItems = options.batchItems ?? DEFAULT_BATCH_ITEMS;
  let ordinal = options.firstOrdinal ?? 0;
  let offset = options.firstOffset ?? 0; // file offset of `pending`'s first byte
  let consumed = offset;
  let consumedOrdinal = ordinal;
  let pending: Buffer = first;
  // While a line has grown past the limit: its start, so the rest of it is dropped up to its newline.
  let oversizedAt: number | undefined;
  let items: RecordItem[] = [];
  const ready: RecordBatch[] = [];

  const cut = () => {
    ready.push({ items, consumed, consumedOrdinal });
    items = [];
  };

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
  /** A line's items go into batches; the progress moves past the line with its last item. */
  const line = (lineOut: RecordItem[], lineEnd: number) => {
    for (let k = 0; k < lineOut.length; k++) {
      if (k === lineOut.length - 1) {
        consumed = lineEnd;
        consumedOrdinal = ordinal;
      }
      if (lineOut[k].ordinal >= skipBelow) items.push(lineOut[k]);
      if (items.length >= batchItems) cut();
    }
    consumed = lineEnd;
    consumedOrdinal = ordinal;
  };

  const drain = (final: boolean) => {
    let start = 0;
    for (let nl = pending.indexOf(NEWLINE); nl !== -1; nl = pending.indexOf(NEWLINE, start)) {
      let out: RecordItem[];
      if (oversizedAt !== undefined) {
        out = oversized(oversizedAt);
        oversizedAt = undefined;
      } else if (nl - start > maxRecord + 2) out = oversized(offset + start, nl - start);
      else out = lineItems(pending.subarray(start, nl), offset + start);
      start = nl + 1;
      line(out, offset + start);
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
      let out: RecordItem[] = [];
      if (oversizedAt !== undefined) out = oversized(oversizedAt);
      else if (pending.length > 0) out = lineItems(pending, offset);
      oversizedAt = undefined;
      offset += pending.length;
      pending = Buffer.alloc(0);
      line(out, offset);
    }
  };

  /** Hands out the full batches; the progress is what the last batch handed out covers. */
  const flush = function* (): Generator<RecordBatch> {
    for (const b of ready.splice(0)) {
      progress.consumed = b.consumed;
      progress.consumedOrdinal = b.consumedOrdinal;
      yield b;
    }
  };

  drain(false);
  yield* flush();
  for (;;) {
    let r: IteratorResult<Buffer>;
    try {
      r = await rest.next();
    } catch (err) {
      // The bytes broke off (a truncated .gz): the whole lines before the damage still go out.
      cut();
      yield* flush();
      throw err;
    }
    if (r.done) break;
    pending = pending.length === 0 ? r.value : Buffer.concat([pending, r.value]);
    drain(false);
    yield* flush();
  }
  drain(true);
  // The last batch, possibly empty: it carries the final progress (blank or held-back lines move it too).
  cut();
  yield* flush();
}
