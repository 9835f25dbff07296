/**
 * Replay's pass 1 on worker threads: the inputs are shared out to workers one at a time (the next to
 * whichever is free), the main thread reads each input's raw bytes and streams them to its worker (a few
 * chunks in flight, so memory stays bounded), and the results are applied in input order — samples,
 * skips, totals and attribution come out exactly as the single-threaded reader gives them, whatever
 * worker finishes first. Workers never run more than a few inputs ahead of the oldest unfinished one.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { TimeRange } from "../ingest/file-source.js";
import type { Skip } from "../ingest/ingest-input.js";
import type { Input } from "../ingest/input.js";
import type { EventContext } from "../metrics/transformation.js";
import type { MetricFilter } from "../store/types.js";
import type { Attribution } from "./replay-attribution.js";
import type { FromWorker, ToWorker, WorkerSetup } from "./replay-protocol.js";
import { mergeTotals, type Totals } from "./replay-reader.js";
import type { SampleLog } from "./replay-samples.js";
import type { SeriesTable } from "./replay-series.js";

/**
 * Worker threads replay uses unless told otherwise: one per CPU, at most 8 (each holds a few of its
 * inputs' worth of memory, 100-200 MB at peak for 12 MB CloudTrail files).
 */
export function defaultReplayThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Raw chunks sent to a worker and not yet taken by its reader. */
const CHUNKS_IN_FLIGHT = 8;

export interface ParallelReadOptions {
  inputs: readonly Input[];
  threads: number;
  filters: MetricFilter[];
  context: EventContext;
  range: TimeRange;
  /** Where the results go, in input order. */
  series: SeriesTable;
  samples: SampleLog;
  totals: Totals;
  attribution?: Attribution;
  onSkip(skip: Skip): void;
  onInput?(input: Input, done: number, total: number): void;
  /** After each input: events read so far. */
  onEvents?(events: number): void;
}

/**
 * The worker. Under tsx (tests, benchmarks) this module is TypeScript and so is the worker, and Node 20
 * does not apply tsx's loader to a worker's entry file: a one-line bootstrap registers it first.
 */
function startWorker(setup: WorkerSetup): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./replay-worker.js", import.meta.url), { workerData: setup });
  const api = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./replay-worker.ts", import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

interface Slot {
  worker: Worker;
  /** Worker series id -> main series id. */
  ids: number[];
  credits: number;
  wakeFeeder: (() => void) | undefined;
}

