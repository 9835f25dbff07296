/**
 * `trailwatch serve` as a user runs it: a real process, a real port, a real data directory. A CloudTrail
 * file dropped into the watched folder turns the seed's alarms within seconds; /health answers.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { recordLine } from "../helpers/records.js";
import { freePort } from "../helpers/server.js";
import { ROOT } from "../helpers/shared.js";

/** Resolves with the first log line that satisfies `pred`, or rejects after `ms`. */
function waitForLine(lines: string[], pred: (l: string) => boolean, ms: number): Promise<string> {
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
}

describe("trailwatch serve", () => {
  let child: ChildProcess;
  let port: number;
  let dir: string;
  const lines: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "trailwatch-serve-"));
    port = await freePort();
    child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "serve", "--data-dir", dir, "--port", String(port)],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let buf = "";
    const onData = (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split("\n");
      buf = parts.pop()!;
      lines.push(...parts);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    await waitForLine(lines, (l) => l.includes("trailwatch is running"), 20000);
  });

  after(() => {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  test("/health answers", async () => {
    const r = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(r.status, 200);
    const body = (await r.json()) as { status: string; alarms: number };
    assert.equal(body.status, "ok");
    assert.equal(body.alarms, 3);
  });

  test("a root sign-in dropped into the inbox turns 'Root account usage' to ALARM within seconds", async () => {
    const record = JSON.parse(recordLine(419));
    record.eventTime = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const started = Date.now();
    writeFileSync(join(dir, "inbox", "root.json"), JSON.stringify({ Records: [record] }));
    const line = await waitForLine(
      lines,
      (l) => l.includes("alarm Root account usage: INSUFFICIENT_DATA -> ALARM"),
      15000,
    );
    assert.match(line, /Threshold Crossed/);
    // The watched folder is polled every 2 s; evaluation itself is immediate.
    assert.ok(Date.now() - started < 10000);
  });

  test("`trailwatch ingest` into serve's data directory, from another process, reaches serve's alarms", async () => {
    const record = {
      eventVersion: "1.08",
      userIdentity: {
        type: "AssumedRole",
        arn: "arn:aws:sts::123456789012:assumed-role/ops/mallory",
        sessionContext: { attributes: { mfaAuthenticated: "false" } },
      },
      eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      eventSource: "cloudtrail.amazonaws.com",
      eventName: "StopLogging",
      awsRegion: "us-east-1",
      sourceIPAddress: "203.0.113.9",
      eventID: "ingest-while-serving",
      recipientAccountId: "123456789012",
    };
    const API_ALARM = "alarm API activity without MFA: INSUFFICIENT_DATA -> ALARM";
    assert.ok(!lines.some((l) => l.includes(API_ALARM)), "the alarm had not fired before");
    const file = join(dir, "stop-logging.json");
    writeFileSync(file, JSON.stringify({ Records: [record] }));
    const ingest = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "ingest", "--data-dir", dir, "--json", file],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    ingest.stdout?.on("data", (d) => {
      out += d;
    });
    ingest.stderr?.on("data", (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((r) => ingest.on("exit", (c) => r(c)));
    assert.equal(code, 0, out);
    await waitForLine(
      lines,
      (l) => l.includes("alarm API activity without MFA: INSUFFICIENT_DATA -> ALARM"),
      15000,
    );
  });

  test("one port serves the console, the AWS APIs and /metrics", async () => {
    const root = await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual" });
    assert.equal(root.status, 303);
    assert.equal(root.headers.get("location"), "/console/");
    const page = await fetch(`http://127.0.0.1:${port}/console/`, { headers: { "accept-language": "ko" } });
    assert.equal(page.status, 200, "loopback-only without a password: the console is open");
    assert.match(await page.text(), /<html lang="ko"/);
    // An unsigned API call gets AWS's error in its protocol, not a 404.
    const api = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "Logs_20140328.DescribeLogGroups",
      },
      body: "{}",
    });
    assert.equal(api.status, 400);
    assert.match(String(((await api.json()) as { __type?: string }).__type), /MissingAuthenticationToken/);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /trailwatch_alarms\{state="INSUFFICIENT_DATA"\}/);
  });

  test("an unknown path is a 404, not a crash", async () => {
    const r = await fetch(`http://127.0.0.1:${port}/nope`);
    assert.equal(r.status, 404);
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
  });
});
