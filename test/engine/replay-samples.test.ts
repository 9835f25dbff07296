/**
 * Replay's sample log: time order with ties in the order added, the same whether held or spilled to
 * runs, rollback of an unsettled input, and memory bounded by the spill threshold however many samples
 * go through it (the test fails if samples are kept in memory as the history grows).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SampleLog } from "../../src/engine/replay-samples.js";
import { rng } from "../helpers/random.js";

function drain(log: SampleLog): [number, number, number][] {
  const out: [number, number, number][] = [];
  const c = log.sorted();
  while (c.next()) out.push([c.time, c.series, c.value]);
  return out;
}

/** The definition: a stable sort by time of everything added. */
function expectedOrder(samples: [number, number, number][]) {
  return samples
    .map((s, i) => [s, i] as const)
    .sort((a, b) => a[0][0] - b[0][0] || a[1] - b[1])
    .map(([s]) => s);
}

test("time order, ties in the order added, held or spilled", () => {
  for (let seed = 1; seed <= 30; seed++) {
    const r = rng(seed);
    const samples: [number, number, number][] = [];
    const n = r.int(3000);
    let t = 1_700_000_000_000;
    for (let i = 0; i < n; i++) {
      // Mostly forward in time with bursts in one second, sometimes an input from the past.
      t += r.chance(0.3) ? 0 : r.chance(0.1) ? -r.int(3_600) * 1000 : r.int(5) * 1000;
      samples.push([t, r.int(17), r.chance(0.5) ? 1 : r.next() * 100]);
    }
    for (const spillAt of [1, 7, 500, 1 << 20]) {
      const log = new SampleLog({ spillAt });
      try {
        for (const [i, s] of samples.entries()) {
          log.add(...s);
          if (i % 13 === 0) log.settle();
        }
        log.settle();
        assert.equal(log.size, samples.length);
        assert.deepEqual(drain(log), expectedOrder(samples), `seed ${seed}, spill at ${spillAt}`);
      } finally {
        log.close();
      }
    }
  }
});

test("rollback drops what was added since the last settle, spilled runs untouched", () => {
  const log = new SampleLog({ spillAt: 4 });
  try {
    for (let i = 0; i < 10; i++) log.add(1000 + i, 0, i);
    log.settle(); // spills a run of 10
    log.add(5, 1, 100);
    log.add(6, 1, 101);
    log.rollback();
    log.add(2000, 2, 7);
    log.settle();
    assert.deepEqual(
      drain(log).map(([t, s, v]) => `${t}:${s}:${v}`),
      [...Array.from({ length: 10 }, (_, i) => `${1000 + i}:0:${i}`), "2000:2:7"],
    );
  } finally {
    log.close();
  }
});

test("memory stays within the spill threshold however many samples pass", () => {
  const spillAt = 1 << 12;
  const log = new SampleLog({ spillAt });
  try {
    let peak = 0;
    let peakBytes = 0;
    for (let i = 0; i < 200_000; i++) {
      log.add(i * 1000, i % 17, 1);
      if (i % 100 === 99) {
        log.settle();
        peak = Math.max(peak, log.memory().samples);
        peakBytes = Math.max(peakBytes, log.memory().bytes);
      }
    }
    assert.ok(peak <= spillAt, `${peak} samples held`);
    // Columns of 20 bytes a sample, capacity rounded up to a power of two.
    assert.ok(peakBytes <= 2 * spillAt * 20, `${peakBytes} bytes held`);
    assert.ok(log.memory().runs >= 40);
    let n = 0;
    let last = Number.NEGATIVE_INFINITY;
    const c = log.sorted();
    while (c.next()) {
      assert.ok(c.time >= last);
      last = c.time;
      n++;
    }
    assert.equal(n, 200_000);
  } finally {
    log.close();
  }
});
