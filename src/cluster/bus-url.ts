/**
 * `--bus nats://…`: where the event bus is and what it is called. The URL names the NATS servers (comma-
 * separated hosts, as NATS clients accept them); its query names the JetStream stream, the subject prefix
 * and the shared durable consumer, so that several installations (or tests) can share one NATS server.
 *
 *   nats://[user:password@]host[:port][,host2[:port]]/?stream=TRAILWATCH_EVENTS&subjects=trailwatch.events&consumer=trailwatch-workers
 */
export interface BusConfig {
  /** `host:port` entries for the NATS client. */
  servers: string[];
  user?: string;
  pass?: string;
  stream: string;
  /** Subjects are `<prefix>.<hex of the log group name>`. */
  subjectPrefix: string;
  consumer: string;
  /** How long a delivered batch may stay unacknowledged before JetStream delivers it again. */
  ackWaitMs: number;
  /** Same message id within this window: JetStream drops the copy (claims catch what comes later). */
  duplicateWindowMs: number;
}

export const DEFAULT_STREAM = "TRAILWATCH_EVENTS";
export const DEFAULT_SUBJECT_PREFIX = "trailwatch.events";
export const DEFAULT_CONSUMER = "trailwatch-workers";
/** Long enough for any one batch's commit; a killed worker's batches come back after it. */
export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export class BusUrlError extends Error {
  override name = "BusUrlError";
}

/** Parses the bus URL; `env` may set the acknowledgement wait (TRAILWATCH_BUS_ACK_WAIT_MS). */
export function parseBusUrl(text: string, env: NodeJS.ProcessEnv = process.env): BusConfig {
  const m = /^nats:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/?(?:\?([^#]*))?$/.exec(text.trim());
  if (!m)
    throw new BusUrlError(`--bus must be nats://host[:port][,host:port]…[?stream=…], got ${redact(text)}`);
  const [, user, pass, hosts, query] = m;
  const servers = hosts.split(",").map((h) => (h.includes(":") ? h : `${h}:4222`));
  const params = new URLSearchParams(query ?? "");
  for (const key of params.keys()) {
    if (!["stream", "subjects", "consumer"].includes(key))
      throw new BusUrlError(`--bus: unknown parameter '${key}' (stream, subjects, consumer)`);
  }
  const stream = params.get("stream") ?? DEFAULT_STREAM;
  const subjectPrefix = params.get("subjects") ?? DEFAULT_SUBJECT_PREFIX;
  const consumer = params.get("consumer") ?? DEFAULT_CONSUMER;
  if (!NAME.test(stream)) throw new BusUrlError(`--bus: stream '${stream}' must be letters, digits, _ or -`);
  if (!NAME.test(consumer))
    throw new BusUrlError(`--bus: consumer '${consumer}' must be letters, digits, _ or -`);
  if (!PREFIX.test(subjectPrefix))
    throw new BusUrlError(
      `--bus: subjects '${subjectPrefix}' must be dot-separated tokens without wildcards`,
    );
  const ackWaitMs = positive(
    env.TRAILWATCH_BUS_ACK_WAIT_MS,
    DEFAULT_ACK_WAIT_MS,
    "TRAILWATCH_BUS_ACK_WAIT_MS",
  );
  return {
    servers,
    ...(user ? { user: decodeURIComponent(user) } : {}),
    ...(pass ? { pass: decodeURIComponent(pass) } : {}),
    stream,
    subjectPrefix,
    consumer,
    ackWaitMs,
    duplicateWindowMs: DEFAULT_DUPLICATE_WINDOW_MS,
  };
}

function positive(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1000) throw new BusUrlError(`${name} must be a whole number of ms ≥ 1000`);
  return n;
}

/** The URL for messages, password hidden. */
export function redact(text: string): string {
  return text.replace(/^(nats:\/\/[^:@/]*:)[^@/]*@/, "$1***@");
}
