/**
 * What the evaluator does that the other instances do not, started when this instance wins the lease and
 * stopped when it loses it: alarm evaluation (the scheduler, and early evaluation as aggregates arrive),
 * following the other instances' aggregates into the in-memory index, the notification outbox, and the
 * hourly pruning of old batch claims.
 *
 * Start order matters: the alarms (states and configuration) are re-read first (the previous evaluator wrote them), then the
 * index is rebuilt from the store (AggregateFollower.start), and only then does evaluation resume — an
 * evaluation over an empty index would move alarms out of ALARM. Transitions the previous evaluator stored
 * but never queued are re-dispatched (their notification ids are derived from the transition, so those it
 * did queue are not queued again); items it leased and did not send go out when their lease ends.
 */
import { AggregateFollower } from "../engine/aggregate-follower.js";
import type { OpenedServerContext } from "../server/open-context.js";
import { startScheduler } from "../server/scheduler.js";
import { STREAM_MAX_AGE_MS } from "./jetstream.js";

export interface DutiesOptions {
  ctx: OpenedServerContext;
  /** How often the follower polls the change feed (default 500 ms). */
  followIntervalMs?: number;
  outboxIntervalMs?: number;
  onError(err: unknown, what: string): void;
  onInfo(message: string, data?: Record<string, unknown>): void;
}

/** Claims are kept well past the stream's max age: a batch can only come back while the stream has it. */
const CLAIM_RETENTION_MS = 2 * STREAM_MAX_AGE_MS;

export class EvaluatorDuties {
  #follower: AggregateFollower | undefined;
  #scheduler: { stop(): void } | undefined;
  #pruner: NodeJS.Timeout | undefined;

  constructor(private readonly o: DutiesOptions) {}

  async start(): Promise<void> {
    const { engine, notifications, outbox } = this.o.ctx;
    // New, changed and deleted alarms too: a hint this instance missed is made up for here.
    await engine.alarms.refresh();
    this.#follower = await AggregateFollower.start(engine, {
      intervalMs: this.o.followIntervalMs ?? 500,
      onError: (err) => this.o.onError(err, "following the aggregate change feed failed"),
    });
    engine.alarms.evaluating = true;
    const now = engine.clock.now();
    const redone = await notifications.redispatch(now - 3_600_000, (name) => engine.alarms.get(name));
    if (redone > 0) this.o.onInfo("re-dispatched alarm actions the previous evaluator left", { redone });
    outbox.start(this.o.outboxIntervalMs ?? 1000, (err) =>
      this.o.onError(err, "notification outbox run failed"),
    );
    outbox.kick();
    this.#scheduler = startScheduler(engine, (err) => this.o.onError(err, "scheduled evaluation failed"));
    const prune = () =>
      engine.store
        .deleteBatchClaimsBefore(engine.clock.now() - CLAIM_RETENTION_MS)
        .catch((err) => this.o.onError(err, "pruning batch claims failed"));
    void prune();
    this.#pruner = setInterval(prune, 3_600_000);
    this.#pruner.unref();
  }

  /** Stops evaluating and sending at once; a send in flight finishes (its lease protects it). */
  async stop(): Promise<void> {
    const { engine, outbox } = this.o.ctx;
    engine.alarms.evaluating = false;
    this.#scheduler?.stop();
    this.#follower?.stop();
    if (this.#pruner) clearInterval(this.#pruner);
    this.#scheduler = undefined;
    this.#follower = undefined;
    await outbox.stop();
  }
}
