/**
 * The console on the real server of `trailwatch serve` (test/helpers/server.ts: SQLite store, topics,
 * notifications, outbox, SNS links on a loopback port) with a real SMTP server, and a real Chromium driven by
 * playwright-core (Debian's /usr/bin/chromium; never a downloaded browser).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { type ConsoleOptions, registerConsole } from "../../src/console/index.js";
import type { Clock } from "../../src/engine/clock.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { ROOT } from "../helpers/shared.js";
import { startSmtp, type TestSmtp } from "../helpers/smtp.js";

export const GROUP = "CloudTrail/DefaultLogGroup";
export const STREAM = "493859302102_CloudTrail_us-east-1";
export const PASSWORD = "correct horse battery staple";

export interface ConsoleServer {
  server: TestServer;
  smtp: TestSmtp;
  /** http://127.0.0.1:PORT/console */
  base: string;
  close(): Promise<void>;
}

export async function startConsole(
  options: { console?: ConsoleOptions; clock?: Clock; loopbackOnly?: boolean } = {},
): Promise<ConsoleServer> {
  const smtp = await startSmtp();
  const server = await startTestServer({
    smtp: smtp.settings,
    ...(options.clock ? { clock: options.clock } : {}),
    register: async (app, ctx) => {
      const c = options.loopbackOnly === false ? { ...ctx, loopbackOnly: false } : ctx;
      await registerConsole(app, c, { pollSeconds: 1, ...options.console });
    },
  });
  return {
    server,
    smtp,
    base: `${server.url}/console`,
    async close() {
      await server.close();
      await smtp.stop();
    },
  };
}

/** A record of the bundled sample (a real record's shape), re-timed to `t`, with changes. */
export function sampleRecord(
  file: "compromised-root.json" | "console-sign-ins.json",
  index: number,
  t: number,
  changes: Record<string, unknown> = {},
): { timestamp: number; message: string } {
  const records = JSON.parse(readFileSync(join(ROOT, "fixtures/sample", file), "utf8")).Records;
  const record = {
    ...records[index],
    eventTime: new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z"),
    ...changes,
  };
  return { timestamp: t, message: JSON.stringify(record) };
}

export const CHROMIUM = "/usr/bin/chromium";

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  // playwright-core gives every launch a fresh temporary profile (its own --user-data-dir; it refuses ours).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/** Cookies of a Set-Cookie header list, name → attributes line. */
export function setCookies(header: string | string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of Array.isArray(header) ? header : header ? [header] : []) {
    out.set(line.slice(0, line.indexOf("=")), line);
  }
  return out;
}
