/**
 * "Who did it": references to the log events behind a metric's data points, so that an alarm notification
 * can name the events that made its breaching datapoints (the caller, source IP, event name, event ID).
 *
 * For each metric series (a key the caller chooses, e.g. `seriesKey(metric)`) and minute bucket, EventRefs
 * keeps the total number of matching events and a summary of up to K of them (default 10) — the newest by
 * event time. Memory is bounded twice:
 *
 * - at most `maxBuckets` (series × minute) buckets overall; past it the oldest minutes go first;
 * - `evictBefore(t)` drops every bucket older than `t` (the caller passes now minus the longest alarm range).
 *
 * A summary is a handful of short strings (each capped at MAX_FIELD characters, a cut field being a new string
 * so that a summary never keeps a large log message alive): at most `maxBuckets × K` summaries exist at any
 * time, and an event older than a full bucket's K is only counted.
 *
 * `add` is called once per event and series. An event published to one series twice (two metric filters with
 * the same metric) is counted twice unless the caller removes the duplicate; eventIDs are not used to
 * deduplicate, as sample data sets reuse them.
 */

/** What a notification shows of one event; every field may be missing. */
export interface EventSummary {
  eventTime?: string;
  eventName?: string;
  eventSource?: string;
  userIdentityType?: string;
  userIdentityArn?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  awsRegion?: string;
  recipientAccountId?: string;
  eventID?: string;
  /** A non-JSON log event: its first MAX_MESSAGE characters. */
  message?: string;
}

/** The events behind a time range of one series: the newest summaries and how many events there were. */
export interface CollectedEvents {
  /** Newest first. */
  events: EventSummary[];
  /** Matching events in the retained buckets of the range (summarized or not). */
  total: number;
}

export const DEFAULT_EVENTS_PER_BUCKET = 10;
export const DEFAULT_MAX_BUCKETS = 10_000;
/** The longest text kept of one summary field (ARNs run to a few hundred characters, user agents more). */
export const MAX_FIELD = 256;
/** The part of a non-JSON event kept as its `message`. */
export const MAX_MESSAGE = 200;

const MINUTE = 60_000;

const SUMMARY_KEYS = [
  "eventTime",
  "eventName",
  "eventSource",
  "userIdentityType",
  "userIdentityArn",
  "sourceIPAddress",
  "userAgent",
  "awsRegion",
  "recipientAccountId",
  "eventID",
  "message",
] as const;

/**
 * The summary of a parsed CloudTrail record, or undefined when `parsed` is not an object or carries none of
 * the fields (not a CloudTrail record). Strings are kept, numbers and booleans written as text, anything else
 * (null, objects, arrays) treated as missing.
 */
export function summarizeCloudTrailEvent(parsed: unknown): EventSummary | undefined {
  if (!isRecord(parsed)) return undefined;
  const identity = isRecord(parsed.userIdentity) ? parsed.userIdentity : undefined;
  const summary: EventSummary = {};
  let found = false;
  const put = (key: keyof EventSummary, value: unknown) => {
    const text = textOf(value);
    if (text === undefined) return;
    summary[key] = capped(text, MAX_FIELD);
    found = true;
  };
  put("eventTime", parsed.eventTime);
  put("eventName", parsed.eventName);
  put("eventSource", parsed.eventSource);
  put("userIdentityType", identity?.type);
  put("userIdentityArn", identity?.arn);
  put("sourceIPAddress", parsed.sourceIPAddress);
  put("userAgent", parsed.userAgent);
  put("awsRegion", parsed.awsRegion);
  put("recipientAccountId", parsed.recipientAccountId);
  put("eventID", parsed.eventID);
  return found ? summary : undefined;
}

/**
 * The summary of a non-JSON event: its first MAX_MESSAGE characters, and (when given) the log event's
 * timestamp as `eventTime` in CloudTrail's form (`2021-12-21T06:45:02Z`).
 */
export function summarizeMessage(message: string, timestamp?: number): EventSummary {
  const summary: EventSummary = {};
  if (timestamp !== undefined && Number.isFinite(timestamp)) summary.eventTime = eventTimeText(timestamp);
  summary.message = capped(message, MAX_MESSAGE);
  return summary;
}

/**
 * A log event as a summary: a JSON object that reads as a CloudTrail record, else the message text. Parses the
 * message (only worth doing for events that matched a filter).
 */
