import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./run-cli.js";

/**
 * A data directory made by `trailwatch replay --data-dir DIR fixtures/sample`: the seed pack's log group,
 * metric filters and three alarms, with the alarm history and metrics of the bundled sample.
 */
export function replayedDataDir(): { dir: string; copy(): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-cw-"));
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "replay", "--data-dir", dir, "fixtures/sample"],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`replay failed (${r.status}): ${r.stderr}`);
  const copies: string[] = [];
  return {
    dir,
    /** A copy for a test that changes it. */
    copy() {
      const to = mkdtempSync(join(tmpdir(), "trailwatch-cw-copy-"));
      cpSync(dir, to, { recursive: true });
      copies.push(to);
      return to;
    },
    remove() {
      for (const d of [dir, ...copies]) rmSync(d, { recursive: true, force: true });
    },
  };
}
