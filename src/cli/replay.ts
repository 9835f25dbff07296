import type { Command } from "commander";
import { ManualClock } from "../engine/clock.js";
import type { AlarmTransition } from "../engine/transitions.js";
import { cloudTrailEvents, type SkippedInput } from "../ingest/cloudtrail-events.js";
import { loadPack, PackError } from "../packs/pack.js";
import { CliExit, ExitCode } from "./exit-codes.js";
import { openEngine } from "./open-engine.js";

interface ReplayOptions {
  pack: string;
  dataDir?: string;
  json?: boolean;
  keepEvents?: boolean;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** One transition as `replay --json` prints it. */
export function transitionJson(t: AlarmTransition): string {
  return JSON.stringify({
    alarmName: t.alarm.alarmName,
    oldState: t.oldState,
    newState: t.newState,
    timestamp: iso(t.timestamp),
    reason: t.reason,
  });
}

export function registerReplayCommand(program: Command): void {
  program
    .command("replay")
    .description(
      "replay CloudTrail history through a rule pack on event time and show when alarms would have fired",
    )
    .argument(
      "<sources...>",
      "CloudTrail files (.json, .json.gz, JSON lines) or folders, walked recursively; '-' = stdin",
    )
    .option("--pack <pack>", "a built-in pack name (seed) or a pack file", "seed")
    .option("--data-dir <dir>", "keep the results in this data directory (default: a temporary one)")
    .option("--json", "print every alarm state transition as one JSON line")
    .option("--keep-events", "also store every log event in the data directory")
    .action(async (sources: string[], options: ReplayOptions) => {
      await runReplay(sources, options);
    });
}

export async function runReplay(sources: string[], options: ReplayOptions): Promise<void> {
  let pack: Awaited<ReturnType<typeof loadPack>>;
  try {
    pack = await loadPack(options.pack);
  } catch (e) {
    if (e instanceof PackError) throw new CliExit(ExitCode.usage, `trailwatch replay: ${e.message}\n`);
    throw e;
  }
  const clock = new ManualClock(0);
  const transitions: AlarmTransition[] = [];
  const out = process.stdout;
  const opened = await openEngine({
    dataDir: options.dataDir,
    temporary: true,
    clock,
    storeEvents: options.keepEvents === true,
    listener: {
      onTransition(t) {
        transitions.push(t);
        if (options.json) out.write(`${transitionJson(t)}\n`);
      },
    },
  });
  const skipped: SkippedInput[] = [];
  try {
    const { replay } = await import("../engine/replay.js");
    const summary = await replay({
      engine: opened.engine,
      clock,
      pack,
      events: cloudTrailEvents(sources, (s) => skipped.push(s)),
      skipped,
      keepEvents: options.keepEvents === true,
    });
    if (!options.json) {
      const lines: string[] = [];
      for (const t of transitions) {
        lines.push(`${iso(t.timestamp)}  ${t.alarm.alarmName}: ${t.oldState} -> ${t.newState}`);
        lines.push(`    ${t.reason}`);
      }
      lines.push("");
      lines.push(
        `${summary.events} events read` +
          (summary.firstEventTime !== undefined
            ? ` (${iso(summary.firstEventTime)} to ${iso(summary.lastEventTime!)})`
            : "") +
          `, ${summary.matched} matched a metric filter, ${skipped.length} skipped; ${transitions.length} alarm transitions.`,
      );
      for (const s of skipped.slice(0, 20)) lines.push(`  skipped ${s.source}: ${s.reason}`);
      if (skipped.length > 20) lines.push(`  ... and ${skipped.length - 20} more skipped`);
      if (options.dataDir) lines.push(`Results kept in ${opened.dataDir}.`);
      out.write(`${lines.join("\n")}\n`);
    } else {
      for (const s of skipped) process.stderr.write(`skipped ${s.source}: ${s.reason}\n`);
    }
  } finally {
    await opened.dispose();
  }
}
