/**
 * The pieces of the scale-out proof (proof.test.ts): a pack with the seed's filters and alarms plus marker
 * alarms and a per-source metric, `trailwatch serve` as a real child process, an HTTP subscriber that
 * confirms its subscription and records every notification, a sender that spreads PutLogEvents over live
 * instances (retrying a batch elsewhere when an instance dies under it), and the fingerprint both runs are
 * compared by.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import { join } from "node:path";
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import type { Store } from "../../src/store/store.js";
import { ROOT } from "../helpers/shared.js";

export const ACCOUNT = "123456789012";
export const GROUP = "CloudTrail/DefaultLogGroup";
export const TOPIC = "proof-alarms";
export const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:${TOPIC}`;
export const MARKERS = 8;
const KEY = { accessKeyId: "AKIDPROOF", secretAccessKey: "proof" };

/** The seed's filters and alarms, 8 marker alarms, and events counted by source; every alarm notifies TOPIC. */
export function writeProofPack(dir: string): string {
  const seed = JSON.parse(readFileSync(join(ROOT, "packs", "seed.json"), "utf8")) as {
    logGroups: { metricFilters: unknown[] }[];
    alarms: Record<string, unknown>[];
  };
  const filters = [...seed.logGroups[0].metricFilters];
  const alarms: Record<string, unknown>[] = seed.alarms.map((a) => ({ ...a, AlarmActions: [TOPIC_ARN] }));
  for (let j = 0; j < MARKERS; j++) {
    filters.push({
      filterName: `Marker${j}`,
      filterPattern: `{ $.eventName = "Marker${j}" }`,
      metricTransformations: [{ metricName: `Marker${j}Count`, metricNamespace: "Proof", metricValue: "1" }],
    });
    alarms.push({
      AlarmName: `Marker ${j}`,
      MetricName: `Marker${j}Count`,
      Namespace: "Proof",
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      AlarmActions: [TOPIC_ARN],
    });
  }
  filters.push({
    filterName: "BySource",
    filterPattern: "{ $.eventSource = * }",
    metricTransformations: [
      {
        metricName: "Events",
        metricNamespace: "Proof",
        metricValue: "1",
        dimensions: { Source: "$.eventSource" },
      },
    ],
  });
  const path = join(dir, "proof-pack.json");
  writeFileSync(
    path,
    JSON.stringify({
      formatVersion: 1,
      name: "proof",
      logGroups: [{ logGroupName: GROUP, metricFilters: filters }],
      alarms,
    }),
  );
  return path;
}

export interface Serve {
  child: ChildProcess;
  port: number;
  url: string;
  log: string[];
  exited: Promise<number | null>;
}

/** `trailwatch serve` as a child process; resolves once /health answers. */
export async function startServe(o: {
  port: number;
  dataDir: string;
  pack: string;
  store?: string;
  bus?: string;
  /** With `bus`: the instance's --role (default all). */
  role?: "all" | "worker" | "ingest";
  env?: Record<string, string>;
}): Promise<Serve> {
  const args = [
    "--import",
    "tsx",
    "src/cli/main.ts",
    "serve",
    "--port",
    String(o.port),
    "--data-dir",
    o.dataDir,
    "--pack",
    o.pack,
  ];
  if (o.store) args.push("--store", o.store);
  if (o.bus) args.push("--bus", o.bus, "--role", o.role ?? "all");
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      TRAILWATCH_ACCOUNT_ID: ACCOUNT,
      TRAILWATCH_REGION: "us-east-1",
      TRAILWATCH_OUTBOX_LEASE_MS: "3000",
      TRAILWATCH_BUS_ACK_WAIT_MS: "4000",
      ...o.env,
    },
  });
  const log: string[] = [];
  const keep = (s: string) => {
    log.push(s);
    if (log.length > 400) log.shift();
  };
  child.stdout?.setEncoding("utf8").on("data", keep);
  child.stderr?.setEncoding("utf8").on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${o.port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}):\n${log.join("")}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) break;
    } catch {}
    if (Date.now() > until) {
      child.kill("SIGKILL");
      throw new Error(`serve did not answer /health within 60 s:\n${log.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, port: o.port, url, log, exited };
}

export async function stopServe(s: Serve, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill(signal);
  await s.exited;
}

export interface Notification {
  messageId: string;
  alarmName: string;
  newState: string;
  /** The notification's Message, parsed (the alarm JSON, with TrailwatchEvents when it has events). */
  message: Record<string, unknown>;
}

/** An SNS HTTP endpoint: confirms the subscription (GET SubscribeURL) and records notifications. */
export async function startSubscriber(): Promise<{
  url: string;
  confirmed: Promise<void>;
  notifications: Notification[];
  close(): Promise<void>;
}> {
  const notifications: Notification[] = [];
  let confirm!: () => void;
  const confirmed = new Promise<void>((r) => {
    confirm = r;
  });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      res.writeHead(200).end();
      let body: Record<string, string>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return;
      }
      if (body.Type === "SubscriptionConfirmation") {
        await fetch(body.SubscribeURL).then(() => confirm());
      } else if (body.Type === "Notification") {
        const m = JSON.parse(body.Message) as { AlarmName: string; NewStateValue: string };
        notifications.push({
          messageId: body.MessageId,
          alarmName: m.AlarmName,
          newState: m.NewStateValue,
          message: m,
        });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sns`,
    confirmed,
    notifications,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The topic, its HTTP subscription (confirmed), and the log streams the events go to. */
export async function setUp(via: string, subscriberUrl: string, streams: readonly string[]): Promise<void> {
  const config = { endpoint: via, region: "us-east-1", credentials: KEY, maxAttempts: 1 };
  const sns = new SNSClient(config);
  await sns.send(new CreateTopicCommand({ Name: TOPIC }));
  await sns.send(new SubscribeCommand({ TopicArn: TOPIC_ARN, Protocol: "http", Endpoint: subscriberUrl }));
  const logs = new CloudWatchLogsClient(config);
  for (const s of streams)
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: s }));
}

