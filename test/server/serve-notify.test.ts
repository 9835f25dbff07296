/**
 * `trailwatch serve --notify-email` as a real process: the seed's notification list over a real SMTP server,
 * and the process killed (SIGKILL) while the ALARM mail is being sent — after the restart the mail arrives
 * exactly once, with the Message-ID of the interrupted attempt.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { freePort } from "../helpers/server.js";
import { ROOT } from "../helpers/shared.js";
import { startSmtp } from "../helpers/smtp.js";

interface Serve {
  child: ChildProcess;
  lines: string[];
  waitFor(pred: (l: string) => boolean, ms?: number): Promise<string>;
}

function startServe(dir: string, port: number, smtpPort: number): Serve {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "serve",
      "--data-dir",
      dir,
      "--port",
      String(port),
      "--notify-email",
      "secops@example.test",
      "--notify-topic",
      "seed-alarms",
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        TRAILWATCH_SMTP_HOST: "127.0.0.1",
        TRAILWATCH_SMTP_PORT: String(smtpPort),
        TRAILWATCH_SMTP_STARTTLS: "off",
        TRAILWATCH_OUTBOX_LEASE_MS: "1500",
      },
    },
  );
  const lines: string[] = [];
  let buf = "";
  const onData = (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    lines.push(...parts);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  return {
    child,
    lines,
    waitFor(pred, ms = 20_000) {
      const start = Date.now();
      return new Promise((resolve, reject) => {
        const poll = () => {
          const hit = lines.find(pred);
          if (hit) return resolve(hit);
          if (Date.now() - start > ms) return reject(new Error(`timed out; log:\n${lines.join("\n")}`));
          setTimeout(poll, 50);
        };
        poll();
      });
    },
  };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve() : child.once("exit", () => resolve()),
  );
}

/** A CloudTrail file with one root console sign-in, happening now. */
function rootSignInFile(path: string): void {
  const now = new Date();
  const record = {
    eventVersion: "1.08",
    userIdentity: {
      type: "Root",
      principalId: "493859302102",
      arn: "arn:aws:iam::493859302102:root",
      accountId: "493859302102",
    },
    eventTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.23",
    userAgent: "Mozilla/5.0",
    responseElements: { ConsoleLogin: "Success" },
    additionalEventData: { MFAUsed: "No" },
    eventID: "kill-test-1",
    eventType: "AwsConsoleSignIn",
    recipientAccountId: "493859302102",
  };
  writeFileSync(path, JSON.stringify({ Records: [record] }));
}

describe("serve --notify-email, killed while sending", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-serve-notify-"));
  const children: ChildProcess[] = [];
  after(() => {
    for (const c of children) c.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  test("confirm from the mail; SIGKILL mid-send; after the restart one ALARM mail, same Message-ID", async () => {
    const smtp = await startSmtp();
    try {
      const port = await freePort();
      // 1. The notification list: the confirmation mail, and its link.
      const first = startServe(dir, port, smtp.port);
      children.push(first.child);
      await first.waitFor((l) => l.includes("trailwatch is running"));
      const invite = await smtp.waitFor(
        (m) => m.parsed.subject === "AWS Notification - Subscription Confirmation",
      );
      const link = /http:\/\/127\.0\.0\.1:\d+\/\?Action=ConfirmSubscription\S+/.exec(
        invite.parsed.text ?? "",
      )?.[0];
      assert.ok(link);
      assert.equal((await fetch(link)).status, 200);
      first.child.kill("SIGTERM");
      await exited(first.child);

      // 2. An SMTP server that accepts connections and never greets: the ALARM mail hangs in flight.
      const hung: net.Socket[] = [];
      const blackHole = net.createServer((s) => void hung.push(s));
      await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", r));
      const blackHolePort = (blackHole.address() as net.AddressInfo).port;
      const second = startServe(dir, port, blackHolePort);
      children.push(second.child);
      await second.waitFor((l) => l.includes("trailwatch is running"));
      mkdirSync(join(dir, "inbox"), { recursive: true });
      rootSignInFile(join(dir, "inbox", "root.json"));
      await second.waitFor(
        (l) => l.includes("INSUFFICIENT_DATA -> ALARM") && l.includes("Root account usage"),
      );
      const deadline = Date.now() + 10_000;
      while (hung.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(hung.length > 0, "the ALARM mail was being sent");
      second.child.kill("SIGKILL");
      await exited(second.child);
      for (const s of hung) s.destroy();
      blackHole.close();
      assert.equal(
        smtp.received.filter((m) => /^ALARM/.test(m.parsed.subject ?? "")).length,
        0,
        "nothing reached the real server yet",
      );

      // 3. Restart on the working server: the interrupted mail is sent once its lease ends.
      const third = startServe(dir, port, smtp.port);
      children.push(third.child);
      const mail = await smtp.waitFor(
        (m) => /^ALARM: "Root account usage"/.test(m.parsed.subject ?? ""),
        20_000,
      );
      assert.ok((mail.parsed.text ?? "").includes("198.51.100.23"), "the mail names the source IP");
      assert.ok((mail.parsed.text ?? "").includes("arn:aws:iam::493859302102:root"), "and the root identity");
      await new Promise((r) => setTimeout(r, 2500));
      const alarms = smtp.received.filter((m) => /^ALARM: "Root account usage"/.test(m.parsed.subject ?? ""));
      assert.equal(alarms.length, 1, "sent once");
      assert.match(alarms[0].parsed.messageId ?? "", /^<[0-9a-f-]{36}@trailwatch>$/);
      // No second invitation either: the address was already subscribed.
      assert.equal(
        smtp.received.filter((m) => /Subscription Confirmation/.test(m.parsed.subject ?? "")).length,
        1,
      );
      third.child.kill("SIGTERM");
      await exited(third.child);
    } finally {
      await smtp.stop();
    }
  });
});
