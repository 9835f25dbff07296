import type { RejectedLogEventsInfo } from "../logs/validate.js";
import { EventRefs } from "../metrics/event-refs.js";
import type { CommitBatch, Store } from "../store/store.js";
import type { Identity, LogStream, MetricAggregate, StoredLogEvent } from "../store/types.js";
import { AggregateBatch, type SketchOf, type TimedSample } from "./aggregate-batch.js";
import { AlarmRunner } from "./alarm-runner.js";
import type { Clock } from "./clock.js";
import { CloudWatchService } from "./cloudwatch-service.js";
import { eventsBehind } from "./events-behind.js";
import { LogsService } from "./logs-service.js";
import { MetricIndex, type SketchMerge } from "./metric-index.js";
import { metricIdOf, seriesKey } from "./series-key.js";
import type { AlarmTransition, TransitionListener } from "./transitions.js";

export interface EngineOptions {
  store: Store;
  clock: Clock;
  identity: Identity;
  listener: TransitionListener;
  /** Keep every log event in the store (FilterLogEvents, the console); replay turns this off for speed. */
  storeEvents: boolean;
  sketchOf?: SketchOf;
  mergeSketch?: SketchMerge;
  /** Where "who did it" is kept (the events behind each series' recent minutes); a bounded default. */
  eventRefs?: EventRefs;
}

export interface IngestEvent {
  timestamp: number;
  message: string;
}

/** Running totals since the engine opened (the /metrics counters read them). */
export interface EngineCounters {
  events: number;
  matched: number;
  samples: number;
  batches: number;
  /** Event time (ms) of the newest event ingested; 0 before the first. */
  newestEventTime: number;
}

export interface IngestResult {
  events: number;
  /** Events that matched at least one metric filter. */
  matched: number;
  samples: number;
  /**
   * The events were handed to a bus (src/cluster), durably, and a worker applies them later: the metric
   * filters have not run yet, so `matched` and `samples` are 0.
   */
  queued?: boolean;
}

/** Where the engine's ingest entry points send events: the engine itself (default), or a bus (src/cluster). */
export interface IngestSink {
  ingestBatch(
    logGroupName: string,
    streams: readonly { logStreamName: string; events: readonly IngestEvent[] }[],
    options: { checkpoint?: { source: string; position: string } },
  ): Promise<IngestResult>;
}

/** One batch run through the metric filters, ready to commit (Engine.prepareBatch). */
export interface PreparedBatch {
  commit: CommitBatch;
  result: IngestResult;
  /** Event time of the batch's newest event (0 when it has none). */
  newestEventTime: number;
}

/**
 * The one engine behind serve, replay and the tests: ingest -> pattern -> metrics -> alarms, on an
 * injected clock and store. Ingestion commits events, metric aggregates and the source checkpoint in one
 * store transaction, then feeds the in-memory metric index that alarm evaluation reads.
 */
export class Engine {
  readonly logs: LogsService;
  readonly alarms: AlarmRunner;
  readonly cloudwatch: CloudWatchService;
  readonly index: MetricIndex;
  /** Summaries of the matching events per series and minute, for the notifications' "who did it". */
  readonly eventRefs: EventRefs;
  readonly counters: EngineCounters = { events: 0, matched: 0, samples: 0, batches: 0, newestEventTime: 0 };

  private constructor(private readonly opts: EngineOptions) {
    this.index = new MetricIndex(opts.mergeSketch);
    this.eventRefs = opts.eventRefs ?? new EventRefs();
    this.logs = new LogsService(opts.store, opts.clock, opts.identity);
    this.alarms = new AlarmRunner({
      ...opts,
      index: this.index,
      sumIsMonotone: (m) => this.logs.publishesOnlyNonNegativeConstants(m),
    });
    this.cloudwatch = new CloudWatchService(
      opts.store,
      opts.clock,
      opts.identity,
      this.alarms,
      async (aggregates) => {
        await opts.store.commit({ events: [], streams: [], aggregates });
        await this.publishAggregates(aggregates, opts.clock.now());
      },
    );
  }

