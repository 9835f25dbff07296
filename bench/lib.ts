/** Small helpers shared by the bench scenarios: options, timing, statistics and output. */
import { cpus } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** What `bench/run.ts` hands each scenario file. */
export interface BenchOptions {
  /**
   * Selectors naming sub-scenarios of this file (`pattern/seed`); empty = run all of them.
   * A selector that is just the file name (`pattern`) selects everything in that file.
   */
  readonly select: readonly string[];
  /** `--events N`: workload size, when the scenario has one. */
  readonly events?: number;
  /** `--reps N`: measured runs per measurement. */
  readonly reps?: number;
  /** `--distinct N`: generate only N distinct events and repeat them as a ring (bounds the live heap). */
  readonly distinct?: number;
}

/** The signature of a scenario file's `run` export. */
export type Scenario = (opts: BenchOptions) => Promise<void>;

/** Whether sub-scenario `name` (e.g. `pattern/seed+cis`) is selected. */
export function selected(opts: BenchOptions, name: string): boolean {
  if (opts.select.length === 0) return true;
  const file = name.split("/")[0];
  return opts.select.some((s) => s === file || s === name);
}

/** Wall-clock milliseconds taken by fn. */
export function timeMs(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Throughput of repeated passes over the same events. */
export interface Throughput {
  /** Events per second of each measured run. */
  readonly runs: number[];
  readonly best: number;
  readonly median: number;
}

export function throughput(events: number, runsMs: readonly number[]): Throughput {
  const runs = runsMs.map((ms) => (events * 1000) / ms);
  return { runs, best: Math.max(...runs), median: median(runs) };
}

/** 1234567.8 → "1,234,568". */
export function int(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** Rounds to `decimals` decimal places: round(1.23456, 3) → 1.235. */
export function round(n: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** One line describing the machine, printed once per run. */
export function machine(): string {
  const c = cpus();
  return `node ${process.version}, ${c.length} × ${c[0]?.model ?? "unknown CPU"}, ${process.platform}/${process.arch}`;
}

/** Ends a scenario: its one machine-readable line. */
export function emitJson(result: Record<string, unknown>): void {
  console.log(JSON.stringify(result));
}

let gcFn: (() => void) | undefined;

/**
 * A full garbage collection, so that one pass does not pay for the garbage of the one before (and the
 * workload generator's garbage is gone before measuring). Works without `--expose-gc` on the command line.
 */
export function fullGc(): void {
  if (!gcFn) {
    gcFn = (globalThis as { gc?: () => void }).gc;
    if (!gcFn) {
      setFlagsFromString("--expose-gc");
      gcFn = runInNewContext("gc") as () => void;
    }
  }
  gcFn();
}
