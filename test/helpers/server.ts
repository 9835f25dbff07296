import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { type Clock, systemClock } from "../../src/engine/clock.js";
import type { AlarmTransition } from "../../src/engine/transitions.js";
import { mergeSketch } from "../../src/metrics/sketch-codec.js";
import { createMailer, type Mailer } from "../../src/notify/email/send.js";
import type { SmtpSettings } from "../../src/notify/email/smtp-config.js";
import { buildHttpServer } from "../../src/server/http.js";
import { mountFaces } from "../../src/server/mount.js";
import { type OpenedServerContext, openServerContext } from "../../src/server/open-context.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";

export interface TestServer {
  ctx: OpenedServerContext;
  app: FastifyInstance;
  url: string;
  dir: string;
  mailer: Mailer;
  transitions: AlarmTransition[];
  close(): Promise<void>;
}

/**
 * `trailwatch serve` as tests need it: a SQLite store in a temporary folder, the server context (engine,
 * topics, notifications, outbox) and the HTTP server with the SNS links, listening on a free loopback port
 * (publicUrl = that address), mail through `smtp`.
 */
export async function startTestServer(options: {
  smtp: SmtpSettings;
  clock?: Clock;
  dir?: string;
  random?: () => number;
  /** CAs (PEM) the webhook sender trusts: a test's own HTTPS receiver. */
  ca?: readonly string[];
  register?: (app: FastifyInstance, ctx: OpenedServerContext) => void | Promise<void>;
}): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "trailwatch-server-"));
  const logger = pino({ level: process.env.TRAILWATCH_TEST_LOG ?? "silent" });
  const store = await openSqliteStore({ path: join(dir, "trailwatch.db"), mergeSketch });
  const mailer = createMailer(options.smtp);
  const transitions: AlarmTransition[] = [];
  // The public URL must be known before the port is: take a free port first.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ctx = await openServerContext({
    store,
    clock: options.clock ?? systemClock,
    identity: { account: "123456789012", region: "us-east-1" },
    logger,
    publicUrl: url,
    loopbackOnly: true,
    signingDir: dir,
    mailer,
    outboxIntervalMs: 100,
    processMetrics: false,
    ...(options.ca ? { destinations: { ca: options.ca } } : {}),
    ...(options.random ? { random: options.random } : {}),
    onTransition: (t) => void transitions.push(t),
  });
  const app = buildHttpServer(ctx.engine, logger);
  await mountFaces(app, ctx, { auth: { keys: new Map() } });
  await options.register?.(app, ctx);
  await app.listen({ host: "127.0.0.1", port });
  return {
    ctx,
    app,
    url,
    dir,
    mailer,
    transitions,
    async close() {
      await app.close();
      await ctx.close();
      await mailer.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
