/**
 * `trailwatch ingest`: sources -> the data directory's store, exactly once per record. This process only
 * writes data: it holds no alarms. The alarms belong to `serve`, which sees what is committed here through
 * the store's aggregate change feed (a running serve) or when it next starts; history is replay's job.
 */
import { systemClock } from "../engine/clock.js";
import { installPack } from "../engine/install-pack.js";
import { ingestSources } from "../ingest/ingest-sources.js";
import { LogFileError } from "../ingest/log-file-error.js";
import { loadPack, PackError } from "../packs/pack.js";
import type { Store } from "../store/store.js";
import { CliExit, ExitCode } from "./exit-codes.js";
import type { IngestOptions } from "./ingest.js";
import { progressBar } from "./ingest-progress.js";
import { type AlarmTimeline, alarmLines, SkipLog } from "./ingest-summary.js";
import { parseTimeOption } from "./ingest-time.js";
import { openEngine } from "./open-engine.js";

function usage(message: string): CliExit {
  return new CliExit(ExitCode.usage, `trailwatch ingest: ${message}\n`);
}

export async function runIngest(sources: string[], options: IngestOptions): Promise<void> {
  const startedAt = Date.now();
  const since = options.since === undefined ? undefined : parseTimeOption(options.since, startedAt);
  const until = options.until === undefined ? undefined : parseTimeOption(options.until, startedAt);
  if (options.since !== undefined && since === undefined) throw usage(`invalid --since ${options.since}`);
  if (options.until !== undefined && until === undefined) throw usage(`invalid --until ${options.until}`);
  const batchEvents = Number(options.batchEvents);
  if (!Number.isInteger(batchEvents) || batchEvents < 1)
    throw usage(`invalid --batch-events ${options.batchEvents}`);
  const intervalMs = options.interval === undefined ? undefined : Number(options.interval) * 1000;
  if (intervalMs !== undefined && !(intervalMs > 0)) throw usage(`invalid --interval ${options.interval}`);
  let pack: Awaited<ReturnType<typeof loadPack>>;
  try {
    pack = await loadPack(options.pack);
  } catch (e) {
    if (e instanceof PackError) throw usage(e.message);
    throw e;
  }

  const opened = await openEngine({
    dataDir: options.dataDir,
    clock: systemClock,
    storeEvents: true,
    listener: { onTransition() {} },
  });
  const { engine } = opened;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const bar = progressBar(options.json !== true);
  const skips = new SkipLog();
  try {
    await installPack(engine, pack);
    // Data only: the alarms are evaluated by their owner, serve (see the module comment).
    for (const a of engine.alarms.list()) engine.alarms.forget(a.alarmName);
    const logGroupName = options.logGroup ?? pack.logGroups[0]?.logGroupName ?? "CloudTrail/DefaultLogGroup";
    if (!(await engine.store.getLogGroup(logGroupName)))
      throw usage(`the log group ${logGroupName} does not exist (create it, or use a pack that has it)`);

    const totals = await ingestSources(
      sources,
      {
        ingestBatch: (group, streams, o) => engine.ingestBatch(group, streams, o),
        getCheckpoint: (source) => engine.store.getCheckpoint(source),
      },
      {
        logGroupName,
        batchEvents,
        since,
        until,
        follow: options.follow === true,
        intervalMs,
        signal: stop.signal,
        onSkip: (s) => skips.add(s),
        onProgress: (t) => bar.update(t),
      },
    );
    bar.stop();
    const alarms = await transitionsSince(engine.store, startedAt);
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({
          inputs: totals.inputs,
          inputsRead: totals.inputsRead,
          events: totals.events,
          matched: totals.matched,
          skipped: skips.total,
          skips: skips.json(),
          outOfRange: totals.outOfRange,
          alarms: alarms.map((a) => ({
            alarmName: a.alarmName,
            transitions: a.transitions.map((t) => ({ ...t, timestamp: new Date(t.timestamp).toISOString() })),
          })),
        })}\n`,
      );
      return;
    }
    const lines = [
      `${totals.events} events ingested into ${logGroupName} from ${totals.inputsRead} of ${totals.inputs} inputs ` +
        `(${totals.inputs - totals.inputsRead} already up to date), ${totals.matched} matched a metric filter` +
        (totals.outOfRange > 0 ? `, ${totals.outOfRange} outside --since/--until` : "") +
        `; ${skips.total} skipped${skips.total > 0 ? ":" : "."}`,
      ...skips.lines(),
    ];
    if (alarms.length > 0)
      lines.push("Alarm state changes recorded meanwhile (by serve):", ...alarmLines(alarms));
    process.stdout.write(`${lines.join("\n")}\n`);
  } catch (err) {
    bar.stop();
    if (err instanceof LogFileError) throw new CliExit(ExitCode.fileError, `trailwatch: ${err.message}\n`);
    throw err;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await opened.dispose();
  }
}

/** State changes written to the alarm history since `since` (by a serve following this store). */
async function transitionsSince(store: Store, since: number): Promise<AlarmTimeline[]> {
  const items = await store.queryAlarmHistory({
    historyItemType: "StateUpdate",
    startDate: since,
    ascending: true,
    limit: 10_000,
  });
  const byAlarm = new Map<string, AlarmTimeline>();
  for (const i of items) {
    let oldState = "?";
    let newState = "?";
    try {
      const d = JSON.parse(i.historyData) as {
        oldState?: { stateValue?: string };
        newState?: { stateValue?: string };
      };
      oldState = d.oldState?.stateValue ?? "?";
      newState = d.newState?.stateValue ?? "?";
    } catch {
      // A foreign item: shown with unknown states.
    }
    const a = byAlarm.get(i.alarmName) ?? { alarmName: i.alarmName, transitions: [] };
    a.transitions.push({ timestamp: i.timestamp, oldState, newState });
    byAlarm.set(i.alarmName, a);
  }
  return [...byAlarm.values()];
}
