/**
 * Replay's pass 1 on worker threads against the same pass on the main thread: over inputs of every kind
 * (gzipped and plain CloudTrail documents, JSON lines, a document broken at its end after most of it went
 * out, truncated gzip, garbage, records without eventTime, an input whose bytes stop with a read error),
 * any number of threads gives the same summary, skips (in input order), transitions with their reasons,
 * stored aggregates and top identities — workers finishing in any order.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { replay } from "../../src/engine/replay.js";
import type { Skip } from "../../src/ingest/ingest-input.js";
import type { Input } from "../../src/ingest/input.js";
import { listSourceInputs } from "../../src/ingest/source-events.js";
import { testEngine } from "../helpers/engine.js";
import { rng } from "../helpers/random.js";
import { recordLines } from "../helpers/records.js";
import { seedWithAlarmsOfEveryKind } from "../helpers/replay-pack.js";

const T0 = Date.parse("2026-03-01T00:00:00Z");
const dir = mkdtempSync(join(tmpdir(), "trailwatch-replay-parallel-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Real records at random seconds of a 6-hour window (bursts included), compact JSON. */
function records(seed: number, n: number): string[] {
  const r = rng(seed);
  const lines = recordLines();
  const out: string[] = [];
  let t = T0 + r.int(6 * 3600) * 1000;
  while (out.length < n) {
    const rec = JSON.parse(r.pick(lines));
    if (!r.chance(0.3)) t = T0 + r.int(6 * 3600) * 1000;
    rec.eventTime = new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
    out.push(JSON.stringify(rec));
  }
  return out;
}

const day = join(dir, "AWSLogs", "111122223333", "CloudTrail", "eu-west-1", "2026", "03", "01");
mkdirSync(day, { recursive: true });
const file = (name: string, body: string | Buffer) => writeFileSync(join(day, name), body);
const doc = (lines: string[]) => `{"Records":[${lines.join(",")}]}`;
for (let i = 0; i < 9; i++) file(`good-${i}.json.gz`, gzipSync(doc(records(i, 150 + i * 40))));
file("plain.json", doc(records(20, 120)));
file("broken-end.json.gz", gzipSync(`${doc(records(21, 400)).slice(0, -2)}, {"x": nul}]}`));
file("lines.jsonl", [...records(22, 60), "{not json", ...records(23, 60)].join("\n"));
const truncated = gzipSync(records(24, 200).join("\n"));
file("truncated.jsonl.gz", truncated.subarray(0, Math.floor(truncated.length * 0.6)));
file("garbage.json.gz", Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
const noTime = records(25, 30).map((l, i) => (i % 7 === 3 ? l.replace(/"eventTime":"[^"]*",?/, "") : l));
file("no-time.json", doc(noTime));

/** An input whose bytes stop with a read error after its first chunk (a vanished file, a reset S3 body). */
function failingInput(): Input {
  const body = Buffer.from(records(26, 50).join("\n"));
  return {
    name: "failing.jsonl",
    key: {},
    size: body.length,
    mtimeMs: 0,
    async *open() {
      yield body.subarray(0, Math.floor(body.length / 2));
      throw Object.assign(new Error("connection reset"), { code: "ECONNRESET" });
    },
  } as unknown as Input;
}

async function run(threads: number, list: readonly Input[]) {
  const p = await seedWithAlarmsOfEveryKind();
  const t = await testEngine({ start: 0, storeEvents: false });
  try {
    const skips: Skip[] = [];
    const inputsDone: number[] = [];
    const summary = await replay({
      engine: t.engine,
      clock: t.clock,
      pack: p,
      inputs: { list, onSkip: (s) => skips.push(s), onInput: (_i, done) => inputsDone.push(done) },
      threads,
      attribute: true,
      skipped: [],
    });
    const aggregates: string[] = [];
    for (const f of p.logGroups[0].metricFilters)
      for (const m of f.metricTransformations) {
        const metric = { namespace: m.metricNamespace, metricName: m.metricName, dimensions: [] };
        for (const a of await t.engine.store.queryAggregates(metric, 0, Number.MAX_SAFE_INTEGER))
          aggregates.push(JSON.stringify([m.metricName, a.timestamp, a.sampleCount, a.sum]));
      }
    const tops = p.alarms.map((a) => summary.attribution?.top(String(a.Namespace), String(a.MetricName), 5));
    const { attribution: _, ...plain } = summary;
    return {
      summary: plain,
      skips,
      inputsDone,
      tops,
      aggregates,
      transitions: t.transitions.map(
        (x) => `${x.timestamp} ${x.alarm.alarmName} ${x.oldState}->${x.newState} ${x.reason}`,
      ),
    };
  } finally {
    await t.close();
  }
}

describe("replay on worker threads", () => {
  test("1, 2 and 3 threads give the same summary, skips, transitions, aggregates and attribution", async () => {
    const list = [...(await listSourceInputs([dir], {})), failingInput()];
    assert.equal(list.length, 16);
    const one = await run(1, list);
    // The inputs are not trivial: events were read and skipped for every kind of damage.
    assert.ok(one.summary.events > 1000, `events: ${one.summary.events}`);
    assert.ok(one.transitions.length > 5, `transitions: ${one.transitions.length}`);
    for (const name of ["broken-end", "lines.jsonl", "truncated", "garbage", "no-time", "failing"])
      assert.ok(
        one.skips.some((s) => s.input.includes(name)),
        `${name} reported: ${JSON.stringify(one.skips)}`,
      );
    assert.ok((one.tops[0]?.identities.length ?? 0) > 0, "identities counted");
    assert.deepEqual(
      one.inputsDone,
      list.map((_, i) => i + 1),
    );
    for (const threads of [2, 3]) {
      const many = await run(threads, list);
      assert.deepEqual(many, one, `${threads} threads`);
    }
  });

  test("the broken document's events are taken back on a worker too", async () => {
    const list = (await listSourceInputs([dir], {})).filter((i) => /broken-end|good-0/.test(i.name));
    const both = await run(2, list);
    const good = await run(
      2,
      list.filter((i) => i.name.includes("good-0")),
    );
    assert.equal(both.summary.events, good.summary.events);
    assert.deepEqual(both.transitions, good.transitions);
  });
});

describe("replay workers failing", () => {
  test("a worker that cannot start fails the replay with the reason, and nothing hangs", async () => {
    const { readInParallel } = await import("../../src/engine/replay-parallel.js");
    const { emptyTotals } = await import("../../src/engine/replay-reader.js");
    const { SampleLog } = await import("../../src/engine/replay-samples.js");
    const { SeriesTable } = await import("../../src/engine/replay-series.js");
    const list = await listSourceInputs([dir], {});
    const samples = new SampleLog();
    try {
      await assert.rejects(
        readInParallel({
          inputs: list,
          threads: 2,
          // A pattern no filter could have been stored with: the worker's pipeline throws on load.
          filters: [
            {
              logGroupName: "g",
              filterName: "broken",
              filterPattern: "{ $.a = ",
              metricTransformations: [{ metricName: "M", metricNamespace: "N", metricValue: "1" }],
              creationTime: 0,
            },
          ],
          context: { account: "111122223333", region: "eu-west-1" },
          range: {},
          series: new SeriesTable(),
          samples,
          totals: emptyTotals(),
          onSkip: () => {},
        }),
        /must end with '}'/,
      );
    } finally {
      samples.close();
    }
  });
});
