/**
 * S3 objects as inputs: `s3://bucket/prefix`, read with @aws-sdk/client-s3. Credentials and region come
 * from the usual AWS environment and config files (the SDK's default chain); AWS_ENDPOINT_URL_S3 or
 * AWS_ENDPOINT_URL point it elsewhere (an S3-compatible store; path-style addressing is then used).
 *
 * Listing: without a time range, one flat listing of the prefix (S3 returns keys in name order, which in
 * CloudTrail's layout is time order per account and region). With --since/--until, a skip-scan (see
 * listRanged) jumps over the day folders outside the range — a bucket with years of logs is not listed
 * in full to read one week.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { dayInRange, isDigest, isLogFileName, parseCloudTrailKey } from "./cloudtrail-key.js";
import type { TimeRange } from "./file-source.js";
import type { Input } from "./input.js";

export interface S3Location {
  bucket: string;
  prefix: string;
}

export function isS3Url(spec: string): boolean {
  return spec.startsWith("s3://");
}

export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m || m[1] === "") throw new Error(`not an S3 URL: ${url} (expected s3://bucket/prefix)`);
  return { bucket: m[1], prefix: m[2] };
}

/** The S3 client of the default AWS configuration (env, ~/.aws/config and credentials). */
export function defaultS3Client(): S3Client {
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return new S3Client({
    // S3-compatible stores on a custom endpoint (s3rver, MinIO) address buckets by path.
    ...(endpoint ? { forcePathStyle: true } : {}),
  });
}

function objectInput(client: S3Client, bucket: string, key: string, size: number, etag: string): Input {
  return {
    source: `s3://${bucket}/${key}`,
    name: `s3://${bucket}/${key}`,
    version: `${etag}:${size}`,
    size,
    appendable: false,
    key: parseCloudTrailKey(key),
    open: () => objectBytes(client, bucket, key),
  };
}

async function* objectBytes(client: S3Client, bucket: string, key: string): AsyncGenerator<Buffer> {
  const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = r.Body as AsyncIterable<Uint8Array> | undefined;
  if (!body) return;
  for await (const chunk of body)
    yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Every object under `prefix` (no delimiter), in key order. */
async function* listFlat(client: S3Client, bucket: string, prefix: string): AsyncGenerator<Input> {
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) {
      const key = o.Key ?? "";
      const name = key.slice(key.lastIndexOf("/") + 1);
      if (!isLogFileName(name) || isDigest(key)) continue;
      yield objectInput(client, bucket, key, o.Size ?? 0, (o.ETag ?? "").replaceAll('"', ""));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

const DAY = 86_400_000;
const DATED_KEY = /^(.*\/CloudTrail\/[a-z0-9-]+\/)(\d{4})\/(\d{2})\/(\d{2})\//;

/** The first day folder `yyyy/mm/dd/` that can hold events at or after `since`. */
function firstDayFolder(since: number): string {
  let t = Math.floor(since / DAY) * DAY - 3 * DAY;
  while (!dayInRange(new Date(t).toISOString().slice(0, 10), since, undefined)) t += DAY;
  return `${new Date(t).toISOString().slice(0, 10).replaceAll("-", "/")}/`;
}

/**
 * A skip-scan in key order: listing continues while keys are inside the range; on the first key of a
 * region before the range it starts again (StartAfter) at the range's first day folder of that region,
 * and on the first key after the range at the end of that region. So a bucket with years of logs costs
 * about one request per region boundary plus the pages of the days asked for. (No "/" delimiter walk:
 * the keys say where they are, and S3-compatible stores differ in how they treat delimiters.)
 */
async function* listRanged(
  client: S3Client,
  bucket: string,
  prefix: string,
  range: TimeRange,
): AsyncGenerator<Input> {
  let startAfter: string | undefined;
  let token: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        StartAfter: startAfter,
        ContinuationToken: token,
      }),
    );
    let restart: string | undefined;
    for (const o of page.Contents ?? []) {
      const key = o.Key ?? "";
      const dated = DATED_KEY.exec(key);
      if (dated && !isDigest(key)) {
        const day = `${dated[2]}-${dated[3]}-${dated[4]}`;
        if (!dayInRange(day, range.since, range.until)) {
          const before = range.since !== undefined && Date.parse(`${day}T00:00:00Z`) < range.since;
          // "~" sorts after every digit: the end of this region's date folders.
          const next = before ? `${dated[1]}${firstDayFolder(range.since!)}` : `${dated[1]}~`;
          if (next > key) {
            restart = next;
            break;
          }
          continue;
        }
      }
      const name = key.slice(key.lastIndexOf("/") + 1);
      if (!isLogFileName(name) || isDigest(key)) continue;
      yield objectInput(client, bucket, key, o.Size ?? 0, (o.ETag ?? "").replaceAll('"', ""));
    }
    if (restart !== undefined) {
      startAfter = restart;
      token = undefined;
      continue;
    }
    if (!page.IsTruncated || !page.NextContinuationToken) return;
    token = page.NextContinuationToken;
  }
}

/** The objects of an s3:// URL that can hold events in the range, in key order. */
export function s3Inputs(client: S3Client, url: string, range: TimeRange = {}): AsyncGenerator<Input> {
  const { bucket, prefix } = parseS3Url(url);
  if (range.since === undefined && range.until === undefined) return listFlat(client, bucket, prefix);
  return listRanged(client, bucket, prefix, range);
}
