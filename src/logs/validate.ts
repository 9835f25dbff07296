import { LogsError, validationError } from "./errors.js";

/** Log group names: 1–512 of `[\.\-_/#A-Za-z0-9]`, as the CloudWatch Logs API model says. */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
/** Log stream names: 1–512, no `:` or `*`. */
const LOG_STREAM_NAME = /^[^:*]*$/;
/** Metric filter names: 1–512, no `:` or `*`. */
const FILTER_NAME = /^[^:*]*$/;

export function checkLogGroupName(name: unknown, member = "logGroupName"): string {
  if (typeof name !== "string" || name.length < 1)
    throw validationError(name ?? null, member, "Member must have length greater than or equal to 1");
  if (name.length > 512)
    throw validationError(name, member, "Member must have length less than or equal to 512");
  if (!LOG_GROUP_NAME.test(name))
    throw validationError(
      name,
      member,
      "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
  return name;
}

export function checkLogStreamName(name: unknown, member = "logStreamName"): string {
  if (typeof name !== "string" || name.length < 1)
    throw validationError(name ?? null, member, "Member must have length greater than or equal to 1");
  if (name.length > 512)
    throw validationError(name, member, "Member must have length less than or equal to 512");
  if (!LOG_STREAM_NAME.test(name))
    throw validationError(name, member, "Member must satisfy regular expression pattern: [^:*]*");
  return name;
}

export function checkFilterName(name: unknown, member = "filterName"): string {
  if (typeof name !== "string" || name.length < 1)
    throw validationError(name ?? null, member, "Member must have length greater than or equal to 1");
  if (name.length > 512)
    throw validationError(name, member, "Member must have length less than or equal to 512");
  if (!FILTER_NAME.test(name))
    throw validationError(name, member, "Member must satisfy regular expression pattern: [^:*]*");
  return name;
}

/** PutRetentionPolicy accepts only these day counts. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export function checkRetentionInDays(days: unknown): number {
  if (typeof days !== "number" || !RETENTION_DAYS.includes(days)) {
    throw validationError(
      days ?? null,
      "retentionInDays",
      `Member must satisfy enum value set: [${RETENTION_DAYS.join(", ")}]`,
    );
  }
  return days;
}

// ---- PutLogEvents ----

export const MAX_BATCH_EVENTS = 10_000;
export const MAX_BATCH_BYTES = 1_048_576;
/** AWS counts each event's UTF-8 message bytes plus 26 bytes of overhead against the batch size. */
export const EVENT_OVERHEAD_BYTES = 26;
/** Maximum size of one event, message plus overhead: 256 KB. */
export const MAX_EVENT_BYTES = 262_144;
export const MAX_BATCH_SPAN_MS = 24 * 3600 * 1000;
/** Events older than 14 days (or than the group's retention) and newer than 2 hours are rejected. */
export const TOO_OLD_MS = 14 * 24 * 3600 * 1000;
export const TOO_NEW_MS = 2 * 3600 * 1000;

export interface InputLogEvent {
  timestamp: number;
  message: string;
}

export interface RejectedLogEventsInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

export interface CheckedBatch {
  /** The events that are accepted, in input order. */
  accepted: InputLogEvent[];
  rejected?: RejectedLogEventsInfo;
}

/**
 * PutLogEvents' batch rules: 1–10,000 events, at most 1,048,576 bytes, within 24 hours, in chronological
 * order (all InvalidParameterException); events too old (14 days, or past the group's retention) or more
 * than 2 hours ahead are not errors but reported in rejectedLogEventsInfo, as AWS reports them.
 */
export function checkPutLogEventsBatch(events: unknown, now: number, retentionInDays?: number): CheckedBatch {
  if (!Array.isArray(events) || events.length < 1) {
    throw validationError(events ?? null, "logEvents", "Member must have length greater than or equal to 1");
  }
  if (events.length > MAX_BATCH_EVENTS) {
    throw validationError(
      `[${events.length} events]`,
      "logEvents",
      `Member must have length less than or equal to ${MAX_BATCH_EVENTS}`,
    );
  }
  let bytes = 0;
  events.forEach((e, i) => {
    const m = `logEvents.${i + 1}.member`;
    if (typeof e !== "object" || e === null) throw validationError(e, m, "Member must not be null");
    const { timestamp, message } = e as Record<string, unknown>;
    if (typeof timestamp !== "number" || !Number.isInteger(timestamp) || timestamp < 0) {
      throw validationError(
        timestamp ?? null,
        `${m}.timestamp`,
        "Member must have value greater than or equal to 0",
      );
    }
    if (typeof message !== "string" || message.length < 1) {
      throw validationError(
        message ?? null,
        `${m}.message`,
        "Member must have length greater than or equal to 1",
      );
    }
    const size = Buffer.byteLength(message, "utf8") + EVENT_OVERHEAD_BYTES;
    if (size > MAX_EVENT_BYTES)
      throw new LogsError(
        "InvalidParameterException",
        `Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES}`,
      );
    bytes += size;
  });
  if (bytes > MAX_BATCH_BYTES) {
    throw new LogsError(
      "InvalidParameterException",
      `Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`,
    );
  }
  const list = events as InputLogEvent[];
  for (let i = 1; i < list.length; i++) {
    if (list[i].timestamp < list[i - 1].timestamp) {
      throw new LogsError(
        "InvalidParameterException",
        "Log events in a single PutLogEvents request must be in chronological order.",
      );
    }
  }
  if (list[list.length - 1].timestamp - list[0].timestamp > MAX_BATCH_SPAN_MS) {
    throw new LogsError(
      "InvalidParameterException",
      "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
    );
  }
  const tooOldBefore = now - TOO_OLD_MS;
  const expiredBefore =
    retentionInDays === undefined ? Number.NEGATIVE_INFINITY : now - retentionInDays * 86_400_000;
  const tooNewAfter = now + TOO_NEW_MS;
  const rejected: RejectedLogEventsInfo = {};
  let first = 0;
  let end = list.length;
  // Sorted by time, so the rejected ones are a prefix (too old / expired) and a suffix (too new).
  while (first < end && list[first].timestamp < Math.max(tooOldBefore, expiredBefore)) first++;
  if (first > 0) {
    let tooOld = 0;
    while (tooOld < first && list[tooOld].timestamp < tooOldBefore) tooOld++;
    if (tooOld > 0) rejected.tooOldLogEventEndIndex = tooOld;
    if (first > tooOld || (tooOld > 0 && expiredBefore > tooOldBefore))
      rejected.expiredLogEventEndIndex = first;
  }
  while (end > first && list[end - 1].timestamp > tooNewAfter) end--;
  if (end < list.length) rejected.tooNewLogEventStartIndex = end;
  const accepted = list.slice(first, end);
  return Object.keys(rejected).length > 0 ? { accepted, rejected } : { accepted };
}
