/**
 * What the API tests share: `trailwatch serve`'s parts with the AWS APIs mounted (real engine, SQLite store,
 * topics, notifications and outbox; fastify listening on a loopback port), an HTTP endpoint that records what
 * SNS delivers to it, and the AWS SDK clients pointed at the server.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import type { AuthConfig } from "../../src/api/auth/config.js";
import { type Clock, systemClock } from "../../src/engine/clock.js";
import { mergeSketch } from "../../src/metrics/sketch-codec.js";
import { buildHttpServer } from "../../src/server/http.js";
import { mountFaces } from "../../src/server/mount.js";
import { type OpenedServerContext, openServerContext } from "../../src/server/open-context.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { freePort } from "../helpers/server.js";

export { freePort };

// The pinned SDK prints a Node-version notice on Node 20; it is not what these tests are about.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";
export const TEST_KEY = { accessKeyId: "AKIATRAILWATCHTEST", secretAccessKey: "test-secret" };

export interface ApiServer {
  ctx: OpenedServerContext;
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export function authWith(
  ...keys: { accessKeyId: string; secretAccessKey: string; readOnly?: boolean }[]
): AuthConfig {
  return { keys: new Map(keys.map((k) => [k.accessKeyId, { ...k, readOnly: k.readOnly ?? false }])) };
}

/** The server with the AWS APIs; by default `TEST_KEY` is its only access key. */
export async function startApiServer(
  options: { auth?: AuthConfig; clock?: Clock; now?: () => number } = {},
): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-api-"));
  const logger = pino({ level: process.env.TRAILWATCH_TEST_LOG ?? "silent" });
  const store = await openSqliteStore({ path: join(dir, "trailwatch.db"), mergeSketch });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ctx = await openServerContext({
    store,
    clock: options.clock ?? systemClock,
    identity: { account: ACCOUNT, region: REGION },
    logger,
    publicUrl: url,
    loopbackOnly: true,
    signingDir: dir,
    mailer: { send: async () => ({ ok: true }) } as never,
    outboxIntervalMs: 100,
    processMetrics: false,
  });
  const app = buildHttpServer(ctx.engine, logger);
  await mountFaces(app, ctx, {
    auth: options.auth ?? authWith(TEST_KEY),
    ...(options.now ? { now: options.now } : {}),
  });
  await app.listen({ host: "127.0.0.1", port });
  return {
    ctx,
    app,
    url,
    async close() {
      await app.close();
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ReceivedPost {
  headers: http.IncomingHttpHeaders;
  body: Record<string, string>;
}

/** An HTTP endpoint that records the SNS messages POSTed to it. */
export async function startSubscriber(): Promise<{
  url: string;
  posts: ReceivedPost[];
  next(predicate: (p: ReceivedPost) => boolean, timeoutMs?: number): Promise<ReceivedPost>;
  close(): Promise<void>;
}> {
  const posts: ReceivedPost[] = [];
  const waiters: { predicate: (p: ReceivedPost) => boolean; resolve: (p: ReceivedPost) => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let body: Record<string, string> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {}
      const post = { headers: req.headers, body };
      posts.push(post);
      for (const w of [...waiters]) {
        if (w.predicate(post)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(post);
        }
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sns`,
    posts,
    next(predicate, timeoutMs = 10_000) {
      const seen = posts.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no matching SNS delivery arrived")), timeoutMs);
        waiters.push({
          predicate,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p);
          },
        });
      });
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** SDK client settings for the server: endpoint, region, the test key, no retries. */
export function clientConfig(url: string, key = TEST_KEY) {
  return { endpoint: url, region: REGION, credentials: key, maxAttempts: 1 };
}

/** A CloudTrail record of the root user signing in to the console, at `time`. */
export function rootSignIn(time: Date): string {
  return JSON.stringify({
    eventVersion: "1.08",
    userIdentity: {
      type: "Root",
      principalId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      accountId: ACCOUNT,
    },
    eventTime: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    awsRegion: REGION,
    sourceIPAddress: "198.51.100.7",
    userAgent: "Mozilla/5.0",
    responseElements: { ConsoleLogin: "Success" },
    additionalEventData: { MFAUsed: "Yes", LoginTo: "https://console.aws.amazon.com/" },
    eventID: "3f1c0a5e-1111-4b5e-9c1e-2a4b5c6d7e8f",
    eventType: "AwsConsoleSignIn",
    recipientAccountId: ACCOUNT,
  });
}
