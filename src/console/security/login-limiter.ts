/**
 * Login attempts, rate-limited per client address: after MAX_FAILURES failures within WINDOW_MS the address
 * must wait until the oldest of them leaves the window. A success clears the address. The table is bounded
 * (oldest addresses dropped first) so that a flood of addresses cannot exhaust memory.
 */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
const MAX_ADDRESSES = 10_000;

export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait before the next attempt from this address; 0 when it may try now. */
  retryAfter(address: string): number {
    const recent = this.#recent(address);
    if (recent.length < MAX_FAILURES) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - MAX_FAILURES] + WINDOW_MS - this.now()) / 1000));
  }

  fail(address: string): void {
    const recent = this.#recent(address);
    recent.push(this.now());
    this.#failures.delete(address);
    this.#failures.set(address, recent);
    if (this.#failures.size > MAX_ADDRESSES) {
      this.#failures.delete(this.#failures.keys().next().value as string);
    }
  }

  succeed(address: string): void {
    this.#failures.delete(address);
  }

  #recent(address: string): number[] {
    const since = this.now() - WINDOW_MS;
    return (this.#failures.get(address) ?? []).filter((t) => t > since);
  }
}
