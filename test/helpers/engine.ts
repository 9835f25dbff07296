import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../src/engine/clock.js";
import { Engine } from "../../src/engine/engine.js";
import type { AlarmTransition } from "../../src/engine/transitions.js";
import { mergeSketch, sketchOf } from "../../src/metrics/sketch-codec.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";

export interface TestEngine {
  engine: Engine;
  clock: ManualClock;
  transitions: AlarmTransition[];
  dir: string;
  close(): Promise<void>;
}

/** A real engine on a real SQLite store in a temporary directory, on a manual clock. */
export async function testEngine(
  options: { start?: number; storeEvents?: boolean } = {},
): Promise<TestEngine> {
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-test-"));
  const clock = new ManualClock(options.start ?? Date.parse("2026-01-01T00:00:00Z"));
  const transitions: AlarmTransition[] = [];
  const store = await openSqliteStore({ path: join(dir, "trailwatch.db"), mergeSketch });
  const engine = await Engine.open({
    store,
    clock,
    identity: { account: "123456789012", region: "us-east-1" },
    listener: { onTransition: (t) => void transitions.push(t) },
    storeEvents: options.storeEvents ?? true,
    mergeSketch,
    sketchOf,
  });
  return {
    engine,
    clock,
    transitions,
    dir,
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Transitions as comparable text: `HH:MM:SS alarm OLD->NEW`. */
export function timeline(ts: readonly AlarmTransition[]): string[] {
  return ts
    .map(
      (t) =>
        `${new Date(t.timestamp).toISOString().slice(11, 19)} ${t.alarm.alarmName} ${t.oldState}->${t.newState}`,
    )
    .sort();
}