export function summarizeLogEvent(message: string, timestamp?: number): EventSummary {
  let parsed: unknown;
  if (message.trimStart().startsWith("{")) {
    try {
      parsed = JSON.parse(message);
    } catch {
      parsed = undefined;
    }
  }
  return summarizeParsedLogEvent(parsed, message, timestamp);
}

/** As summarizeLogEvent, for a message already parsed (`parsed` undefined when it is not JSON). */
export function summarizeParsedLogEvent(parsed: unknown, message: string, timestamp?: number): EventSummary {
  const summary = summarizeCloudTrailEvent(parsed);
  if (summary) {
    if (summary.eventTime === undefined && timestamp !== undefined && Number.isFinite(timestamp))
      summary.eventTime = eventTimeText(timestamp);
    return summary;
  }
  return summarizeMessage(message, timestamp);
}

export interface EventRefsOptions {
  /** Summaries kept per series and minute (K). */
  perBucket?: number;
  /** Buckets kept overall, across all series. */
  maxBuckets?: number;
}

interface Entry {
  timestamp: number;
  /** Arrival order, to break ties between equal timestamps (later arrival = newer). */
  seq: number;
  summary: EventSummary;
}

interface Bucket {
  seriesKey: string;
  minute: number;
  total: number;
  /** Oldest first, at most K. */
  entries: Entry[];
}

export class EventRefs {
  readonly perBucket: number;
  readonly maxBuckets: number;
  private readonly bySeries = new Map<string, Map<number, Bucket>>();
  private readonly byMinute = new Map<number, Map<string, Bucket>>();
  /** The keys of byMinute, ascending. */
  private readonly minutes: number[] = [];
  private bucketCount = 0;
  private eventCount = 0;
  private seq = 0;

  constructor(options: EventRefsOptions = {}) {
    this.perBucket = positiveInteger(options.perBucket ?? DEFAULT_EVENTS_PER_BUCKET, "perBucket");
    this.maxBuckets = positiveInteger(options.maxBuckets ?? DEFAULT_MAX_BUCKETS, "maxBuckets");
  }

  /**
   * Records one matching event of a series. `timestamp` is the event's time in ms (the bucket is its minute;
   * passing the minute start is the same).
   */
  add(seriesKey: string, timestamp: number, summary: EventSummary): void {
    if (!Number.isFinite(timestamp)) return;
    const minute = Math.floor(timestamp / MINUTE) * MINUTE;
    const bucket = this.bucket(seriesKey, minute);
    bucket.total++;
    const seq = this.seq++;
    const entries = bucket.entries;
    if (entries.length >= this.perBucket) {
      // Full: the new event displaces the oldest kept one, unless it is older than all of them.
      const oldest = entries[0];
      if (timestamp < oldest.timestamp) {
        this.evictOverflow();
        return;
      }
      entries.shift();
      this.eventCount--;
    }
    const entry: Entry = { timestamp, seq, summary: bounded(summary) };
    let i = entries.length;
    while (i > 0 && compareEntries(entries[i - 1], entry) > 0) i--;
    if (i === entries.length) entries.push(entry);
    else entries.splice(i, 0, entry);
    this.eventCount++;
    this.evictOverflow();
  }

  /**
   * Counts `n` more matching events of a series' minute without their summaries: another process kept the
   * summaries it had room for and sent the rest as a count (src/cluster/event-refs-relay.ts).
   */
  count(seriesKey: string, timestamp: number, n: number): void {
    if (!Number.isFinite(timestamp) || !Number.isInteger(n) || n < 1) return;
    this.bucket(seriesKey, Math.floor(timestamp / MINUTE) * MINUTE).total += n;
    this.evictOverflow();
  }

  /**
   * The events of one series whose minute bucket starts in [from, to): the newest `limit` (default K)
   * summaries, newest first, and the total count.
   */
  collect(seriesKey: string, from: number, to: number, limit = this.perBucket): CollectedEvents {
    return this.collectRanges(seriesKey, [{ from, to }], limit);
  }

