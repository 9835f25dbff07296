/**
 * A trailwatch instance as one of several on one PostgreSQL store and one NATS JetStream bus: its accepted
 * events go to the bus (role ingest/all), its worker applies batches from the bus (role worker/all), and it
 * competes for the evaluator lease, whose holder alone evaluates alarms and sends notifications.
 *
 *   const stores = await openClusterStores({ connectionString, schema, mergeSketch });
 *   const ctx = await openServerContext({ store: stores.engineStore, evaluator: false, ... });
 *   const cluster = await startCluster({ ctx, stores, bus: parseBusUrl(url), role, logger });
 *
 * Configuration changes reach every instance's memory within a moment (config-sync), alarm writes made
 * anywhere run on the evaluator (alarm-writes), and workers relay the "who did it" summaries of what they
 * apply to the evaluator (event-refs-relay) — all three over core NATS subjects beside the stream.
 */

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { OpenedServerContext } from "../server/open-context.js";
import { openPostgresStore, type PostgresStore } from "../store/postgres/index.js";
import type { Store } from "../store/store.js";
import { AlarmWrites } from "./alarm-writes.js";
import { BusSink } from "./bus-sink.js";
import type { BusConfig } from "./bus-url.js";
import { BusWorker } from "./bus-worker.js";
import { registerClusterMetrics } from "./cluster-metrics.js";
import { ConfigSync } from "./config-sync.js";
import { EvaluatorDuties } from "./evaluator-duties.js";
import { LeaseElector } from "./evaluator-lease.js";
import { EventRefsRelay, RelayedEventRefs } from "./event-refs-relay.js";
import { fencedStore } from "./fenced-store.js";
import { type Bus, openBus } from "./jetstream.js";
import { applies, type Role } from "./role.js";

export interface ClusterStores {
  /** The engine's store: alarm state writes fenced by this instance's evaluator token. */
  engineStore: Store;
  /** The worker's own instance (bus-worker.ts explains why it is not the engine's). */
  workerStore: Store;
  /** The token the engine store's writes carry (0 until this instance first leads). */
  fence: { token: number };
  close(): Promise<void>;
}

export async function openClusterStores(options: {
  connectionString: string;
  schema?: string;
  mergeSketch: (a: Uint8Array, b: Uint8Array) => Uint8Array;
}): Promise<ClusterStores> {
  const base = await openPostgresStore(options);
  let worker: PostgresStore;
  try {
    worker = await openPostgresStore({ ...options, poolSize: 6 });
  } catch (err) {
    await base.close();
    throw err;
  }
  const fence = { token: 0 };
  return {
    engineStore: fencedStore(base, () => fence.token),
    workerStore: worker,
    fence,
    async close() {
      await Promise.all([base.close(), worker.close()]);
    },
  };
}

export interface ClusterOptions {
  ctx: OpenedServerContext;
  stores: ClusterStores;
  bus: BusConfig;
  role: Role;
  logger: Logger;
  lease?: { ttlMs?: number; renewMs?: number };
  workerConcurrency?: number;
  /** Full configuration reconcile period (default 30 s; TRAILWATCH_CONFIG_RECONCILE_MS for serve). */
  reconcileMs?: number;
}

export interface Cluster {
  readonly role: Role;
  readonly holder: string;
  readonly bus: Bus;
  readonly sink: BusSink;
  readonly worker: BusWorker | undefined;
  readonly elector: LeaseElector;
  readonly config: ConfigSync;
  readonly alarmWrites: AlarmWrites;
  /** Present when the engine keeps its event refs in a RelayedEventRefs (serve passes one). */
  readonly relay: EventRefsRelay | undefined;
  isEvaluator(): boolean;
  /** Stops ingesting to the bus, the worker (letting batches in flight finish) and the evaluator role. */
  stop(): Promise<void>;
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const { ctx, logger } = o;
  const engine = ctx.engine;
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const bus = await openBus(o.bus, `trailwatch ${holder}`);
  // Whatever role, events this instance accepts (its APIs answer whatever the role) go to the bus: in a
  // cluster they are applied by workers only, where the batch claims make them count once.
  const sink = new BusSink(bus, engine.clock);
  engine.useIngestSink(sink);
  const worker = applies(o.role)
    ? new BusWorker({
        bus,
        engine,
        store: o.stores.workerStore,
        clock: engine.clock,
        ...(o.workerConcurrency ? { concurrency: o.workerConcurrency } : {}),
        onError: (err, context) =>
          logger.error({ err, ...context }, "could not apply a bus batch; it will come back"),
      })
    : undefined;
  const config = new ConfigSync({
    bus,
    engine,
    holder,
    ...(o.reconcileMs ? { reconcileMs: o.reconcileMs } : {}),
    onError: (err, what) => logger.error({ err }, what),
  });
  const alarmWrites = new AlarmWrites({
    bus,
    engine,
    // The elector is made below; this is only called once requests flow.
    isEvaluator: () => elector.isLeader,
    onError: (err, what) => logger.error({ err }, what),
  });
  const relay =
    engine.eventRefs instanceof RelayedEventRefs
      ? new EventRefsRelay({
          bus,
          refs: engine.eventRefs,
          holder,
          publish: worker !== undefined,
          // What the evaluator's scheduler drops (Engine.tick), for the instances that do not evaluate.
          horizon: () => engine.clock.now() - engine.alarms.longestRangeMs() - 3_600_000,
          onError: (err, what) => logger.warn({ err }, what),
        })
      : undefined;
  const duties = new EvaluatorDuties({
    ctx,
    onError: (err, what) => logger.error({ err }, what),
    onInfo: (message, data) => logger.warn(data ?? {}, message),
  });
  const elector = new LeaseElector({
    store: ctx.engine.store,
    clock: engine.clock,
    holder,
    ...(o.lease?.ttlMs ? { ttlMs: o.lease.ttlMs } : {}),
    ...(o.lease?.renewMs ? { renewMs: o.lease.renewMs } : {}),
    async onElected(token) {
      o.stores.fence.token = token;
      logger.warn({ holder, token }, "this instance is now the evaluator");
      await duties.start();
      alarmWrites.answer();
    },
    async onDeposed(reason) {
      logger.warn({ holder, reason }, "this instance is no longer the evaluator");
      await alarmWrites.stopAnswering();
      await duties.stop();
    },
    onError: (err) => logger.error({ err }, "evaluator lease round failed"),
  });
  registerClusterMetrics(ctx.metrics.registry, {
    bus,
    sink,
    ...(worker ? { worker } : {}),
    elector,
    config,
    alarmWrites,
    ...(relay ? { relay } : {}),
  });
  // Listening before anything is applied or elected: no change and no relayed summary is missed.
  relay?.start();
  config.start();
  engine.cloudwatch.routeAlarmWrites(alarmWrites.route);
  if (worker) await worker.start();
  elector.start();
  logger.info(
    { holder, role: o.role, stream: o.bus.stream, consumer: o.bus.consumer },
    "cluster instance started",
  );
  return {
    role: o.role,
    holder,
    bus,
    sink,
    worker,
    elector,
    config,
    alarmWrites,
    relay,
    isEvaluator: () => elector.isLeader,
    async stop() {
      await elector.stop();
      await worker?.stop();
      engine.cloudwatch.routeAlarmWrites(undefined);
      await config.stop();
      relay?.stop();
      await bus.close();
    },
  };
}
