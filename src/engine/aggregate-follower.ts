/**
 * Keeps a running engine's in-memory metric index in step with aggregates that OTHER processes commit to
 * the same store (`trailwatch ingest` while `serve` runs; later, several instances on one PostgreSQL): it
 * polls the store's aggregate change feed, merges those deltas into the index and evaluates the alarms on
 * the touched metrics at once, as the engine does for its own ingestion.
 *
 * The feed hands back only other writers' changes (this process's own commits reach the index directly
 * through Engine.publishAggregates), so nothing is counted twice. At start the index is reloaded from the
 * store under an optimistic check — the feed's head is read before and after the reload, and the reload
 * is retried until no commit happened in between — so that following starts exactly where the reload
 * ends.
 */
import type { MetricAggregate, MetricId } from "../store/types.js";
import type { Engine } from "./engine.js";
import { seriesKey } from "./series-key.js";

export interface AggregateFollowerOptions {
  /** Between polls (default 1000 ms). */
  intervalMs?: number;
  /** Logged changes read per store call (default 1000). */
  pageSize?: number;
  onError(err: unknown): void;
}

const RELOAD_TRIES = 10;

export class AggregateFollower {
  private cursor = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<number> | undefined;

  private constructor(
    private readonly engine: Engine,
    private readonly options: AggregateFollowerOptions,
  ) {}

  /** Reloads the index, then polls every interval until stopped. */
  static async start(engine: Engine, options: AggregateFollowerOptions): Promise<AggregateFollower> {
    const f = new AggregateFollower(engine, options);
    await f.reload();
    f.schedule();
    return f;
  }

  /** A follower that polls only when told to (tests, embedding). */
  static async manual(engine: Engine, options: AggregateFollowerOptions): Promise<AggregateFollower> {
    const f = new AggregateFollower(engine, options);
    await f.reload();
    return f;
  }

  /** Oldest bucket that can matter to an alarm now (the same horizon Engine.open loads). */
  private horizon(now: number): number {
    return now - this.engine.alarms.longestRangeMs() - 3_600_000;
  }

  private async reload(): Promise<void> {
    const store = this.engine.store;
    for (let attempt = 1; ; attempt++) {
      const before = await store.aggregateChangeHead();
      // Let this process's own commits that are already in the store reach the index first.
      await new Promise((r) => setImmediate(r));
      const since = this.horizon(this.engine.clock.now());
      const loaded: MetricAggregate[] = [];
      for (const metric of this.engine.alarms.watchedMetrics())
        loaded.push(...(await store.queryAggregates(metric, since, Number.MAX_SAFE_INTEGER)));
      const after = await store.aggregateChangeHead();
      if (before === after || attempt >= RELOAD_TRIES) {
        // No await from here on: the swap is atomic for everything else in this process.
        this.engine.index.evictBefore(Number.POSITIVE_INFINITY);
        for (const a of loaded) this.engine.index.add(a);
        this.cursor = after;
        return;
      }
    }
  }

  /** Applies what other writers committed since the last poll; returns how many aggregates. */
  pollNow(): Promise<number> {
    this.running ??= this.poll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async poll(): Promise<number> {
    const store = this.engine.store;
    const pageSize = this.options.pageSize ?? 1000;
    const now = this.engine.clock.now();
    const since = this.horizon(now);
    const touched = new Map<string, MetricId>();
    let applied = 0;
    for (;;) {
      const page = await store.aggregateChangesSince(this.cursor, pageSize);
      for (const a of page.changes) {
        if (a.timestamp < since) continue;
        this.engine.index.add(a);
        touched.set(seriesKey(a.metric), a.metric);
        applied++;
      }
      if (page.cursor === this.cursor) break;
      this.cursor = page.cursor;
    }
    if (touched.size > 0)
      await this.engine.alarms.evaluateEarly([...touched.values()], this.engine.clock.now());
    return applied;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      try {
        await this.pollNow();
      } catch (err) {
        this.options.onError(err);
      }
      this.schedule();
    }, this.options.intervalMs ?? 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
