/**
 * Replay's pass 1 over a stream of batches: each event through the log group's metric filters once, its
 * samples into a sink as (time, series, value), the totals replay reports, and who is behind each metric.
 * A provisional input's effects (a CloudTrail document not yet read to its end) wait until a batch of
 * another input or finish() settles them; a void batch takes them back. The main thread runs one reader
 * over all inputs, or each worker thread one over its share (replay-parallel.ts).
 */
import type { CloudTrailLogEvent } from "../ingest/cloudtrail-events.js";
import type { EventContext } from "../metrics/transformation.js";
import type { LogGroupPipeline } from "./log-group-pipeline.js";
import { type Attribution, attributionKey } from "./replay-attribution.js";
import type { SeriesTable } from "./replay-series.js";

/** Where samples go: SampleLog on the main thread, a buffer sent to it from a worker. */
export interface SampleSink {
  add(time: number, series: number, value: number): void;
  /** The samples so far are final. */
  settle(): void;
  /** Drops the samples added since the last settle. */
  rollback(): void;
}

/** Events of one input as replay takes them (sourceEventBatches' SourceBatch fits). */
export interface ReplayBatch {
  events: readonly CloudTrailLogEvent[];
  input?: number;
  provisional?: boolean;
  void?: boolean;
}

/** What pass 1 learns of the events besides their samples. */
export interface Totals {
  events: number;
  matched: number;
  first: number;
  last: number;
  streams: Map<string, { first: number; last: number }>;
}

export function emptyTotals(): Totals {
  return {
    events: 0,
    matched: 0,
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
    streams: new Map(),
  };
}

export function mergeTotals(into: Totals, from: Totals): void {
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

export interface ReplayReaderOptions {
  /** The log group's metric filters; undefined = none (events are only counted). */
  pipeline: LogGroupPipeline | undefined;
  /** The account and region of the system-field dimensions. */
  context: EventContext;
  series: SeriesTable;
  samples: SampleSink;
  /** Count identities and source IPs per metric here (the human summary); may outlive the reader. */
  attribution?: Attribution;
}

export class ReplayReader {
  /** Settled totals. */
  readonly totals = emptyTotals();
  readonly attribution: Attribution | undefined;
  /** Attribution slot (namespace + metric name) by series id. */
  private readonly attributionSlots: number[] = [];
  /** The provisional input still being checked, and its totals so far. */
  private open: { input?: number; totals: Totals } | undefined;

  constructor(private readonly o: ReplayReaderOptions) {
    this.attribution = o.attribution;
  }

  /** Events read so far, settled or not. */
  get events(): number {
    return this.totals.events + (this.open?.totals.events ?? 0);
  }

  read(batch: ReplayBatch): void {
    if (this.open && batch.input !== this.open.input) this.settleOpen();
    if (batch.void) {
      if (this.open) {
        this.o.samples.rollback();
        this.attribution?.rollback();
      }
      this.open = undefined;
      return;
    }
    if (batch.provisional) this.open ??= { input: batch.input, totals: emptyTotals() };
    const into = this.open?.totals ?? this.totals;
    into.events += batch.events.length;
    for (const e of batch.events) countEvent(into, e);
    into.matched += this.publish(batch.events);
    if (!this.open) this.settle();
  }

  /** The input ended: what it gave counts. */
  finish(): void {
    this.settleOpen();
  }

  private settleOpen(): void {
    if (!this.open) return;
    mergeTotals(this.totals, this.open.totals);
    this.open = undefined;
    this.settle();
  }

  private settle(): void {
    this.o.samples.settle();
    this.attribution?.settle();
  }

  /** Runs the filters; returns how many events matched at least one. */
  private publish(events: readonly CloudTrailLogEvent[]): number {
    const { pipeline, context, series, samples } = this.o;
    if (!pipeline) return 0;
    const attribution = this.attribution;
    const slots = this.attributionSlots;
    let matched = 0;
    let t = 0;
    // The metrics' slots the current event fed (reused: most events feed none or one).
    const metrics: number[] = [];
    const emit = (s: Parameters<Parameters<LogGroupPipeline["process"]>[2]>[0]) => {
      const id = series.idOf(s);
      samples.add(t, id, s.value);
      if (attribution === undefined || !s.matched) return;
      let slot = slots[id];
      if (slot === undefined) {
        slot = attribution.slotOf(attributionKey(s.namespace, s.metricName));
        slots[id] = slot;
      }
      if (!metrics.includes(slot)) metrics.push(slot);
    };
    for (const e of events) {
      t = e.timestamp;
      metrics.length = 0;
      if (pipeline.process(e.message, context, emit).length === 0) continue;
      matched++;
      if (metrics.length > 0) attribution!.observe(metrics, pipeline.parsedRoot(e.message));
    }
    return matched;
  }
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
