/**
 * Replay's samples between its two passes: pass 1 appends (time, series, value) in input order, pass 2
 * reads them back in time order — ties in input order, so that sums add up in the same order whatever
 * the batching. Kept as columns of typed arrays (20 bytes a sample); once `spillAt` samples are held at
 * a commit point (`settle`), the columns are sorted and written to a temporary file as a run, and
 * reading back merges the runs. Memory is therefore bounded by the threshold plus the samples of one
 * uncommitted input (and a small read buffer per run), not by the history's length.
 *
 * `rollback` drops what was added since the last `settle`: the samples of a CloudTrail document that
 * turned out broken after some of its records had gone through the filters.
 *
 * The spill file is read and written synchronously: replay is a batch job with nothing else to serve.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Samples held in memory before a run is spilled: 5 MiB of columns (and a 1 MiB sort index). */
export const DEFAULT_SPILL_AT = 1 << 18;
/** Samples read from a spilled run at a time. */
const READ_BLOCK = 1 << 13;
const INITIAL_CAPACITY = 1 << 12;

/** Reads samples in order: `next()` moves to the following sample (false at the end). */
export interface SampleCursor {
  next(): boolean;
  time: number;
  series: number;
  value: number;
}

export interface SampleLogOptions {
  spillAt?: number;
  /** Where the spill file's temporary folder goes (default the OS's). */
  tmpDir?: string;
}

interface SpilledRun {
  /** Byte offset of the run in the spill file: times (f64), then series (u32), then values (f64). */
  offset: number;
  length: number;
}

export class SampleLog {
  private readonly spillAt: number;
  private time = new Float64Array(INITIAL_CAPACITY);
  private series = new Uint32Array(INITIAL_CAPACITY);
  private value = new Float64Array(INITIAL_CAPACITY);
  private count = 0;
  private total = 0;
  /** `total` at the last settle. */
  private settled = 0;
  private readonly runs: SpilledRun[] = [];
  private spill: { dir: string; fd: number; size: number } | undefined;
  private reading = false;

  constructor(private readonly options: SampleLogOptions = {}) {
    this.spillAt = Math.max(1, options.spillAt ?? DEFAULT_SPILL_AT);
  }

  add(time: number, series: number, value: number): void {
    if (this.reading) throw new Error("SampleLog: add after sorted()");
    if (this.count === this.time.length) this.grow();
    this.time[this.count] = time;
    this.series[this.count] = series;
    this.value[this.count] = value;
    this.count++;
    this.total++;
  }

  /** The samples so far are final: a run is spilled when enough of them are held. */
  settle(): void {
    this.settled = this.total;
    if (this.count >= this.spillAt) this.spillRun();
  }

  /** Drops the samples added since the last settle (they are all still in memory). */
  rollback(): void {
    this.count -= this.total - this.settled;
    this.total = this.settled;
  }

  /** Samples added so far. */
  get size(): number {
    return this.total;
  }

  /** What is held in memory now: samples and the bytes of their columns (the bound tests check). */
  memory(): { samples: number; bytes: number; runs: number } {
    const bytes = this.time.byteLength + this.series.byteLength + this.value.byteLength;
    return { samples: this.count, bytes, runs: this.runs.length };
  }

  /** Every sample in time order, ties in the order they were added. No adds after this. */
  sorted(): SampleCursor {
    this.reading = true;
    const order = this.sortedOrder();
    const inMemory = new MemoryRun(this.time, this.series, this.value, order);
    if (this.runs.length === 0) return inMemory;
    const fd = this.spill!.fd;
    // Runs in the order they were written, the in-memory rest last: on equal times the earlier run wins.
    const sources: SampleCursor[] = this.runs.map((r) => new FileRun(fd, r));
    if (order.length > 0) sources.push(inMemory);
    return new MergedRuns(sources);
  }

  /** Removes the spill file. */
  close(): void {
    if (!this.spill) return;
    closeSync(this.spill.fd);
    rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = undefined;
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    const time = new Float64Array(capacity);
    const series = new Uint32Array(capacity);
    const value = new Float64Array(capacity);
    time.set(this.time);
    series.set(this.series);
    value.set(this.value);
    this.time = time;
    this.series = series;
    this.value = value;
  }

  /** Indexes of the in-memory samples in time order, ties by index (TimSort: near-sorted input is cheap). */
  private sortedOrder(): Uint32Array {
    const n = this.count;
    const time = this.time;
    const order = new Uint32Array(n);
    let sorted = true;
    for (let i = 0; i < n; i++) {
      order[i] = i;
      if (i > 0 && time[i] < time[i - 1]) sorted = false;
    }
    if (!sorted) order.sort((a, b) => time[a] - time[b] || a - b);
    return order;
  }

