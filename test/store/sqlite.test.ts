import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import {
  APPLICATION_ID,
  CorruptRowError,
  MIGRATIONS,
  type Migration,
  openSqliteStore,
  SchemaError,
  StoreClosedError,
} from "../../src/store/sqlite/index.js";
import type { MetricAggregate } from "../../src/store/types.js";
import { ROOT } from "../helpers/shared.js";
import { contractMergeSketch, storeContract } from "./contract.js";
import { assertCrashAggregates } from "./crash-writer.js";

const dir = mkdtempSync(join(tmpdir(), "trailwatch-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newPath = (label = "store") => join(dir, `${label}-${++files}.db`);
const open = (path: string, migrations?: readonly Migration[]) =>
  openSqliteStore({ path, mergeSketch: contractMergeSketch, migrations });

storeContract("sqlite file", () => open(newPath("contract")));

describe("SQLite store", () => {
  test("a scratch store (replay's throwaway one) keeps its data without a journal on disk or a change feed", async () => {
    const path = newPath("scratch");
    const store = await openSqliteStore({ path, mergeSketch: contractMergeSketch, scratch: true });
    try {
      assert.equal(store.settings().journalMode, "memory");
      assert.equal(store.settings().synchronous, 0);
      const m = { namespace: "N", metricName: "A", dimensions: [] };
      const a: MetricAggregate = {
        metric: m,
        timestamp: 60_000,
        resolution: 60,
        unit: "Count",
        sampleCount: 1,
        sum: 2,
        min: 2,
        max: 2,
      };
      const start = await store.aggregateChangeHead();
      await store.commit({ events: [], streams: [], aggregates: [a, a] });
      assert.deepEqual(
        (await store.queryAggregates(m, 0, 120_000)).map((x) => [x.timestamp, x.sampleCount, x.sum]),
        [[60_000, 2, 4]],
      );
      assert.deepEqual((await store.aggregateChangesSince(start, 10)).changes, []);
    } finally {
      await store.close();
    }
  });

  test("change feed: one connection sees the aggregates another committed, as deltas, in order, paged", async () => {
    const path = newPath("feed");
    const writer = await open(path);
    const reader = await open(path);
    try {
      const m = { namespace: "N", metricName: "A", dimensions: [{ Name: "Region", Value: "eu" }] };
      const a = (timestamp: number, v: number): MetricAggregate => ({
        metric: m,
        timestamp,
        resolution: 60,
        unit: "Count",
        sampleCount: 1,
        sum: v,
        min: v,
        max: v,
      });
      const start = await reader.aggregateChangeHead();
      await writer.commit({ events: [], streams: [], aggregates: [a(0, 1), a(60_000, 2)] });
      await reader.commit({ events: [], streams: [], aggregates: [a(0, 100)] });
      await writer.commit({ events: [], streams: [], aggregates: [a(0, 3)] });
      const head = await reader.aggregateChangeHead();
      assert.equal(head, await writer.aggregateChangeHead());

      const all = await reader.aggregateChangesSince(start, 100);
      assert.equal(all.cursor, head);
      assert.deepEqual(
        all.changes.map((c) => [c.timestamp, c.sum]),
        [
          [0, 1],
          [60_000, 2],
          [0, 3],
        ],
        "the writer's deltas, not totals, without the reader's own",
      );
      assert.deepEqual(all.changes[0].metric, m);
      const own = await writer.aggregateChangesSince(start, 100);
      assert.deepEqual(
        own.changes.map((c) => c.sum),
        [100],
      );
      // Paging one logged change at a time gives the same, whatever the page boundaries.
      const paged: number[] = [];
      let cursor = start;
      for (let i = 0; i < 10 && cursor < head; i++) {
        const p = await reader.aggregateChangesSince(cursor, 1);
        assert.ok(p.cursor > cursor);
        paged.push(...p.changes.map((c) => c.sum));
        cursor = p.cursor;
      }
      assert.deepEqual(paged, [1, 2, 3]);
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  test(":memory: works too", async () => {
    const store = await open(":memory:");
    assert.equal(await store.createLogGroup({ logGroupName: "/m", creationTime: 1, tags: {} }), true);
    assert.equal((await store.getLogGroup("/m"))?.creationTime, 1);
    await store.close();
  });

  test("a new file: WAL, synchronous NORMAL, foreign keys, every migration recorded once", async () => {
    const path = newPath();
    const store = await open(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    try {
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal", "WAL is persistent in the file");
      assert.equal(db.pragma("application_id", { simple: true }), APPLICATION_ID);
      const rows = db.prepare("SELECT version, name FROM schema_migrations ORDER BY version").all();
      assert.deepEqual(
        rows,
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      );
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all() as string[];
      for (const t of [
        "log_groups",
        "log_streams",
        "log_events",
        "metric_filters",
        "metric_series",
        "metric_aggregates",
        "alarms",
        "alarm_history",
        "checkpoints",
        "schema_migrations",
      ]) {
        assert.ok(tables.includes(t), t);
      }
    } finally {
      db.close();
    }
  });

  test("connection settings: WAL, synchronous NORMAL (1), foreign keys on, busy timeout", async () => {
    const store = await open(newPath());
    try {
      assert.deepEqual(store.settings(), {
        journalMode: "wal",
        synchronous: 1,
        foreignKeys: true,
        busyTimeoutMs: 5000,
      });
    } finally {
      await store.close();
    }
    const other = await openSqliteStore({
      path: newPath(),
      mergeSketch: contractMergeSketch,
      busyTimeoutMs: 250,
    });
    assert.equal(other.settings().busyTimeoutMs, 250);
    await other.close();
  });

  test("re-opening keeps the data and applies no migration twice", async () => {
    const path = newPath();
    let store = await open(path);
    await store.createLogGroup({ logGroupName: "/keep", creationTime: 5, tags: { a: "b" } });
    await store.createLogStream({ logGroupName: "/keep", logStreamName: "s", creationTime: 5 });
    const r = await store.commit({
      events: [
        { logGroupName: "/keep", logStreamName: "s", timestamp: 7, ingestionTime: 8, message: "hello" },
      ],
      streams: [],
      aggregates: [],
      checkpoints: [{ source: "src", position: "42" }],
    });
    await store.close();
    for (let i = 0; i < 3; i++) {
      store = await open(path);
      assert.deepEqual(await store.getLogGroup("/keep"), {
        logGroupName: "/keep",
        creationTime: 5,
        tags: { a: "b" },
      });
      assert.deepEqual(await store.getLogEvents({ logGroupName: "/keep", logStreamName: "s", limit: 10 }), [
        {
          logGroupName: "/keep",
          logStreamName: "s",
          timestamp: 7,
          ingestionTime: 8,
          message: "hello",
          seq: r.firstSeq,
        },
      ]);
      assert.equal(await store.getCheckpoint("src"), "42");
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    assert.equal(db.prepare("SELECT count(*) FROM schema_migrations").pluck().get(), MIGRATIONS.length);
    db.close();
  });

  test("an older file is upgraded: only the missing migrations run, each once", async () => {
    const path = newPath();
    let store = await open(path);
    await store.createLogGroup({ logGroupName: "/old", creationTime: 1, tags: {} });
    await store.close();

    const next = MIGRATIONS[MIGRATIONS.length - 1].version + 1;
    const upgraded: Migration[] = [
      ...MIGRATIONS,
      {
        version: next,
        name: "test: notes",
        sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT; INSERT INTO notes (text) VALUES ('hi');",
      },
    ];
    store = await open(path, upgraded);
    assert.ok(await store.getLogGroup("/old"), "the data survives the upgrade");
    await store.close();
    store = await open(path, upgraded);
    await store.close();

    const db = new Database(path, { readonly: true });
    assert.deepEqual(db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all(), [
      ...MIGRATIONS.map((m) => m.version),
      next,
    ]);
    assert.equal(db.prepare("SELECT count(*) FROM notes").pluck().get(), 1, "ran once");
    db.close();
  });

  test("a failing migration rolls back whole and the file stays at its version", async () => {
    const path = newPath();
    await (await open(path)).close();
    const next = MIGRATIONS[MIGRATIONS.length - 1].version + 1;
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: next,
        name: "test: broken",
        sql: "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;",
      },
    ];
    await assert.rejects(open(path, broken), (err: Error) => {
      assert.ok(err instanceof SchemaError);
      assert.match(err.message, new RegExp(`migration ${next} \\(test: broken\\) failed: .*no such table`));
      return true;
    });
    const db = new Database(path, { readonly: true });
    assert.equal(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get(), next - 1);
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get(), 0);
    db.close();
    // And the current code still opens it.
    await (await open(path)).close();
  });

  test("a file from a newer trailwatch is refused with a clear error and left untouched", async () => {
    const path = newPath();
    await (await open(path)).close();
    const newer = MIGRATIONS[MIGRATIONS.length - 1].version + 5;
    let db = new Database(path);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', 0)",
    ).run(newer);
    db.close();
    await assert.rejects(open(path), (err: Error) => {
      assert.ok(err instanceof SchemaError);
      assert.match(err.message, new RegExp(`schema is version ${newer}, newer than this trailwatch knows`));
      assert.ok(err.message.includes(path), "names the file");
      return true;
    });
    db = new Database(path, { readonly: true });
    assert.equal(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get(), newer);
    db.close();
  });

  test("a foreign SQLite file, a non-SQLite file and a missing directory are refused clearly", async () => {
    const foreign = newPath("foreign");
    let db = new Database(foreign);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY)");
    db.close();
    await assert.rejects(open(foreign), /not a trailwatch store \(an SQLite file with other tables\)/);
    db = new Database(foreign);
    assert.deepEqual(
      db.prepare("SELECT name FROM sqlite_master").pluck().all(),
      ["customers"],
      "nothing added",
    );
    db.pragma("application_id = 42");
    db.close();
    await assert.rejects(open(foreign), /not a trailwatch store \(SQLite application_id 42\)/);

    const text = newPath("text");
    writeFileSync(
      text,
      "this is not a database, just a text file that is long enough to have a header...".repeat(10),
    );
    await assert.rejects(open(text), (err: Error) =>
      err.message.startsWith(`cannot open the store ${text}:`),
    );

    const missing = join(dir, "no-such-dir", "store.db");
    await assert.rejects(open(missing), (err: Error) =>
      err.message.startsWith(`cannot open the store ${missing}:`),
    );
  });

  test("a closed store fails every call with StoreClosedError naming the file", async () => {
    const path = newPath();
    const store = await open(path);
    await store.close();
    for (const call of [
      () => store.getLogGroup("/x"),
      () => store.commit({ events: [], streams: [], aggregates: [] }),
      () =>
        store.setAlarmState(
          "a",
          { stateValue: "OK", stateReason: "", stateUpdatedTimestamp: 0, stateTransitionedTimestamp: 0 },
          {
            alarmName: "a",
            alarmType: "MetricAlarm",
            timestamp: 0,
            historyItemType: "StateUpdate",
            historySummary: "",
            historyData: "{}",
          },
        ),
      () => store.queryAggregates({ namespace: "n", metricName: "m", dimensions: [] }, 0, 1),
    ]) {
      await assert.rejects(call(), (err: Error) => {
        assert.ok(err instanceof StoreClosedError);
        assert.equal(err.message, `the store ${path} is closed`);
        return true;
      });
    }
  });

  test("corrupt JSON columns fail with CorruptRowError naming the row", async () => {
    const path = newPath();
    const store = await open(path);
    try {
      await store.createLogGroup({ logGroupName: "/g", creationTime: 1, tags: {} });
      const db = new Database(path);
      db.prepare("UPDATE log_groups SET tags = '{not json' WHERE name = '/g'").run();
      db.prepare("INSERT INTO alarms (name, type, body) VALUES ('a', 'MetricAlarm', '[1,2]')").run();
      db.prepare(
        'INSERT INTO alarms (name, type, body) VALUES (\'b\', \'MetricAlarm\', \'{"alarmName":"other","alarmType":"MetricAlarm"}\')',
      ).run();
      db.close();
      await assert.rejects(
        store.getLogGroup("/g"),
        (err: Error) => err instanceof CorruptRowError && /log_groups "\/g" tags/.test(err.message),
      );
      await assert.rejects(
        store.getAlarm("a"),
        (err: Error) => err instanceof CorruptRowError && /alarms "a"/.test(err.message),
      );
      await assert.rejects(store.getAlarm("b"), /not an alarm of that name/);
      await assert.rejects(store.listAlarms(), CorruptRowError);
    } finally {
      await store.close();
    }
  });

  test("a mergeSketch that throws rolls the whole commit back", async () => {
    const path = newPath();
    const store = await openSqliteStore({
      path,
      mergeSketch: () => {
        throw new Error("bad sketch");
      },
    });
    try {
      await store.createLogGroup({ logGroupName: "/g", creationTime: 1, tags: {} });
      await store.createLogStream({ logGroupName: "/g", logStreamName: "s", creationTime: 1 });
      const m = { namespace: "N", metricName: "M", dimensions: [] };
      const a: MetricAggregate = {
        metric: m,
        timestamp: 0,
        resolution: 60,
        unit: "Count",
        sampleCount: 1,
        sum: 1,
        min: 1,
        max: 1,
        sketch: Uint8Array.of(1),
      };
      await store.commit({ events: [], streams: [], aggregates: [a] });
      await assert.rejects(
        store.commit({
          events: [{ logGroupName: "/g", logStreamName: "s", timestamp: 5, ingestionTime: 5, message: "x" }],
          streams: [{ logGroupName: "/g", logStreamName: "s", creationTime: 1, lastEventTimestamp: 5 }],
          aggregates: [{ ...a, metric: { ...m, metricName: "Other" } }, a],
          checkpoints: [{ source: "s", position: "1" }],
        }),
        /bad sketch/,
      );
      assert.deepEqual(await store.scanLogEvents({ logGroupName: "/g", limit: 10 }), []);
      assert.equal((await store.getLogStream("/g", "s"))?.lastEventTimestamp, undefined);
      assert.equal(await store.getCheckpoint("s"), undefined);
      assert.deepEqual(await store.listMetrics({ metricName: "Other" }), []);
      assert.equal((await store.queryAggregates(m, 0, 1))[0].sampleCount, 1);
    } finally {
      await store.close();
    }
  });

  test("kill -9 at random moments leaves every committed batch whole and nothing else", async (t) => {
    const path = newPath("crash");
    const script = join(ROOT, "test", "store", "crash-writer.ts");
    const rounds = 10;
    let previous = 0;
    let progressed = 0;
    for (let round = 0; round < rounds; round++) {
      const child = spawn(process.execPath, ["--import", "tsx", script, path], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on("exit", (code, signal) => resolve({ code, signal })),
      );
      // The first round may die while the file is created and migrated; the others while committing.
      if (round > 0) {
        await Promise.race([
          new Promise<void>((resolve) =>
            child.stdout.on("data", (d) => String(d).includes("ready") && resolve()),
          ),
          exited.then(() => assert.fail(`the writer exited early: ${stderr}`)),
        ]);
      }
      await new Promise((resolve) =>
        setTimeout(resolve, round === 0 ? 300 + Math.random() * 300 : Math.random() * 250),
      );
      child.kill("SIGKILL");
      const { signal } = await exited;
      assert.equal(signal, "SIGKILL", `the writer was still running when killed: ${stderr}`);

      const store = await open(path);
      const db = new Database(path, { readonly: true });
      try {
        const total = Number((await store.getCheckpoint("crash")) ?? "0");
        const events = db
          .prepare(
            "SELECT count(*) AS n, coalesce(min(seq), 1) AS lo, coalesce(max(seq), 0) AS hi FROM log_events",
          )
          .get() as {
          n: number;
          lo: number;
          hi: number;
        };
        assert.equal(events.n, total, `round ${round}: the checkpoint counts the stored events`);
        assert.deepEqual(
          [events.lo, events.hi],
          [1, total],
          "seqs 1..n: no batch half-written or rolled into a gap",
        );
        assert.equal(
          db
            .prepare("SELECT count(*) FROM log_events WHERE message NOT LIKE 'e' || (seq - 1) || ' %'")
            .pluck()
            .get(),
          0,
          "each event is the one written with its seq",
        );
        await assertCrashAggregates(store, total);
        assert.equal(db.pragma("quick_check", { simple: true }), "ok");
        assert.ok(total >= previous, "nothing committed was lost");
        if (total > previous) progressed++;
        previous = total;
      } finally {
        db.close();
        await store.close();
      }
    }
    t.diagnostic(
      `crash test: ${rounds} kills, ${progressed} rounds with progress, ${previous} events in the end`,
    );
    assert.ok(progressed >= 3, "rounds were killed while committing");
  });
});
