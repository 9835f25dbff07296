/**
 * Configuration changes, instance to instance. Alarms and metric filters live in the store; each instance
 * keeps them in memory (the alarm runner, the compiled filter pipelines), so a change made through one
 * instance must reach the others' memory. After each change the writing instance publishes a hint on the
 * core subject `<prefix>.cluster.config` — "alarm X changed", "the filters of group G changed" — and every
 * other instance re-reads just that from the store: the store is the truth, the message only says where to
 * look. Hints arriving together are applied together, a moment after the first (`settleMs`).
 *
 * Core NATS does not keep messages: an instance that was disconnected, or a hint lost in a NATS restart,
 * would miss a change. So every instance also reconciles everything every `reconcileMs` (30 s): it reads all
 * alarms and all metric filters (one query each) and applies what differs. A starting instance announces
 * "everything" once, so that what it wrote before joining (its pack) reaches the others at once.
 *
 * Log groups, streams, retention and tags need nothing: every instance reads them from the store on use.
 */
import type { Engine } from "../engine/engine.js";
import type { Bus } from "./jetstream.js";
import { controlSubject } from "./subjects.js";

/** The message: who sent it, alarm names, log group names, or "re-read everything". */
interface Hint {
  h: string;
  a?: string[];
  g?: string[];
  all?: true;
}

export interface ConfigSyncCounters {
  /** Hints published / received from other instances. */
  sent: number;
  received: number;
  /** Full reconciles run, and alarms or log groups whose memory they (or hints) changed. */
  reconciles: number;
  changed: number;
}

export interface ConfigSyncOptions {
  bus: Bus;
  engine: Engine;
  /** This instance's name (its own hints are ignored). */
  holder: string;
  /** Full reconcile period (default 30 s). */
  reconcileMs?: number;
  /** How long received hints gather before they are applied (default 20 ms). */
  settleMs?: number;
  onError(err: unknown, what: string): void;
}

/** Names per message, well under any server's max_payload (a name is at most 512 bytes). */
const NAMES_PER_MESSAGE = 500;
/** Past this many names at once, one full read is cheaper than one read per name. */
const FULL_READ_ABOVE = 100;

export class ConfigSync {
  readonly counters: ConfigSyncCounters = { sent: 0, received: 0, reconciles: 0, changed: 0 };
  readonly #subject: string;
  #sub: ReturnType<Bus["nc"]["subscribe"]> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Outgoing, gathered until the end of the current turn. */
  readonly #out = { alarms: new Set<string>(), groups: new Set<string>(), scheduled: false };
  /** Incoming, gathered for settleMs. */
  readonly #in = { alarms: new Set<string>(), groups: new Set<string>(), all: false };
  #inTimer: NodeJS.Timeout | undefined;
  /** Applying is one thing at a time. */
  #chain: Promise<void> = Promise.resolve();

  constructor(private readonly o: ConfigSyncOptions) {
    this.#subject = controlSubject(o.bus.config.subjectPrefix, "config");
    const every = o.reconcileMs;
    if (every !== undefined && !(Number.isInteger(every) && every >= 1000))
      throw new Error(`the configuration reconcile period must be a whole number of ms ≥ 1000, got ${every}`);
  }

  start(): void {
    const { engine } = this.o;
    this.#sub = this.o.bus.nc.subscribe(this.#subject, {
      callback: (err, msg) => {
        if (err) return this.o.onError(err, "the configuration subscription failed");
        let hint: Hint;
        try {
          hint = JSON.parse(new TextDecoder().decode(msg.data)) as Hint;
        } catch (e) {
          return this.o.onError(e, "a configuration hint that is not JSON was ignored");
        }
        if (hint.h === this.o.holder) return;
        this.counters.received++;
        this.#receive(hint);
      },
    });
    engine.alarms.onChange = (name) => this.#announce("alarms", name);
    engine.logs.onFiltersChange = (group) => this.#announce("groups", group);
    // What this instance wrote before it joined (its pack), and anything the others missed while it was away.
    this.#publish({ h: this.o.holder, all: true });
    this.#timer = setInterval(() => void this.reconcileNow(), this.o.reconcileMs ?? 30_000);
    this.#timer.unref();
  }

  /** Re-reads every alarm and metric filter from the store and applies what differs. */
  reconcileNow(): Promise<void> {
    return this.#serial(async () => {
      this.counters.reconciles++;
      this.counters.changed += (await this.o.engine.alarms.refresh()).length;
      this.counters.changed += (await this.o.engine.logs.reloadFilters()).length;
    }, "reconciling the configuration with the store failed");
  }

  async stop(): Promise<void> {
    const { engine } = this.o;
    engine.alarms.onChange = undefined;
    engine.logs.onFiltersChange = undefined;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#inTimer) clearTimeout(this.#inTimer);
    this.#flushOut();
    this.#sub?.unsubscribe();
    await this.#chain;
  }

  #announce(kind: "alarms" | "groups", name: string): void {
    this.#out[kind].add(name);
    if (this.#out.scheduled) return;
    this.#out.scheduled = true;
    // A burst of changes (a pack, DeleteAlarms of 100 names, a composite cascade) goes out as one message.
    setImmediate(() => this.#flushOut());
  }

  #flushOut(): void {
    this.#out.scheduled = false;
    const alarms = [...this.#out.alarms];
    const groups = [...this.#out.groups];
    this.#out.alarms.clear();
    this.#out.groups.clear();
    for (let i = 0; i < alarms.length; i += NAMES_PER_MESSAGE)
      this.#publish({ h: this.o.holder, a: alarms.slice(i, i + NAMES_PER_MESSAGE) });
    for (let i = 0; i < groups.length; i += NAMES_PER_MESSAGE)
      this.#publish({ h: this.o.holder, g: groups.slice(i, i + NAMES_PER_MESSAGE) });
  }

  #publish(hint: Hint): void {
    try {
      this.o.bus.nc.publish(this.#subject, JSON.stringify(hint));
      this.counters.sent++;
    } catch (err) {
      // Lost: the others catch up at their next reconcile.
      this.o.onError(err, "could not announce a configuration change");
    }
  }

  #receive(hint: Hint): void {
    if (hint.all) this.#in.all = true;
    for (const a of hint.a ?? []) if (typeof a === "string") this.#in.alarms.add(a);
    for (const g of hint.g ?? []) if (typeof g === "string") this.#in.groups.add(g);
    this.#inTimer ??= setTimeout(() => {
      this.#inTimer = undefined;
      void this.#applyIn();
    }, this.o.settleMs ?? 20);
  }

  #applyIn(): Promise<void> {
    const all = this.#in.all;
    const alarms = [...this.#in.alarms];
    const groups = [...this.#in.groups];
    this.#in.all = false;
    this.#in.alarms.clear();
    this.#in.groups.clear();
    if (all) return this.reconcileNow();
    return this.#serial(async () => {
      const { engine } = this.o;
      if (alarms.length > 0)
        this.counters.changed += (
          await engine.alarms.refresh(alarms.length > FULL_READ_ABOVE ? undefined : alarms)
        ).length;
      if (groups.length > 0)
        this.counters.changed += (
          await engine.logs.reloadFilters(groups.length > FULL_READ_ABOVE ? undefined : groups)
        ).length;
    }, "applying a configuration change from another instance failed");
  }

  #serial(run: () => Promise<void>, what: string): Promise<void> {
    this.#chain = this.#chain.then(run).catch((err) => this.o.onError(err, what));
    return this.#chain;
  }
}