  /** As `collect`, over several ranges (the breaching datapoints of an M-out-of-N alarm need not touch). */
  collectRanges(
    seriesKey: string,
    ranges: readonly { from: number; to: number }[],
    limit = this.perBucket,
  ): CollectedEvents {
    const buckets = this.bySeries.get(seriesKey);
    if (!buckets) return { events: [], total: 0 };
    let total = 0;
    const picked: Entry[] = [];
    for (const bucket of buckets.values()) {
      if (!ranges.some((r) => bucket.minute >= r.from && bucket.minute < r.to)) continue;
      total += bucket.total;
      for (const e of bucket.entries) picked.push(e);
    }
    picked.sort((a, b) => compareEntries(b, a));
    return { events: picked.slice(0, Math.max(0, limit)).map((e) => ({ ...e.summary })), total };
  }

  /** Drops every bucket whose minute starts before `t`. */
  evictBefore(t: number): void {
    while (this.minutes.length > 0 && this.minutes[0] < t) this.dropMinute(this.minutes[0]);
  }

  /** How much is held: series, buckets and summaries (for tests and metrics). */
  stats(): { series: number; buckets: number; events: number; minutes: number } {
    return {
      series: this.bySeries.size,
      buckets: this.bucketCount,
      events: this.eventCount,
      minutes: this.minutes.length,
    };
  }

  private bucket(seriesKey: string, minute: number): Bucket {
    let series = this.bySeries.get(seriesKey);
    const existing = series?.get(minute);
    if (existing) return existing;
    const bucket: Bucket = { seriesKey, minute, total: 0, entries: [] };
    if (!series) {
      series = new Map();
      this.bySeries.set(seriesKey, series);
    }
    series.set(minute, bucket);
    let atMinute = this.byMinute.get(minute);
    if (!atMinute) {
      atMinute = new Map();
      this.byMinute.set(minute, atMinute);
      insertSorted(this.minutes, minute);
    }
    atMinute.set(seriesKey, bucket);
    this.bucketCount++;
    return bucket;
  }

  /** Past maxBuckets, removes buckets of the oldest minute (possibly the one just added). */
  private evictOverflow(): void {
    while (this.bucketCount > this.maxBuckets && this.minutes.length > 0) {
      const minute = this.minutes[0];
      const atMinute = this.byMinute.get(minute)!;
      for (const bucket of atMinute.values()) {
        if (this.bucketCount <= this.maxBuckets) break;
        this.removeBucket(bucket);
      }
    }
  }

  private dropMinute(minute: number): void {
    const atMinute = this.byMinute.get(minute);
    if (!atMinute) {
      this.minutes.shift();
      return;
    }
    for (const bucket of [...atMinute.values()]) this.removeBucket(bucket);
  }

  private removeBucket(bucket: Bucket): void {
    const series = this.bySeries.get(bucket.seriesKey);
    series?.delete(bucket.minute);
    if (series && series.size === 0) this.bySeries.delete(bucket.seriesKey);
    const atMinute = this.byMinute.get(bucket.minute);
    atMinute?.delete(bucket.seriesKey);
    if (atMinute && atMinute.size === 0) {
      this.byMinute.delete(bucket.minute);
      const i = this.minutes.indexOf(bucket.minute);
      if (i >= 0) this.minutes.splice(i, 1);
    }
    this.bucketCount--;
    this.eventCount -= bucket.entries.length;
  }
}

function compareEntries(a: Entry, b: Entry): number {
  return a.timestamp !== b.timestamp ? a.timestamp - b.timestamp : a.seq - b.seq;
}

function insertSorted(list: number[], value: number): void {
  // New minutes are nearly always the newest: search from the end.
  let i = list.length;
  while (i > 0 && list[i - 1] > value) i--;
  list.splice(i, 0, value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function textOf(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/**
 * At most `max` characters (code points, so a surrogate pair is never split), ending in "…" when cut. A cut
 * text is a new string (joined from code points), not a view of the original.
 */
function capped(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, max - 1).join("")}…`;
}

/**
 * A copy of the summary with every field within its bound. Cutting builds a new string, so a kept field never
 * refers to a large log message (V8 keeps a plain slice of a long string as a view of the whole).
 */
function bounded(summary: EventSummary): EventSummary {
  const out: EventSummary = {};
  for (const key of SUMMARY_KEYS) {
    const v = summary[key];
    if (typeof v === "string") out[key] = capped(v, key === "message" ? MAX_MESSAGE : MAX_FIELD);
  }
  return out;
}

function eventTimeText(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function positiveInteger(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`EventRefs: ${name} must be a positive integer`);
  return n;
}
