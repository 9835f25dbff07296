import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { systemClock } from "../engine/clock.js";
import { installPack } from "../engine/install-pack.js";
import { applyRetention } from "../engine/retention.js";
import { cloudTrailEvents } from "../ingest/cloudtrail-events.js";
import { loadPack } from "../packs/pack.js";
import { buildHttpServer } from "../server/http.js";
import { startScheduler } from "../server/scheduler.js";
import { watchFolder } from "../server/watch-folder.js";
import { CliExit, ExitCode } from "./exit-codes.js";
import { openEngine } from "./open-engine.js";

/** The bundled sample (fixtures/sample), two levels above src/cli and dist/cli. */
const SAMPLE_DIR = new URL("../../fixtures/sample/", import.meta.url);

export async function runServe(options: {
  dataDir: string;
  host: string;
  port: string;
  watch?: string;
  pack: string;
  sample?: boolean;
}): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliExit(ExitCode.usage, `trailwatch serve: invalid port ${options.port}\n`);
  const logger = pino({ name: "trailwatch" });
  const pack = await loadPack(options.pack);
  const opened = await openEngine({
    dataDir: options.dataDir,
    clock: systemClock,
    storeEvents: true,
    listener: {
      onTransition(t) {
        // The notification issue plugs its dispatcher in here; until then transitions go to the log.
        logger.warn(
          {
            alarm: t.alarm.alarmName,
            from: t.oldState,
            to: t.newState,
            at: new Date(t.timestamp).toISOString(),
            reason: t.reason,
          },
          `alarm ${t.alarm.alarmName}: ${t.oldState} -> ${t.newState}`,
        );
      },
    },
  });
  const { engine } = opened;
  const report = await installPack(engine, pack);
  if (report.created.length > 0) logger.info({ created: report.created }, `installed pack ${pack.name}`);
  const logGroupName = pack.logGroups[0]?.logGroupName ?? "CloudTrail/DefaultLogGroup";
  const app = buildHttpServer(engine, logger);
  await app.listen({ host: options.host, port });
  const scheduler = startScheduler(engine, (e) => logger.error({ err: e }, "scheduled evaluation failed"));
  const folder = options.watch ?? join(opened.dataDir, "inbox");
  const watcher = watchFolder({ engine, folder, logGroupName, logger });
  logger.info({ dataDir: opened.dataDir, watch: folder, pack: pack.name }, "trailwatch is running");

  if (options.sample) {
    // Real records, moved in time so that they happened just now: the alarms' current window sees them.
    const events = [];
    for await (const e of cloudTrailEvents([fileURLToPath(SAMPLE_DIR)], () => {})) events.push(e);
    const newest = Math.max(...events.map((e) => e.timestamp));
    const shift = Date.now() - newest - 1000;
    const byStream = new Map<string, { timestamp: number; message: string }[]>();
    for (const e of events) {
      const t = e.timestamp + shift;
      const record = JSON.parse(e.message);
      record.eventTime = new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
      byStream.set(e.logStreamName, [
        ...(byStream.get(e.logStreamName) ?? []),
        { timestamp: t, message: JSON.stringify(record) },
      ]);
    }
    const r = await engine.ingestBatch(
      logGroupName,
      [...byStream].map(([logStreamName, evs]) => ({ logStreamName, events: evs })),
    );
    logger.info({ events: r.events, matched: r.matched }, "ingested the bundled sample, re-timed to now");
  }

  // Retention (PutRetentionPolicy, metric data past 455 days), at start and every hour.
  const retain = () =>
    applyRetention(engine, Date.now()).then(
      (r) => (r.logEventsDeleted + r.aggregatesDeleted > 0 ? logger.info(r, "retention applied") : undefined),
      (e) => logger.error({ err: e }, "retention failed"),
    );
  void retain();
  const retention = setInterval(retain, 3_600_000);
  retention.unref();

  const stop = async () => {
    clearInterval(retention);
    scheduler.stop();
    watcher.stop();
    await app.close();
    await opened.dispose();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