export interface Batch {
  stream: string;
  events: { timestamp: number; message: string }[];
}

/**
 * Sends the batches with `concurrency` requests in flight, each to a random instance of `targets()` (read
 * at every attempt: instances come and go). A request that fails — refused, cut off — is sent again,
 * unchanged, to another instance; the bus's message ids make the copy harmless. `onProgress` sees the
 * number of batches done.
 */
export async function sendAll(
  batches: readonly Batch[],
  targets: () => string[],
  options: {
    concurrency: number;
    /** Spread the batches evenly over at least this long (so that kills land mid-stream). */
    durationMs?: number;
    onProgress?: (done: number) => Promise<void> | void;
  },
): Promise<{ retries: number }> {
  const clients = new Map<string, CloudWatchLogsClient>();
  const client = (url: string) => {
    let c = clients.get(url);
    if (!c) {
      c = new CloudWatchLogsClient({ endpoint: url, region: "us-east-1", credentials: KEY, maxAttempts: 1 });
      clients.set(url, c);
    }
    return c;
  };
  const started = Date.now();
  let next = 0;
  let done = 0;
  let retries = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= batches.length) return;
      const b = batches[i];
      const due = started + ((options.durationMs ?? 0) * i) / batches.length;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      for (let attempt = 1; ; attempt++) {
        const live = targets();
        const url = live[Math.floor(Math.random() * live.length)];
        try {
          const r = await client(url).send(
            new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: b.stream, logEvents: b.events }),
          );
          if (r.rejectedLogEventsInfo)
            throw new Error(`events rejected: ${JSON.stringify(r.rejectedLogEventsInfo)}`);
          break;
        } catch (err) {
          if (attempt >= 50 || /rejected/.test(String(err))) throw err;
          retries++;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      done++;
      await options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  for (const c of clients.values()) c.destroy();
  return { retries };
}

/**
 * What both runs must agree on: every metric's buckets (relative to the run's own start minute), the
 * number of stored events, each alarm's state transitions, and the notifications queued.
 */
export async function fingerprint(store: Store, t0: number): Promise<Record<string, unknown>> {
  const metrics: Record<string, [number, number, number][]> = {};
  for (const m of await store.listMetrics({})) {
    const key = `${m.namespace}/${m.metricName}${m.dimensions.map((d) => `/${d.Name}=${d.Value}`).join("")}`;
    metrics[key] = (await store.queryAggregates(m, 0, Number.MAX_SAFE_INTEGER)).map((a) => [
      a.timestamp - t0,
      a.sampleCount,
      a.sum,
    ]);
  }
  const history = await store.queryAlarmHistory({
    historyItemType: "StateUpdate",
    ascending: true,
    limit: 10_000,
  });
  const transitions: Record<string, string[]> = {};
  for (const h of history) transitions[h.alarmName] = [...(transitions[h.alarmName] ?? []), h.historySummary];
  let events = 0;
  for (let after: number | undefined; ; ) {
    const page = await store.scanLogEvents({
      logGroupName: GROUP,
      limit: 10_000,
      ...(after ? { afterSeq: after } : {}),
    });
    events += page.length;
    if (page.length < 10_000) break;
    after = page[page.length - 1].seq;
  }
  const outbox = await store.listDeliveries({ limit: 10_000 });
  return {
    metrics: Object.fromEntries(Object.entries(metrics).sort(([a], [b]) => (a < b ? -1 : 1))),
    events,
    transitions: Object.fromEntries(Object.entries(transitions).sort(([a], [b]) => (a < b ? -1 : 1))),
    deliveries: outbox.map((i) => i.status).sort(),
  };
}
