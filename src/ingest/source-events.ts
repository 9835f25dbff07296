/**
 * The events of any sources (files, folders, s3:// URLs, "-") as one stream, without checkpoints: what
 * replay reads. Problems are reported through `onSkip` and passed over; an input that cannot be read at
 * all is reported once.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { decompressed } from "./byte-source.js";
import type { CloudTrailLogEvent } from "./cloudtrail-events.js";
import { cloudTrailStreamName } from "./cloudtrail-key.js";
import type { TimeRange } from "./file-source.js";
import type { Skip } from "./ingest-input.js";
import { listInputs } from "./ingest-sources.js";
import type { Input } from "./input.js";
import { readRecords, UnreadableInput } from "./record-reader.js";
import { defaultS3Client } from "./s3-source.js";

export interface SourceEventsOptions {
  range?: TimeRange;
  s3Client?: () => S3Client;
  onSkip(skip: Skip): void;
  /** Called when an input has been read to its end (progress). */
  onInput?(input: Input, done: number, total: number): void;
}

export async function* sourceEvents(
  specs: readonly string[],
  options: SourceEventsOptions,
): AsyncGenerator<CloudTrailLogEvent> {
  let client: S3Client | undefined;
  const s3Client = () => {
    client ??= (options.s3Client ?? defaultS3Client)();
    return client;
  };
  const range = options.range ?? {};
  const inputs: Input[] = [];
  for await (const input of listInputs(specs, range, s3Client)) inputs.push(input);
  let done = 0;
  for (const input of inputs) {
    try {
      for await (const item of readRecords(decompressed(input.open(0)))) {
        if (item.kind === "skip") {
          options.onSkip({ input: input.name, offset: item.offset, reason: item.reason });
          continue;
        }
        if (
          (range.since !== undefined && item.timestamp < range.since) ||
          (range.until !== undefined && item.timestamp > range.until)
        )
          continue;
        yield {
          timestamp: item.timestamp,
          message: item.message,
          logStreamName: cloudTrailStreamName(item.account, item.region, input.key),
        };
      }
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      if (!(err instanceof UnreadableInput) && typeof code !== "string") throw err;
      const reason =
        err instanceof UnreadableInput
          ? err.message
          : String(code).startsWith("Z_")
            ? `not valid gzip data (${(err as Error).message})`
            : (err as Error).message;
      options.onSkip({
        input: input.name,
        offset: err instanceof UnreadableInput ? err.offset : undefined,
        reason,
      });
    }
    options.onInput?.(input, ++done, inputs.length);
  }
}
