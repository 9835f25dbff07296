import type { CloudTrailLogEvent, SkippedInput } from "../ingest/cloudtrail-events.js";
import type { Pack } from "../packs/pack.js";
import type { StoredLogEvent } from "../store/types.js";
import { AggregateBatch, type TimedSample } from "./aggregate-batch.js";
import type { ManualClock } from "./clock.js";
import type { Engine } from "./engine.js";
import { installPack } from "./install-pack.js";

export interface ReplayProgress {
  events: number;
  samples: number;
  phase: "reading" | "evaluating";
}

export interface ReplaySummary {
  events: number;
  matched: number;
  samples: number;
  skipped: SkippedInput[];
  firstEventTime?: number;
  lastEventTime?: number;
}

/**
 * Replays history on event time: a month of CloudTrail yields exactly the transitions live mode would
 * have produced had each event arrived at its eventTime.
 *
 * Pass 1 reads every event once, runs the pack's metric filters and keeps only the samples (and stores
 * the aggregates). Pass 2 walks the samples in time order on a manual clock: before each sample the
 * scheduled evaluations due by then run, and the sample then feeds the metric index and the early
 * evaluation, exactly as ingestion and the scheduler do live. Input files may come in any order.
 */
export async function replay(options: {
  engine: Engine;
  clock: ManualClock;
  pack: Pack;
  events: AsyncIterable<CloudTrailLogEvent>;
  skipped: SkippedInput[];
  onProgress?: (p: ReplayProgress) => void;
  /** Also keep every log event in the store (FilterLogEvents, backfills later). */
  keepEvents?: boolean;
}): Promise<ReplaySummary> {
  const { engine, clock, pack } = options;
  await installPack(engine, pack, { alarms: false });
  const logGroupName = pack.logGroups[0]?.logGroupName;
  const summary: ReplaySummary = { events: 0, matched: 0, samples: 0, skipped: options.skipped };
  const samples: TimedSample[] = [];
  const stored = new AggregateBatch();
  const streams = new Map<string, { first: number; last: number }>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const pending: Omit<StoredLogEvent, "seq">[] = [];
  const flushEvents = async () => {
    if (pending.length === 0 || logGroupName === undefined) return;
    for (const name of new Set(pending.map((p) => p.logStreamName)))
      await engine.logs.ensureStream(logGroupName, name);
    await engine.store.commit({ events: pending.splice(0), streams: [], aggregates: [] });
  };
  for await (const e of options.events) {
    summary.events++;
    if (options.keepEvents && logGroupName !== undefined) {
      pending.push({
        logGroupName,
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.timestamp,
      });
      if (pending.length >= 5000) await flushEvents();
    }
    if (e.timestamp < first) first = e.timestamp;
    if (e.timestamp > last) last = e.timestamp;
    const s = streams.get(e.logStreamName);
    if (!s) streams.set(e.logStreamName, { first: e.timestamp, last: e.timestamp });
    else {
      s.first = Math.min(s.first, e.timestamp);
      s.last = Math.max(s.last, e.timestamp);
    }
    if (logGroupName !== undefined) {
      const r = engine.samplesOf(logGroupName, [e], (sample) => {
        samples.push(sample);
        stored.add(sample);
      });
      summary.matched += r.matched;
    }
    if ((summary.events & 0x3fff) === 0)
      options.onProgress?.({ events: summary.events, samples: samples.length, phase: "reading" });
  }
  await flushEvents();
  summary.samples = samples.length;
  if (summary.events === 0) return summary;
  summary.firstEventTime = first;
  summary.lastEventTime = last;

  if (logGroupName !== undefined) {
    for (const logStreamName of streams.keys()) await engine.logs.ensureStream(logGroupName, logStreamName);
    await engine.store.commit({
      events: [],
      streams: [...streams].map(([logStreamName, s]) => ({
        logGroupName,
        logStreamName,
        creationTime: first,
        firstEventTimestamp: s.first,
        lastEventTimestamp: s.last,
        lastIngestionTime: s.last,
      })),
      aggregates: stored.drain(),
    });
  }

  // The alarms exist from the first minute of the history on.
  const start = Math.floor(first / 60_000) * 60_000;
  clock.set(start);
  await installPack(engine, pack, { filters: false });
  await engine.tick(start);

  samples.sort((a, b) => a.timestamp - b.timestamp);
  options.onProgress?.({ events: summary.events, samples: samples.length, phase: "evaluating" });
  let i = 0;
  while (i < samples.length) {
    const t = samples[i].timestamp;
    const batch = new AggregateBatch();
    while (i < samples.length && samples[i].timestamp === t) batch.add(samples[i++]);
    clock.set(t);
    await engine.tick(t);
    await engine.publishAggregates(batch.drain(), t);
  }
  // Let every alarm see its window pass after the last event.
  const end = last + engine.alarms.longestRangeMs() + 120_000;
  clock.set(end);
  await engine.tick(end);
  return summary;
}
