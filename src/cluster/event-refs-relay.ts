/**
 * "Who did it" across instances. A worker runs the metric filters and keeps, per series and minute, the
 * summaries of the matching events it applied (EventRefs); the evaluator builds an ALARM notification's
 * events from its own EventRefs — which, alone, would hold only what its own worker applied. So each
 * worker relays what it adds: summaries gathered for a moment (`flushMs`, 20 ms — sent before the batch's
 * commit is normally visible to the evaluator) and published on the core subject
 * `<prefix>.cluster.event-refs` as compact buckets — series, minute, how many events, and the newest K
 * summaries (K = the evaluator's own per-bucket limit, so nothing it would show is left out). Every
 * instance takes them into its EventRefs, so a new evaluator already has them after a takeover.
 *
 * Best-effort by design: publishing never waits (a NATS client buffers; on failure the buckets are counted
 * as dropped), at most `maxPending` buckets wait to be sent, and core NATS does not keep a message for an
 * instance that was away. A batch delivered twice (its worker died before the ack) may be relayed twice,
 * which inflates the events' Total in a notification, never the alarm's data.
 */
import { EventRefs, type EventSummary } from "../metrics/event-refs.js";
import type { Bus } from "./jetstream.js";
import { controlSubject } from "./subjects.js";

/** EventRefs whose own additions are told to a listener; additions relayed from elsewhere are not. */
export class RelayedEventRefs extends EventRefs {
  onLocalAdd: ((seriesKey: string, timestamp: number, summary: EventSummary) => void) | undefined;

  override add(seriesKey: string, timestamp: number, summary: EventSummary): void {
    super.add(seriesKey, timestamp, summary);
    this.onLocalAdd?.(seriesKey, timestamp, summary);
  }

  /** Another instance's bucket: its summaries, and the events it only counted. */
  addRelayed(seriesKey: string, minute: number, total: number, entries: readonly Entry[]): void {
    for (const [timestamp, summary] of entries) super.add(seriesKey, timestamp, summary);
    if (total > entries.length) this.count(seriesKey, minute, total - entries.length);
  }
}

/** [event time, summary] */
type Entry = [number, EventSummary];
/** [series key, minute, matching events, newest summaries] */
type WireBucket = [string, number, number, Entry[]];

interface Pending {
  series: string;
  minute: number;
  total: number;
  entries: Entry[];
}

const MINUTE = 60_000;
/** Buckets per message: at most 16 × K summaries of at most ~3 KB each, under the 1 MB default max_payload. */
const BUCKETS_PER_MESSAGE = 16;

export interface EventRefsRelayOptions {
  bus: Bus;
  refs: RelayedEventRefs;
  holder: string;
  /** Relay this instance's additions (an instance with a worker); every instance receives. */
  publish: boolean;
  flushMs?: number;
  /** Buckets waiting to be sent at most (default 5000); past it new ones are dropped. */
  maxPending?: number;
  /** Summaries older than this are dropped every minute (an instance that does not evaluate never ticks). */
  horizon?: () => number;
  onError(err: unknown, what: string): void;
}

export class EventRefsRelay {
  readonly counters = { sentBuckets: 0, receivedBuckets: 0, droppedEvents: 0 };
  readonly #subject: string;
  readonly #pending = new Map<string, Pending>();
  #timer: NodeJS.Timeout | undefined;
  #sub: ReturnType<Bus["nc"]["subscribe"]> | undefined;
  #evictor: NodeJS.Timeout | undefined;

  constructor(private readonly o: EventRefsRelayOptions) {
    this.#subject = controlSubject(o.bus.config.subjectPrefix, "event-refs");
  }

  start(): void {
    this.#sub = this.o.bus.nc.subscribe(this.#subject, {
      callback: (err, msg) => {
        if (err) return this.o.onError(err, "the event-refs subscription failed");
        try {
          const m = JSON.parse(new TextDecoder().decode(msg.data)) as { h: string; b: WireBucket[] };
          if (m.h === this.o.holder) return;
          for (const [series, minute, total, entries] of m.b) {
            this.o.refs.addRelayed(series, minute, total, entries);
            this.counters.receivedBuckets++;
          }
        } catch (e) {
          this.o.onError(e, "a relayed event-refs message was ignored");
        }
      },
    });
    if (this.o.publish) this.o.refs.onLocalAdd = (s, t, summary) => this.#add(s, t, summary);
    const horizon = this.o.horizon;
    if (horizon) {
      this.#evictor = setInterval(() => this.o.refs.evictBefore(horizon()), 60_000);
      this.#evictor.unref();
    }
  }

  /** Sends what waits, stops relaying and receiving. */
  stop(): void {
    this.o.refs.onLocalAdd = undefined;
    if (this.#evictor) clearInterval(this.#evictor);
    this.#flush();
    this.#sub?.unsubscribe();
  }

  #add(series: string, timestamp: number, summary: EventSummary): void {
    if (!Number.isFinite(timestamp)) return;
    const minute = Math.floor(timestamp / MINUTE) * MINUTE;
    const key = `${minute}\u0000${series}`;
    let p = this.#pending.get(key);
    if (!p) {
      if (this.#pending.size >= (this.o.maxPending ?? 5000)) {
        this.counters.droppedEvents++;
        return;
      }
      p = { series, minute, total: 0, entries: [] };
      this.#pending.set(key, p);
    }
    p.total++;
    const k = this.o.refs.perBucket;
    if (p.entries.length < k) p.entries.push([timestamp, summary]);
    else {
      // Keep the newest K: the new one replaces the oldest unless it is older still.
      let oldest = 0;
      for (let i = 1; i < p.entries.length; i++) if (p.entries[i][0] < p.entries[oldest][0]) oldest = i;
      if (timestamp >= p.entries[oldest][0]) p.entries[oldest] = [timestamp, summary];
    }
    this.#timer ??= setTimeout(() => this.#flush(), this.o.flushMs ?? 20);
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0) return;
    const buckets = [...this.#pending.values()];
    this.#pending.clear();
    for (let i = 0; i < buckets.length; i += BUCKETS_PER_MESSAGE) {
      const part = buckets.slice(i, i + BUCKETS_PER_MESSAGE);
      const b: WireBucket[] = part.map((p) => [p.series, p.minute, p.total, p.entries]);
      try {
        this.o.bus.nc.publish(this.#subject, JSON.stringify({ h: this.o.holder, b }));
        this.counters.sentBuckets += part.length;
      } catch (err) {
        for (const p of part) this.counters.droppedEvents += p.total;
        this.o.onError(err, "could not relay event summaries");
      }
    }
  }
}
