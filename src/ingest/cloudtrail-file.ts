import { stat } from "node:fs/promises";
import { decompressedChunks } from "./byte-source.js";
import { LogFileError, STDIN_PATH, toLogFileError } from "./log-file-error.js";
import { decodeUtf8, splitLines } from "./text-lines.js";

export { displayName, LogFileError, STDIN_PATH } from "./log-file-error.js";

/** One CloudTrail event as CloudTrail writes it. */
export type CloudTrailRecord = Record<string, unknown>;

/**
 * What a log file turned out to be:
 * - "cloudtrail": a CloudTrail delivery file, one JSON document `{"Records":[...]}` (plain or gzipped);
 * - "lines": anything else, one event per line (plain text, JSON lines, CloudWatch Logs exports).
 */
export type LogFileFormat = "cloudtrail" | "lines";

type Opened =
  | { format: "cloudtrail"; records: unknown[] }
  | { format: "lines"; lines: AsyncIterable<string> };

// Enough text to see past leading whitespace (pretty-printed files) to the first key.
const SNIFF_CHARS = 4096;
const CLOUDTRAIL_START = /^\s*\{\s*"Records"\s*:/;

async function* prependText(head: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  try {
    if (head) yield head;
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // Stopping early must close the underlying stream, not just this wrapper.
    await rest.return?.();
  }
}

/** Reads the start of the (decompressed) text to decide the format; CloudTrail documents are parsed whole. */
async function open(path: string): Promise<Opened> {
  const texts = decodeUtf8(decompressedChunks(path));
  let head = "";
  let done = false;
  while (!done && head.length < SNIFF_CHARS) {
    const r = await texts.next();
    if (r.done) done = true;
    else head += r.value;
  }
  if (!CLOUDTRAIL_START.test(head)) return { format: "lines", lines: splitLines(prependText(head, texts)) };

  // CloudTrail files are at most ~50 MB: one JSON.parse is simpler and faster than a streaming parser.
  const parts = [head];
  for await (const text of texts) parts.push(text);
  let doc: { Records?: unknown };
  try {
    doc = JSON.parse(parts.join(""));
  } catch (err) {
    throw new LogFileError(path, `invalid JSON in CloudTrail file (${(err as Error).message})`);
  }
  if (!Array.isArray(doc.Records)) throw new LogFileError(path, `"Records" is not an array`);
  return { format: "cloudtrail", records: doc.Records };
}

/** Rethrows anything a generator over `path` throws as a LogFileError naming the file. */
async function* namingErrors<T>(path: string, gen: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* gen;
  } catch (err) {
    throw toLogFileError(path, err);
  }
}

/**
 * Fails early, before any output, for a path that cannot be a readable file. Reading may still fail later
 * (corrupt data); this only catches the common "wrong name" mistake up front.
 */
export async function checkLogFile(path: string): Promise<void> {
  if (path === STDIN_PATH) return;
  try {
    if ((await stat(path)).isDirectory()) throw new LogFileError(path, "is a directory");
  } catch (err) {
    throw toLogFileError(path, err);
  }
}

/**
 * The log event messages in a file ("-" = stdin), streamed: each CloudTrail record re-serialised as compact
 * JSON (what CloudTrail delivers to CloudWatch Logs), or each non-empty line as is (AWS rejects empty
 * messages). A line that is not valid JSON is still a message: filter patterns decide what it matches.
 */
export function iterateLogMessages(path: string): AsyncGenerator<string> {
  return namingErrors(
    path,
    (async function* () {
      const opened = await open(path);
      if (opened.format === "cloudtrail") {
        for (const record of opened.records) yield JSON.stringify(record);
        return;
      }
      for await (const line of opened.lines) if (line.length > 0) yield line;
    })(),
  );
}

/** All the log event messages in a file; see iterateLogMessages. */
export async function readLogMessages(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const message of iterateLogMessages(path)) out.push(message);
  return out;
}

function isRecord(value: unknown): value is CloudTrailRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The CloudTrail records in a CloudTrail file or a JSON-lines file of records (blank lines skipped).
 * Unlike messages, records must be JSON objects: anything else is an error naming the file and position.
 */
export function iterateCloudTrailRecords(path: string): AsyncGenerator<CloudTrailRecord> {
  return namingErrors(
    path,
    (async function* () {
      const opened = await open(path);
      if (opened.format === "cloudtrail") {
        for (const [i, record] of opened.records.entries()) {
          if (!isRecord(record)) throw new LogFileError(path, `Records[${i}] is not a JSON object`);
          yield record;
        }
        return;
      }
      let lineNumber = 0;
      for await (const line of opened.lines) {
        lineNumber++;
        if (line.trim() === "") continue;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch (err) {
          throw new LogFileError(path, `line ${lineNumber}: invalid JSON (${(err as Error).message})`);
        }
        if (!isRecord(record)) throw new LogFileError(path, `line ${lineNumber}: not a JSON object`);
        yield record;
      }
    })(),
  );
}
