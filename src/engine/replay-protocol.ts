/**
 * The messages between replay's main thread and its worker threads (replay-parallel.ts, replay-worker.ts).
 * The main thread reads each input's raw bytes (a file, an S3 object) and hands them to a worker, which
 * gunzips, scans and filters them and sends back the input's samples, skips, totals and attribution.
 */
import type { CloudTrailKey } from "../ingest/cloudtrail-key.js";
import type { TimeRange } from "../ingest/file-source.js";
import type { Skip } from "../ingest/ingest-input.js";
import type { EventContext } from "../metrics/transformation.js";
import type { MetricFilter } from "../store/types.js";
import type { AttributionCounts } from "./replay-attribution.js";
import type { ReplaySeries } from "./replay-series.js";

export interface WorkerSetup {
  filters: MetricFilter[];
  context: EventContext;
  range: TimeRange;
  attribute: boolean;
}

export type ToWorker =
  | { t: "open"; index: number; name: string; key: CloudTrailKey }
  | { t: "chunk"; bytes: Uint8Array }
  | { t: "end" }
  /** No more inputs: send what is left ("final"). */
  | { t: "finish" }
  /** The main thread could not read the input further (the error's message and code). */
  | { t: "fail"; message: string; code?: string };

/** Serializable Totals. */
export interface WireTotals {
  events: number;
  matched: number;
  first: number;
  last: number;
  streams: [name: string, first: number, last: number][];
}

export type FromWorker =
  | { t: "ack" }
  /** Settled samples of the current input; `series` ids are the worker's, defined in `newSeries` on first use. */
  | {
      t: "samples";
      time: Float64Array;
      series: Uint32Array;
      value: Float64Array;
      newSeries: ReplaySeries[];
    }
  | { t: "skip"; skip: Skip }
  | { t: "done"; totals: WireTotals; attribution: AttributionCounts }
  /** After "finish": the attribution counts not sent yet. */
  | { t: "final"; attribution: AttributionCounts }
  | { t: "error"; message: string };
