/**
 * Replay's fast paths against its plain definition: events one at a time or in batches of any size,
 * samples held or spilled, give the same summary, transitions and stored aggregates; a document taken
 * back leaves no trace; and over a random workload with alarms of every kind the early evaluation can
 * meet (M of N, each TreatMissingData, non-monotone statistics) replay gives exactly live mode's
 * transitions, reasons included.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ReplayBatch } from "../../src/engine/replay.js";
import { replay } from "../../src/engine/replay.js";
import { type CloudTrailLogEvent, toLogEvent } from "../../src/ingest/cloudtrail-events.js";
import type { Pack } from "../../src/packs/pack.js";
import { testEngine } from "../helpers/engine.js";
import { rng } from "../helpers/random.js";
import { recordLines } from "../helpers/records.js";
import { seedWithAlarmsOfEveryKind as pack } from "../helpers/replay-pack.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const GROUP = "CloudTrail/DefaultLogGroup";

/** `n` real records at random seconds of `minutes` minutes, in no particular order. */
function workload(seed: number, n: number, minutes: number): CloudTrailLogEvent[] {
  const r = rng(seed);
  const lines = recordLines();
  const events: CloudTrailLogEvent[] = [];
  while (events.length < n) {
    const rec = JSON.parse(r.pick(lines));
    // Bursts: several events may share a second, as CloudTrail's eventTime has whole seconds.
    const t =
      T0 +
      (r.chance(0.3) && events.length > 0
        ? events[events.length - 1].timestamp - T0
        : r.int(minutes * 60) * 1000);
    rec.eventTime = new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
    const e = toLogEvent(rec);
    if (typeof e !== "string") events.push(e);
  }
  return events;
}

function batches(events: readonly CloudTrailLogEvent[], size: number): ReplayBatch[] {
  const out: ReplayBatch[] = [];
  for (let i = 0; i < events.length; i += size)
    out.push({ events: events.slice(i, i + size), input: Math.floor(i / (size * 3)), provisional: false });
  return out;
}

async function* from<T>(xs: readonly T[]) {
  yield* xs;
}

interface Outcome {
  summary: unknown;
  transitions: string[];
  aggregates: string[];
}

async function run(
  p: Pack,
  input: readonly (CloudTrailLogEvent | ReplayBatch)[],
  spillAt?: number,
): Promise<Outcome> {
  const t = await testEngine({ start: 0, storeEvents: false });
  try {
    const summary = await replay({
      engine: t.engine,
      clock: t.clock,
      pack: p,
      events: from(input),
      skipped: [],
      spillAt,
    });
    const aggregates: string[] = [];
    for (const f of p.logGroups[0].metricFilters)
      for (const m of f.metricTransformations) {
        const metric = { namespace: m.metricNamespace, metricName: m.metricName, dimensions: [] };
        for (const a of await t.engine.store.queryAggregates(metric, 0, Number.MAX_SAFE_INTEGER))
          aggregates.push(JSON.stringify([m.metricName, a.timestamp, a.sampleCount, a.sum, a.min, a.max]));
      }
    return { summary, transitions: t.transitions.map(describeTransition), aggregates };
  } finally {
    await t.close();
  }
}

function describeTransition(t: {
  timestamp: number;
  alarm: { alarmName: string };
  oldState: string;
  newState: string;
  reason: string;
}) {
  return `${new Date(t.timestamp).toISOString()} ${t.alarm.alarmName} ${t.oldState}->${t.newState} ${t.reason}`;
}

describe("replay's batches, spills and streamed documents", () => {
  test("one at a time, in batches of any size, held or spilled: the same results", async () => {
    const p = await pack();
    const events = workload(7, 600, 240);
    const expected = await run(p, events);
    assert.ok(expected.transitions.length > 20, "the workload moves the alarms");
    for (const [size, spillAt] of [
      [1, undefined],
      [7, 5],
      [100, 1],
      [1000, 64],
    ] as const) {
      assert.deepEqual(
        await run(p, batches(events, size), spillAt),
        expected,
        `batches of ${size}, spill at ${spillAt}`,
      );
    }
  });

  test("a document taken back (void) leaves no trace", async () => {
    const p = await pack();
    const kept = workload(11, 300, 120);
    const broken = workload(12, 200, 120);
    const expected = await run(p, batches(kept, 50));
    const input: ReplayBatch[] = [
      { events: broken.slice(0, 80), input: 0, provisional: true },
      { events: broken.slice(80), input: 0, provisional: true },
      { events: [], input: 0, provisional: true, void: true },
      ...batches(kept, 50).map((b) => ({ ...b, input: (b.input ?? 0) + 1 })),
    ];
    assert.deepEqual(await run(p, input, 10), expected);
  });

  test("the metric index keeps only what alarm windows reach, not the whole history", async () => {
    const p = await pack();
    // Two days of events: the index must have dropped the first day's minutes by the end.
    const events = workload(5, 400, 48 * 60);
    const t = await testEngine({ start: 0, storeEvents: false });
    try {
      await replay({ engine: t.engine, clock: t.clock, pack: p, events: from(events), skipped: [] });
      const metric = {
        namespace: "CloudTrailMetrics",
        metricName: "ApiActivityWithoutMFACount",
        dimensions: [],
      };
      const stored = await t.engine.store.queryAggregates(metric, T0, T0 + 24 * 3_600_000);
      assert.ok(stored.length > 20, "the store keeps the first day");
      assert.deepEqual(t.engine.index.range(metric, T0, T0 + 24 * 3_600_000), []);
    } finally {
      await t.close();
    }
  });

  test("replay gives live mode's transitions, reasons included", async () => {
    const p = await pack();
    const events = workload(3, 500, 180);
    const replayed = await run(p, batches(events, 64), 50);

    const live = await testEngine({ start: 0 });
    try {
      const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
      const first = sorted[0].timestamp;
      const start = Math.floor(first / 60_000) * 60_000;
      live.clock.set(start);
      const { installPack } = await import("../../src/engine/install-pack.js");
      await installPack(live.engine, p);
      await live.engine.tick(start);
      const end = sorted[sorted.length - 1].timestamp + live.engine.alarms.longestRangeMs() + 120_000;
      let i = 0;
      for (let minute = start + 60_000; minute <= end + 60_000; minute += 60_000) {
        // The events of each second before this minute, as one batch per second arriving at that second.
        while (i < sorted.length && sorted[i].timestamp < minute) {
          const t = sorted[i].timestamp;
          const byStream = new Map<string, { timestamp: number; message: string }[]>();
          for (; i < sorted.length && sorted[i].timestamp === t; i++) {
            const e = sorted[i];
            byStream.set(e.logStreamName, [...(byStream.get(e.logStreamName) ?? []), e]);
          }
          live.clock.set(t);
          await live.engine.ingestBatch(
            GROUP,
            [...byStream].map(([logStreamName, es]) => ({ logStreamName, events: es })),
          );
        }
        const now = Math.min(minute, end);
        live.clock.set(now);
        await live.engine.tick(now);
      }
      assert.deepEqual(live.transitions.map(describeTransition), replayed.transitions);
    } finally {
      await live.close();
    }
  });
});
