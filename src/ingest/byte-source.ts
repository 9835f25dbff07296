import { createReadStream } from "node:fs";
import { pipeline, Readable, type TransformOptions } from "node:stream";
import { createGunzip, type ZlibOptions } from "node:zlib";
import { STDIN_PATH } from "./log-file-error.js";

/** Decompressed bytes per chunk, and chunks inflated ahead of the reader. */
const GUNZIP_CHUNK_BYTES = 256 * 1024;
const GUNZIP_READ_AHEAD_CHUNKS = 4;

/** gzip's magic number (RFC 1952). */
function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

async function* prepend(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head;
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // Stopping early must close the underlying stream, not just this wrapper.
    await rest.return?.();
  }
}

/**
 * The bytes of a file ("-" = stdin), gunzipped when they start with gzip's magic number: CloudTrail's
 * `.json.gz` files are often renamed or piped, so the name is not trusted. Streams, so that files of a few
 * hundred MB never sit in memory whole. Errors are the raw fs/zlib ones; callers name the file.
 */
export async function* decompressedChunks(path: string): AsyncGenerator<Buffer> {
  const raw: Readable = path === STDIN_PATH ? process.stdin : createReadStream(path);
  try {
    yield* decompressed(raw);
  } finally {
    // Stopping early must release the file descriptor (stdin is left to the process).
    if (raw !== process.stdin) raw.destroy();
  }
}

/** Any byte stream (a file, an S3 object, a request body), gunzipped when it starts with gzip's magic number. */
export async function* decompressed(raw: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const chunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  // A pipe may hand over a single byte first: gather enough to see the magic number.
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const r = await chunks.next();
    if (r.done) break;
    head = Buffer.concat([head, r.value]);
  }
  if (!isGzip(head)) {
    yield* prepend(head, chunks);
    return;
  }
  // Large output chunks: per chunk the stream machinery costs more than inflating 16 KB (zlib's default)
  // does. And room for a few of them: zlib inflates in the thread pool, but only while its output buffer
  // has room, so with room it runs ahead while the main thread works through the records already out.
  const options: ZlibOptions & TransformOptions = {
    chunkSize: GUNZIP_CHUNK_BYTES,
    highWaterMark: GUNZIP_READ_AHEAD_CHUNKS * GUNZIP_CHUNK_BYTES,
  };
  const gunzip = createGunzip(options);
  // pipeline destroys the gunzip stream with the source's error, so iterating it rethrows that error.
  pipeline(Readable.from(prepend(head, chunks)), gunzip, () => {});
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } finally {
    gunzip.destroy();
  }
}