  static async open(opts: EngineOptions): Promise<Engine> {
    const e = new Engine(opts);
    await e.logs.load();
    await e.alarms.load();
    // Alarm windows need the recent past: at most 7 days (Period x EvaluationPeriods limit) plus a margin.
    const since = opts.clock.now() - e.alarms.longestRangeMs() - 3_600_000;
    for (const metric of e.alarms.watchedMetrics()) {
      for (const a of await opts.store.queryAggregates(metric, since, Number.MAX_SAFE_INTEGER))
        e.index.add(a);
    }
    return e;
  }

  get store(): Store {
    return this.opts.store;
  }

  get clock(): Clock {
    return this.opts.clock;
  }

  get identity(): Identity {
    return this.opts.identity;
  }

  /**
   * The samples one batch of events publishes, without storing anything (replay's first pass uses it).
   * `eventRefs: false` leaves out the "who did it" summaries: replay sends no notifications, and would only
   * keep the summaries of the history's last minutes anyway.
   */
  samplesOf(
    logGroupName: string,
    events: readonly IngestEvent[],
    emit: (s: TimedSample) => void,
    options: { eventRefs?: boolean } = {},
  ): { matched: number } {
    const refs = options.eventRefs !== false;
    const pipeline = this.logs.pipeline(logGroupName);
    let matched = 0;
    if (!pipeline) return { matched };
    const context = { account: this.opts.identity.account, region: this.opts.identity.region };
    for (const e of events) {
      let series: string[] | undefined;
      const hits = pipeline.process(e.message, context, (s) => {
        emit({
          namespace: s.namespace,
          metricName: s.metricName,
          dimensions: s.dimensions,
          value: s.value,
          unit: s.unit,
          timestamp: e.timestamp,
        });
        if (!refs || !s.matched) return;
        const key = seriesKey(metricIdOf(s.namespace, s.metricName, s.dimensions));
        if (series === undefined) series = [key];
        else if (!series.includes(key)) series.push(key);
      });
      if (hits.length === 0) continue;
      matched++;
      // One summary per event, kept once per series it counted in (two filters on one metric count it once).
      if (series !== undefined) {
        const summary = pipeline.summaryOf(e.message, e.timestamp);
        for (const key of series) this.eventRefs.add(key, e.timestamp, summary);
      }
    }
    return { matched };
  }

  /** Ingests events into one log group and stream; see ingestBatch. */
  ingest(
    logGroupName: string,
    logStreamName: string,
    events: readonly IngestEvent[],
    options: { checkpoint?: { source: string; position: string } } = {},
  ): Promise<IngestResult> {
    return this.ingestBatch(logGroupName, [{ logStreamName, events }], options);
  }

  #sink: IngestSink | undefined;

  /**
   * Sends what ingestBatch (and PutLogEvents, files, HTTP ingest) accepts to `sink` instead of applying it
   * here; undefined restores local ingestion. A cluster instance hands its events to the bus this way.
   */
  useIngestSink(sink: IngestSink | undefined): void {
    this.#sink = sink;
  }

