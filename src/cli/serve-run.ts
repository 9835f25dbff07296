import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { type AuthConfig, authStartupError, loadAuthConfig } from "../api/index.js";
import { type Cluster, startCluster } from "../cluster/cluster.js";
import { RelayedEventRefs } from "../cluster/event-refs-relay.js";
import { runsSources } from "../cluster/role.js";
import { openServeStore, type ServeStore, ServeStoreUsageError } from "../cluster/serve-store.js";
import { consoleOptionsFromEnv, DEFAULT_BASE_PATH } from "../console/index.js";
import { AggregateFollower } from "../engine/aggregate-follower.js";
import { systemClock } from "../engine/clock.js";
import { installPack } from "../engine/install-pack.js";
import { applyRetention } from "../engine/retention.js";
import { cloudTrailEvents } from "../ingest/cloudtrail-events.js";
import { createMailer } from "../notify/email/send.js";
import { loadSmtpSettings, type SmtpSettings } from "../notify/email/smtp-config.js";
import { isLoopbackBindAddress } from "../notify/ssrf.js";
import { loadPack } from "../packs/pack.js";
import { buildHttpServer } from "../server/http.js";
import { mountFaces } from "../server/mount.js";
import { ensureNotificationList } from "../server/notification-list.js";
import { openServerContext } from "../server/open-context.js";
import { startScheduler } from "../server/scheduler.js";
import { watchFolder } from "../server/watch-folder.js";
import { CliExit, ExitCode } from "./exit-codes.js";
import { identityFromEnv, STORE_FILE } from "./open-engine.js";

/** The bundled sample (fixtures/sample), two levels above src/cli and dist/cli. */
const SAMPLE_DIR = new URL("../../fixtures/sample/", import.meta.url);

