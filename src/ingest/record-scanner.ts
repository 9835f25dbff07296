/**
 * A validating JSON scanner for CloudTrail text: it finds where each record starts and ends and reads the
 * three top-level fields ingestion needs (eventTime, recipientAccountId, awsRegion), without building
 * objects. The metric filters parse each record once anyway; parsing the whole file first as well (and
 * re-serialising every record) would triple the JSON work of the hot path.
 *
 * It checks JSON's structure: brackets, commas, colons, string ends, the literals true/false/null and the
 * shape of numbers. LIMITS: it does not check the escapes inside strings nor reject raw control characters
 * in them (JSON.parse would); such a record still reaches the filters, which then see it as non-JSON text,
 * as CloudWatch Logs would.
 */

/**
 * Where the text stops being JSON: a char offset into the scanned text, and why. `atEnd`: the text ran
 * out before the value was complete (a streaming reader may retry once more text has come).
 */
export class JsonScanError extends Error {
  override readonly name = "JsonScanError";
  constructor(
    readonly offset: number,
    reason: string,
    readonly atEnd = false,
  ) {
    // No stack: a streaming reader meets one at the end of nearly every chunk (atEnd) and retries, and
    // the others become UnreadableInput reports; capturing stacks was a measurable part of reading.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(reason);
    Error.stackTraceLimit = limit;
  }
}

/** An error at `i`, flagged `atEnd` when `i` is past the text. */
function failAt(s: string, i: number, reason: string): JsonScanError {
  return new JsonScanError(i, reason, i >= s.length);
}

/** The top-level fields of one record that ingestion reads (undefined when absent or not a string). */
export interface RecordFields {
  eventTime?: string;
  recipientAccountId?: string;
  awsRegion?: string;
}

/** Nesting deeper than this is refused rather than risking the stack (CloudTrail records nest < 20). */
const MAX_DEPTH = 512;

export const QUOTE = 34;
const BACKSLASH = 92;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;
export const COMMA = 44;
export const COLON = 58;

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The first non-whitespace position at or after `i`. */
export function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

/** `s[i]` is a quote; returns the position after the closing quote. */
export function skipString(s: string, i: number): number {
  let q = s.indexOf('"', i + 1);
  for (;;) {
    if (q === -1) throw new JsonScanError(i, "unterminated string", true);
    // A quote preceded by an odd number of backslashes is escaped.
    let k = q - 1;
    while (s.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    q = s.indexOf('"', q + 1);
  }
}

function expectLiteral(s: string, i: number, word: string): number {
  if (!s.startsWith(word, i))
    throw new JsonScanError(i, "invalid JSON value", word.startsWith(s.slice(i, i + word.length)));
  return i + word.length;
}

function skipNumber(s: string, i: number): number {
  const start = i;
  if (s.charCodeAt(i) === 45) i++; // -
  const intStart = i;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === intStart) throw new JsonScanError(start, "invalid JSON value", i >= s.length);
  if (s.charCodeAt(i) === 46) {
    i++;
    const f = i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === f) throw new JsonScanError(start, "invalid number", i >= s.length);
  }
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    const d = i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === d) throw new JsonScanError(start, "invalid number", i >= s.length);
  }
  return i;
}

/** Skips one JSON value starting at `i` (no leading whitespace); returns the position after it. */
export function skipValue(s: string, i: number, depth = 0): number {
  const c = s.charCodeAt(i);
  if (c === QUOTE) return skipString(s, i);
  if (c === OPEN_BRACE) return scanObject(s, i, depth + 1, undefined);
  if (c === OPEN_BRACKET) return skipArray(s, i, depth + 1);
  if (c === 116) return expectLiteral(s, i, "true");
  if (c === 102) return expectLiteral(s, i, "false");
  if (c === 110) return expectLiteral(s, i, "null");
  if (c === 45 || (c >= 48 && c <= 57)) return skipNumber(s, i);
  throw failAt(s, i, i >= s.length ? "unexpected end of JSON" : "invalid JSON value");
}

function skipArray(s: string, i: number, depth: number): number {
  if (depth > MAX_DEPTH) throw new JsonScanError(i, "JSON nested too deeply");
  i = skipWs(s, i + 1);
  if (s.charCodeAt(i) === CLOSE_BRACKET) return i + 1;
  for (;;) {
    i = skipWs(s, skipValue(s, i, depth));
    const c = s.charCodeAt(i);
    if (c === CLOSE_BRACKET) return i + 1;
    if (c !== COMMA) throw failAt(s, i, i >= s.length ? "unexpected end of JSON" : "expected , or ]");
    i = skipWs(s, i + 1);
  }
}

/** The string value at `i` as JS text (JSON.parse only when it holds escapes). */
function stringAt(s: string, i: number, end: number): string {
  const raw = s.slice(i + 1, end - 1);
  return raw.indexOf("\\") === -1 ? raw : (JSON.parse(s.slice(i, end)) as string);
}

/**
 * Skips the object at `i` (`s[i]` = "{"). With `fields`, it is a record: its top-level string fields
 * eventTime, recipientAccountId and awsRegion are copied into `fields`.
 */
