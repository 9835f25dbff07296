import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Clock } from "../engine/clock.js";
import { Engine } from "../engine/engine.js";
import type { TransitionListener } from "../engine/transitions.js";
import { openSqliteStore } from "../store/sqlite/index.js";
import type { Identity } from "../store/types.js";

/** Where `serve`, `replay` and the CLI verbs keep their data unless told otherwise. */
export const DEFAULT_DATA_DIR = "trailwatch-data";
export const STORE_FILE = "trailwatch.db";

/** The account and region trailwatch presents itself as (ARNs, alarm messages); configurable by env. */
export function identityFromEnv(): Identity {
  return {
    account: process.env.TRAILWATCH_ACCOUNT_ID ?? "000000000000",
    region: process.env.TRAILWATCH_REGION ?? process.env.AWS_REGION ?? "us-east-1",
  };
}

export interface OpenedEngine {
  engine: Engine;
  dataDir: string;
  /** Removes a temporary data directory (replay without --data-dir). */
  dispose(): Promise<void>;
}

export async function openEngine(options: {
  dataDir?: string;
  temporary?: boolean;
  clock: Clock;
  listener: TransitionListener;
  storeEvents: boolean;
}): Promise<OpenedEngine> {
  const temporary = options.temporary === true && options.dataDir === undefined;
  const dataDir = temporary
    ? mkdtempSync(join(tmpdir(), "trailwatch-replay-"))
    : resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const { mergeSketch, sketchOf } = await import("../metrics/sketch-codec.js");
  const store = await openSqliteStore({ path: join(dataDir, STORE_FILE), mergeSketch, scratch: temporary });
  const engine = await Engine.open({
    store,
    clock: options.clock,
    identity: identityFromEnv(),
    listener: options.listener,
    storeEvents: options.storeEvents,
    mergeSketch,
    sketchOf,
  });
  return {
    engine,
    dataDir,
    async dispose() {
      await engine.close();
      if (temporary) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
