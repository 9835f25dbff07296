/**
 * The PostgreSQL store: the shared Store contract, then what only a shared server has — migrations raced by
 * several instances, merges by two instances into the same buckets, outbox claims that never overlap, and a
 * writer killed mid-commit.
 *
 * Runs against TRAILWATCH_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test): the suite creates a
 * database of its own there (each store in a fresh schema of it) and drops it at the end. When the server
 * cannot be reached the suite is skipped with a message — unless CI is set, where that is a failure.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import pg from "pg";
import {
  CorruptRowError,
  MIGRATIONS,
  MIGRATIONS_TABLE,
  type Migration,
  openPostgresStore,
  type PostgresStore,
  SchemaError,
  StoreClosedError,
} from "../../src/store/postgres/index.js";
import type { MetricAggregate, OutboxItem } from "../../src/store/types.js";
import { ROOT } from "../helpers/shared.js";
import { contractMergeSketch, storeContract } from "./contract.js";
import { addCounts, assertCrashAggregates, CRASH_T0, countSketch, sketchCount } from "./crash-writer.js";

const SERVER = process.env.TRAILWATCH_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";
const DATABASE = `trailwatch_test_${process.pid}_${Date.now().toString(36)}`;
const url = new URL(SERVER);
url.pathname = `/${DATABASE}`;
const DB_URL = url.toString();

/** Creates the suite's database; the reason it could not, when it could not. */
async function setUp(): Promise<string | undefined> {
  const admin = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await admin.end().catch(() => {});
  }
}

const unreachable = await setUp();

if (unreachable !== undefined) {
  const why = `PostgreSQL not reachable at ${SERVER} (set TRAILWATCH_TEST_POSTGRES): ${unreachable}`;
  if (process.env.CI) {
    test("PostgreSQL store: the server is reachable (required under CI)", () => assert.fail(why));
  } else {
    test("PostgreSQL store", { skip: why }, () => {});
  }
} else {
  after(async () => {
    const admin = new pg.Client({ connectionString: SERVER });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.end();
  });
  suite();
}

