import type { Command } from "commander";
import { ManualClock } from "../engine/clock.js";
import { defaultReplayThreads } from "../engine/replay-parallel.js";
import type { AlarmTransition } from "../engine/transitions.js";
import type { SkippedInput } from "../ingest/cloudtrail-events.js";
import { LogFileError } from "../ingest/log-file-error.js";
import { listSourceInputs } from "../ingest/source-events.js";
import { loadPack, PackError } from "../packs/pack.js";
import { CliExit, ExitCode } from "./exit-codes.js";
import { progressBar } from "./ingest-progress.js";
import { type AlarmTimeline, alarmLines, SkipLog } from "./ingest-summary.js";
import { parseTimeOption } from "./ingest-time.js";
import { openEngine } from "./open-engine.js";

interface ReplayOptions {
  pack: string;
  dataDir?: string;
  json?: boolean;
  keepEvents?: boolean;
  since?: string;
  until?: string;
  threads?: string;
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
      "CloudTrail files (.json, .json.gz, JSON lines), folders (walked recursively), s3://bucket/prefix; '-' = stdin",
    )
    .option("--since <time>", "only events at or after this time (ISO date/time, or an age: 90d, 12h)")
    .option("--until <time>", "only events at or before this time")
    .option("--pack <pack>", "a built-in pack name (seed) or a pack file", "seed")
    .option("--data-dir <dir>", "keep the results in this data directory (default: a temporary one)")
    .option("--json", "print every alarm state transition as one JSON line")
    .option("--keep-events", "also store every log event in the data directory")
    .option(
      "--threads <n>",
      "worker threads that read and filter the inputs (default: one per CPU, at most 8; 1 = the main thread only)",
    )
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
  const threads = options.threads === undefined ? defaultReplayThreads() : Number(options.threads);
  if (!Number.isInteger(threads) || threads < 1)
    throw new CliExit(ExitCode.usage, "trailwatch replay: --threads needs a positive whole number\n");
  const now = Date.now();
  const since = options.since === undefined ? undefined : parseTimeOption(options.since, now);
  const until = options.until === undefined ? undefined : parseTimeOption(options.until, now);
  if (
    (options.since !== undefined && since === undefined) ||
    (options.until !== undefined && until === undefined)
  )
    throw new CliExit(ExitCode.usage, "trailwatch replay: invalid --since or --until\n");
  const clock = new ManualClock(0);
  // Kept for the summary: the few fields it prints (not the alarm record each transition carries), and
  // each alarm once.
  const transitions: (Pick<AlarmTransition, "oldState" | "newState" | "timestamp" | "reason"> & {
    alarmName: string;
  })[] = [];
  const alarms = new Map<string, AlarmTransition["alarm"]>();
  const out = process.stdout;
  const opened = await openEngine({
    dataDir: options.dataDir,
    temporary: true,
    clock,
    storeEvents: options.keepEvents === true,
    listener: {
      onTransition(t) {
        if (options.json) {
          out.write(`${transitionJson(t)}\n`);
          return;
        }
        transitions.push({
          alarmName: t.alarm.alarmName,
          oldState: t.oldState,
          newState: t.newState,
          timestamp: t.timestamp,
          reason: t.reason,
        });
        if (!alarms.has(t.alarm.alarmName)) alarms.set(t.alarm.alarmName, t.alarm);
      },
    },
  });
  const skipped: SkippedInput[] = [];
  const skips = new SkipLog();
  const bar = progressBar(options.json !== true);
  let eventsRead = 0;
  let bytesDone = 0;
  try {
    const { replay } = await import("../engine/replay.js");
    const range = { since, until };
    const list = await listSourceInputs(sources, { range });
    let summary: Awaited<ReturnType<typeof replay>>;
    try {
      summary = await replay({
        engine: opened.engine,
        clock,
        pack,
        inputs: {
          list,
          range,
          onSkip: (s) => {
            skips.add(s);
            skipped.push({
              source: s.offset === undefined ? s.input : `${s.input}@${s.offset}`,
              reason: s.reason,
            });
          },
          onInput: (input, done, total) => {
            bytesDone += input.size;
            bar.update({
              inputsDone: done,
              inputs: total,
              events: eventsRead,
              bytesDone,
              bytes: Math.max(bytesDone, 1),
            });
          },
        },
        onProgress: (p) => {
          eventsRead = p.events;
        },
        threads,
        attribute: !options.json,
        skipped,
        keepEvents: options.keepEvents === true,
        keepAggregates: options.dataDir !== undefined,
      });
    } finally {
      bar.stop();
    }
    const attribution = summary.attribution;
    if (!options.json) {
      const lines: string[] = [];
      for (const t of transitions) {
        lines.push(`${iso(t.timestamp)}  ${t.alarmName}: ${t.oldState} -> ${t.newState}`);
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
      lines.push(...skips.lines());
      const timelines = new Map<string, AlarmTimeline>();
      for (const t of transitions) {
        let a = timelines.get(t.alarmName);
        if (!a) {
          const alarm = alarms.get(t.alarmName)!;
          const top =
            alarm.alarmType === "MetricAlarm"
              ? attribution?.top(alarm.namespace, alarm.metricName)
              : undefined;
          a = {
            alarmName: alarm.alarmName,
            transitions: [],
            identities: top?.identities,
            sourceIps: top?.sourceIps,
          };
          timelines.set(alarm.alarmName, a);
        }
        a.transitions.push({ timestamp: t.timestamp, oldState: t.oldState, newState: t.newState });
      }
      if (timelines.size > 0) lines.push("Alarms:", ...alarmLines([...timelines.values()]));
      if (options.dataDir) lines.push(`Results kept in ${opened.dataDir}.`);
      out.write(`${lines.join("\n")}\n`);
    } else {
      for (const s of skipped) process.stderr.write(`skipped ${s.source}: ${s.reason}\n`);
    }
  } catch (err) {
    if (err instanceof LogFileError) throw new CliExit(ExitCode.fileError, `trailwatch: ${err.message}\n`);
    throw err;
  } finally {
    await opened.dispose();
  }
}