  /**
   * Ingests events into a log group's streams: through the ingest sink when one is set (useIngestSink),
   * otherwise here — applyBatch.
   */
  ingestBatch(
    logGroupName: string,
    streams: readonly { logStreamName: string; events: readonly IngestEvent[] }[],
    options: { checkpoint?: { source: string; position: string } } = {},
  ): Promise<IngestResult> {
    if (this.#sink) return this.#sink.ingestBatch(logGroupName, streams, options);
    return this.applyBatch(logGroupName, streams, options);
  }

  /**
   * Applies events to a log group's streams (created when missing): metric filters run, then the events,
   * the aggregates and the source checkpoint are committed in ONE store transaction — a crash leaves all
   * of the batch or none of it — and alarms watching the touched metrics are evaluated at once
   * (AlarmRunner.evaluateEarly).
   */
  async applyBatch(
    logGroupName: string,
    streams: readonly { logStreamName: string; events: readonly IngestEvent[] }[],
    options: { checkpoint?: { source: string; position: string } } = {},
  ): Promise<IngestResult> {
    const now = this.opts.clock.now();
    const prepared = await this.prepareBatch(logGroupName, streams, options, now);
    await this.opts.store.commit(prepared.commit);
    this.countApplied(prepared);
    await this.publishAggregates(prepared.commit.aggregates, now);
    return prepared.result;
  }

  /**
   * The first half of applyBatch, without committing: the batch through the metric filters (and the "who
   * did it" summaries), its streams created when missing, and what to commit. A bus worker commits it
   * with its claim (src/cluster/bus-worker.ts).
   */
  async prepareBatch(
    logGroupName: string,
    streams: readonly { logStreamName: string; events: readonly IngestEvent[] }[],
    options: { checkpoint?: { source: string; position: string } },
    now: number,
  ): Promise<PreparedBatch> {
    const batch = new AggregateBatch(this.opts.sketchOf, this.opts.mergeSketch);
    const result: IngestResult = { events: 0, matched: 0, samples: 0 };
    const storedEvents: Omit<StoredLogEvent, "seq">[] = [];
    const bookmarks: LogStream[] = [];
    for (const { logStreamName, events } of streams) {
      if (events.length === 0) continue;
      await this.logs.ensureStream(logGroupName, logStreamName);
      const { matched } = this.samplesOf(logGroupName, events, (s) => {
        batch.add(s);
        result.samples++;
      });
      result.events += events.length;
      result.matched += matched;
      let first = Number.POSITIVE_INFINITY;
      let last = Number.NEGATIVE_INFINITY;
      for (const e of events) {
        if (e.timestamp < first) first = e.timestamp;
        if (e.timestamp > last) last = e.timestamp;
        if (this.opts.storeEvents) {
          storedEvents.push({
            logGroupName,
            logStreamName,
            timestamp: e.timestamp,
            message: e.message,
            ingestionTime: now,
          });
        }
      }
      bookmarks.push({
        logGroupName,
        logStreamName,
        creationTime: now,
        firstEventTimestamp: first,
        lastEventTimestamp: last,
        lastIngestionTime: now,
      });
    }
    let newestEventTime = 0;
    for (const b of bookmarks) newestEventTime = Math.max(newestEventTime, b.lastEventTimestamp ?? 0);
    return {
      commit: {
        events: storedEvents,
        streams: bookmarks,
        aggregates: batch.drain(),
        checkpoints: options.checkpoint ? [options.checkpoint] : [],
      },
      result,
      newestEventTime,
    };
  }

  /** A prepared batch was committed: the running totals (/metrics) count it. */
  countApplied(prepared: PreparedBatch): void {
    const c = this.counters;
    c.events += prepared.result.events;
    c.matched += prepared.result.matched;
    c.samples += prepared.result.samples;
    c.batches++;
    if (prepared.newestEventTime > c.newestEventTime) c.newestEventTime = prepared.newestEventTime;
  }

  /**
   * PutLogEvents: AWS's checks (group and stream must exist, batch rules), then ingestion of the accepted
   * events; too old, expired and too new events are reported as AWS reports them.
   */
  async putLogEvents(input: { logGroupName: unknown; logStreamName: unknown; logEvents: unknown }): Promise<{
    rejectedLogEventsInfo?: RejectedLogEventsInfo;
  }> {
    const checked = await this.logs.checkPutLogEvents(
      input.logGroupName,
      input.logStreamName,
      input.logEvents,
    );
    if (checked.accepted.length > 0)
      await this.ingest(checked.logGroupName, checked.logStreamName, checked.accepted);
    return checked.rejected ? { rejectedLogEventsInfo: checked.rejected } : {};
  }

  /** Aggregates already stored (or about to be): into the index, then early evaluation of their alarms. */
  /** `keys`: each aggregate's seriesKey, when the caller has them (replay). */
  async publishAggregates(
    aggregates: readonly MetricAggregate[],
    now: number,
    keys?: readonly string[],
  ): Promise<void> {
    for (let i = 0; i < aggregates.length; i++) this.index.add(aggregates[i], keys?.[i]);
    if (aggregates.length > 0)
      await this.alarms.evaluateEarly(
        aggregates.map((a) => a.metric),
        now,
        keys,
      );
  }

  /** Runs every scheduled evaluation due at or before `now` (every minute; every 10 s for short periods). */
  tick(now: number): Promise<void> {
    this.eventRefs.evictBefore(now - this.alarms.longestRangeMs() - 3_600_000);
    return this.alarms.runScheduled(now);
  }

  /** The events that made an ALARM transition's breaching datapoints (newest first) and their count. */
  eventsBehind(t: AlarmTransition) {
    return eventsBehind(this.eventRefs, t);
  }

  async close(): Promise<void> {
    await this.opts.store.close();
  }
}
