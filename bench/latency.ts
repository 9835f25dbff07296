/**
 * `npm run bench -- latency`: how long from a batch of CloudTrail events accepted by the engine to an HTTP
 * subscriber receiving the ALARM notification — SNS's signed POST, through the persistent outbox, on a real
 * SQLite store and a real loopback HTTP server. CloudWatch takes minutes for the same path.
 *
 * Each trial resets the seed's "Root account usage" alarm to OK (SetAlarmState; OK has no actions), then
 * ingests a batch of 100 real records sampled from fixtures/cloudtrail with one root sign-in among them, and
 * waits for the Notification. Baseline, same run: a bare POST of the same body to the same subscriber from
 * the same process (the floor any delivery pays).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { systemClock } from "../src/engine/clock.js";
import { installPack } from "../src/engine/install-pack.js";
import { mergeSketch } from "../src/metrics/sketch-codec.js";
import { loadPack } from "../src/packs/pack.js";
import { buildHttpServer } from "../src/server/http.js";
import { openServerContext } from "../src/server/open-context.js";
import { registerSnsLinks } from "../src/server/sns-links.js";
import { openSqliteStore } from "../src/store/sqlite/index.js";
import { type BenchOptions, emitJson, machine, round, selected } from "./lib.js";

const TRIALS = 200;
const BATCH = 100;
const GROUP = "CloudTrail/DefaultLogGroup";
const ALARM = "Root account usage";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export async function run(opts: BenchOptions): Promise<void> {
  if (!selected(opts, "latency/alarm-notification")) return;
  const trials = opts.reps ?? TRIALS;
  console.log(`latency/alarm-notification — ${machine()}`);
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-bench-latency-"));
  const logger = pino({ level: "silent" });

  // The subscriber: records when each request arrived.
  const arrivals: { at: number; type: string | undefined; body: string }[] = [];
  let onArrival: (() => void) | undefined;
  const subscriber = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      res.end();
      arrivals.push({
        at,
        type: req.headers["x-amz-sns-message-type"] as string | undefined,
        body: Buffer.concat(chunks).toString(),
      });
      onArrival?.();
    });
  });
  await new Promise<void>((r) => subscriber.listen(0, "127.0.0.1", r));
  const endpoint = `http://127.0.0.1:${(subscriber.address() as { port: number }).port}/sns`;
  const nextArrival = (type: string) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within 10 s`)), 10_000);
      onArrival = () => {
        const hit = arrivals.find((a) => a.type === type);
        if (!hit) return;
        arrivals.splice(arrivals.indexOf(hit), 1);
        clearTimeout(timer);
        onArrival = undefined;
        resolve(hit.at);
      };
      onArrival();
    });

  const store = await openSqliteStore({ path: join(dir, "trailwatch.db"), mergeSketch });
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const ctx = await openServerContext({
    store,
    clock: systemClock,
    identity: { account: "123456789012", region: "us-east-1" },
    logger,
    publicUrl,
    loopbackOnly: true,
    signingDir: dir,
    mailer: { send: async () => ({ accepted: true, permanent: false, messageId: "" }) },
    storeEvents: true,
  });
  const app = buildHttpServer(ctx.engine, logger);
  registerSnsLinks(app, ctx, {
    certificatePem: ctx.signing.certificatePem,
    certificateId: ctx.signing.certificateId,
  });
  await app.listen({ host: "127.0.0.1", port });
  try {
    await installPack(ctx.engine, await loadPack("seed"));
    const { TopicArn } = await ctx.topics.createTopic({ Name: "latency" });
    await ctx.notifier.subscribe({ TopicArn, Protocol: "http", Endpoint: endpoint });
    await nextArrival("SubscriptionConfirmation");
    // The subscriber confirms as SNS subscribers do: a GET of the SubscribeURL it was sent.
    const pending = (await store.listSubscriptions({ topicArn: TopicArn, limit: 10 }))[0];
    const confirmed = await fetch(
      `${publicUrl}/?Action=ConfirmSubscription&TopicArn=${TopicArn}&Token=${pending.confirmationToken}`,
    );
    if (confirmed.status !== 200) throw new Error(`confirmation failed: HTTP ${confirmed.status}`);
    const alarm = ctx.engine.alarms.get(ALARM);
    if (!alarm) throw new Error("the seed pack has no root alarm");
    await ctx.engine.alarms.replace({ ...alarm, alarmActions: [TopicArn] });

    // Real records (none of them root usage), and one root sign-in per batch.
    const records = readFileSync(new URL("../fixtures/cloudtrail/records.jsonl", import.meta.url), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((r) => (r.userIdentity as { type?: string } | undefined)?.type !== "Root");
    const root = JSON.parse(
      readFileSync(new URL("../fixtures/sample/compromised-root.json", import.meta.url), "utf8"),
    ).Records[0];

    const latencies: number[] = [];
    for (let i = 0; i < trials; i++) {
      await ctx.engine.cloudwatch.setAlarmState({
        AlarmName: ALARM,
        StateValue: "OK",
        StateReason: "bench: reset before the next trial",
      });
      const now = Date.now();
      const at = (k: number) => new Date(now - BATCH + k).toISOString().replace(/\.\d{3}Z$/, "Z");
      const events = [];
      for (let k = 0; k < BATCH - 1; k++) {
        const r = records[(i * BATCH + k) % records.length];
        events.push({ timestamp: now - BATCH + k, message: JSON.stringify({ ...r, eventTime: at(k) }) });
      }
      events.push({
        timestamp: now,
        message: JSON.stringify({ ...root, eventTime: at(BATCH), eventID: `trial-${i}` }),
      });
      const received = nextArrival("Notification");
      const t0 = performance.now();
      await ctx.engine.ingest(GROUP, "123456789012_CloudTrail_us-east-1", events);
      const t1 = await received;
      latencies.push(t1 - t0);
    }

    // Baseline: a bare POST of a notification-sized body to the same subscriber.
    // The baseline posts what the trials delivered: an ALARM notification's body, not the confirmation.
    const sample = (await store.listDeliveries({ status: "delivered", limit: 1000 })).find(
      (d) =>
        d.protocol === "http" &&
        (JSON.parse(d.payload) as { headers: Record<string, string> }).headers["x-amz-sns-message-type"] ===
          "Notification",
    );
    const body = sample ? (JSON.parse(sample.payload) as { body: string }).body : "x".repeat(4000);
    const bodyBytes = Buffer.byteLength(body);
    const baseline: number[] = [];
    for (let i = 0; i < trials; i++) {
      const received = nextArrival("bare");
      const t0 = performance.now();
      await fetch(endpoint, { method: "POST", body, headers: { "x-amz-sns-message-type": "bare" } });
      const t1 = await received;
      baseline.push(t1 - t0);
    }

    latencies.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    const p50 = round(percentile(latencies, 50), 2);
    const p99 = round(percentile(latencies, 99), 2);
    const b50 = round(percentile(baseline, 50), 2);
    const b99 = round(percentile(baseline, 99), 2);
    console.log(
      `  ${trials} trials, batches of ${BATCH} events; notification body ${bodyBytes} bytes\n` +
        `  batch accepted -> ALARM notification received: p50 ${p50} ms, p99 ${p99} ms, max ${round(latencies.at(-1) ?? 0, 2)} ms (target p99 < 1000 ms)\n` +
        `  baseline, bare POST of the same body:          p50 ${b50} ms, p99 ${b99} ms`,
    );
    emitJson({
      bench: "latency/alarm-notification",
      trials,
      batchEvents: BATCH,
      p50Ms: p50,
      p99Ms: p99,
      maxMs: round(latencies.at(-1) ?? 0, 2),
      baselineP50Ms: b50,
      baselineP99Ms: b99,
    });
  } finally {
    await app.close();
    await ctx.close();
    await new Promise<void>((r) => subscriber.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}
