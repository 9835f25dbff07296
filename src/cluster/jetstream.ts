/**
 * The JetStream side of the bus: the connection, the stream (file storage, work-queue retention: a batch
 * leaves the stream once a worker acknowledged it) and the one shared durable pull consumer every worker
 * takes from. Each instance makes sure both exist at start, so whichever starts first creates them; the
 * others find them. Only server 2.9 features are used (one filter subject per consumer).
 */
import {
  AckPolicy,
  type Consumer,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { connect, type NatsConnection, nanos } from "@nats-io/transport-node";
import { type BusConfig, redact } from "./bus-url.js";
import { allSubjects } from "./subjects.js";

/** How long the stream keeps a batch no worker took (the store's batch claims are kept longer). */
export const STREAM_MAX_AGE_MS = 3 * 24 * 3_600_000;
/** Batches delivered to one consumer and not yet acknowledged, across all workers. */
const MAX_ACK_PENDING = 1000;

export interface Bus {
  config: BusConfig;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** The largest message the server takes (its max_payload), less room for headers. */
  maxMessageBytes: number;
  close(): Promise<void>;
}

export async function openBus(config: BusConfig, name: string): Promise<Bus> {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: config.servers,
      name,
      ...(config.user ? { user: config.user } : {}),
      ...(config.pass ? { pass: config.pass } : {}),
      // Keep trying for ever: an instance outlives a NATS restart; publishes fail meanwhile.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    });
  } catch (err) {
    throw new Error(
      `cannot reach the bus at ${redact(config.servers.join(","))}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, config);
    await ensureConsumer(jsm, config);
    const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
    return {
      config,
      nc,
      js: jetstream(nc),
      jsm,
      maxMessageBytes: maxPayload - 4096,
      close: async () => {
        await nc.drain().catch(() => nc.close());
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}

async function ensureStream(jsm: JetStreamManager, config: BusConfig): Promise<void> {
  const subjects = [allSubjects(config.subjectPrefix)];
  try {
    const info = await jsm.streams.info(config.stream);
    if (!subjects.every((s) => info.config.subjects?.includes(s)))
      throw new Error(
        `the NATS stream ${config.stream} exists with subjects ${JSON.stringify(info.config.subjects)}, not ${subjects}`,
      );
    return;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    await jsm.streams.add({
      name: config.stream,
      subjects,
      storage: StorageType.File,
      retention: RetentionPolicy.Workqueue,
      discard: DiscardPolicy.Old,
      max_age: nanos(STREAM_MAX_AGE_MS),
      duplicate_window: nanos(config.duplicateWindowMs),
    });
  } catch (err) {
    // Another instance created it in between: fine, as long as it is there now.
    await jsm.streams.info(config.stream).catch(() => {
      throw err;
    });
  }
}

async function ensureConsumer(jsm: JetStreamManager, config: BusConfig): Promise<void> {
  try {
    await jsm.consumers.info(config.stream, config.consumer);
    return;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    await jsm.consumers.add(config.stream, {
      durable_name: config.consumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(config.ackWaitMs),
      max_ack_pending: MAX_ACK_PENDING,
      // Delivered until acknowledged: a batch that keeps failing stays (visible as lag) rather than lost.
      max_deliver: -1,
      filter_subject: allSubjects(config.subjectPrefix),
    });
  } catch (err) {
    await jsm.consumers.info(config.stream, config.consumer).catch(() => {
      throw err;
    });
  }
}

export function consumerOf(bus: Bus): Promise<Consumer> {
  return bus.js.consumers.get(bus.config.stream, bus.config.consumer);
}

/** Batches not yet taken plus those taken and not yet acknowledged: how far the workers trail. */
export async function busLag(bus: Bus): Promise<{ pending: number; unacked: number; redelivered: number }> {
  const info = await bus.jsm.consumers.info(bus.config.stream, bus.config.consumer);
  return { pending: info.num_pending, unacked: info.num_ack_pending, redelivered: info.num_redelivered };
}

function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; api_error?: { err_code?: number }; message?: string };
  const code = e?.api_error?.err_code;
  return code === 10059 || code === 10014 || /not found/i.test(e?.message ?? "");
}
