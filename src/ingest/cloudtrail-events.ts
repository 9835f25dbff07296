import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  type CloudTrailRecord,
  iterateCloudTrailRecords,
  LogFileError,
  STDIN_PATH,
} from "./cloudtrail-file.js";

/** A CloudTrail record as a log event: timestamped with its eventTime, in its account/region stream. */
export interface CloudTrailLogEvent {
  timestamp: number;
  message: string;
  /** `<account>_CloudTrail_<region>`, the stream name CloudTrail itself uses in CloudWatch Logs. */
  logStreamName: string;
}

export interface SkippedInput {
  source: string;
  reason: string;
}

/** CloudTrail's digest files sit beside the logs in S3 and hold no events. */
function isDigest(path: string): boolean {
  return /CloudTrail-Digest/.test(path) || /_CloudTrail-Digest_/.test(path);
}

function isLogFile(name: string): boolean {
  return /\.(json|json\.gz|jsonl|jsonl\.gz|gz|log)$/i.test(name);
}

/** Files to read under the given paths: folders walked recursively in name order (CloudTrail's S3 layout sorts by time). */
export async function* expandSources(paths: readonly string[]): AsyncGenerator<string> {
  for (const p of paths) {
    if (p === STDIN_PATH) {
      yield p;
      continue;
    }
    const s = await stat(p).catch(() => undefined);
    if (!s) throw new LogFileError(p, "no such file or folder");
    if (s.isDirectory()) {
      const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const e of entries) {
        const child = join(p, e.name);
        if (e.isDirectory()) yield* expandSources([child]);
        else if (isLogFile(e.name) && !isDigest(child)) yield child;
      }
    } else yield p;
  }
}

export function toLogEvent(record: CloudTrailRecord): CloudTrailLogEvent | string {
  const time = record.eventTime;
  if (typeof time !== "string") return "record without eventTime";
  const timestamp = Date.parse(time);
  if (Number.isNaN(timestamp)) return `unreadable eventTime ${JSON.stringify(time).slice(0, 40)}`;
  const account = typeof record.recipientAccountId === "string" ? record.recipientAccountId : "unknown";
  const region = typeof record.awsRegion === "string" ? record.awsRegion : "unknown";
  return { timestamp, message: JSON.stringify(record), logStreamName: `${account}_CloudTrail_${region}` };
}

/**
 * Every CloudTrail record under the paths as a log event. A file that cannot be read, or a record without
 * a usable eventTime, is reported through `skip` and passed over; nothing else is lost.
 */
export async function* cloudTrailEvents(
  paths: readonly string[],
  skip: (s: SkippedInput) => void,
): AsyncGenerator<CloudTrailLogEvent> {
  for await (const file of expandSources(paths)) {
    let index = 0;
    try {
      for await (const record of iterateCloudTrailRecords(file)) {
        const e = toLogEvent(record);
        if (typeof e === "string") skip({ source: `${file}#${index}`, reason: e });
        else yield e;
        index++;
      }
    } catch (err) {
      if (err instanceof LogFileError) skip({ source: file, reason: err.message });
      else throw err;
    }
  }
}