export function scanObject(s: string, i: number, depth: number, fields: RecordFields | undefined): number {
  if (depth > MAX_DEPTH) throw new JsonScanError(i, "JSON nested too deeply");
  i = skipWs(s, i + 1);
  if (s.charCodeAt(i) === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (s.charCodeAt(i) !== QUOTE)
      throw failAt(s, i, i >= s.length ? "unexpected end of JSON" : "expected a property name");
    const keyStart = i;
    const keyEnd = skipString(s, i);
    i = skipWs(s, keyEnd);
    if (s.charCodeAt(i) !== COLON) throw failAt(s, i, "expected :");
    i = skipWs(s, i + 1);
    const valueStart = i;
    i = skipValue(s, i, depth);
    if (fields !== undefined && s.charCodeAt(valueStart) === QUOTE) {
      // Key lengths with their quotes: "eventTime" 11, "awsRegion" 11, "recipientAccountId" 20.
      const len = keyEnd - keyStart;
      if (len === 11 && s.startsWith('"eventTime"', keyStart)) fields.eventTime = stringAt(s, valueStart, i);
      else if (len === 11 && s.startsWith('"awsRegion"', keyStart))
        fields.awsRegion = stringAt(s, valueStart, i);
      else if (len === 20 && s.startsWith('"recipientAccountId"', keyStart))
        fields.recipientAccountId = stringAt(s, valueStart, i);
    }
    i = skipWs(s, i);
    const c = s.charCodeAt(i);
    if (c === CLOSE_BRACE) return i + 1;
    if (c !== COMMA) throw failAt(s, i, i >= s.length ? "unexpected end of JSON" : "expected , or }");
    i = skipWs(s, i + 1);
  }
}

/** One record of a CloudTrail document: its text span and fields. */
export interface ScannedRecord extends RecordFields {
  start: number;
  end: number;
  /** Set when the element is not a JSON object (it is skipped, not ingested). */
  notObject?: boolean;
}

/** The head of a CloudTrail document, up to the Records array's "[" (looked for in 256 characters). */
export const RECORDS_KEY = /^\s*\{\s*"Records"\s*:\s*\[/;
export const RECORDS_KEY_WINDOW = 256;

/** Whether the text starts like a CloudTrail delivery document `{"Records":[`. */
export function looksLikeCloudTrailDocument(head: string): boolean {
  return /^\s*\{\s*"Records"\s*:/.test(head);
}

/**
 * Scans the CloudTrail documents `{"Records":[...]}` of a text — one, as CloudTrail writes them, or
 * several one after another (JSON lines of documents, concatenated deliveries) — and returns their
 * records. The whole text is checked before anything is returned, so a corrupt file gives an error and
 * no records (all or nothing). Keys after "Records" are allowed (and skipped).
 */
export function scanCloudTrailDocuments(s: string): ScannedRecord[] {
  const records: ScannedRecord[] = [];
  let i = skipWs(s, 0);
  do i = skipWs(s, scanDocument(s, i, records));
  while (i < s.length);
  return records;
}

function scanDocument(s: string, from: number, records: ScannedRecord[]): number {
  const head = RECORDS_KEY.exec(s.slice(from, from + RECORDS_KEY_WINDOW));
  if (!head) throw new JsonScanError(from, 'expected {"Records": [');
  let i = skipWs(s, from + head[0].length);
  if (s.charCodeAt(i) !== CLOSE_BRACKET) {
    for (;;) {
      const start = i;
      if (s.charCodeAt(i) === OPEN_BRACE) {
        const r: ScannedRecord = { start, end: 0 };
        i = scanObject(s, i, 1, r);
        r.end = i;
        records.push(r);
      } else {
        i = skipValue(s, i, 1);
        records.push({ start, end: i, notObject: true });
      }
      i = skipWs(s, i);
      const c = s.charCodeAt(i);
      if (c === CLOSE_BRACKET) break;
      if (c !== COMMA)
        throw new JsonScanError(i, i >= s.length ? "unexpected end of JSON" : "expected , or ] in Records");
      i = skipWs(s, i + 1);
    }
  }
  i = skipWs(s, i + 1);
  // Other members after "Records" (none in CloudTrail's files, but valid JSON).
  while (s.charCodeAt(i) === COMMA) {
    i = skipWs(s, i + 1);
    if (s.charCodeAt(i) !== QUOTE) throw new JsonScanError(i, "expected a property name");
    i = skipWs(s, skipString(s, i));
    if (s.charCodeAt(i) !== COLON) throw new JsonScanError(i, "expected :");
    i = skipWs(s, skipValue(s, skipWs(s, i + 1), 1));
  }
  if (s.charCodeAt(i) !== CLOSE_BRACE)
    throw new JsonScanError(i, i >= s.length ? "unexpected end of JSON" : "expected }");
  return i + 1;
}

/** Scans one JSON-lines record (the whole line must be one object); returns its fields. */
export function scanRecordLine(line: string): RecordFields {
  const i = skipWs(line, 0);
  if (line.charCodeAt(i) !== OPEN_BRACE) {
    // Validate to give the better reason: a valid non-object, or not JSON at all.
    const end = skipWs(line, skipValue(line, i, 0));
    if (end < line.length) throw new JsonScanError(end, "unexpected text after the JSON value");
    throw new JsonScanError(i, "not a JSON object");
  }
  const fields: RecordFields = {};
  const end = skipWs(line, scanObject(line, i, 1, fields));
  if (end < line.length) throw new JsonScanError(end, "unexpected text after the JSON value");
  return fields;
}