export async function runServe(options: {
  dataDir: string;
  host: string;
  port: string;
  watch?: string;
  pack: string;
  sample?: boolean;
  publicUrl?: string;
  notifyEmail?: string[];
  notifyTopic?: string;
  notifyRecovery?: boolean;
  store?: string;
  bus?: string;
  role?: string;
}): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliExit(ExitCode.usage, `trailwatch serve: invalid port ${options.port}\n`);
  const logger = pino({ name: "trailwatch" });
  const pack = await loadPack(options.pack);
  const loopbackOnly = isLoopbackBindAddress(options.host);
  const publicUrl = options.publicUrl ?? `http://${urlHost(options.host)}:${port}`;
  let smtp: SmtpSettings;
  try {
    smtp = loadSmtpSettings();
  } catch (e) {
    throw new CliExit(ExitCode.usage, `trailwatch serve: ${(e as Error).message}\n`);
  }
  let auth: AuthConfig;
  try {
    auth = loadAuthConfig(process.env);
  } catch (e) {
    throw new CliExit(ExitCode.usage, `trailwatch serve: ${(e as Error).message}\n`);
  }
  const refusal = authStartupError(auth, { loopbackOnly, host: options.host });
  if (refusal) throw new CliExit(ExitCode.usage, `trailwatch serve: ${refusal}\n`);
  const mailer = createMailer(smtp);
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const { mergeSketch } = await import("../metrics/sketch-codec.js");
  let opened: ServeStore;
  try {
    opened = await openServeStore({ ...options, dataDir, storeFile: STORE_FILE, mergeSketch });
  } catch (e) {
    if (!(e instanceof ServeStoreUsageError)) throw e;
    throw new CliExit(ExitCode.usage, `trailwatch serve: ${e.message}\n`);
  }
  const { store } = opened;
  let cluster: Cluster | undefined;
  const ctx = await openServerContext({
    store,
    clock: systemClock,
    identity: identityFromEnv(),
    logger,
    publicUrl,
    loopbackOnly,
    signingDir: dataDir,
    mailer,
    // A cluster instance evaluates and sends only while it holds the evaluator lease (src/cluster).
    // It also relays its workers' "who did it" summaries to the evaluator (src/cluster/event-refs-relay.ts).
    ...(opened.cluster
      ? {
          evaluator: false,
          isEvaluator: () => cluster?.isEvaluator() ?? false,
          eventRefs: new RelayedEventRefs(),
        }
      : {}),
    alarmUrl: (alarm) =>
      `${publicUrl.replace(/\/+$/, "")}${DEFAULT_BASE_PATH}/alarms/detail?name=${encodeURIComponent(alarm.alarmName)}`,
    ...(process.env.TRAILWATCH_OUTBOX_LEASE_MS
      ? { outboxLeaseMs: Number(process.env.TRAILWATCH_OUTBOX_LEASE_MS) }
      : {}),
    destinations: {
      allowPrivate: process.env.TRAILWATCH_ALLOW_PRIVATE_DESTINATIONS === "true",
      allowedHosts: (process.env.TRAILWATCH_ALLOWED_DESTINATIONS ?? "")
        .split(",")
        .map((h) => h.trim())
        .filter((h) => h !== ""),
      ...(process.env.TRAILWATCH_WEBHOOK_CA_FILE
        ? { ca: [readFileSync(process.env.TRAILWATCH_WEBHOOK_CA_FILE, "utf8")] }
        : {}),
    },
    onTransition(t) {
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
  });
  const { engine } = ctx;
  const report = await installPack(engine, pack);
  if (report.created.length > 0) logger.info({ created: report.created }, `installed pack ${pack.name}`);
  if ((options.notifyEmail ?? []).length > 0) {
    const list = await ensureNotificationList(ctx, {
      topicName: options.notifyTopic ?? "trailwatch-alarms",
      emails: options.notifyEmail ?? [],
      alarmNames: pack.alarms.map((a) => String(a.AlarmName)),
      onRecovery: options.notifyRecovery === true,
    });
    logger.info(list, "notification list ready (new addresses must confirm from the mail they receive)");
  }
  const logGroupName = pack.logGroups[0]?.logGroupName ?? "CloudTrail/DefaultLogGroup";
  // Before the server listens: from the first request on, accepted events go to the bus.
  if (opened.cluster)
    cluster = await startCluster({
      ctx,
      ...opened.cluster,
      logger,
      ...(process.env.TRAILWATCH_CONFIG_RECONCILE_MS
        ? { reconcileMs: Number(process.env.TRAILWATCH_CONFIG_RECONCILE_MS) }
        : {}),
    });
  const app = buildHttpServer(engine, logger);
  await mountFaces(app, ctx, {
    auth,
    console: consoleOptionsFromEnv(),
    ingest: { token: process.env.TRAILWATCH_INGEST_TOKEN, logGroupName },
  });
  await app.listen({ host: options.host, port });
  const scheduler = cluster
    ? { stop() {} } // the evaluator lease runs the scheduler
    : startScheduler(engine, (e) => logger.error({ err: e }, "scheduled evaluation failed"));
  // Alone on SQLite, aggregates other processes commit (`trailwatch ingest` while serve runs) reach the
  // alarms through the store's change feed; in a cluster the evaluator lease runs the follower.
  const follower = cluster
    ? undefined
    : await AggregateFollower.start(engine, {
        onError: (e) => logger.error({ err: e }, "following the aggregate change feed failed"),
      });
  const expired = setInterval(() => {
    ctx.topics.deleteExpiredPending().catch((e) => logger.error({ err: e }, "expiring subscriptions failed"));
  }, 3_600_000);
  expired.unref();
  const folder = options.watch ?? join(dataDir, "inbox");
  // A worker-only cluster instance runs no event sources (--role).
  const watcher =
    cluster && !runsSources(cluster.role)
      ? { stop() {} }
      : watchFolder({ engine, folder, logGroupName, logger });
  logger.info(
    { dataDir, store: opened.where, role: cluster?.role, watch: folder, pack: pack.name, publicUrl },
    "trailwatch is running",
  );

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
    clearInterval(expired);
    scheduler.stop();
    follower?.stop();
    watcher.stop();
    await app.close();
    await cluster?.stop();
    await ctx.close();
    await opened.cluster?.stores.close();
    await mailer.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** The host as it goes into a URL: IPv6 in brackets; a wildcard address stands for this machine's loopback. */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
