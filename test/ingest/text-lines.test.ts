import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeUtf8, splitLines } from "../../src/ingest/text-lines.js";

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test("a UTF-8 character split across chunks is decoded whole", async () => {
  const bytes = Buffer.from("é✓😀\n", "utf8");
  const chunks = Array.from(bytes, (b) => Buffer.from([b]));
  assert.deepEqual(await collect(splitLines(decodeUtf8(from(chunks)))), ["é✓😀"]);
});

test("lines split across chunks, CRLF split between chunks", async () => {
  const lines = await collect(splitLines(from(["ab", "c\r", "\nd\n\n", "e"])));
  assert.deepEqual(lines, ["abc", "d", "", "e"]);
});
