/**
 * The streaming document scanner against the whole-text one (scanCloudTrailDocuments): for valid and
 * broken documents, cut into chunks anywhere, the same elements and the same error (message and byte
 * offset) — and the elements do go out before the text has ended, or streaming would hold documents whole.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DocumentScanner } from "../../src/ingest/document-stream.js";
import {
  JsonScanError,
  type ScannedRecord,
  scanCloudTrailDocuments,
} from "../../src/ingest/record-scanner.js";
import { type Rng, rng } from "../helpers/random.js";
import { recordLines } from "../helpers/records.js";

interface Outcome {
  elements: string[];
  error?: string;
}

function whole(text: string): Outcome {
  try {
    const records = scanCloudTrailDocuments(text);
    return { elements: records.map((r) => describe(text.slice(r.start, r.end), r)) };
  } catch (err) {
    if (!(err instanceof JsonScanError)) throw err;
    return {
      elements: [],
      error: `${err.message} @${Buffer.byteLength(text.slice(0, err.offset), "utf8")}`,
    };
  }
}

function describe(
  text: string,
  r: { notObject?: boolean; eventTime?: string; awsRegion?: string; recipientAccountId?: string },
) {
  return JSON.stringify([text, r.notObject ?? false, r.eventTime, r.awsRegion, r.recipientAccountId]);
}

/** The text pushed in pieces of the given sizes; also counts the elements out before the last piece. */
function streamed(text: string, sizes: () => number, tellBytes = false): Outcome & { early: number } {
  const scanner = new DocumentScanner();
  const elements: string[] = [];
  let early = 0;
  try {
    for (let i = 0; i < text.length; ) {
      const n = Math.max(1, sizes());
      // Half the time the caller tells the piece's UTF-8 length, as the reader does for ASCII chunks.
      const piece = text.slice(i, i + n);
      const onElement = (r: ScannedRecord, t: string) => elements.push(describe(t.slice(r.start, r.end), r));
      scanner.push(piece, false, onElement, tellBytes ? Buffer.byteLength(piece) : undefined);
      i += n;
      if (i < text.length) early = elements.length;
    }
    scanner.push("", true, (r, t) => elements.push(describe(t.slice(r.start, r.end), r)));
    return { elements, early };
  } catch (err) {
    if (!(err instanceof JsonScanError)) throw err;
    return { elements: [], error: `${err.message} @${scanner.byteOffsetOf(err.offset)}`, early };
  }
}

const LINES = recordLines();

function document(r: Rng): string {
  const n = r.int(6);
  const records: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = r.int(10);
    records.push(k === 0 ? r.pick(["42", "-1.5e3", "true", "null", '"x"', "[1, 2]"]) : r.pick(LINES));
  }
  const ws = () => r.pick(["", " ", "\n", "  \r\n\t"]);
  const tail = r.chance(0.2) ? `,${ws()}"more"${ws()}:${ws()}${r.pick(["1", '{"a": [true]}', '"é"'])}` : "";
  return `${ws()}{${ws()}"Records"${ws()}:${ws()}[${ws()}${records.join(`${ws()},${ws()}`)}${ws()}]${tail}${ws()}}${ws()}`;
}

/** A few edits of the kinds that break files: cut short, a char changed, dropped or added. */
function damaged(r: Rng, text: string): string {
  const at = r.int(text.length + 1);
  switch (r.int(4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + r.pick(["x", "}", "]", ",", '"', ":", "1", "é"]) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + text.slice(at + 1);
    default:
      return text.slice(0, at) + r.pick(["x", "{", "[", ",", '"', " ", "0", "-"]) + text.slice(at);
  }
}

test("streamed in any chunks, documents give what the whole-text scan gives", () => {
  for (let seed = 1; seed <= 400; seed++) {
    const r = rng(seed);
    let text = "";
    for (let d = 1 + r.int(3); d > 0; d--) text += document(r);
    if (seed % 2 === 0) text = damaged(r, text);
    const expected = whole(text);
    for (const sizes of [() => 1, () => 1 + r.int(9), () => 1 + r.int(400), () => 1 + r.int(5000)]) {
      const { early: _, ...got } = streamed(text, sizes, seed % 3 === 0);
      // Compared as text: a failure names the seed, not megabytes of records.
      assert.ok(
        JSON.stringify(got) === JSON.stringify(expected),
        `seed ${seed}: ${JSON.stringify(got).slice(0, 300)}`,
      );
    }
  }
});

test("records go out as the text arrives, not at its end", () => {
  const text = `{"Records":[${LINES.slice(0, 200).join(",")}]}`;
  const got = streamed(text, () => 4096);
  assert.equal(got.elements.length, 200);
  assert.ok(got.early > 150, `only ${got.early} of 200 records before the end`);
});

test("a huge element is rescanned a few times, not once per chunk", () => {
  const big = `{"eventTime":"2024-06-01T00:00:00Z","pad":"${"x".repeat(2_000_000)}"}`;
  const text = `{"Records":[${big}]}`;
  const t0 = performance.now();
  const got = streamed(text, () => 1024);
  assert.equal(got.elements.length, 1);
  // Once per chunk would scan ~2 TB of text; doubling keeps it to a few MB.
  assert.ok(performance.now() - t0 < 5000);
});
