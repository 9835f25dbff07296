import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { AggregateFollower } from "../../src/engine/aggregate-follower.js";
import { ManualClock } from "../../src/engine/clock.js";
import { Engine } from "../../src/engine/engine.js";
import { installPack } from "../../src/engine/install-pack.js";
import type { AlarmTransition } from "../../src/engine/transitions.js";
import { mergeSketch, sketchOf } from "../../src/metrics/sketch-codec.js";
import { loadPack } from "../../src/packs/pack.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";

const dir = mkdtempSync(join(tmpdir(), "trailwatch-follower-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const T = Date.parse("2026-03-01T12:00:30Z");
const GROUP = "CloudTrail/DefaultLogGroup";
const ROOT_METRIC = { namespace: "CloudTrailMetrics", metricName: "RootAccountUsageCount", dimensions: [] };

function rootLogin(t: number): string {
  return JSON.stringify({
    eventVersion: "1.08",
    userIdentity: { type: "Root", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333" },
    eventTime: new Date(t).toISOString(),
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    awsRegion: "us-east-1",
    sourceIPAddress: "192.0.2.1",
    eventType: "AwsConsoleSignIn",
    recipientAccountId: "111122223333",
  });
}

async function openOn(path: string, clock: ManualClock, transitions: AlarmTransition[]): Promise<Engine> {
  const store = await openSqliteStore({ path, mergeSketch });
  return Engine.open({
    store,
    clock,
    identity: { account: "111122223333", region: "us-east-1" },
    listener: { onTransition: (t) => void transitions.push(t) },
    storeEvents: true,
    mergeSketch,
    sketchOf,
  });
}

test("serve's index follows what another process commits, exactly once, and its alarm fires", async () => {
  const path = join(dir, "shared.db");
  const clock = new ManualClock(T);
  const serveTransitions: AlarmTransition[] = [];
  const serve = await openOn(path, clock, serveTransitions);
  await installPack(serve, await loadPack("seed"));
  const ingest = await openOn(path, clock, []);
  for (const a of ingest.alarms.list()) ingest.alarms.forget(a.alarmName);
  const follower = await AggregateFollower.manual(serve, { onError: (e) => assert.fail(String(e)) });
  try {
    // serve ingests one event itself (it reaches its index directly) ...
    await serve.ingest(GROUP, "111122223333_CloudTrail_us-east-1", [{ timestamp: T, message: rootLogin(T) }]);
    // ... and another process commits two more to the same store.
    await ingest.ingest(GROUP, "111122223333_CloudTrail_us-east-1", [
      { timestamp: T + 1000, message: rootLogin(T + 1000) },
      { timestamp: T + 2000, message: rootLogin(T + 2000) },
    ]);
    const sumInIndex = () =>
      serve.index.range(ROOT_METRIC, T - 60_000, T + 60_000).reduce((s, a) => s + a.sum, 0);
    assert.equal(sumInIndex(), 1, "before polling, serve knows only its own event");
    assert.equal(await follower.pollNow(), 1, "one aggregate (one minute) from the other writer");
    assert.equal(sumInIndex(), 3, "its own event once, the other two once");
    assert.equal(await follower.pollNow(), 0, "nothing new: nothing applied twice");
    assert.equal(sumInIndex(), 3);
    const stored = await serve.store.queryAggregates(ROOT_METRIC, T - 60_000, T + 60_000);
    assert.equal(
      stored.reduce((s, a) => s + a.sum, 0),
      3,
      "the store agrees",
    );
    assert.ok(
      serveTransitions.some((t) => t.alarm.alarmName === "Root account usage" && t.newState === "ALARM"),
      "the alarm went to ALARM in serve",
    );
  } finally {
    follower.stop();
    await ingest.close();
    await serve.close();
  }
});

test("a follower started after commits reloads them once, then follows", async () => {
  const path = join(dir, "reload.db");
  const clock = new ManualClock(T);
  const serve = await openOn(path, clock, []);
  await installPack(serve, await loadPack("seed"));
  const other = await openOn(path, clock, []);
  for (const a of other.alarms.list()) other.alarms.forget(a.alarmName);
  await other.ingest(GROUP, "s", [{ timestamp: T, message: rootLogin(T) }]);
  const follower = await AggregateFollower.manual(serve, { onError: (e) => assert.fail(String(e)) });
  try {
    const sum = () => serve.index.range(ROOT_METRIC, T - 60_000, T + 60_000).reduce((s, a) => s + a.sum, 0);
    assert.equal(sum(), 1, "reloaded from the store");
    assert.equal(await follower.pollNow(), 0, "the reloaded commit is not applied again");
    await other.ingest(GROUP, "s", [{ timestamp: T + 5000, message: rootLogin(T + 5000) }]);
    await follower.pollNow();
    assert.equal(sum(), 2);
  } finally {
    follower.stop();
    await other.close();
    await serve.close();
  }
});
