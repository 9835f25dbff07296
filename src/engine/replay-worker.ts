/**
 * A replay worker thread: reads the inputs the main thread hands it (raw bytes, one input at a time)
 * through the same reader and metric filters as the main thread would, and sends back per input its
 * settled samples (in bounded messages), skips, totals and attribution. See replay-parallel.ts.
 */
import { parentPort, workerData } from "node:worker_threads";
import { inputEventBatches } from "../ingest/source-events.js";
import { LogGroupPipeline } from "./log-group-pipeline.js";
import { Attribution } from "./replay-attribution.js";
import type { FromWorker, ToWorker, WorkerSetup } from "./replay-protocol.js";
import { ReplayReader, type SampleSink } from "./replay-reader.js";
import { SeriesTable } from "./replay-series.js";

/** Settled samples sent in one message at most (bounded memory on both sides). */
const SAMPLES_PER_MESSAGE = 1 << 15;

const port = parentPort!;
const setup = workerData as WorkerSetup;
const send = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

/** Samples of the current input: the settled ones go out in messages, the rest may be rolled back. */
class SampleBuffer implements SampleSink {
  private time = new Float64Array(4096);
  private series = new Uint32Array(4096);
  private value = new Float64Array(4096);
  private count = 0;
  private settled = 0;

  constructor(private readonly flush: () => void) {}

  add(time: number, series: number, value: number): void {
    if (this.count === this.time.length) this.grow();
    this.time[this.count] = time;
    this.series[this.count] = series;
    this.value[this.count] = value;
    this.count++;
  }

  settle(): void {
    this.settled = this.count;
    if (this.settled >= SAMPLES_PER_MESSAGE) this.flush();
  }

  rollback(): void {
    this.count = this.settled;
  }

  /** The settled samples (copies), removed from the buffer. */
  take(): { time: Float64Array; series: Uint32Array; value: Float64Array } {
    const n = this.settled;
    const out = {
      time: this.time.slice(0, n),
      series: this.series.slice(0, n),
      value: this.value.slice(0, n),
    };
    this.time.copyWithin(0, n, this.count);
    this.series.copyWithin(0, n, this.count);
    this.value.copyWithin(0, n, this.count);
    this.count -= n;
    this.settled = 0;
    return out;
  }

  private grow(): void {
    const grown = <T extends Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(a.length * 2);
      b.set(a);
      return b;
    };
    this.time = grown(this.time, (n) => new Float64Array(n));
    this.series = grown(this.series, (n) => new Uint32Array(n));
    this.value = grown(this.value, (n) => new Float64Array(n));
  }
}

const series = new SeriesTable();
/** Who is behind each metric, over every input this worker reads (sums: merged in any order). */
const attribution = setup.attribute ? new Attribution() : undefined;
/** Distinct keys held before the counts are sent with an input's results. */
const ATTRIBUTION_FLUSH_AT = 100_000;
let announced = 0;
const pipeline = setup.filters.length > 0 ? new LogGroupPipeline(setup.filters) : undefined;

function flushSamples(): void {
  const s = buffer.take();
  if (s.time.length === 0) return;
  const newSeries = series.list.slice(announced);
  announced = series.list.length;
  send({ t: "samples", ...s, newSeries }, [s.time.buffer, s.series.buffer, s.value.buffer] as ArrayBuffer[]);
}
const buffer = new SampleBuffer(flushSamples);

/** The bytes of the current input, as the main thread sends them. */
class Chunks implements AsyncIterable<Buffer> {
  private readonly queue: ToWorker[] = [];
  private wake: (() => void) | undefined;

  push(m: ToWorker): void {
    this.queue.push(m);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      const m = this.queue.shift();
      if (m === undefined) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        continue;
      }
      if (m.t === "chunk") {
        send({ t: "ack" });
        yield Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
      } else if (m.t === "end") return;
      else if (m.t === "fail") throw Object.assign(new Error(m.message), { code: m.code ?? "EIO" });
    }
  }
}

let current: Chunks | undefined;
const inputs: Extract<ToWorker, { t: "open" }>[] = [];
let running = false;

async function readInputs(): Promise<void> {
  running = true;
  try {
    for (let next = inputs.shift(); next !== undefined; next = inputs.shift()) {
      const open = next;
      const chunks = current!;
      const reader = new ReplayReader({
        pipeline,
        context: setup.context,
        series,
        samples: buffer,
        attribution,
      });
      for await (const batch of inputEventBatches(
        { name: open.name, key: open.key, open: () => chunks },
        open.index,
        {
          range: setup.range,
          inflateInPlace: true,
          onSkip: (skip) => send({ t: "skip", skip }),
        },
      ))
        reader.read(batch);
      reader.finish();
      flushSamples();
      const t = reader.totals;
      send({
        t: "done",
        totals: {
          events: t.events,
          matched: t.matched,
          first: t.first,
          last: t.last,
          streams: [...t.streams].map(([name, s]) => [name, s.first, s.last]),
        },
        // Counts go out at the end ("final"), or now when they have grown large.
        attribution:
          attribution !== undefined && attribution.size > ATTRIBUTION_FLUSH_AT ? attribution.take() : [],
      });
    }
  } catch (err) {
    send({ t: "error", message: (err as Error).stack ?? String(err) });
  } finally {
    running = false;
  }
}

port.on("message", (m: ToWorker) => {
  if (m.t === "finish") send({ t: "final", attribution: attribution?.take() ?? [] });
  else if (m.t === "open") {
    // The main thread opens the next input only after this one's "done".
    current = new Chunks();
    inputs.push(m);
    if (!running) void readInputs();
  } else current?.push(m);
});
