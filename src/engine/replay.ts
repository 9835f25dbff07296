import type { CloudTrailLogEvent, SkippedInput } from "../ingest/cloudtrail-events.js";
import type { TimeRange } from "../ingest/file-source.js";
import type { Skip } from "../ingest/ingest-input.js";
import type { Input } from "../ingest/input.js";
import { listedEventBatches } from "../ingest/source-events.js";
import type { Pack } from "../packs/pack.js";
import type { StoredLogEvent } from "../store/types.js";
import type { ManualClock } from "./clock.js";
import type { Engine } from "./engine.js";
import { installPack } from "./install-pack.js";
import { Attribution } from "./replay-attribution.js";
import { evaluateOnEventTime } from "./replay-evaluate.js";
import { readInParallel } from "./replay-parallel.js";
import { emptyTotals, type ReplayBatch, ReplayReader } from "./replay-reader.js";
import { SampleLog } from "./replay-samples.js";
import { SeriesTable } from "./replay-series.js";

export type { ReplayBatch } from "./replay-reader.js";

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
  /** Identities and source IPs per metric (with `attribute`). */
  attribution?: Attribution;
}

/** Events one at a time, or (the fast way) in batches. */
export type ReplayInput = AsyncIterable<CloudTrailLogEvent | ReplayBatch>;

/** Listed inputs (listSourceInputs): read on worker threads when more than one thread is allowed. */
export interface ReplayInputs {
  list: readonly Input[];
  range?: TimeRange;
  onSkip(skip: Skip): void;
  /** An input has been read (progress). */
  onInput?(input: Input, done: number, total: number): void;
}

/** Progress is reported about every this many events. */
const PROGRESS_EVERY = 16_384;
/** Log events per store commit with --keep-events. */
const EVENTS_PER_COMMIT = 5000;

/**
 * Replays history on event time: a month of CloudTrail yields exactly the transitions live mode would
 * have produced had each event arrived at its eventTime.
 *
 * Pass 1 reads every event once, runs the pack's metric filters and keeps only the samples, compactly
 * (replay-samples.ts; spilled to a temporary file past a threshold) — on worker threads when given
 * listed inputs and more than one thread (replay-parallel.ts), else on this thread (replay-reader.ts);
 * the results are the same either way. Pass 2 (replay-evaluate.ts) walks the samples in time order on a
 * manual clock: before each distinct event time the scheduled evaluations due by then run, and that
 * time's data then feeds the metric index and the early evaluation, exactly as ingestion and the
 * scheduler do live. Input files may come in any order. Memory does not grow with the history: batches
 * are bounded, samples spill, the index keeps only what alarm windows reach, and documents are streamed
 * (what a broken one gave is taken back).
 */
export async function replay(options: {
  engine: Engine;
  clock: ManualClock;
  pack: Pack;
  /** The events, as batches or one at a time (read on this thread)... */
  events?: ReplayInput;
  /** ...or as listed inputs. */
  inputs?: ReplayInputs;
  /** Worker threads for listed inputs (default 1: this thread). */
  threads?: number;
  skipped: SkippedInput[];
  onProgress?: (p: ReplayProgress) => void;
  /** Also keep every log event in the store (FilterLogEvents, backfills later); reads on this thread. */
  keepEvents?: boolean;
  /**
   * Keep the per-minute metric data in the store (default). `trailwatch replay` without --data-dir
   * throws its store away, so it passes false: alarms evaluate on the in-memory index either way.
   */
  keepAggregates?: boolean;
  /** Count identities and source IPs per metric (ReplaySummary.attribution). */
  attribute?: boolean;
  /** Samples held in memory before they spill to a temporary file (default: replay-samples.ts). */
  spillAt?: number;
}): Promise<ReplaySummary> {
  const { engine, clock, pack } = options;
  await installPack(engine, pack, { alarms: false });
  const logGroupName = pack.logGroups[0]?.logGroupName;
  const pipeline = logGroupName === undefined ? undefined : engine.logs.pipeline(logGroupName);
  const context = { account: engine.identity.account, region: engine.identity.region };
  const summary: ReplaySummary = { events: 0, matched: 0, samples: 0, skipped: options.skipped };
  const series = new SeriesTable();
  const samples = new SampleLog({ spillAt: options.spillAt });
  try {
    let totals = emptyTotals();
    const threads = options.threads ?? 1;
    const inputs = options.inputs;
    if (inputs && threads > 1 && inputs.list.length > 1 && !options.keepEvents) {
      summary.attribution = options.attribute ? new Attribution() : undefined;
      await readInParallel({
        inputs: inputs.list,
        threads,
        filters: [...(pipeline?.filters ?? [])],
        context,
        range: inputs.range ?? {},
        series,
        samples,
        totals,
        attribution: summary.attribution,
        onSkip: inputs.onSkip,
        onInput: inputs.onInput,
        onEvents: (events) => options.onProgress?.({ events, samples: samples.size, phase: "reading" }),
      });
    } else {
      const reader = new ReplayReader({
        pipeline,
        context,
        series,
        samples,
        attribution: options.attribute ? new Attribution() : undefined,
      });
      const events =
        options.events ??
        listedEventBatches(inputs?.list ?? [], {
          range: inputs?.range,
          onSkip: (s) => inputs?.onSkip(s),
          onInput: inputs?.onInput,
        });
      const pending: Omit<StoredLogEvent, "seq">[] = [];
      const flushEvents = async () => {
        if (pending.length === 0 || logGroupName === undefined) return;
        for (const name of new Set(pending.map((p) => p.logStreamName)))
          await engine.logs.ensureStream(logGroupName, name);
        await engine.store.commit({ events: pending.splice(0), streams: [], aggregates: [] });
      };
      // With --keep-events: the events of a document still being checked wait here (see ReplayReader).
      let held: { input?: number; events: Omit<StoredLogEvent, "seq">[] } | undefined;
      const settleHeld = async () => {
        if (!held) return;
        for (const e of held.events) {
          pending.push(e);
          if (pending.length >= EVENTS_PER_COMMIT) await flushEvents();
        }
        held = undefined;
      };
      let reported = 0;
      for await (const item of events) {
        const batch: ReplayBatch = "events" in item ? item : { events: [item] };
        if (held && batch.input !== held.input) await settleHeld();
        reader.read(batch);
        if (batch.void) held = undefined;
        else if (options.keepEvents && logGroupName !== undefined) {
          if (batch.provisional) held ??= { input: batch.input, events: [] };
          const into = batch.provisional && held ? held.events : pending;
          for (const e of batch.events)
            into.push({
              logGroupName,
              logStreamName: e.logStreamName,
              timestamp: e.timestamp,
              message: e.message,
              ingestionTime: e.timestamp,
            });
          if (pending.length >= EVENTS_PER_COMMIT) await flushEvents();
        }
        if (reader.events - reported >= PROGRESS_EVERY) {
          reported = reader.events;
          options.onProgress?.({ events: reported, samples: samples.size, phase: "reading" });
        }
      }
      reader.finish();
      await settleHeld();
      await flushEvents();
      totals = reader.totals;
      summary.attribution = reader.attribution;
    }
    summary.events = totals.events;
    summary.matched = totals.matched;
    const { first, last, streams } = totals;
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
