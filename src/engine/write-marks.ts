/**
 * Local writes of named records (alarms, a log group's filters), marked when each starts and ends, so
 * that a reload from the store — where another instance may have written them (src/cluster) — can leave
 * alone what this process wrote while the store was being read: its own write is newer.
 */
export class WriteMarks {
  /** Write counter, and the count at each name's latest write start or end. */
  #count = 0;
  readonly #at = new Map<string, number>();

  /** Runs one write of `name`, marked at its start and end; `after` is told once it succeeded. */
  async around<T>(name: string, run: () => Promise<T>, after?: () => void): Promise<T> {
    this.#at.set(name, ++this.#count);
    try {
      const result = await run();
      after?.();
      return result;
    } finally {
      this.#at.set(name, ++this.#count);
    }
  }

  /** A point to compare later marks with: take it before reading the store. */
  now(): number {
    return this.#count;
  }

  /** Whether `name` was written (or began to be) after `since`. */
  writtenSince(name: string, since: number): boolean {
    return (this.#at.get(name) ?? 0) > since;
  }

  /** Forgets the marks a reload that began at `since` has made irrelevant. */
  forgetUpTo(since: number): void {
    for (const [name, at] of this.#at) if (at <= since) this.#at.delete(name);
  }
}
