/**
 * Replay's reader: the same events in batches of any size as one by one, and a broken CloudTrail
 * document — streamed, so some of its events went out — taken back whole, while broken JSON lines keep
 * the lines before the damage.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import type { Skip } from "../../src/ingest/ingest-input.js";
import { type SourceBatch, sourceEventBatches } from "../../src/ingest/source-events.js";
import { recordLines } from "../helpers/records.js";

const dir = mkdtempSync(join(tmpdir(), "trailwatch-source-events-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const LINES = recordLines();
const trail = join(dir, "AWSLogs", "111122223333", "CloudTrail", "eu-west-1", "2024", "06", "01");
mkdirSync(trail, { recursive: true });
const file = (name: string, body: string | Buffer) => writeFileSync(join(trail, name), body);
file("a.json.gz", gzipSync(`{"Records":[${LINES.slice(0, 300).join(",")}]}`));
// Broken at its very end: the scanner has handed out most of it by then.
file("b.json.gz", gzipSync(`{"Records":[${LINES.slice(300, 700).join(",")}, {"x": nul}]}`));
file("c.jsonl", LINES.slice(700, 800).join("\n"));
const lines = gzipSync(LINES.slice(800, 896).join("\n"));
file("d.jsonl.gz", lines.subarray(0, Math.floor(lines.length * 0.7)));

async function readAll(batchItems?: number) {
  const skips: Skip[] = [];
  const batches: SourceBatch[] = [];
  for await (const b of sourceEventBatches([dir], { batchItems, onSkip: (s) => skips.push(s) }))
    batches.push(b);
  return { skips, batches };
}

/** The events a consumer keeps: an input's provisional events count once it ends, unless voided. */
function kept(batches: SourceBatch[]): string[] {
  const out: string[] = [];
  let open: string[] = [];
  for (const b of batches) {
    if (b.void) {
      open = [];
      continue;
    }
    for (const e of b.events)
      (b.provisional ? open : out).push(`${b.input} ${e.timestamp} ${e.message.length}`);
    if (!b.provisional) {
      out.push(...open);
      open = [];
    }
  }
  return [...out, ...open];
}

test("batches of any size give the same events", async () => {
  const one = await readAll(1);
  assert.ok(one.batches.every((b) => b.events.length <= 1));
  for (const size of [7, 500, undefined]) {
    const other = await readAll(size);
    assert.deepEqual(kept(other.batches), kept(one.batches), `batches of ${size}`);
    assert.deepEqual(other.skips, one.skips);
  }
});

test("a broken document is taken back whole; broken JSON lines keep what came before the damage", async () => {
  const { skips, batches } = await readAll(50);
  const ofInput = (i: number) => batches.filter((b) => b.input === i);
  // a: a good document, streamed.
  assert.equal(
    ofInput(0).reduce((n, b) => n + b.events.length, 0),
    300,
  );
  // b: events went out provisionally, then the input was voided, and reported once.
  assert.ok(ofInput(1).some((b) => b.events.length > 0 && b.provisional));
  assert.equal(ofInput(1).at(-1)?.void, true);
  assert.equal(skips.filter((s) => s.input.endsWith("b.json.gz")).length, 1);
  assert.match(
    skips.find((s) => s.input.endsWith("b.json.gz"))?.reason ?? "",
    /invalid JSON in CloudTrail file/,
  );
  // c: JSON lines, never provisional.
  assert.ok(ofInput(2).every((b) => !b.provisional && !b.void));
  // d: truncated .gz of JSON lines: the whole lines before the damage stand, nothing is voided.
  const d = ofInput(3);
  assert.ok(d.length > 0 && d.every((b) => !b.void));
  assert.ok(skips.some((s) => s.input.endsWith("d.jsonl.gz")));
  assert.equal(kept(batches).filter((k) => k.startsWith("1 ")).length, 0);
});
