/**
 * inflatedInPlace (a replay worker's one-call gunzip of a small input) against decompressed (streamed):
 * the same bytes and the same error for whole, truncated, corrupt and plain inputs, and for an input
 * whose bytes stop with a read error.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { decompressed, inflatedInPlace } from "../../src/ingest/byte-source.js";

const text = Buffer.from(
  Array.from({ length: 40_000 }, (_, i) => `{"n":${i},"pad":"${"x".repeat(i % 50)}"}`).join("\n"),
);
const gz = gzipSync(text);

async function* chunks(bytes: Buffer, size: number, fail?: Error, first = size): AsyncGenerator<Buffer> {
  if (bytes.length > 0) yield bytes.subarray(0, first);
  for (let i = first; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  if (fail) throw fail;
}

async function drain(it: AsyncIterable<Buffer>): Promise<{ bytes: string; error?: string }> {
  const out: Buffer[] = [];
  try {
    for await (const c of it) out.push(c);
  } catch (e) {
    return {
      bytes: Buffer.concat(out).toString("base64"),
      error: `${(e as { code?: string }).code} ${(e as Error).message}`,
    };
  }
  return { bytes: Buffer.concat(out).toString("base64") };
}

test("inflatedInPlace gives exactly what decompressed gives", async () => {
  const reset = () => Object.assign(new Error("connection reset"), { code: "ECONNRESET" });
  const cases: [string, () => AsyncIterable<Buffer>][] = [
    ["gzip", () => chunks(gz, 65_536)],
    ["gzip, its first chunk one byte", () => chunks(gz, 65_536, undefined, 1)],
    ["truncated gzip", () => chunks(gz.subarray(0, Math.floor(gz.length * 0.6)), 4096)],
    ["corrupt gzip", () => chunks(Buffer.concat([gz.subarray(0, 100), Buffer.alloc(500, 7)]), 4096)],
    ["plain", () => chunks(text, 10_000)],
    ["gzip, then a read error", () => chunks(gz.subarray(0, gz.length >> 1), 8192, reset())],
    ["plain, then a read error", () => chunks(text.subarray(0, 50_000), 8192, reset())],
    ["empty", () => chunks(Buffer.alloc(0), 1)],
    ["one byte", () => chunks(Buffer.from("{"), 1)],
  ];
  for (const [name, make] of cases) {
    const streamed = await drain(decompressed(make()));
    const inPlace = await drain(inflatedInPlace(make()));
    assert.deepEqual(inPlace, streamed, name);
  }
  assert.equal((await drain(inflatedInPlace(chunks(gz, 65_536)))).bytes, text.toString("base64"));
});