function suite(): void {
  let schemas = 0;
  const newSchema = (label = "s") => `${label}_${++schemas}`;
  const open = (schema: string, extra: { migrations?: readonly Migration[]; poolSize?: number } = {}) =>
    openPostgresStore({ connectionString: DB_URL, schema, mergeSketch: contractMergeSketch, ...extra });

  /** A plain client on the suite's database, working in `schema`. */
  async function sql<T>(schema: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: DB_URL });
    await c.connect();
    try {
      await c.query(`SET search_path TO "${schema}"`);
      return await fn(c);
    } finally {
      await c.end();
    }
  }
  const scalar = async (schema: string, text: string, params: unknown[] = []) =>
    sql(schema, async (c) => Object.values((await c.query(text, params)).rows[0] ?? {})[0]);

  storeContract("postgresql", () => open(newSchema("contract"), { poolSize: 3 }));

  describe("PostgreSQL store", () => {
    test("a new schema: created, every migration recorded once, names sort by code point", async () => {
      const schema = newSchema();
      await (await open(schema)).close();
      const rows = await sql(
        schema,
        async (c) => (await c.query(`SELECT version, name FROM ${MIGRATIONS_TABLE} ORDER BY version`)).rows,
      );
      assert.deepEqual(
        rows,
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      );
      const tables = await sql(schema, async (c) =>
        (
          await c.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = $1", [schema])
        ).rows.map((r) => r.t),
      );
      for (const t of [
        "log_groups",
        "log_streams",
        "log_events",
        "event_seq",
        "metric_filters",
        "metric_series",
        "metric_aggregates",
        "alarms",
        "alarm_history",
        "checkpoints",
        "sns_topics",
        "sns_subscriptions",
        "delivery_outbox",
        "delivery_attempts",
        MIGRATIONS_TABLE,
      ]) {
        assert.ok(tables.includes(t), t);
      }
      // Whatever the database's collation, names compare byte-wise (UTF-8 order = code point order).
      assert.equal(
        await scalar(
          schema,
          "SELECT collation_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'log_groups' AND column_name = 'name'",
          [schema],
        ),
        "C",
      );
    });

    test("the default schema is 'trailwatch'", async () => {
      const store = await openPostgresStore({ connectionString: DB_URL, mergeSketch: contractMergeSketch });
      try {
        assert.equal(store.schema, "trailwatch");
        await store.createLogGroup({ logGroupName: "/d", creationTime: 1, tags: {} });
        assert.equal(Number(await scalar("trailwatch", "SELECT count(*) FROM log_groups")), 1);
      } finally {
        await store.close();
      }
    });

    test("a connection string's own startup options are kept beside the store's search_path", async () => {
      const withOptions = `${DB_URL}?options=${encodeURIComponent("-c statement_timeout=5000")}`;
      const schema = newSchema();
      const store = await openPostgresStore({
        connectionString: withOptions,
        schema,
        mergeSketch: contractMergeSketch,
      });
      try {
        assert.equal(await store.createLogGroup({ logGroupName: "/o", creationTime: 1, tags: {} }), true);
        assert.equal((await store.listLogGroups({ limit: 10 })).length, 1);
        assert.equal(
          Number(await scalar(schema, "SELECT count(*) FROM log_groups")),
          1,
          "in the store's schema",
        );
      } finally {
        await store.close();
      }
    });

    test("re-opening keeps the data and applies no migration twice", async () => {
      const schema = newSchema();
      let store = await open(schema);
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
      assert.equal(r.firstSeq, 1, "seqs start at 1");
      await store.close();
      for (let i = 0; i < 3; i++) {
        store = await open(schema);
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
            seq: 1,
          },
        ]);
        assert.equal(await store.getCheckpoint("src"), "42");
        await store.close();
      }
      assert.equal(
        Number(await scalar(schema, `SELECT count(*) FROM ${MIGRATIONS_TABLE}`)),
        MIGRATIONS.length,
      );
    });

    test("instances starting at once on a new schema: each migration runs exactly once", async () => {
      const schema = newSchema("race");
      const next = MIGRATIONS[MIGRATIONS.length - 1].version + 1;
      // The extra migration would fail the second time it ran (CREATE TABLE without IF NOT EXISTS) and
      // counts its runs.
      const migrations: Migration[] = [
        ...MIGRATIONS,
        {
          version: next,
          name: "test: runs",
          sql: "CREATE TABLE runs (n INTEGER NOT NULL); INSERT INTO runs VALUES (1);",
        },
      ];
      const stores = await Promise.all(
        Array.from({ length: 6 }, () => open(schema, { migrations, poolSize: 1 })),
      );
      await Promise.all(stores.map((s) => s.close()));
      assert.equal(Number(await scalar(schema, "SELECT count(*) FROM runs")), 1);
      assert.deepEqual(
        await sql(schema, async (c) =>
          (await c.query(`SELECT version FROM ${MIGRATIONS_TABLE} ORDER BY version`)).rows.map(
            (r) => r.version,
          ),
        ),
        migrations.map((m) => m.version),
      );
    });

    test("an older schema is upgraded: only the missing migrations run, each once", async () => {
      const schema = newSchema();
      let store = await open(schema);
      await store.createLogGroup({ logGroupName: "/old", creationTime: 1, tags: {} });
      await store.close();
      const next = MIGRATIONS[MIGRATIONS.length - 1].version + 1;
      const upgraded: Migration[] = [
        ...MIGRATIONS,
        {
          version: next,
          name: "test: notes",
          sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY GENERATED ALWAYS AS IDENTITY, text TEXT NOT NULL); INSERT INTO notes (text) VALUES ('hi');",
        },
      ];
      store = await open(schema, { migrations: upgraded });
      assert.ok(await store.getLogGroup("/old"), "the data survives the upgrade");
      await store.close();
      await (await open(schema, { migrations: upgraded })).close();
      assert.equal(Number(await scalar(schema, "SELECT count(*) FROM notes")), 1, "ran once");
      assert.equal(await scalar(schema, `SELECT max(version) FROM ${MIGRATIONS_TABLE}`), next);
    });

    test("a failing migration rolls back whole and the schema stays at its version", async () => {
      const schema = newSchema();
      await (await open(schema)).close();
      const next = MIGRATIONS[MIGRATIONS.length - 1].version + 1;
      const broken: Migration[] = [
        ...MIGRATIONS,
        {
          version: next,
          name: "test: broken",
          sql: "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;",
        },
      ];
      await assert.rejects(open(schema, { migrations: broken }), (err: Error) => {
        assert.ok(err instanceof SchemaError);
        assert.match(err.message, new RegExp(`migration ${next} \\(test: broken\\) failed: .*no_such_table`));
        return true;
      });
      assert.equal(await scalar(schema, `SELECT max(version) FROM ${MIGRATIONS_TABLE}`), next - 1);
      assert.equal(await scalar(schema, "SELECT to_regclass('half')"), null, "DDL rolled back too");
      await (await open(schema)).close();
    });

    test("a schema from a newer trailwatch is refused with a clear error and left untouched", async () => {
      const schema = newSchema();
      await (await open(schema)).close();
      const newer = MIGRATIONS[MIGRATIONS.length - 1].version + 5;
      await sql(schema, (c) =>
        c.query(
          `INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES ($1, 'from the future', 0)`,
          [newer],
        ),
      );
      await assert.rejects(open(schema), (err: Error) => {
        assert.ok(err instanceof SchemaError);
        assert.match(err.message, new RegExp(`schema is version ${newer}, newer than this trailwatch knows`));
        assert.ok(err.message.includes(`schema ${schema}`), "names the schema");
        return true;
      });
      assert.equal(await scalar(schema, `SELECT max(version) FROM ${MIGRATIONS_TABLE}`), newer);
    });

    test("a schema of another program, a bad schema name and an unreachable server are refused clearly", async () => {
      const foreign = newSchema("foreign");
      const c = new pg.Client({ connectionString: DB_URL });
      await c.connect();
      await c.query(`CREATE SCHEMA ${foreign}; CREATE TABLE ${foreign}.customers (id INTEGER PRIMARY KEY)`);
      await c.end();
      await assert.rejects(open(foreign), (err: Error) => {
        assert.ok(err instanceof SchemaError);
        assert.match(err.message, /not a trailwatch store \(the schema holds other tables/);
        return true;
      });
      assert.deepEqual(
        await sql(foreign, async (x) =>
          (await x.query("SELECT tablename FROM pg_tables WHERE schemaname = $1", [foreign])).rows.map(
            (r) => r.tablename,
          ),
        ),
        ["customers"],
        "nothing added",
      );

      await assert.rejects(open('bad"name'), /invalid PostgreSQL schema name/);
      await assert.rejects(open("Upper"), /invalid PostgreSQL schema name/, "search_path would fold it");

      const nowhere = "postgres://trailwatch:s3cret@127.0.0.1:1/none";
      await assert.rejects(
        openPostgresStore({ connectionString: nowhere, mergeSketch: contractMergeSketch }),
        (err: Error) => {
          assert.ok(
            err.message.startsWith("cannot open the store postgres://trailwatch:***@127.0.0.1:1/none"),
          );
          assert.ok(!err.message.includes("s3cret"), "no password in messages");
          return true;
        },
      );
    });

    test("a closed store fails every call with StoreClosedError naming the database", async () => {
      const schema = newSchema();
      const store = await open(schema);
      await store.close();
      for (const call of [
        () => store.getLogGroup("/x"),
        () => store.commit({ events: [], streams: [], aggregates: [] }),
        () => store.appendAlarmHistory([]),
        () => store.enqueueDeliveries([]),
        () => store.queryAggregates({ namespace: "n", metricName: "m", dimensions: [] }, 0, 1),
      ]) {
        await assert.rejects(call(), (err: Error) => {
          assert.ok(err instanceof StoreClosedError);
          assert.equal(err.message, `the store ${DB_URL} (schema ${schema}) is closed`);
          return true;
        });
      }
    });

    test("corrupt JSON columns fail with CorruptRowError naming the row", async () => {
      const schema = newSchema();
      const store = await open(schema);
      try {
        await store.createLogGroup({ logGroupName: "/g", creationTime: 1, tags: {} });
        await sql(schema, async (c) => {
          await c.query("UPDATE log_groups SET tags = '{not json' WHERE name = '/g'");
          await c.query("INSERT INTO alarms (name, type, body) VALUES ('a', 'MetricAlarm', '[1,2]')");
          await c.query(
            `INSERT INTO alarms (name, type, body) VALUES ('b', 'MetricAlarm', '{"alarmName":"other","alarmType":"MetricAlarm"}')`,
          );
        });
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
      const store = await openPostgresStore({
        connectionString: DB_URL,
        schema: newSchema(),
        mergeSketch: () => {
          throw new Error("bad sketch");
        },
      });
      try {
        await store.createLogGroup({ logGroupName: "/g", creationTime: 1, tags: {} });
        await store.createLogStream({ logGroupName: "/g", logStreamName: "s", creationTime: 1 });
        const m = { namespace: "N", metricName: "M", dimensions: [] };
        const a = agg(m, 0, 1, Uint8Array.of(1));
        await store.commit({ events: [], streams: [], aggregates: [a] });
        await assert.rejects(
          store.commit({
            events: [
              { logGroupName: "/g", logStreamName: "s", timestamp: 5, ingestionTime: 5, message: "x" },
            ],
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
        // The rolled-back batch took no seqs.
        const r = await store.commit({
          events: [{ logGroupName: "/g", logStreamName: "s", timestamp: 6, ingestionTime: 6, message: "y" }],
          streams: [],
          aggregates: [],
        });
        assert.equal(r.firstSeq, 1);
      } finally {
        await store.close();
      }
    });

    test("two instances adding to the same buckets at once lose no update", async () => {
      const schema = newSchema("merge");
      const storeA = await openPostgresStore({
        connectionString: DB_URL,
        schema,
        mergeSketch: addCounts,
        poolSize: 4,
      });
      const storeB = await openPostgresStore({
        connectionString: DB_URL,
        schema,
        mergeSketch: addCounts,
        poolSize: 4,
      });
      try {
        await storeA.createLogGroup({ logGroupName: "/g", creationTime: 0, tags: {} });
        const series = [0, 1, 2].map((i) => ({
          namespace: "Race",
          metricName: `M${i}`,
          dimensions: [{ Name: "K", Value: String(i) }],
        }));
        const buckets = [0, 1, 2, 3].map((k) => CRASH_T0 + k * 60_000);
        const expected = new Map<string, { count: number; sum: number; min: number; max: number }>();
        const seqBlocks: [number, number][] = [];
        let committed = 0;
        // 4 committers per instance, 8 transactions in flight. Each batch adds to every (series, bucket)
        // in a shuffled order, some twice, and carries events to two streams.
        const committer = async (store: PostgresStore, who: number, lane: number) => {
          for (let b = 0; b < 12; b++) {
            const aggregates: MetricAggregate[] = [];
            for (const m of series) {
              for (const t of buckets) {
                for (let rep = 0; rep < 1 + ((b + lane) % 2); rep++) {
                  const v = who * 1000 + lane * 100 + b + rep / 2;
                  aggregates.push(agg(m, t, v, countSketch(1)));
                  const key = `${m.metricName}@${t}`;
                  const e = expected.get(key) ?? { count: 0, sum: 0, min: Infinity, max: -Infinity };
                  expected.set(key, {
                    count: e.count + 1,
                    sum: e.sum + v,
                    min: Math.min(e.min, v),
                    max: Math.max(e.max, v),
                  });
                }
              }
            }
            shuffle(aggregates);
            const n = 1 + ((b * 7 + lane) % 5);
            const streamName = `w${who}-${lane % 2}`;
            const r = await store.commit({
              events: Array.from({ length: n }, (_, i) => ({
                logGroupName: "/g",
                logStreamName: streamName,
                timestamp: CRASH_T0 + i,
                ingestionTime: CRASH_T0,
                message: `${who}/${lane}/${b}/${i}`,
              })),
              streams: [{ logGroupName: "/g", logStreamName: streamName, creationTime: 0 }],
              aggregates,
            });
            seqBlocks.push([r.firstSeq!, n]);
            committed += n;
          }
        };
        await Promise.all([
          ...[0, 1, 2, 3].map((lane) => committer(storeA, 1, lane)),
          ...[0, 1, 2, 3].map((lane) => committer(storeB, 2, lane)),
        ]);

        for (const m of series) {
          const got = await storeA.queryAggregates(m, 0, Number.MAX_SAFE_INTEGER);
          assert.equal(got.length, buckets.length);
          for (const a of got) {
            const e = expected.get(`${m.metricName}@${a.timestamp}`)!;
            assert.equal(a.sampleCount, e.count, "counts add");
            assert.equal(a.sum, e.sum, "sums add");
            assert.equal(a.min, e.min);
            assert.equal(a.max, e.max);
            assert.equal(sketchCount(a.sketch!), e.count, "every sketch merged exactly once");
          }
        }
        // Each batch got its own block of consecutive seqs; together 1..n without a gap.
        seqBlocks.sort((x, y) => x[0] - y[0]);
        let nextSeq = 1;
        for (const [first, n] of seqBlocks) {
          assert.equal(first, nextSeq);
          nextSeq += n;
        }
        const events = await storeB.scanLogEvents({ logGroupName: "/g", limit: 10_000 });
        assert.equal(events.length, committed);
        assert.deepEqual(
          events.map((e) => e.seq),
          Array.from({ length: committed }, (_, i) => i + 1),
        );
      } finally {
        await storeA.close();
        await storeB.close();
      }
    });

    test("retention emptying a series while another instance adds to it does not take the new data", async () => {
      const schema = newSchema("retention");
      const writer = await open(schema, { poolSize: 2 });
      const cleaner = await open(schema, { poolSize: 2 });
      try {
        for (let i = 0; i < 30; i++) {
          const m = { namespace: "Ret", metricName: `M${i}`, dimensions: [] };
          await writer.commit({ events: [], streams: [], aggregates: [agg(m, CRASH_T0, 1)] });
          // The old bucket goes (leaving the series empty) while a new one is added to the series.
          await Promise.all([
            cleaner.deleteAggregatesBefore(CRASH_T0 + 60_000),
            writer.commit({ events: [], streams: [], aggregates: [agg(m, CRASH_T0 + 60_000, 5)] }),
          ]);
          const got = await writer.queryAggregates(m, 0, Number.MAX_SAFE_INTEGER);
          assert.deepEqual(
            got.map((a) => [a.timestamp, a.sum]),
            [[CRASH_T0 + 60_000, 5]],
            `round ${i}`,
          );
          assert.equal((await writer.listMetrics({ metricName: m.metricName })).length, 1);
        }
      } finally {
        await writer.close();
        await cleaner.close();
      }
    });

    test("change feed: one instance sees the aggregates another committed, as deltas, in order, paged", async () => {
      const schema = newSchema("feed");
      const writer = await open(schema);
      const reader = await open(schema);
      try {
        const m = { namespace: "N", metricName: "A", dimensions: [{ Name: "Region", Value: "eu" }] };
        const start = await reader.aggregateChangeHead();
        await writer.commit({ events: [], streams: [], aggregates: [agg(m, 0, 1), agg(m, 60_000, 2)] });
        await reader.commit({ events: [], streams: [], aggregates: [agg(m, 0, 100)] });
        await writer.commit({ events: [], streams: [], aggregates: [agg(m, 0, 3)] });
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
        assert.deepEqual(
          (await writer.aggregateChangesSince(start, 100)).changes.map((c) => c.sum),
          [100],
        );
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

    test("change feed: a follower polling while two instances commit at once misses nothing and doubles nothing", async () => {
      const schema = newSchema("follow");
      const storeA = await open(schema, { poolSize: 3 });
      const storeB = await open(schema, { poolSize: 3 });
      const follower = await open(schema, { poolSize: 1 });
      try {
        const m = (i: number) => ({ namespace: "F", metricName: `M${i % 3}`, dimensions: [] });
        const sent = new Map<string, number>();
        const seen = new Map<string, number>();
        const add = (into: Map<string, number>, a: MetricAggregate) => {
          const key = `${a.metric.metricName}@${a.timestamp}`;
          into.set(key, (into.get(key) ?? 0) + a.sum);
        };
        let done = false;
        let cursor = await follower.aggregateChangeHead();
        const follow = async () => {
          for (;;) {
            const finished = done;
            const page = await follower.aggregateChangesSince(cursor, 7);
            for (const c of page.changes) add(seen, c);
            if (finished && page.cursor === cursor) return;
            cursor = page.cursor;
            if (page.changes.length === 0) await new Promise((r) => setTimeout(r, 2));
          }
        };
        const committer = async (store: PostgresStore, lane: number) => {
          for (let b = 0; b < 15; b++) {
            const aggregates = [0, 1, 2, 3].map((i) =>
              agg(m(i + b), CRASH_T0 + ((i + lane) % 2) * 60_000, lane * 100 + b),
            );
            for (const a of aggregates) add(sent, a);
            await store.commit({ events: [], streams: [], aggregates });
          }
        };
        const following = follow();
        await Promise.all(
          [1, 2, 3].flatMap((lane) => [committer(storeA, lane), committer(storeB, lane + 3)]),
        );
        done = true;
        await following;
        assert.equal(cursor, await follower.aggregateChangeHead());
        assert.deepEqual(new Map([...seen].sort()), new Map([...sent].sort()));
      } finally {
        await storeA.close();
        await storeB.close();
        await follower.close();
      }
    });

    test("two instances claiming the outbox at once never get the same item", async () => {
      const schema = newSchema("claim");
      const storeA = await open(schema, { poolSize: 3 });
      const storeB = await open(schema, { poolSize: 3 });
      try {
        const items: OutboxItem[] = Array.from({ length: 300 }, (_, i) => ({
          id: `item-${String(i).padStart(4, "0")}`,
          subscriptionArn: "arn:aws:sns:us-east-1:123456789012:t:s",
          protocol: "email",
          endpoint: "ops@example.com",
          payload: "{}",
          createdAt: CRASH_T0 + (i % 17),
          nextAttemptAt: CRASH_T0,
          attempts: 0,
          status: "pending",
        }));
        assert.equal(await storeA.enqueueDeliveries(items), 300);
        assert.equal(await storeB.enqueueDeliveries(items.slice(0, 10)), 0, "idempotent across instances");
        const claimed: string[][] = [];
        const claimer = async (store: PostgresStore) => {
          for (;;) {
            const got = await store.claimDueDeliveries(CRASH_T0, CRASH_T0 + 60_000, 7);
            if (got.length === 0) return;
            assert.ok(got.every((i) => i.nextAttemptAt === CRASH_T0 + 60_000));
            claimed.push(got.map((i) => i.id));
          }
        };
        await Promise.all([claimer(storeA), claimer(storeA), claimer(storeB), claimer(storeB)]);
        const all = claimed.flat();
        assert.equal(new Set(all).size, all.length, "no item claimed twice");
        assert.deepEqual(all.sort(), items.map((i) => i.id).sort(), "every item claimed");
        assert.ok(claimed.length >= 300 / 7, "in pages of at most 7");
      } finally {
        await storeA.close();
        await storeB.close();
      }
    });

    test("kill -9 of a writer at random moments leaves every committed batch whole and nothing else", async (t) => {
      const schema = newSchema("crash");
      // The writer's connections carry a name, so that the test can wait for their server-side backends: a
      // backend outlives its killed client for a moment and may still commit a COMMIT it had already read.
      const appName = `trailwatch-crash-${schema}`;
      const writerUrl = new URL(DB_URL);
      writerUrl.searchParams.set("application_name", appName);
      const writer = writerScript(writerUrl.toString(), schema);
      const rounds = 8;
      let previous = 0;
      let progressed = 0;
      for (let round = 0; round < rounds; round++) {
        const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", writer], {
          cwd: ROOT,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (d) => {
          stderr += d;
        });
        const exited = new Promise<{ signal: NodeJS.Signals | null }>((resolve) =>
          child.on("exit", (_code, signal) => resolve({ signal })),
        );
        // The first round may die while the schema is created and migrated; the others while committing.
        if (round > 0) {
          await Promise.race([
            new Promise<void>((resolve) =>
              child.stdout.on("data", (d) => String(d).includes("ready") && resolve()),
            ),
            exited.then(() => assert.fail(`the writer exited early: ${stderr}`)),
          ]);
        }
        await new Promise((resolve) =>
          setTimeout(resolve, round === 0 ? 800 + Math.random() * 400 : 50 + Math.random() * 300),
        );
        child.kill("SIGKILL");
        const { signal } = await exited;
        assert.equal(signal, "SIGKILL", `the writer was still running when killed: ${stderr}`);
        for (let waited = 0; ; waited += 50) {
          const live = await scalar(
            schema,
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
            [appName],
          );
          if (live === "0") break;
          assert.ok(waited < 15_000, "the killed writer's backends end");
          await new Promise((r) => setTimeout(r, 50));
        }

        const store = await openPostgresStore({ connectionString: DB_URL, schema, mergeSketch: addCounts });
        try {
          const total = Number((await store.getCheckpoint("crash")) ?? "0");
          const events = (await sql(
            schema,
            async (c) =>
              (
                await c.query(
                  "SELECT count(*) AS n, coalesce(min(seq), 1) AS lo, coalesce(max(seq), 0) AS hi FROM log_events",
                )
              ).rows[0],
          )) as { n: string; lo: string; hi: string };
          assert.equal(Number(events.n), total, `round ${round}: the checkpoint counts the stored events`);
          assert.deepEqual(
            [Number(events.lo), Number(events.hi)],
            [1, total],
            "seqs 1..n: no batch half-written or rolled into a gap",
          );
          assert.equal(
            await scalar(
              schema,
              "SELECT count(*) FROM log_events WHERE message NOT LIKE 'e' || (seq - 1) || ' %'",
            ),
            "0",
            "each event is the one written with its seq",
          );
          await assertCrashAggregates(store, total);
          assert.ok(total >= previous, "nothing committed was lost");
          if (total > previous) progressed++;
          previous = total;
        } finally {
          await store.close();
        }
      }
      t.diagnostic(
        `crash test: ${rounds} kills, ${progressed} rounds with progress, ${previous} events in the end`,
      );
      assert.ok(progressed >= 3, "rounds were killed while committing");
    });
  });
}

function agg(
  metric: MetricAggregate["metric"],
  timestamp: number,
  value: number,
  sketch?: Uint8Array,
): MetricAggregate {
  const a: MetricAggregate = {
    metric,
    timestamp,
    resolution: 60,
    unit: "Count",
    sampleCount: 1,
    sum: value,
    min: value,
    max: value,
  };
  if (sketch !== undefined) a.sketch = sketch;
  return a;
}

function shuffle<T>(xs: T[]): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
}

/**
 * The crash test's child, as an ES module for `node --import tsx -e`: the batches of crash-writer.ts (the
 * SQLite crash test's writer) committed to the PostgreSQL store until the process is killed.
 */
function writerScript(connectionString: string, schema: string): string {
  const store = pathToFileURL(join(ROOT, "src", "store", "postgres", "index.ts")).href;
  const helpers = pathToFileURL(join(ROOT, "test", "store", "crash-writer.ts")).href;
  return `
    import { openPostgresStore } from ${JSON.stringify(store)};
    import { addCounts, countSketch, CRASH_GROUP, CRASH_STREAM, CRASH_T0 } from ${JSON.stringify(helpers)};
    const store = await openPostgresStore({
      connectionString: ${JSON.stringify(connectionString)},
      schema: ${JSON.stringify(schema)},
      mergeSketch: addCounts,
      poolSize: 1,
    });
    await store.createLogGroup({ logGroupName: CRASH_GROUP, creationTime: CRASH_T0, tags: {} });
    await store.createLogStream({ logGroupName: CRASH_GROUP, logStreamName: CRASH_STREAM, creationTime: CRASH_T0 });
    let total = Number((await store.getCheckpoint("crash")) ?? "0");
    process.stdout.write("ready\\n");
    const padding = "x".repeat(300);
    for (let batch = 0; ; batch++) {
      const n = 1 + Math.floor(Math.random() * 200);
      const events = Array.from({ length: n }, (_, i) => ({
        logGroupName: CRASH_GROUP,
        logStreamName: CRASH_STREAM,
        timestamp: CRASH_T0 + total + i,
        ingestionTime: Date.now(),
        message: "e" + (total + i) + " " + padding,
      }));
      await store.commit({
        events,
        streams: [{
          logGroupName: CRASH_GROUP,
          logStreamName: CRASH_STREAM,
          creationTime: CRASH_T0,
          firstEventTimestamp: CRASH_T0 + total,
          lastEventTimestamp: CRASH_T0 + total + n - 1,
          lastIngestionTime: Date.now(),
        }],
        aggregates: [
          {
            metric: { namespace: "Crash", metricName: "Events", dimensions: [{ Name: "Writer", Value: "1" }] },
            timestamp: CRASH_T0 + (batch % 7) * 60000,
            resolution: 60, unit: "Count", sampleCount: n, sum: n, min: 1, max: 1,
            sketch: countSketch(n),
          },
          {
            metric: { namespace: "Crash", metricName: "Double", dimensions: [] },
            timestamp: CRASH_T0 + (batch % 13) * 1000,
            resolution: 1, unit: "None", sampleCount: 1, sum: 2 * n, min: 2 * n, max: 2 * n,
          },
        ],
        checkpoints: [{ source: "crash", position: String(total + n) }],
      });
      total += n;
    }
  `;
}
