/**
 * Ingestion of many sources — files, folders, s3:// URLs, "-" — input by input, each exactly once
 * (ingest-input.ts), with totals for progress bars and summaries, and --follow: list again every interval
 * and read what is new or has grown.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { fileInputs, type TimeRange } from "./file-source.js";
import { type IngestInputOptions, type IngestTarget, type InputResult, ingestInput } from "./ingest-input.js";
import type { Input } from "./input.js";
import { defaultS3Client, isS3Url, s3Inputs } from "./s3-source.js";

export interface IngestTotals {
  inputs: number;
  /** Inputs read in this run (not up to date already). */
  inputsRead: number;
  inputsDone: number;
  /** Size of the inputs listed in the first pass, and of those done: a progress bar's ETA. */
  bytes: number;
  bytesDone: number;
  events: number;
  matched: number;
  skipped: number;
  outOfRange: number;
}

export interface IngestSourcesOptions extends Omit<IngestInputOptions, "onCommit" | "holdPartialLine"> {
  follow?: boolean;
  /** Between listings in follow mode (default 2 s for files, 30 s for S3). */
  intervalMs?: number;
  /** Stops following (and reading) when aborted. */
  signal?: AbortSignal;
  s3Client?: () => S3Client;
  onProgress?(totals: IngestTotals): void;
  onInput?(input: Input, result: InputResult): void;
}

export function emptyTotals(): IngestTotals {
  return {
    inputs: 0,
    inputsRead: 0,
    inputsDone: 0,
    bytes: 0,
    bytesDone: 0,
    events: 0,
    matched: 0,
    skipped: 0,
    outOfRange: 0,
  };
}

/** The inputs of the sources, in order; S3 through the client (made on first use). */
export async function* listInputs(
  specs: readonly string[],
  range: TimeRange,
  s3Client: () => S3Client,
): AsyncGenerator<Input> {
  for (const spec of specs) {
    if (isS3Url(spec)) yield* s3Inputs(s3Client(), spec, range);
    else yield* fileInputs([spec], range);
  }
}

const DAY = 86_400_000;

export async function ingestSources(
  specs: readonly string[],
  target: IngestTarget,
  options: IngestSourcesOptions,
): Promise<IngestTotals> {
  let client: S3Client | undefined;
  const s3Client = () => {
    client ??= (options.s3Client ?? defaultS3Client)();
    return client;
  };
  const totals = emptyTotals();
  const range: TimeRange = { since: options.since, until: options.until };
  const hasS3 = specs.some(isS3Url);
  const interval = options.intervalMs ?? (hasS3 ? 30_000 : 2_000);
  for (let pass = 0; ; pass++) {
    // Later passes of --follow list only recent day folders: CloudTrail delivers within minutes.
    const listRange: TimeRange =
      pass === 0 ? range : { since: Math.max(range.since ?? 0, Date.now() - 2 * DAY), until: range.until };
    const inputs: Input[] = [];
    for await (const input of listInputs(specs, listRange, s3Client)) inputs.push(input);
    if (pass === 0) {
      totals.inputs = inputs.length;
      for (const i of inputs) totals.bytes += i.size;
      options.onProgress?.(totals);
    }
    for (const input of inputs) {
      if (options.signal?.aborted) return totals;
      const result = await ingestInput(input, target, {
        ...options,
        // Only a plain file that is followed may end in a line still being written.
        holdPartialLine: options.follow === true && input.appendable && input.source !== undefined,
        onCommit: (n) => {
          totals.events += n;
          options.onProgress?.(totals);
        },
      });
      if (result.status !== "up-to-date") totals.inputsRead++;
      if (pass === 0) totals.inputsDone++;
      totals.bytesDone += pass === 0 ? input.size : 0;
      totals.matched += result.matched;
      totals.skipped += result.skipped;
      totals.outOfRange += result.outOfRange;
      options.onInput?.(input, result);
      options.onProgress?.(totals);
    }
    if (!options.follow || specs.includes("-")) return totals;
    await sleep(interval, options.signal);
    if (options.signal?.aborted) return totals;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