export async function readInParallel(o: ParallelReadOptions): Promise<void> {
  const threads = Math.max(1, Math.min(o.threads, o.inputs.length));
  const setup: WorkerSetup = {
    filters: o.filters,
    context: o.context,
    range: o.range,
    attribute: !!o.attribution,
  };
  const window = threads * 2;
  // Messages of inputs not yet applicable (a later input finished before an earlier one).
  const waiting = new Map<number, { slot: Slot; m: FromWorker }[]>();
  let applied = 0; // inputs fully applied
  let dispatched = 0;
  let events = 0;
  let failure: Error | undefined;
  let settle!: () => void;
  let fail!: (e: Error) => void;
  const finished = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const slots: Slot[] = [];
  const busy = new Map<Slot, number>(); // slot -> input index it reads

  const apply = (slot: Slot, m: FromWorker) => {
    if (m.t === "samples") {
      for (const s of m.newSeries) slot.ids.push(o.series.idOfSeries(s));
      const { time, series, value } = m;
      for (let i = 0; i < time.length; i++) o.samples.add(time[i], slot.ids[series[i]], value[i]);
      o.samples.settle();
    } else if (m.t === "skip") o.onSkip(m.skip);
    else if (m.t === "done") {
      mergeTotals(o.totals, {
        events: m.totals.events,
        matched: m.totals.matched,
        first: m.totals.first,
        last: m.totals.last,
        streams: new Map(m.totals.streams.map(([name, first, last]) => [name, { first, last }])),
      });
      o.attribution?.merge(m.attribution);
      events += m.totals.events;
      applied++;
      o.onInput?.(o.inputs[applied - 1], applied, o.inputs.length);
      o.onEvents?.(events);
    }
  };

  /** Applies what can be applied, in input order. */
  const drain = () => {
    for (;;) {
      const queue = waiting.get(applied);
      if (!queue || queue.length === 0) break;
      const before = applied;
      while (queue.length > 0 && applied === before) {
        const { slot, m } = queue.shift()!;
        apply(slot, m);
      }
      if (applied !== before) waiting.delete(before);
      else break;
    }
  };

  const dispatch = (slot: Slot) => {
    if (failure) return;
    if (dispatched >= o.inputs.length) {
      if (applied === o.inputs.length) finishAll();
      return;
    }
    if (dispatched >= applied + window) return; // resumed when an input is applied
    const index = dispatched++;
    busy.set(slot, index);
    waiting.set(index, waiting.get(index) ?? []);
    void feed(slot, index);
  };

  const feed = async (slot: Slot, index: number) => {
    const input = o.inputs[index];
    const post = (m: ToWorker, transfer?: ArrayBuffer[]) => slot.worker.postMessage(m, transfer);
    post({ t: "open", index, name: input.name, key: input.key });
    try {
      for await (const chunk of input.open(0)) {
        while (slot.credits <= 0 && !failure)
          await new Promise<void>((resolve) => {
            slot.wakeFeeder = resolve;
          });
        if (failure) return;
        slot.credits--;
        const bytes = new Uint8Array(chunk); // a copy of its own, to transfer
        post({ t: "chunk", bytes }, [bytes.buffer as ArrayBuffer]);
      }
      post({ t: "end" });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      post({ t: "fail", message: (err as Error).message, code: typeof code === "string" ? code : undefined });
    }
  };

  // Every input applied: each worker sends the attribution counts it kept ("final"), then it is done.
  let finishing = false;
  let finals = 0;
  const finishAll = () => {
    if (finishing) return;
    finishing = true;
    for (const s of slots) s.worker.postMessage({ t: "finish" } satisfies ToWorker);
  };

  const onMessage = (slot: Slot, m: FromWorker) => {
    if (m.t === "final") {
      o.attribution?.merge(m.attribution);
      if (++finals === slots.length) settle();
      return;
    }
    if (m.t === "ack") {
      slot.credits++;
      slot.wakeFeeder?.();
      slot.wakeFeeder = undefined;
      return;
    }
    if (m.t === "error") {
      failure ??= new Error(`replay worker: ${m.message}`);
      fail(failure);
      return;
    }
    const index = busy.get(slot)!;
    waiting.get(index)!.push({ slot, m });
    drain();
    if (m.t === "done") {
      busy.delete(slot);
      slot.credits = CHUNKS_IN_FLIGHT;
      dispatch(slot);
      // Inputs applied just now may let idle workers go on.
      for (const s of slots) if (!busy.has(s)) dispatch(s);
      if (applied === o.inputs.length) finishAll();
    }
  };

  try {
    for (let i = 0; i < threads; i++) {
      const worker = startWorker(setup);
      const slot: Slot = { worker, ids: [], credits: CHUNKS_IN_FLIGHT, wakeFeeder: undefined };
      slots.push(slot);
      worker.on("message", (m: FromWorker) => onMessage(slot, m));
      worker.on("error", (e) => {
        failure ??= e;
        fail(e);
      });
      worker.on("exit", (code) => {
        if (code !== 0 && applied < o.inputs.length) {
          failure ??= new Error(`replay worker exited with code ${code}`);
          fail(failure);
        }
      });
    }
    if (o.inputs.length === 0) finishAll();
    for (const slot of slots) dispatch(slot);
    await finished;
  } finally {
    failure ??= new Error("replay: stopped");
    for (const s of slots) s.wakeFeeder?.();
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
