import { createReadStream } from "node:fs";
import { pipeline, Readable, type TransformOptions } from "node:stream";
import { createGunzip, gunzipSync, type ZlibOptions } from "node:zlib";
import { STDIN_PATH } from "./log-file-error.js";

/** Decompressed bytes per chunk, and chunks inflated ahead of the reader. */
const GUNZIP_CHUNK_BYTES = 256 * 1024;
const GUNZIP_READ_AHEAD_CHUNKS = 4;

/** gzip's magic number (RFC 1952). */
function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * `held` (chunks already taken from `rest`), then the rest of `rest` — or, when taking them had failed,
 * that failure, so that a consumer meets the same bytes and the same error as without the look-ahead.
 */
async function* prepend(
  held: readonly Buffer[],
  rest: AsyncIterator<Buffer>,
  failure?: unknown,
): AsyncGenerator<Buffer> {
  try {
    for (const chunk of held) if (chunk.length > 0) yield chunk;
    if (failure !== undefined) throw failure;
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
    yield* prepend([head], chunks);
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
  pipeline(Readable.from(prepend([head], chunks)), gunzip, () => {});
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } finally {
    gunzip.destroy();
  }
}

/** Gzipped inputs up to this size are inflated in one call by `inflatedInPlace`. */
const INFLATE_AT_ONCE_COMPRESSED = 8 * 1024 * 1024;
const INFLATE_AT_ONCE_OUTPUT = 32 * 1024 * 1024;
/**
 * Inflated output is handed on in pieces of this size: few enough that the reader rarely retries a scan
 * step at a piece's end, small enough that its text is not held whole (measured on 12 MB CloudTrail
 * files: one 12 MB piece was 1% faster than 4 MB pieces and held 140 MB more at peak with two workers).
 */
const INFLATED_PIECE_BYTES = 4 * 1024 * 1024;

/**
 * As `decompressed`, but a small gzipped input (a CloudTrail file, an S3 object) is inflated in one call
 * on the calling thread rather than streamed through zlib's thread pool: for a worker thread that has a
 * CPU to itself, the pool's hand-offs cost more than they give. Anything else — a large input, or one
 * that does not inflate cleanly (so that a truncated file yields the same partial data and error as
 * when streamed) — goes through `decompressed`.
 */
export async function* inflatedInPlace(raw: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const chunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const held: Buffer[] = [];
  let size = 0;
  let ended = false;
  let failure: unknown;
  // Gzip or not is known once two bytes are in; only gzip is held further, up to the limit.
  let gzip: boolean | undefined;
  try {
    while (size < INFLATE_AT_ONCE_COMPRESSED && gzip !== false) {
      const r = await chunks.next();
      if (r.done) {
        ended = true;
        break;
      }
      held.push(r.value);
      size += r.value.length;
      if (gzip === undefined && size >= 2) gzip = isGzip(Buffer.concat(held));
    }
  } catch (err) {
    failure = err; // the bytes before it are read as they would have been streamed, then it is thrown
  }
  if (ended && gzip === true) {
    const head = Buffer.concat(held);
    let out: Buffer | undefined;
    try {
      // Output room for the whole file in one buffer (CloudTrail's JSON inflates about tenfold): zlib
      // then returns that buffer instead of concatenating many (a copy of every byte).
      const room = Math.min(INFLATE_AT_ONCE_OUTPUT, Math.max(64 * 1024, head.length * 16));
      out = gunzipSync(head, { maxOutputLength: INFLATE_AT_ONCE_OUTPUT, chunkSize: room });
    } catch {
      out = undefined; // streamed below: the same data and the same error as without this shortcut
    }
    if (out !== undefined) {
      for (let i = 0; i < out.length; i += INFLATED_PIECE_BYTES)
        yield out.subarray(i, i + INFLATED_PIECE_BYTES);
      return;
    }
  }
  // The chunks as they came (a truncated stream's partial output depends on where its chunks end).
  yield* decompressed(prepend(held, chunks, failure));
}
