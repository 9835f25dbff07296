import type { CloudTrailLogEvent, SkippedInput } from "../ingest/cloudtrail-events.js";
import type { Pack } from "../packs/pack.js";
import type { StoredLogEvent } from "../store/types.js";
import type { TimedSample } from "./aggregate-batch.js";
import type { ManualClock } from "./clock.js";
import type { Engine } from "./engine.js";
import { installPack } from "./install-pack.js";
import { evaluateOnEventTime } from "./replay-evaluate.js";
import { SampleLog } from "./replay-samples.js";
import { SeriesTable } from "./replay-series.js";

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
 * Events of one input as replay takes them (sourceEventBatches' SourceBatch fits). A provisional batch
 * belongs to a CloudTrail document still being checked: its effects wait until the input ends, and a
 * `void` batch takes them back.
 */
export interface ReplayBatch {
  events: readonly CloudTrailLogEvent[];
  input?: number;
  provisional?: boolean;
  void?: boolean;
}

/** Events one at a time, or (the fast way) in batches. */
export type ReplayInput = AsyncIterable<CloudTrailLogEvent | ReplayBatch>;

/** Progress is reported about every this many events. */
const PROGRESS_EVERY = 16_384;
/** Log events per store commit with --keep-events. */
const EVENTS_PER_COMMIT = 5000;

/** What pass 1 learns of the events besides their samples. */
interface Totals {
  events: number;
  matched: number;
  first: number;
  last: number;
  streams: Map<string, { first: number; last: number }>;
}

function emptyTotals(): Totals {
  return {
    events: 0,
    matched: 0,
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
    streams: new Map(),
  };
}

function countEvent(t: Totals, e: CloudTrailLogEvent): void {
  if (e.timestamp < t.first) t.first = e.timestamp;
  if (e.timestamp > t.last) t.last = e.timestamp;
  const s = t.streams.get(e.logStreamName);
  if (!s) t.streams.set(e.logStreamName, { first: e.timestamp, last: e.timestamp });
  else {
    if (e.timestamp < s.first) s.first = e.timestamp;
    if (e.timestamp > s.last) s.last = e.timestamp;
  }
}

function mergeTotals(into: Totals, from: Totals): void {
  into.events += from.events;
  into.matched += from.matched;
  if (from.first < into.first) into.first = from.first;
  if (from.last > into.last) into.last = from.last;
  for (const [name, s] of from.streams) {
    const t = into.streams.get(name);
    if (!t) into.streams.set(name, { ...s });
    else {
      if (s.first < t.first) t.first = s.first;
      if (s.last > t.last) t.last = s.last;
    }
  }
}

/**
 * Replays history on event time: a month of CloudTrail yields exactly the transitions live mode would
 * have produced had each event arrived at its eventTime.
 *
 * Pass 1 reads every event once, a batch at a time, runs the pack's metric filters and keeps only the
 * samples, compactly (replay-samples.ts; spilled to a temporary file past a threshold). Pass 2
 * (replay-evaluate.ts) walks the samples in time order on a manual clock: before each distinct event time
 * the scheduled evaluations due by then run, and that time's data then feeds the metric index and the
 * early evaluation, exactly as ingestion and the scheduler do live; the aggregates are stored as it goes.
 * Input files may come in any order. Memory does not grow with the history: batches are bounded, samples
 * spill, the index keeps only what alarm windows reach, and documents are streamed (what a broken one
 * gave is taken back).
 */
export async function replay(options: {
  engine: Engine;
  clock: ManualClock;
  pack: Pack;
  events: ReplayInput;
  skipped: SkippedInput[];
  onProgress?: (p: ReplayProgress) => void;
  /** Also keep every log event in the store (FilterLogEvents, backfills later). */
  keepEvents?: boolean;
  /**
   * Keep the per-minute metric data in the store (default). `trailwatch replay` without --data-dir
   * throws its store away, so it passes false: alarms evaluate on the in-memory index either way.
   */
  keepAggregates?: boolean;
  /** Samples held in memory before they spill to a temporary file (default: replay-samples.ts). */
  spillAt?: number;
}): Promise<ReplaySummary> {
  const { engine, clock, pack } = options;
  await installPack(engine, pack, { alarms: false });
  const logGroupName = pack.logGroups[0]?.logGroupName;
  const summary: ReplaySummary = { events: 0, matched: 0, samples: 0, skipped: options.skipped };
  const series = new SeriesTable();
  const samples = new SampleLog({ spillAt: options.spillAt });
  try {
    const totals = emptyTotals();
    const pending: Omit<StoredLogEvent, "seq">[] = [];
    const flushEvents = async () => {
      if (pending.length === 0 || logGroupName === undefined) return;
      for (const name of new Set(pending.map((p) => p.logStreamName)))
        await engine.logs.ensureStream(logGroupName, name);
      await engine.store.commit({ events: pending.splice(0), streams: [], aggregates: [] });
    };
    // The input whose document is still being checked, and what it gave so far.
    let open: { input?: number; totals: Totals; held: Omit<StoredLogEvent, "seq">[] } | undefined;
    const commitOpen = async () => {
      if (!open) return;
      mergeTotals(totals, open.totals);
      for (const e of open.held) {
        pending.push(e);
        if (pending.length >= EVENTS_PER_COMMIT) await flushEvents();
      }
      open = undefined;
      samples.settle();
    };
    const addSample = (s: TimedSample) => samples.add(s.timestamp, series.idOf(s), s.value);
    let reported = 0;
    for await (const item of options.events) {
      const batch: ReplayBatch = "events" in item ? item : { events: [item] };
      if (open && batch.input !== open.input) await commitOpen();
      if (batch.void) {
        if (open) samples.rollback();
        open = undefined;
        continue;
      }
      if (batch.provisional) open ??= { input: batch.input, totals: emptyTotals(), held: [] };
      const into = open ?? { totals, held: pending };
      for (const e of batch.events) countEvent(into.totals, e);
      into.totals.events += batch.events.length;
      if (options.keepEvents && logGroupName !== undefined) {
        for (const e of batch.events)
          into.held.push({
            logGroupName,
            logStreamName: e.logStreamName,
            timestamp: e.timestamp,
            message: e.message,
            ingestionTime: e.timestamp,
          });
        if (pending.length >= EVENTS_PER_COMMIT) await flushEvents();
      }
      if (logGroupName !== undefined)
        into.totals.matched += engine.samplesOf(logGroupName, batch.events, addSample, {
          eventRefs: false,
        }).matched;
      if (!open) samples.settle();
      const events = totals.events + (open?.totals.events ?? 0);
      if (events - reported >= PROGRESS_EVERY) {
        reported = events;
        options.onProgress?.({ events, samples: samples.size, phase: "reading" });
      }
    }
    await commitOpen();
    summary.events = totals.events;
    summary.matched = totals.matched;
    const { first, last, streams } = totals;
    await flushEvents();
    summary.samples = samples.size;
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
        aggregates: [],
      });
    }

    // The alarms exist from the first minute of the history on.
    const start = Math.floor(first / 60_000) * 60_000;
    clock.set(start);
    await installPack(engine, pack, { filters: false });
    await engine.tick(start);

    options.onProgress?.({ events: summary.events, samples: samples.size, phase: "evaluating" });
    engine.alarms.deferStateWrites();
    await evaluateOnEventTime({
      engine,
      clock,
      samples: samples.sorted(),
      series,
      start,
      store:
        options.keepAggregates === false
          ? undefined
          : async (aggregates) => {
              await engine.store.commit({ events: [], streams: [], aggregates });
              await engine.alarms.flushStateWrites();
            },
    });
    // Let every alarm see its window pass after the last event.
    const end = last + engine.alarms.longestRangeMs() + 120_000;
    clock.set(end);
    await engine.tick(end);
    await engine.alarms.flushStateWrites({ stop: true });
    return summary;
  } finally {
    samples.close();
  }
}
