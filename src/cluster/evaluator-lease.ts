/**
 * One evaluator at a time: every instance keeps trying to take the store's `evaluator` lease
 * (Store.acquireLease); the holder renews it every `renewMs`, and the others try as often, so when the
 * holder dies the lease expires after at most `ttlMs` and one of them has it within `renewMs` more —
 * 6 s + 2 s by default, inside the 10 s the issue allows.
 *
 * A holder that cannot renew (the store unreachable, a long pause) steps down by itself `marginMs` before
 * its lease would end, before anyone else can have it. Even so a paused process may wake up believing it
 * leads: its alarm state writes carry its fencing token (fenced-store.ts), which the store refuses once
 * a successor holds a greater one.
 */
import type { Store } from "../store/store.js";

export const EVALUATOR_LEASE = "evaluator";

export interface LeaseElectorOptions {
  store: Store;
  clock: { now(): number };
  /** This instance's name in the lease (host, pid and a random part). */
  holder: string;
  /** Default 6000 ms. */
  ttlMs?: number;
  /** Default 2000 ms. */
  renewMs?: number;
  /** Step down this long before an unrenewed lease would end; default 1000 ms. */
  marginMs?: number;
  /** Called when this instance wins the lease, with its fencing token; awaited before the next renewal. */
  onElected(token: number): Promise<void>;
  /** Called when it lost or gave up the lease; awaited. */
  onDeposed(reason: string): Promise<void>;
  onError(err: unknown): void;
}

export class LeaseElector {
  #token: number | undefined;
  #expiresAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #round: Promise<void> | undefined;
  /** Times this instance won the lease. */
  elections = 0;

  constructor(private readonly o: LeaseElectorOptions) {}

  get isLeader(): boolean {
    return this.#token !== undefined;
  }

  /** The token while leading. */
  get token(): number | undefined {
    return this.#token;
  }

  get ttlMs(): number {
    return this.o.ttlMs ?? 6000;
  }

  start(): void {
    this.#schedule(0);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#round = this.runOnce().finally(() => this.#schedule(this.o.renewMs ?? 2000));
    }, ms);
  }

  /** One round: take or renew the lease, and act on a change of leadership. */
  async runOnce(): Promise<void> {
    const now = this.o.clock.now();
    let lease: Awaited<ReturnType<Store["acquireLease"]>>;
    try {
      lease = await this.o.store.acquireLease(EVALUATOR_LEASE, this.o.holder, now, this.ttlMs);
    } catch (err) {
      this.o.onError(err);
      if (this.#token !== undefined && this.o.clock.now() >= this.#expiresAt - (this.o.marginMs ?? 1000))
        await this.#depose("the lease could not be renewed in time");
      return;
    }
    if (this.#stopped) return;
    if (lease === undefined) {
      if (this.#token !== undefined) await this.#depose("another instance holds the lease");
      return;
    }
    this.#expiresAt = lease.expiresAt;
    if (this.#token === lease.token) return;
    if (this.#token !== undefined) await this.#depose("the lease was taken over meanwhile");
    this.#token = lease.token;
    this.elections++;
    try {
      await this.o.onElected(lease.token);
    } catch (err) {
      // Could not start the evaluator's work: let another instance have it.
      this.o.onError(err);
      await this.#depose("the evaluator could not start");
      await this.o.store.releaseLease(EVALUATOR_LEASE, this.o.holder).catch(() => {});
    }
  }

  async #depose(reason: string): Promise<void> {
    if (this.#token === undefined) return;
    this.#token = undefined;
    await this.o.onDeposed(reason);
  }

  /** Stops electing; a leader steps down and releases the lease so that another takes over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#round?.catch(() => {});
    if (this.#token !== undefined) {
      await this.#depose("shutting down");
      await this.o.store.releaseLease(EVALUATOR_LEASE, this.o.holder).catch(() => {});
    }
  }
}
