/**
 * Reading log events for the pages: the newest events of a group, and a FilterLogEvents-style search.
 * The store pages events oldest first (scanLogEvents), so "newest" is gathered per stream, newest first
 * (getLogEvents descending) from the most recently written streams, then merged.
 */
import type { CompiledPattern } from "../pattern/index.js";
import type { Store } from "../store/store.js";
import type { StoredLogEvent } from "../store/types.js";

const STREAMS_LOOKED_AT = 20;

export async function recentEvents(
  store: Store,
  logGroupName: string,
  limit: number,
): Promise<StoredLogEvent[]> {
  const streams = await store.listLogStreams(logGroupName, {
    limit: STREAMS_LOOKED_AT,
    orderBy: "LastEventTime",
    descending: true,
  });
  const all: StoredLogEvent[] = [];
  for (const s of streams) {
    all.push(
      ...(await store.getLogEvents({
        logGroupName,
        logStreamName: s.logStreamName,
        descending: true,
        limit,
      })),
    );
  }
  return all.sort((a, b) => b.timestamp - a.timestamp || b.seq - a.seq).slice(0, limit);
}

export interface SearchPage {
  matches: StoredLogEvent[];
  scanned: number;
  /** Where to go on (the last seq looked at) when the search stopped before the end. */
  next?: number;
}

/**
 * FilterLogEvents' semantics over the store: events of the group with startTime ≤ timestamp < endTime (both
 * optional) that the pattern matches, in the order they were accepted, paginated by the store's seq. Like
 * AWS, a page may stop early (here: after `maxScanned` events) and say where to go on.
 */
export async function searchEvents(
  store: Store,
  query: {
    logGroupName: string;
    pattern: CompiledPattern;
    startTime?: number;
    endTime?: number;
    afterSeq?: number;
  },
  limits: { matches: number; maxScanned: number } = { matches: 100, maxScanned: 20_000 },
): Promise<SearchPage> {
  const matches: StoredLogEvent[] = [];
  let scanned = 0;
  let after = query.afterSeq;
  for (;;) {
    const batch = await store.scanLogEvents({
      logGroupName: query.logGroupName,
      startTime: query.startTime,
      endTime: query.endTime,
      afterSeq: after,
      limit: 1000,
    });
    for (const e of batch) {
      scanned++;
      after = e.seq;
      if (query.pattern.test(e.message)) {
        matches.push(e);
        if (matches.length >= limits.matches) return { matches, scanned, next: e.seq };
      }
    }
    if (batch.length < 1000) return { matches, scanned };
    if (scanned >= limits.maxScanned) return { matches, scanned, next: after };
  }
}