  private spillRun(): void {
    if (!this.spill) {
      const dir = mkdtempSync(join(this.options.tmpDir ?? tmpdir(), "trailwatch-replay-"));
      this.spill = { dir, fd: openSync(join(dir, "samples"), "w+"), size: 0 };
    }
    const order = this.sortedOrder();
    const n = order.length;
    const run: SpilledRun = { offset: this.spill.size, length: n };
    const fd = this.spill.fd;
    let at = run.offset;
    const write = (column: Float64Array | Uint32Array) => {
      const block =
        column instanceof Float64Array ? new Float64Array(READ_BLOCK) : new Uint32Array(READ_BLOCK);
      for (let i = 0; i < n; i += READ_BLOCK) {
        const k = Math.min(READ_BLOCK, n - i);
        for (let j = 0; j < k; j++) block[j] = column[order[i + j]];
        at += writeAll(fd, new Uint8Array(block.buffer, 0, k * block.BYTES_PER_ELEMENT), at);
      }
    };
    write(this.time);
    write(this.series);
    write(this.value);
    this.spill.size = at;
    this.runs.push(run);
    this.count = 0;
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number): number {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  return done;
}

function readAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    const n = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (n === 0) throw new Error("SampleLog: the spill file is shorter than written");
    done += n;
  }
}

/** The in-memory samples through their sort order. */
class MemoryRun implements SampleCursor {
  time = 0;
  series = 0;
  value = 0;
  private i = -1;

  constructor(
    private readonly times: Float64Array,
    private readonly seriesColumn: Uint32Array,
    private readonly values: Float64Array,
    private readonly order: Uint32Array,
  ) {}

  next(): boolean {
    if (++this.i >= this.order.length) return false;
    const k = this.order[this.i];
    this.time = this.times[k];
    this.series = this.seriesColumn[k];
    this.value = this.values[k];
    return true;
  }
}

/** A spilled run, read a block at a time. */
class FileRun implements SampleCursor {
  time = 0;
  series = 0;
  value = 0;
  private readonly times = new Float64Array(READ_BLOCK);
  private readonly seriesBlock = new Uint32Array(READ_BLOCK);
  private readonly values = new Float64Array(READ_BLOCK);
  /** Index in the run of the block's first sample, and the sample's index in the block. */
  private start = 0;
  private filled = 0;
  private i = 0;

  constructor(
    private readonly fd: number,
    private readonly run: SpilledRun,
  ) {}

  next(): boolean {
    if (this.i >= this.filled) {
      this.start += this.filled;
      const k = Math.min(READ_BLOCK, this.run.length - this.start);
      if (k <= 0) return false;
      const { offset, length } = this.run;
      readAll(this.fd, new Uint8Array(this.times.buffer, 0, k * 8), offset + this.start * 8);
      readAll(
        this.fd,
        new Uint8Array(this.seriesBlock.buffer, 0, k * 4),
        offset + length * 8 + this.start * 4,
      );
      readAll(this.fd, new Uint8Array(this.values.buffer, 0, k * 8), offset + length * 12 + this.start * 8);
      this.filled = k;
      this.i = 0;
    }
    this.time = this.times[this.i];
    this.series = this.seriesBlock[this.i];
    this.value = this.values[this.i];
    this.i++;
    return true;
  }
}

/** Sorted runs merged into one order; on equal times the earlier source comes first (a binary heap). */
class MergedRuns implements SampleCursor {
  time = 0;
  series = 0;
  value = 0;
  /** Indexes of the sources that still have a current sample, as a heap on (time, index). */
  private readonly heap: number[] = [];
  private started = false;

  constructor(private readonly sources: SampleCursor[]) {}

  next(): boolean {
    const heap = this.heap;
    if (!this.started) {
      this.started = true;
      for (let s = 0; s < this.sources.length; s++) if (this.sources[s].next()) this.push(s);
    } else {
      // The source whose sample was handed out last moves on.
      const top = heap[0];
      if (this.sources[top].next()) this.siftDown(0);
      else {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          this.siftDown(0);
        }
      }
    }
    if (heap.length === 0) return false;
    const s = this.sources[heap[0]];
    this.time = s.time;
    this.series = s.series;
    this.value = s.value;
    return true;
  }

  private before(a: number, b: number): boolean {
    const ta = this.sources[a].time;
    const tb = this.sources[b].time;
    return ta < tb || (ta === tb && a < b);
  }

  private push(s: number): void {
    const heap = this.heap;
    heap.push(s);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && this.before(heap[l], heap[m])) m = l;
      if (r < heap.length && this.before(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  }
}
