/**
 * The Store contract: one suite that every implementation runs unchanged (SQLite now, PostgreSQL later).
 * `open` returns a NEW, EMPTY store each call, built with `contractMergeSketch` as its sketch merge. The
 * suite pins the behaviour the interface's comments leave open, so that implementations agree:
 *
 * - event time windows are [startTime, endTime); alarm history dates are [startDate, endDate];
 * - `commit` creates a stream named in `streams` that does not exist yet (its group must exist); an event
 *   whose group or stream does not exist rejects the whole batch, nothing of it kept;
 * - aggregates with no sketch on either side keep no sketch after a merge;
 * - listMetrics lists only series that still have an aggregate;
 * - `setAlarmState` of a missing alarm writes nothing (not even the history item); `deleteAlarm` of a
 *   missing alarm returns false and writes no history;
 * - an empty `logStreamNames` or `alarmTypes` list matches nothing;
 * - `createTopic` of an existing name returns the stored topic unchanged; `setTopicAttributes` merges;
 *   `deleteTopic` deletes the topic's subscriptions; `putSubscription` to a missing topic rejects;
 *   `deleteExpiredPendingSubscriptions(before)` deletes pending ones created strictly before `before`;
 * - the outbox: `enqueueDeliveries` keeps the first copy of an id; due = pending with nextAttemptAt ≤ now,
 *   oldest (createdAt, then id) first; `claimDueDeliveries` leases what it returns; `recordDeliveryAttempt`
 *   of a missing item writes nothing;
 * - the aggregate change feed: the head starts at 0, advances with every commit that has aggregates and
 *   never goes back (retention included); a store's own commits are not handed back to it. (What another
 *   writer committed is tested per implementation, with two instances on one database.)
 * - a commit whose `claim` was committed before writes nothing and returns `{ duplicate: true }`; leases
 *   hand out growing fencing tokens, and a fenced setAlarmState with a stale token writes nothing;
 * - a closed store rejects every call.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Store } from "../../src/store/store.js";
import type {
  AlarmHistoryItem,
  CompositeAlarm,
  LogStream,
  MetricAggregate,
  MetricAlarm,
  MetricFilter,
  MetricId,
  OutboxItem,
  StoredLogEvent,
  Subscription,
  Topic,
} from "../../src/store/types.js";

/** The sketch merge every store under the contract is built with: a sorted multiset union of the bytes. */
export function contractMergeSketch(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out.sort();
}

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

// Names that would break careless SQL or encodings.
const ODD_GROUP = `/aws/it's "quoted" \\ %_ grüße 日本 🚀`;
const ODD_STREAM = `stream 'one' "two" ; DROP TABLE x; -- ñ 🙂`;

function group(
  logGroupName: string,
  extra: { retentionInDays?: number; tags?: Record<string, string> } = {},
) {
  return {
    logGroupName,
    creationTime: T0,
    tags: extra.tags ?? {},
    ...(extra.retentionInDays ? { retentionInDays: extra.retentionInDays } : {}),
  };
}

function stream(logGroupName: string, logStreamName: string, extra: Partial<LogStream> = {}): LogStream {
  return { logGroupName, logStreamName, creationTime: T0, ...extra };
}

function ev(logGroupName: string, logStreamName: string, timestamp: number, message = `m@${timestamp}`) {
  return { logGroupName, logStreamName, timestamp, message, ingestionTime: T0 + 1_000_000 };
}

function metric(
  metricName: string,
  dims: Record<string, string> = {},
  namespace = "CloudTrailMetrics",
): MetricId {
  return {
    namespace,
    metricName,
    dimensions: Object.entries(dims)
      .map(([Name, Value]) => ({ Name, Value }))
      .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)),
  };
}

function agg(
  m: MetricId,
  timestamp: number,
  values: number[],
  extra: Partial<MetricAggregate> = {},
): MetricAggregate {
  return {
    metric: m,
    timestamp,
    resolution: 60,
    unit: "Count",
    sampleCount: values.length,
    sum: values.reduce((s, v) => s + v, 0),
    min: Math.min(...values),
    max: Math.max(...values),
    ...extra,
  };
}

function metricAlarm(alarmName: string, extra: Partial<MetricAlarm> = {}): MetricAlarm {
  return {
    alarmType: "MetricAlarm",
    alarmName,
    alarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`,
    alarmDescription: "root login",
    actionsEnabled: true,
    okActions: [],
    alarmActions: ["arn:aws:sns:us-east-1:123456789012:security"],
    insufficientDataActions: [],
    metricName: "RootAccountUsage",
    namespace: "CloudTrailMetrics",
    statistic: "Sum",
    dimensions: [],
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
    tags: { team: "sec" },
    stateValue: "INSUFFICIENT_DATA",
    stateReason: "Unchecked: Initial alarm creation",
    stateUpdatedTimestamp: T0,
    stateTransitionedTimestamp: T0,
    alarmConfigurationUpdatedTimestamp: T0,
    ...extra,
  };
}

function compositeAlarm(alarmName: string, alarmRule: string): CompositeAlarm {
  return {
    alarmType: "CompositeAlarm",
    alarmName,
    alarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`,
    actionsEnabled: false,
    okActions: [],
    alarmActions: [],
    insufficientDataActions: [],
    alarmRule,
    tags: {},
    stateValue: "OK",
    stateReason: "initial",
    stateUpdatedTimestamp: T0,
    stateTransitionedTimestamp: T0,
    alarmConfigurationUpdatedTimestamp: T0,
  };
}

function hist(
  alarmName: string,
  timestamp: number,
  historyItemType: AlarmHistoryItem["historyItemType"] = "StateUpdate",
  alarmType: AlarmHistoryItem["alarmType"] = "MetricAlarm",
  historySummary = `${historyItemType} of ${alarmName} at ${timestamp}`,
): AlarmHistoryItem {
  return {
    alarmName,
    alarmType,
    timestamp,
    historyItemType,
    historySummary,
    historyData: JSON.stringify({ version: "1.0", summary: historySummary, "quote'\"": "✓" }),
  };
}

function filter(
  logGroupName: string,
  filterName: string,
  metricName: string,
  namespace = "CloudTrailMetrics",
): MetricFilter {
  return {
    logGroupName,
    filterName,
    filterPattern: `{ ($.userIdentity.type = "Root") && ($.eventType != "AwsServiceEvent") }`,
    metricTransformations: [
      {
        metricName,
        metricNamespace: namespace,
        metricValue: "1",
        defaultValue: 0,
        dimensions: { Region: "$.awsRegion" },
      },
    ],
    creationTime: T0,
  };
}

const names = (xs: { logGroupName: string; logStreamName?: string }[]): string[] =>
  xs.map((x) => x.logStreamName ?? x.logGroupName);
const seqs = (xs: StoredLogEvent[]) => xs.map((e) => e.seq);
const times = (xs: StoredLogEvent[]) => xs.map((e) => e.timestamp);

function sortMetrics(ms: MetricId[]): string[] {
  return ms.map((m) => JSON.stringify([m.namespace, m.metricName, m.dimensions])).sort();
}

/** Commits one event per timestamp to one stream; returns them as stored (with the seqs the store gave). */
async function put(store: Store, g: string, s: string, timestamps: number[]): Promise<StoredLogEvent[]> {
  const events = timestamps.map((t) => ev(g, s, t));
  const r = await store.commit({ events, streams: [], aggregates: [] });
  return events.map((e, i) => ({ ...e, seq: r.firstSeq! + i }));
}

const TOPIC_PREFIX = "arn:aws:sns:us-east-1:123456789012:";

function topic(name: string, extra: Partial<Topic> = {}): Topic {
  return {
    topicArn: `${TOPIC_PREFIX}${name}`,
    name,
    attributes: { DisplayName: `it's "${name}" 🚀` },
    tags: {},
    creationTime: T0,
    ...extra,
  };
}

function subscription(topicName: string, id: string, extra: Partial<Subscription> = {}): Subscription {
  return {
    subscriptionArn: `${TOPIC_PREFIX}${topicName}:${id}`,
    topicArn: `${TOPIC_PREFIX}${topicName}`,
    protocol: "email",
    endpoint: `${id}@example.com`,
    owner: "123456789012",
    pendingConfirmation: false,
    unsubscribeToken: `unsub-${id}`,
    attributes: {},
    createdAt: T0,
    ...extra,
  };
}

export function storeContract(name: string, open: () => Promise<Store>): void {
  const withStore = (fn: (store: Store) => Promise<void>) => async () => {
    const store = await open();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  describe(`Store contract: ${name}`, () => {
    // ---- log groups ----

    test(
      "log groups: create, get, duplicates, update, delete",
      withStore(async (store) => {
        assert.equal(
          await store.createLogGroup(
            group("/a", { retentionInDays: 7, tags: { env: "prod", "k'ey": 'v"al' } }),
          ),
          true,
        );
        assert.equal(await store.createLogGroup(group("/a")), false, "duplicate");
        assert.deepEqual(await store.getLogGroup("/a"), {
          logGroupName: "/a",
          creationTime: T0,
          retentionInDays: 7,
          tags: { env: "prod", "k'ey": 'v"al' },
        });
        assert.equal(await store.getLogGroup("/missing"), undefined);
        assert.equal(await store.getLogGroup("/A"), undefined, "names are case-sensitive");

        await store.updateLogGroup({
          logGroupName: "/a",
          creationTime: T0,
          retentionInDays: 30,
          tags: { env: "dev" },
        });
        assert.deepEqual(await store.getLogGroup("/a"), {
          logGroupName: "/a",
          creationTime: T0,
          retentionInDays: 30,
          tags: { env: "dev" },
        });
        await store.updateLogGroup({ logGroupName: "/a", creationTime: T0, tags: {} });
        assert.deepEqual(
          await store.getLogGroup("/a"),
          { logGroupName: "/a", creationTime: T0, tags: {} },
          "retention cleared",
        );

        assert.equal(await store.createLogGroup(group(ODD_GROUP, { tags: { "🏷": "✓" } })), true);
        assert.deepEqual(await store.getLogGroup(ODD_GROUP), group(ODD_GROUP, { tags: { "🏷": "✓" } }));

        assert.equal(await store.deleteLogGroup("/a"), true);
        assert.equal(await store.deleteLogGroup("/a"), false);
        assert.equal(await store.getLogGroup("/a"), undefined);
        assert.equal(await store.createLogGroup(group("/a")), true, "the name is free again");
      }),
    );

    test(
      "log groups: listed in name order with prefix, after and limit",
      withStore(async (store) => {
        const all = ["/aws/b", "/aws/a", "/aws/cloudtrail", "/other", "/aws%", "/aws_x", "/awsz"];
        for (const n of all) await store.createLogGroup(group(n));
        const sorted = [...all].sort();
        assert.deepEqual(names(await store.listLogGroups({ limit: 100 })), sorted);
        assert.deepEqual(names(await store.listLogGroups({ prefix: "/aws/", limit: 100 })), [
          "/aws/a",
          "/aws/b",
          "/aws/cloudtrail",
        ]);
        assert.deepEqual(
          names(await store.listLogGroups({ prefix: "/aws%", limit: 100 })),
          ["/aws%"],
          "no LIKE wildcards",
        );
        assert.deepEqual(names(await store.listLogGroups({ prefix: "/aws_", limit: 100 })), ["/aws_x"]);
        assert.deepEqual(names(await store.listLogGroups({ prefix: "/nothing", limit: 100 })), []);
        // Byte (code point) order: "%" < "/" < "_".
        assert.deepEqual(names(await store.listLogGroups({ after: "/aws/b", limit: 2 })), [
          "/aws/cloudtrail",
          "/aws_x",
        ]);

        // Walking pages of 2 sees each group once.
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.listLogGroups({ after, limit: 2 });
          if (page.length === 0) break;
          assert.ok(page.length <= 2);
          seen.push(...names(page));
          after = page[page.length - 1].logGroupName;
        }
        assert.deepEqual(seen, sorted);
        // Prefix and after together.
        assert.deepEqual(names(await store.listLogGroups({ prefix: "/aws/", after: "/aws/a", limit: 100 })), [
          "/aws/b",
          "/aws/cloudtrail",
        ]);
      }),
    );

    // ---- log streams ----

    test(
      "log streams: create, get, duplicates, missing group, delete",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogGroup(group("/h"));
        assert.equal(await store.createLogStream(stream("/g", "s1")), true);
        assert.equal(await store.createLogStream(stream("/g", "s1")), false, "duplicate");
        assert.equal(await store.createLogStream(stream("/h", "s1")), true, "same name in another group");
        assert.deepEqual(await store.getLogStream("/g", "s1"), stream("/g", "s1"));
        assert.equal(await store.getLogStream("/g", "nope"), undefined);
        assert.equal(await store.getLogStream("/nope", "s1"), undefined);
        await assert.rejects(store.createLogStream(stream("/nope", "s1")), "a stream needs its group");

        assert.equal(await store.createLogStream(stream("/g", ODD_STREAM)), true);
        assert.deepEqual(await store.getLogStream("/g", ODD_STREAM), stream("/g", ODD_STREAM));

        await put(store, "/g", "s1", [T0, T0 + 1]);
        await put(store, "/h", "s1", [T0]);
        assert.equal(await store.deleteLogStream("/g", "s1"), true);
        assert.equal(await store.deleteLogStream("/g", "s1"), false);
        assert.equal(await store.getLogStream("/g", "s1"), undefined);
        assert.deepEqual(
          await store.scanLogEvents({ logGroupName: "/g", limit: 100 }),
          [],
          "its events went with it",
        );
        assert.equal(
          (await store.scanLogEvents({ logGroupName: "/h", limit: 100 })).length,
          1,
          "the other group's stream stays",
        );
        // Re-created, the stream starts empty.
        await store.createLogStream(stream("/g", "s1"));
        assert.deepEqual(
          await store.getLogEvents({ logGroupName: "/g", logStreamName: "s1", limit: 10 }),
          [],
        );
      }),
    );

    test(
      "log streams: listed by name (prefix, after, limit, descending) and by last event time",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogGroup(group("/other"));
        await store.createLogStream(stream("/other", "a-x"));
        for (const s of ["b-2", "a-1", "a-3", "c", "a-2"]) await store.createLogStream(stream("/g", s));
        const list = (q: Parameters<Store["listLogStreams"]>[1]) => store.listLogStreams("/g", q).then(names);

        assert.deepEqual(await list({ limit: 100 }), ["a-1", "a-2", "a-3", "b-2", "c"]);
        assert.deepEqual(await list({ limit: 100, orderBy: "LogStreamName" }), [
          "a-1",
          "a-2",
          "a-3",
          "b-2",
          "c",
        ]);
        assert.deepEqual(await list({ limit: 100, descending: true }), ["c", "b-2", "a-3", "a-2", "a-1"]);
        assert.deepEqual(await list({ prefix: "a-", limit: 2 }), ["a-1", "a-2"]);
        assert.deepEqual(await list({ prefix: "a-", after: "a-2", limit: 2 }), ["a-3"]);
        assert.deepEqual(await list({ after: "a-3", limit: 100, descending: true }), ["a-2", "a-1"]);
        assert.deepEqual(await list({ after: "a-3", limit: 100 }), ["b-2", "c"]);
        assert.deepEqual(await store.listLogStreams("/missing", { limit: 10 }), []);

        // Bookmarks come from commits: a-3 newest, then b-2, then a-1; a-2 and c have no events.
        await store.commit({
          events: [],
          streams: [
            stream("/g", "a-1", {
              firstEventTimestamp: T0,
              lastEventTimestamp: T0 + 10,
              lastIngestionTime: T0 + 20,
            }),
            stream("/g", "b-2", {
              firstEventTimestamp: T0,
              lastEventTimestamp: T0 + 20,
              lastIngestionTime: T0 + 20,
            }),
            stream("/g", "a-3", {
              firstEventTimestamp: T0,
              lastEventTimestamp: T0 + 30,
              lastIngestionTime: T0 + 30,
            }),
          ],
          aggregates: [],
        });
        const byTime = await list({ limit: 100, orderBy: "LastEventTime" });
        assert.deepEqual(
          byTime.slice(2),
          ["a-1", "b-2", "a-3"],
          "oldest first; streams without events first",
        );
        assert.deepEqual(byTime.slice(0, 2).sort(), ["a-2", "c"]);
        const newest = await list({ limit: 3, orderBy: "LastEventTime", descending: true });
        assert.deepEqual(newest, ["a-3", "b-2", "a-1"]);

        // Pages by last event time: `after` is the last stream of the previous page.
        for (const descending of [false, true]) {
          const seen: string[] = [];
          let after: string | undefined;
          for (;;) {
            const page = await list({ limit: 2, orderBy: "LastEventTime", descending, after });
            if (page.length === 0) break;
            seen.push(...page);
            after = page[page.length - 1];
          }
          assert.deepEqual(seen, descending ? [...byTime].reverse() : byTime);
        }
      }),
    );

    // ---- commit ----

    test(
      "commit: consecutive seqs from firstSeq, increasing across commits; empty batches",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogStream(stream("/g", "a"));
        await store.createLogStream(stream("/g", "b"));
        assert.deepEqual(await store.commit({ events: [], streams: [], aggregates: [] }), {});
        assert.equal(
          (await store.commit({ events: [], streams: [], aggregates: [], checkpoints: [] })).firstSeq,
          undefined,
        );

        const r1 = await store.commit({
          events: [ev("/g", "a", T0 + 5), ev("/g", "b", T0 + 1), ev("/g", "a", T0 + 3)],
          streams: [],
          aggregates: [],
        });
        assert.equal(typeof r1.firstSeq, "number");
        const r2 = await store.commit({ events: [ev("/g", "b", T0)], streams: [], aggregates: [] });
        assert.ok(r2.firstSeq! > r1.firstSeq! + 2, "a later commit's seqs are higher");
        const all = await store.scanLogEvents({ logGroupName: "/g", limit: 100 });
        assert.deepEqual(seqs(all), [r1.firstSeq!, r1.firstSeq! + 1, r1.firstSeq! + 2, r2.firstSeq!]);
        assert.deepEqual(
          all.map((e) => [e.logStreamName, e.timestamp]),
          [
            ["a", T0 + 5],
            ["b", T0 + 1],
            ["a", T0 + 3],
            ["b", T0],
          ],
          "array order, not time order",
        );
        assert.deepEqual(all[0], { ...ev("/g", "a", T0 + 5), seq: r1.firstSeq! });
      }),
    );

    test(
      "commit: seqs never go back, even after the newest events are deleted",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogStream(stream("/g", "s"));
        const first = await put(store, "/g", "s", [T0, T0 + 1]);
        assert.equal(await store.deleteLogEventsBefore("/g", T0 + 10), 2);
        const again = await put(store, "/g", "s", [T0 + 2]);
        assert.ok(again[0].seq > first[1].seq);
        assert.equal(await store.deleteLogGroup("/g"), true);
        await store.createLogGroup(group("/g"));
        await store.createLogStream(stream("/g", "s"));
        const third = await put(store, "/g", "s", [T0 + 3]);
        assert.ok(third[0].seq > again[0].seq);
      }),
    );

    test(
      "commit: stream bookmarks merge (first = min, last = max) and missing streams are created",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogStream(stream("/g", "s"));
        const mark = (first: number, last: number, ingestion: number, name = "s", creationTime = T0 + 999) =>
          stream("/g", name, {
            creationTime,
            firstEventTimestamp: first,
            lastEventTimestamp: last,
            lastIngestionTime: ingestion,
          });
        await store.commit({ events: [], streams: [mark(T0 + 100, T0 + 200, T0 + 300)], aggregates: [] });
        assert.deepEqual(
          await store.getLogStream("/g", "s"),
          mark(T0 + 100, T0 + 200, T0 + 300, "s", T0),
          "creationTime kept",
        );
        await store.commit({ events: [], streams: [mark(T0 + 150, T0 + 180, T0 + 250)], aggregates: [] });
        assert.deepEqual(
          await store.getLogStream("/g", "s"),
          mark(T0 + 100, T0 + 200, T0 + 300, "s", T0),
          "inside: unchanged",
        );
        await store.commit({ events: [], streams: [mark(T0 + 50, T0 + 500, T0 + 600)], aggregates: [] });
        assert.deepEqual(await store.getLogStream("/g", "s"), mark(T0 + 50, T0 + 500, T0 + 600, "s", T0));
        // A bookmark without some fields leaves them as they are.
        await store.commit({
          events: [],
          streams: [stream("/g", "s", { lastEventTimestamp: T0 + 700 })],
          aggregates: [],
        });
        assert.deepEqual(await store.getLogStream("/g", "s"), mark(T0 + 50, T0 + 700, T0 + 600, "s", T0));

        // A stream named in a commit that does not exist yet is created with the events.
        await store.commit({
          events: [ev("/g", "new", T0 + 5)],
          streams: [mark(T0 + 5, T0 + 5, T0 + 9, "new", T0 + 1)],
          aggregates: [],
        });
        assert.deepEqual(await store.getLogStream("/g", "new"), mark(T0 + 5, T0 + 5, T0 + 9, "new", T0 + 1));
        assert.equal(
          (await store.getLogEvents({ logGroupName: "/g", logStreamName: "new", limit: 10 })).length,
          1,
        );
      }),
    );

    test(
      "commit: all or nothing — an event of a missing stream or group rejects the whole batch",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogStream(stream("/g", "s"));
        const m = metric("M");
        const bad = (events: ReturnType<typeof ev>[]) =>
          store.commit({
            events: [ev("/g", "s", T0), ...events],
            streams: [stream("/g", "s", { firstEventTimestamp: T0 - 1000, lastEventTimestamp: T0 + 1000 })],
            aggregates: [agg(m, T0, [1])],
            checkpoints: [{ source: "file", position: "100" }],
          });
        await assert.rejects(bad([ev("/g", "missing-stream", T0)]));
        await assert.rejects(bad([ev("/missing-group", "s", T0)]));
        await assert.rejects(
          store.commit({
            events: [],
            streams: [stream("/missing-group", "s")],
            aggregates: [agg(m, T0, [1])],
          }),
          "a bookmark of a missing group",
        );
        assert.deepEqual(await store.scanLogEvents({ logGroupName: "/g", limit: 10 }), []);
        assert.deepEqual(await store.getLogStream("/g", "s"), stream("/g", "s"), "bookmarks untouched");
        assert.deepEqual(await store.queryAggregates(m, 0, T0 * 2), []);
        assert.deepEqual(await store.listMetrics({}), []);
        assert.equal(await store.getCheckpoint("file"), undefined);
        assert.equal(await store.getLogGroup("/missing-group"), undefined);

        // And the store still works afterwards.
        await bad([]);
        assert.equal((await store.scanLogEvents({ logGroupName: "/g", limit: 10 })).length, 1);
        assert.equal(await store.getCheckpoint("file"), "100");
      }),
    );

    test(
      "checkpoints: written by commits, last write wins, per source",
      withStore(async (store) => {
        assert.equal(await store.getCheckpoint("s3://bucket/key.json.gz"), undefined);
        await store.commit({
          events: [],
          streams: [],
          aggregates: [],
          checkpoints: [{ source: "s3://bucket/key.json.gz", position: "10" }],
        });
        assert.equal(await store.getCheckpoint("s3://bucket/key.json.gz"), "10");
        await store.commit({
          events: [],
          streams: [],
          aggregates: [],
          checkpoints: [
            { source: "s3://bucket/key.json.gz", position: "20" },
            { source: "/var/log/ct 'x'.json", position: JSON.stringify({ file: "ü", offset: 7 }) },
          ],
        });
        assert.equal(await store.getCheckpoint("s3://bucket/key.json.gz"), "20");
        assert.equal(
          await store.getCheckpoint("/var/log/ct 'x'.json"),
          JSON.stringify({ file: "ü", offset: 7 }),
        );
        await store.commit({ events: [], streams: [], aggregates: [] });
        assert.equal(
          await store.getCheckpoint("s3://bucket/key.json.gz"),
          "20",
          "a batch without checkpoints keeps them",
        );
      }),
    );

    // ---- log events ----

    test(
      "getLogEvents: one stream, time window [start, end), seq pages forward and backward",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogStream(stream("/g", "s"));
        await store.createLogStream(stream("/g", "other"));
        // Out of time order on purpose; interleaved with another stream.
        const ts = [5, 1, 9, 3, 7, 2, 8, 4, 6, 0].map((i) => T0 + i * 1000);
        const stored: StoredLogEvent[] = [];
        for (const t of ts) {
          stored.push(...(await put(store, "/g", "s", [t])));
          await put(store, "/g", "other", [t]);
        }
        const get = (q: Partial<Parameters<Store["getLogEvents"]>[0]>) =>
          store.getLogEvents({ logGroupName: "/g", logStreamName: "s", limit: 100, ...q });

        assert.deepEqual(await get({}), stored, "all of the stream in seq order");
        assert.deepEqual(await get({ descending: true }), [...stored].reverse());
        assert.deepEqual(await get({ limit: 3 }), stored.slice(0, 3));
        assert.deepEqual(await get({ limit: 3, descending: true }), stored.slice(-3).reverse());

        const inWindow = stored.filter((e) => e.timestamp >= T0 + 3000 && e.timestamp < T0 + 7000);
        assert.deepEqual(
          await get({ startTime: T0 + 3000, endTime: T0 + 7000 }),
          inWindow,
          "start inclusive, end exclusive",
        );
        assert.deepEqual(times(inWindow).sort(), [T0 + 3000, T0 + 4000, T0 + 5000, T0 + 6000]);
        assert.deepEqual(
          await get({ startTime: T0 + 8000 }),
          stored.filter((e) => e.timestamp >= T0 + 8000),
        );
        assert.deepEqual(
          await get({ endTime: T0 + 2000 }),
          stored.filter((e) => e.timestamp < T0 + 2000),
        );
        assert.deepEqual(await get({ startTime: T0 + 5000, endTime: T0 + 5000 }), []);
        assert.deepEqual(await get({ startTime: 0, endTime: T0 * 2 }), stored, "a window around everything");
        assert.deepEqual(
          await get({ startTime: T0, endTime: T0 + 9001, afterSeq: stored[4].seq }),
          stored.slice(5),
        );

        // Forward pages with afterSeq, backward pages with beforeSeq, with and without a window.
        for (const window of [{}, { startTime: T0 + 2000, endTime: T0 + 9000 }]) {
          const expected = stored.filter(
            (e) => !("startTime" in window) || (e.timestamp >= T0 + 2000 && e.timestamp < T0 + 9000),
          );
          const forward: StoredLogEvent[] = [];
          let afterSeq: number | undefined;
          for (;;) {
            const page = await get({ ...window, afterSeq, limit: 3 });
            if (page.length === 0) break;
            forward.push(...page);
            afterSeq = page[page.length - 1].seq;
          }
          assert.deepEqual(forward, expected);
          const backward: StoredLogEvent[] = [];
          let beforeSeq: number | undefined;
          for (;;) {
            const page = await get({ ...window, beforeSeq, limit: 3, descending: true });
            if (page.length === 0) break;
            backward.push(...page);
            beforeSeq = page[page.length - 1].seq;
          }
          assert.deepEqual(backward, [...expected].reverse());
        }
        // Both bounds at once.
        assert.deepEqual(
          await get({ afterSeq: stored[2].seq, beforeSeq: stored[6].seq }),
          stored.slice(3, 6),
        );
        assert.deepEqual(
          await get({ afterSeq: stored[2].seq, beforeSeq: stored[6].seq, descending: true }),
          stored.slice(3, 6).reverse(),
        );

        assert.deepEqual(
          await store.getLogEvents({ logGroupName: "/g", logStreamName: "missing", limit: 10 }),
          [],
        );
        assert.deepEqual(
          await store.getLogEvents({ logGroupName: "/missing", logStreamName: "s", limit: 10 }),
          [],
        );
      }),
    );

    test(
      "log events: messages, names and times are stored intact (256 KB, unicode, quotes, control characters)",
      withStore(async (store) => {
        await store.createLogGroup(group(ODD_GROUP));
        await store.createLogStream(stream(ODD_GROUP, ODD_STREAM));
        const big = `{"eventName":"PutObject","data":"${"x€🙂'\"".repeat(26_215)}"}`;
        assert.ok(Buffer.byteLength(big) >= 256 * 1024);
        const messages = [
          big,
          "",
          "tab\tnew\nline\r\n carriage",
          `'; DROP TABLE log_events; --`,
          "emoji 🚨 and combining é and RTL שלום",
          " leading and trailing spaces ",
        ];
        const events = messages.map((message, i) => ({
          ...ev(ODD_GROUP, ODD_STREAM, T0 + i),
          message,
          ingestionTime: 8_640_000_000_000_000 - i,
        }));
        const r = await store.commit({ events, streams: [], aggregates: [] });
        const got = await store.getLogEvents({
          logGroupName: ODD_GROUP,
          logStreamName: ODD_STREAM,
          limit: 100,
        });
        assert.deepEqual(
          got,
          events.map((e, i) => ({ ...e, seq: r.firstSeq! + i })),
        );
        assert.equal(got[0].message.length, big.length);
        const scanned = await store.scanLogEvents({
          logGroupName: ODD_GROUP,
          logStreamNames: [ODD_STREAM],
          limit: 100,
        });
        assert.deepEqual(scanned, got);
        // Old and far-future timestamps.
        await put(store, ODD_GROUP, ODD_STREAM, [0, 253402300799000]);
        assert.deepEqual(
          times(
            await store.getLogEvents({
              logGroupName: ODD_GROUP,
              logStreamName: ODD_STREAM,
              endTime: 1,
              limit: 10,
            }),
          ),
          [0],
        );
      }),
    );

    test(
      "scanLogEvents: a group's events in seq order, by stream names or prefix, window and afterSeq",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogGroup(group("/g2"));
        for (const s of ["app-1", "app-2", "db", "app_"]) await store.createLogStream(stream("/g", s));
        await store.createLogStream(stream("/g2", "app-1"));
        const stored: StoredLogEvent[] = [];
        const streams = ["app-1", "db", "app-2", "app-1", "app_", "db", "app-2", "app-1"];
        for (let i = 0; i < 24; i++) {
          stored.push(...(await put(store, "/g", streams[i % streams.length], [T0 + ((i * 7) % 24) * 1000])));
          if (i % 5 === 0) await put(store, "/g2", "app-1", [T0 + i * 1000]);
        }
        const scan = (q: Partial<Parameters<Store["scanLogEvents"]>[0]>) =>
          store.scanLogEvents({ logGroupName: "/g", limit: 1000, ...q });

        assert.deepEqual(await scan({}), stored);
        assert.deepEqual(await scan({ limit: 5 }), stored.slice(0, 5));
        assert.deepEqual(
          await scan({ logStreamNames: ["db"] }),
          stored.filter((e) => e.logStreamName === "db"),
        );
        assert.deepEqual(
          await scan({ logStreamNames: ["db", "app-2", "nope"] }),
          stored.filter((e) => e.logStreamName === "db" || e.logStreamName === "app-2"),
        );
        assert.deepEqual(await scan({ logStreamNames: [] }), [], "an empty list matches nothing");
        assert.deepEqual(await scan({ logStreamNames: ["nope"] }), []);
        assert.deepEqual(
          await scan({ logStreamNamePrefix: "app-" }),
          stored.filter((e) => e.logStreamName.startsWith("app-")),
        );
        assert.deepEqual(
          await scan({ logStreamNamePrefix: "app_" }),
          stored.filter((e) => e.logStreamName === "app_"),
          "no LIKE wildcards",
        );
        assert.deepEqual(await scan({ logStreamNamePrefix: "zzz" }), []);

        const win = (e: StoredLogEvent) => e.timestamp >= T0 + 5000 && e.timestamp < T0 + 15000;
        assert.deepEqual(await scan({ startTime: T0 + 5000, endTime: T0 + 15000 }), stored.filter(win));
        assert.deepEqual(
          await scan({ startTime: 0, endTime: T0 * 2, afterSeq: stored[3].seq }),
          stored.slice(4),
        );
        assert.deepEqual(
          await scan({ startTime: T0 + 5000, endTime: T0 + 15000, logStreamNamePrefix: "app" }),
          stored.filter((e) => win(e) && e.logStreamName.startsWith("app")),
        );

        for (const q of [
          {},
          { startTime: T0 + 5000, endTime: T0 + 15000 },
          { logStreamNames: ["app-1", "db"] },
        ]) {
          const all = await scan(q);
          const paged: StoredLogEvent[] = [];
          let afterSeq: number | undefined;
          for (;;) {
            const page = await scan({ ...q, afterSeq, limit: 4 });
            if (page.length === 0) break;
            paged.push(...page);
            afterSeq = page[page.length - 1].seq;
          }
          assert.deepEqual(paged, all);
        }
        assert.deepEqual(await store.scanLogEvents({ logGroupName: "/missing", limit: 10 }), []);
        assert.ok(
          (await store.scanLogEvents({ logGroupName: "/g2", limit: 100 })).every(
            (e) => e.logGroupName === "/g2",
          ),
        );
      }),
    );

    test(
      "deleteLogEventsBefore: retention of one group",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogGroup(group("/keep"));
        await store.createLogStream(stream("/g", "a"));
        await store.createLogStream(stream("/g", "b"));
        await store.createLogStream(stream("/keep", "a"));
        await put(store, "/g", "a", [T0, T0 + 10, T0 + 20]);
        const b = await put(store, "/g", "b", [T0 + 5, T0 + 30]);
        await put(store, "/keep", "a", [T0]);
        await store.commit({
          events: [],
          streams: [stream("/g", "a", { firstEventTimestamp: T0, lastEventTimestamp: T0 + 20 })],
          aggregates: [],
        });

        assert.equal(await store.deleteLogEventsBefore("/g", T0 + 10), 2, "T0 and T0+5; T0+10 stays");
        assert.deepEqual(times(await store.scanLogEvents({ logGroupName: "/g", limit: 100 })), [
          T0 + 10,
          T0 + 20,
          T0 + 30,
        ]);
        assert.equal(await store.deleteLogEventsBefore("/g", T0 + 10), 0);
        assert.equal(await store.deleteLogEventsBefore("/missing", T0 + 100), 0);
        assert.equal(
          (await store.scanLogEvents({ logGroupName: "/keep", limit: 100 })).length,
          1,
          "other groups untouched",
        );
        assert.deepEqual(await store.getLogEvents({ logGroupName: "/g", logStreamName: "b", limit: 10 }), [
          b[1],
        ]);
        assert.ok(await store.getLogStream("/g", "a"), "streams stay");
      }),
    );

    test(
      "deleteLogGroup cascades to streams, events and metric filters, and nothing else",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogGroup(group("/keep"));
        await store.createLogStream(stream("/g", "s"));
        await store.createLogStream(stream("/keep", "s"));
        await put(store, "/g", "s", [T0, T0 + 1]);
        const kept = await put(store, "/keep", "s", [T0]);
        await store.putMetricFilter(filter("/g", "f", "M"));
        await store.putMetricFilter(filter("/keep", "f", "M"));
        const m = metric("M");
        await store.commit({
          events: [],
          streams: [],
          aggregates: [agg(m, T0, [1])],
          checkpoints: [{ source: "x", position: "1" }],
        });
        await store.putAlarm(metricAlarm("A"));

        assert.equal(await store.deleteLogGroup("/g"), true);
        assert.equal(await store.getLogStream("/g", "s"), undefined);
        assert.deepEqual(await store.scanLogEvents({ logGroupName: "/g", limit: 10 }), []);
        assert.deepEqual(await store.listMetricFilters({ logGroupName: "/g" }), []);
        // Re-created empty.
        await store.createLogGroup(group("/g"));
        assert.deepEqual(await store.listLogStreams("/g", { limit: 10 }), []);
        assert.deepEqual(await store.listMetricFilters({ logGroupName: "/g" }), []);
        // The rest is untouched: the other group, metrics (they outlive filters), alarms, checkpoints.
        assert.deepEqual(await store.scanLogEvents({ logGroupName: "/keep", limit: 10 }), kept);
        assert.equal((await store.listMetricFilters({ logGroupName: "/keep" })).length, 1);
        assert.equal((await store.queryAggregates(m, 0, T0 * 2)).length, 1);
        assert.ok(await store.getAlarm("A"));
        assert.equal(await store.getCheckpoint("x"), "1");
      }),
    );

    // ---- metric filters ----

    test(
      "metric filters: put, replace, list with filters, delete",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        await store.createLogGroup(group(ODD_GROUP));
        const f1 = filter("/g", "RootUsage", "RootAccountUsage");
        const f2: MetricFilter = {
          ...filter("/g", "Console'Sign\"in", "ConsoleSignInFailures"),
          emitSystemFieldDimensions: ["@aws.account", "@aws.region"],
          metricTransformations: [
            {
              metricName: "ConsoleSignInFailures",
              metricNamespace: "CloudTrailMetrics",
              metricValue: "1",
              unit: "Count",
            },
            {
              metricName: "Bytes",
              metricNamespace: "Other/NS",
              metricValue: "$.bytes",
              dimensions: { ü: "$.x", User: "$.user" },
            },
          ],
        };
        const f3 = filter(ODD_GROUP, "RootUsage", "RootAccountUsage", "Sec 🚨");
        for (const f of [f1, f2, f3]) await store.putMetricFilter(f);
        await assert.rejects(store.putMetricFilter(filter("/missing", "x", "M")), "a filter needs its group");

        const all = await store.listMetricFilters({});
        const byGroupThenName = [f1, f2, f3].sort((a, b) =>
          a.logGroupName !== b.logGroupName
            ? a.logGroupName < b.logGroupName
              ? -1
              : 1
            : a.filterName < b.filterName
              ? -1
              : 1,
        );
        assert.deepEqual(all, byGroupThenName);
        assert.deepEqual(await store.listMetricFilters({ logGroupName: "/g" }), [f2, f1]);
        assert.deepEqual(await store.listMetricFilters({ logGroupName: "/g", filterNamePrefix: "Root" }), [
          f1,
        ]);
        assert.deepEqual(
          await store.listMetricFilters({ logGroupName: "/g", filterNamePrefix: "Console'" }),
          [f2],
        );
        assert.deepEqual(
          await store.listMetricFilters({ filterNamePrefix: "Root" }),
          [f1, f3].sort((a, b) => (a.logGroupName < b.logGroupName ? -1 : 1)),
        );
        assert.deepEqual(
          await store.listMetricFilters({ metricName: "Bytes" }),
          [f2],
          "any transformation matches",
        );
        assert.deepEqual(await store.listMetricFilters({ metricNamespace: "Other/NS" }), [f2]);
        assert.deepEqual(
          await store.listMetricFilters({ metricName: "Bytes", metricNamespace: "CloudTrailMetrics" }),
          [],
          "name and namespace of one transformation",
        );
        assert.deepEqual(
          await store.listMetricFilters({ metricName: "RootAccountUsage", metricNamespace: "Sec 🚨" }),
          [f3],
        );
        assert.deepEqual(await store.listMetricFilters({ logGroupName: "/missing" }), []);

        // Replace: same group and name.
        const f1b: MetricFilter = {
          ...f1,
          filterPattern: "ERROR",
          metricTransformations: [{ metricName: "Errors", metricNamespace: "App", metricValue: "1" }],
          creationTime: T0 + 5,
        };
        await store.putMetricFilter(f1b);
        assert.deepEqual(await store.listMetricFilters({ logGroupName: "/g", filterNamePrefix: "Root" }), [
          f1b,
        ]);
        assert.equal((await store.listMetricFilters({})).length, 3);
        // Dropping emitSystemFieldDimensions on replace.
        const { emitSystemFieldDimensions: _, ...f2b } = f2;
        await store.putMetricFilter(f2b);
        assert.deepEqual(await store.listMetricFilters({ logGroupName: "/g", filterNamePrefix: "Console" }), [
          f2b,
        ]);

        assert.equal(await store.deleteMetricFilter("/g", "RootUsage"), true);
        assert.equal(await store.deleteMetricFilter("/g", "RootUsage"), false);
        assert.equal(await store.deleteMetricFilter("/missing", "RootUsage"), false);
        assert.deepEqual(
          await store.listMetricFilters({ logGroupName: ODD_GROUP }),
          [f3],
          "same name in another group stays",
        );
      }),
    );

    // ---- metrics ----

    test(
      "aggregates merge across commits and within one: counts and sums add, min/max, sketches merge",
      withStore(async (store) => {
        const m = metric("ApiCalls", { Region: "us-east-1", User: "alice" });
        const sk = (...xs: number[]) => Uint8Array.from(xs);
        await store.commit({
          events: [],
          streams: [],
          aggregates: [agg(m, T0, [5, 3], { sketch: sk(5, 3) }), agg(m, T0 + MIN, [1], { sketch: sk(1) })],
        });
        await store.commit({
          events: [],
          streams: [],
          aggregates: [agg(m, T0, [10, -2, 4], { sketch: sk(10, 254, 4) })],
        });
        await store.commit({
          events: [],
          streams: [],
          aggregates: [agg(m, T0, [7], { sketch: sk(7) }), agg(m, T0, [0.5], { sketch: sk(9) })],
        });
        const got = await store.queryAggregates(m, T0, T0 + 2 * MIN);
        assert.equal(got.length, 2);
        assert.deepEqual(got[0], {
          metric: m,
          timestamp: T0,
          resolution: 60,
          unit: "Count",
          sampleCount: 7,
          sum: 5 + 3 + 10 - 2 + 4 + 7 + 0.5,
          min: -2,
          max: 10,
          sketch: contractMergeSketch(sk(5, 3, 10, 254, 4), sk(7, 9)),
        });
        assert.ok(got[0].sketch instanceof Uint8Array);
        assert.deepEqual(got[1], { ...agg(m, T0 + MIN, [1]), sketch: sk(1) });
      }),
    );

    test(
      "aggregates: a merge with a side without a sketch keeps none; buckets differ by unit and resolution",
      withStore(async (store) => {
        const m = metric("Latency", { Op: "Get" });
        const sk = Uint8Array.of(1, 2);
        const commit = (...aggregates: MetricAggregate[]) =>
          store.commit({ events: [], streams: [], aggregates });
        await commit(agg(m, T0, [1], { sketch: sk }), agg(m, T0 + MIN, [1]), agg(m, T0 + 2 * MIN, [1]));
        await commit(agg(m, T0, [2]), agg(m, T0 + MIN, [2], { sketch: sk }), agg(m, T0 + 2 * MIN, [2]));
        const got = await store.queryAggregates(m, T0, T0 + 3 * MIN);
        assert.deepEqual(
          got.map((a) => [a.sampleCount, a.sum, a.sketch]),
          [
            [2, 3, undefined],
            [2, 3, undefined],
            [2, 3, undefined],
          ],
        );
        assert.ok(got.every((a) => !("sketch" in a) || a.sketch === undefined));
        // And stays without one afterwards.
        await commit(agg(m, T0, [3], { sketch: sk }));
        assert.equal((await store.queryAggregates(m, T0, T0 + 1))[0].sketch, undefined);

        // Same series and time, different unit or resolution: separate rows.
        const h = metric("Hi", {});
        await commit(
          agg(h, T0, [1]),
          agg(h, T0, [2], { unit: "Seconds" }),
          agg(h, T0, [3], { resolution: 1 }),
          agg(h, T0 + 1000, [4], { resolution: 1 }),
        );
        await commit(agg(h, T0, [10], { resolution: 1 }));
        const rows = await store.queryAggregates(h, T0, T0 + MIN);
        assert.equal(rows.length, 4);
        assert.deepEqual(
          rows.map((a) => a.timestamp),
          [T0, T0, T0, T0 + 1000],
          "oldest first",
        );
        const at0 = rows.filter((a) => a.timestamp === T0).map((a) => [a.resolution, a.unit, a.sum]);
        assert.deepEqual(
          at0.sort((a, b) => String(a).localeCompare(String(b))),
          [
            [1, "Count", 13],
            [60, "Count", 1],
            [60, "Seconds", 2],
          ],
        );
      }),
    );

    test(
      "queryAggregates: exact dimensions only, [from, to) oldest first",
      withStore(async (store) => {
        const base = metric("Calls", { Region: "eu-west-1" });
        const more = metric("Calls", { Region: "eu-west-1", User: "bob" });
        const none = metric("Calls");
        const otherNs = metric("Calls", { Region: "eu-west-1" }, "Other");
        const aggregates = [base, more, none, otherNs].flatMap((m, i) =>
          [3, 0, 2, 1].map((k) => agg(m, T0 + k * MIN, [i + 1, k])),
        );
        await store.commit({ events: [], streams: [], aggregates });

        const got = await store.queryAggregates(base, T0, T0 + 10 * MIN);
        assert.deepEqual(
          got.map((a) => a.timestamp),
          [T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN],
        );
        assert.ok(got.every((a) => a.sum === 1 + (a.timestamp - T0) / MIN));
        assert.deepEqual(got[0].metric, base);
        assert.deepEqual(
          (await store.queryAggregates(none, T0, T0 + 10 * MIN)).map((a) => a.min),
          [0, 1, 2, 3].map((k) => Math.min(3, k)),
        );
        assert.equal((await store.queryAggregates(more, T0, T0 + 10 * MIN)).length, 4);
        assert.deepEqual(
          await store.queryAggregates(metric("Calls", { Region: "us-east-1" }), T0, T0 + 10 * MIN),
          [],
        );
        assert.deepEqual(await store.queryAggregates(metric("Nope"), T0, T0 + 10 * MIN), []);
        assert.deepEqual(
          (await store.queryAggregates(base, T0 + MIN, T0 + 3 * MIN)).map((a) => a.timestamp),
          [T0 + MIN, T0 + 2 * MIN],
        );
        assert.deepEqual(await store.queryAggregates(base, T0 + 3 * MIN + 1, T0 + 10 * MIN), []);
        // Dimensions given in another order are the same series.
        const reversed: MetricId = { ...more, dimensions: [...more.dimensions].reverse() };
        assert.equal((await store.queryAggregates(reversed, T0, T0 + 10 * MIN)).length, 4);
        // Odd names and values.
        const odd = metric(`Name "q" 'x'`, { "Dim ü": `val'"🙂`, a: "" }, "NS/ü");
        await store.commit({ events: [], streams: [], aggregates: [agg(odd, T0, [1])] });
        assert.deepEqual(await store.queryAggregates(odd, T0, T0 + 1), [agg(odd, T0, [1])]);
      }),
    );

    test(
      "listMetrics: namespace, name, dimension-name and value filters, since",
      withStore(async (store) => {
        const a = metric("Calls", { Region: "eu-west-1" });
        const b = metric("Calls", { Region: "us-east-1", User: "bob" });
        const c = metric("Errors", { User: "bob" });
        const d = metric("Calls", {}, "Other");
        const e = metric("Old", { Region: "eu-west-1" });
        await store.commit({
          events: [],
          streams: [],
          aggregates: [
            agg(a, T0 + 10 * MIN, [1]),
            agg(a, T0, [1]),
            agg(b, T0 + 5 * MIN, [1]),
            agg(c, T0 + 10 * MIN, [1]),
            agg(d, T0 + 10 * MIN, [1]),
            agg(e, T0, [1]),
          ],
        });
        await store.commit({ events: [], streams: [], aggregates: [agg(a, T0 + 11 * MIN, [1])] });
        const list = async (q: Parameters<Store["listMetrics"]>[0]) =>
          sortMetrics(await store.listMetrics(q));

        assert.deepEqual(await list({}), sortMetrics([a, b, c, d, e]), "each series once");
        assert.equal((await store.listMetrics({})).length, 5);
        assert.deepEqual(await list({ namespace: "Other" }), sortMetrics([d]));
        assert.deepEqual(await list({ metricName: "Calls" }), sortMetrics([a, b, d]));
        assert.deepEqual(
          await list({ namespace: "CloudTrailMetrics", metricName: "Calls" }),
          sortMetrics([a, b]),
        );
        assert.deepEqual(await list({ dimensions: [{ Name: "User" }] }), sortMetrics([b, c]));
        assert.deepEqual(
          await list({ dimensions: [{ Name: "User", Value: "bob" }, { Name: "Region" }] }),
          sortMetrics([b]),
        );
        assert.deepEqual(
          await list({ dimensions: [{ Name: "Region", Value: "eu-west-1" }] }),
          sortMetrics([a, e]),
        );
        assert.deepEqual(await list({ dimensions: [{ Name: "Region", Value: "nowhere" }] }), []);
        assert.deepEqual(await list({ dimensions: [{ Name: "region" }] }), [], "names are case-sensitive");
        assert.deepEqual(
          await list({ metricName: "Calls", dimensions: [{ Name: "Region" }] }),
          sortMetrics([a, b]),
        );
        assert.deepEqual(await list({ since: T0 + 5 * MIN }), sortMetrics([a, b, c, d]));
        assert.deepEqual(await list({ since: T0 + 10 * MIN + 1 }), sortMetrics([a]));
        assert.deepEqual(await list({ since: T0 + 12 * MIN }), []);
        assert.deepEqual(await list({ namespace: "Nope" }), []);
        const [one] = await store.listMetrics({ namespace: "CloudTrailMetrics", metricName: "Errors" });
        assert.deepEqual(one, c, "the series as given");
      }),
    );

    test(
      "deleteAggregatesBefore: drops old buckets; series left empty are no longer listed",
      withStore(async (store) => {
        const a = metric("A");
        const b = metric("B", { X: "1" });
        await store.commit({
          events: [],
          streams: [],
          aggregates: [
            agg(a, T0, [1]),
            agg(a, T0 + MIN, [1]),
            agg(b, T0, [1]),
            agg(b, T0, [1], { resolution: 1 }),
          ],
        });
        assert.equal(await store.deleteAggregatesBefore(T0 + MIN), 3);
        assert.equal(await store.deleteAggregatesBefore(T0 + MIN), 0);
        assert.deepEqual(
          (await store.queryAggregates(a, 0, T0 * 2)).map((x) => x.timestamp),
          [T0 + MIN],
        );
        assert.deepEqual(await store.queryAggregates(b, 0, T0 * 2), []);
        assert.deepEqual(sortMetrics(await store.listMetrics({})), sortMetrics([a]));
        // The series comes back with new data.
        await store.commit({ events: [], streams: [], aggregates: [agg(b, T0 + 5 * MIN, [2])] });
        assert.deepEqual(sortMetrics(await store.listMetrics({})), sortMetrics([a, b]));
        assert.deepEqual(await store.queryAggregates(b, 0, T0 * 2), [agg(b, T0 + 5 * MIN, [2])]);
      }),
    );

    // ---- the aggregate change feed ----

    test(
      "change feed: a new store's head is 0; its own commits advance the head but are not handed back",
      withStore(async (store) => {
        assert.equal(await store.aggregateChangeHead(), 0);
        assert.deepEqual(await store.aggregateChangesSince(0, 100), { changes: [], cursor: 0 });
        await store.commit({ events: [], streams: [], aggregates: [agg(metric("A"), T0, [1])] });
        const head1 = await store.aggregateChangeHead();
        assert.ok(head1 > 0);
        await store.commit({ events: [], streams: [], aggregates: [] });
        assert.equal(await store.aggregateChangeHead(), head1, "a commit without aggregates changes nothing");
        await store.commit({ events: [], streams: [], aggregates: [agg(metric("A"), T0, [2])] });
        const head2 = await store.aggregateChangeHead();
        assert.ok(head2 > head1);
        const page = await store.aggregateChangesSince(0, 100);
        assert.deepEqual(page, { changes: [], cursor: head2 });
      }),
    );

    test(
      "change feed: the head never goes back when retention deletes aggregates",
      withStore(async (store) => {
        await store.commit({ events: [], streams: [], aggregates: [agg(metric("A"), T0, [1])] });
        const head = await store.aggregateChangeHead();
        await store.deleteAggregatesBefore(T0 + MIN);
        assert.equal(await store.aggregateChangeHead(), head);
        await store.commit({ events: [], streams: [], aggregates: [agg(metric("A"), T0 + 5 * MIN, [1])] });
        assert.ok((await store.aggregateChangeHead()) > head);
      }),
    );

    // ---- alarms ----

    test(
      "alarms: put with history, get, list in name order, replace, delete with history",
      withStore(async (store) => {
        const a = metricAlarm("Root account usage", {
          dimensions: [{ Name: "Region", Value: "us-east-1" }],
          extendedStatistic: undefined,
        });
        const b = compositeAlarm(`B "quoted" 'x' 🚨`, `ALARM("Root account usage") OR ALARM(other)`);
        const c = metricAlarm("a-lowercase", {
          statistic: undefined,
          extendedStatistic: "p99",
          unit: "Count",
          datapointsToAlarm: 1,
        });
        await store.putAlarm(a, hist(a.alarmName, T0, "ConfigurationUpdate"));
        await store.putAlarm(b, hist(b.alarmName, T0 + 1, "ConfigurationUpdate", "CompositeAlarm"));
        await store.putAlarm(c);

        assert.deepEqual(await store.getAlarm(a.alarmName), JSON.parse(JSON.stringify(a)));
        assert.deepEqual(await store.getAlarm(b.alarmName), b);
        assert.equal(await store.getAlarm("nope"), undefined);
        assert.deepEqual(
          (await store.listAlarms()).map((x) => x.alarmName),
          [a.alarmName, b.alarmName, c.alarmName].sort(),
        );

        const a2 = { ...a, threshold: 5, alarmConfigurationUpdatedTimestamp: T0 + 10 };
        await store.putAlarm(a2, hist(a.alarmName, T0 + 10, "ConfigurationUpdate"));
        assert.deepEqual(await store.getAlarm(a.alarmName), JSON.parse(JSON.stringify(a2)));
        assert.equal((await store.listAlarms()).length, 3);
        // Replaced by an alarm of the other type under the same name.
        const a3 = compositeAlarm(a.alarmName, "TRUE");
        await store.putAlarm(a3);
        assert.deepEqual(await store.getAlarm(a.alarmName), a3);

        assert.equal(
          await store.deleteAlarm(
            b.alarmName,
            hist(b.alarmName, T0 + 20, "ConfigurationUpdate", "CompositeAlarm", "deleted"),
          ),
          true,
        );
        assert.equal(await store.getAlarm(b.alarmName), undefined);
        assert.equal(
          await store.deleteAlarm(
            b.alarmName,
            hist(b.alarmName, T0 + 30, "ConfigurationUpdate", "CompositeAlarm", "again"),
          ),
          false,
        );
        assert.equal(await store.deleteAlarm("never-existed"), false);

        // History outlives the alarm; the failed delete wrote none.
        const bh = await store.queryAlarmHistory({ alarmName: b.alarmName, limit: 10 });
        assert.deepEqual(
          bh.map((h) => h.historySummary),
          ["deleted", `ConfigurationUpdate of ${b.alarmName} at ${T0 + 1}`],
        );
        assert.deepEqual(
          bh[0],
          hist(b.alarmName, T0 + 20, "ConfigurationUpdate", "CompositeAlarm", "deleted"),
        );
        assert.equal((await store.queryAlarmHistory({ alarmName: a.alarmName, limit: 10 })).length, 2);
        assert.equal((await store.queryAlarmHistory({ alarmName: c.alarmName, limit: 10 })).length, 0);
        // A new alarm of the deleted name sees the old history too (AWS keeps history by name).
        await store.putAlarm(b);
        assert.equal((await store.queryAlarmHistory({ alarmName: b.alarmName, limit: 10 })).length, 2);
      }),
    );

    test(
      "setAlarmState: state fields and history together; configuration untouched; missing alarm writes nothing",
      withStore(async (store) => {
        const a = metricAlarm("A", { stateReasonData: '{"old":true}' });
        await store.putAlarm(a);
        const state = {
          stateValue: "ALARM" as const,
          stateReason: "Threshold Crossed: 1 datapoint [3.0 (01/01/24 00:00:00)] was >= the threshold (1.0).",
          stateReasonData: JSON.stringify({ version: "1.0", recentDatapoints: [3], "q'\"": "🚨" }),
          stateUpdatedTimestamp: T0 + 100,
          stateTransitionedTimestamp: T0 + 100,
        };
        await store.setAlarmState(
          "A",
          state,
          hist("A", T0 + 100, "StateUpdate", "MetricAlarm", "Alarm updated from INSUFFICIENT_DATA to ALARM"),
        );
        assert.deepEqual(await store.getAlarm("A"), { ...a, ...state });

        // Without stateReasonData the old one goes.
        const ok = {
          stateValue: "OK" as const,
          stateReason: "back",
          stateUpdatedTimestamp: T0 + 200,
          stateTransitionedTimestamp: T0 + 200,
        };
        await store.setAlarmState(
          "A",
          ok,
          hist("A", T0 + 200, "StateUpdate", "MetricAlarm", "Alarm updated from ALARM to OK"),
        );
        const { stateReasonData: _, ...rest } = a;
        assert.deepEqual(await store.getAlarm("A"), { ...rest, ...ok });

        const h = await store.queryAlarmHistory({
          alarmName: "A",
          historyItemType: "StateUpdate",
          limit: 10,
        });
        assert.deepEqual(
          h.map((x) => x.historySummary),
          ["Alarm updated from ALARM to OK", "Alarm updated from INSUFFICIENT_DATA to ALARM"],
        );

        await store.setAlarmState("missing", ok, hist("missing", T0 + 300));
        assert.equal(await store.getAlarm("missing"), undefined);
        assert.deepEqual(await store.queryAlarmHistory({ alarmName: "missing", limit: 10 }), []);
      }),
    );

    test(
      "queryAlarmHistory: filters, newest first or ascending, offset pages, ties in write order",
      withStore(async (store) => {
        const items: AlarmHistoryItem[] = [];
        const types = ["StateUpdate", "ConfigurationUpdate", "Action"] as const;
        for (let i = 0; i < 30; i++) {
          const name = i % 3 === 0 ? "C" : i % 2 === 0 ? "A" : "B";
          items.push(
            hist(
              name,
              T0 + Math.floor(i / 2) * 1000,
              types[i % 3],
              name === "C" ? "CompositeAlarm" : "MetricAlarm",
              `item ${i}`,
            ),
          );
        }
        await store.appendAlarmHistory(items.slice(0, 10));
        await store.appendAlarmHistory([]);
        for (const it of items.slice(10)) await store.appendAlarmHistory([it]);

        // Stable order: by time, ties in the order written.
        const asc = [...items];
        const desc = [...items].reverse();
        const q = (query: Partial<Parameters<Store["queryAlarmHistory"]>[0]>) =>
          store.queryAlarmHistory({ limit: 1000, ...query });
        assert.deepEqual(await q({}), desc);
        assert.deepEqual(await q({ ascending: true }), asc);
        assert.deepEqual(await q({ limit: 4 }), desc.slice(0, 4));
        assert.deepEqual(await q({ limit: 4, offset: 4 }), desc.slice(4, 8));
        assert.deepEqual(await q({ limit: 4, offset: 28 }), desc.slice(28));
        assert.deepEqual(await q({ limit: 4, offset: 30 }), []);
        assert.deepEqual(await q({ ascending: true, limit: 5, offset: 5 }), asc.slice(5, 10));

        assert.deepEqual(
          await q({ alarmName: "A" }),
          desc.filter((h) => h.alarmName === "A"),
        );
        assert.deepEqual(
          await q({ alarmTypes: ["CompositeAlarm"] }),
          desc.filter((h) => h.alarmType === "CompositeAlarm"),
        );
        assert.deepEqual(await q({ alarmTypes: ["MetricAlarm", "CompositeAlarm"] }), desc);
        assert.deepEqual(await q({ alarmTypes: [] }), []);
        assert.deepEqual(
          await q({ historyItemType: "Action" }),
          desc.filter((h) => h.historyItemType === "Action"),
        );
        const inRange = (h: AlarmHistoryItem) => h.timestamp >= T0 + 3000 && h.timestamp <= T0 + 6000;
        assert.deepEqual(
          await q({ startDate: T0 + 3000, endDate: T0 + 6000 }),
          desc.filter(inRange),
          "both dates inclusive",
        );
        assert.deepEqual(
          await q({ startDate: T0 + 14000 }),
          desc.filter((h) => h.timestamp >= T0 + 14000),
        );
        assert.deepEqual(
          await q({ endDate: T0 }),
          desc.filter((h) => h.timestamp <= T0),
        );
        const all = desc.filter(
          (h) => h.alarmName === "B" && h.historyItemType === "StateUpdate" && inRange(h),
        );
        assert.deepEqual(
          await q({
            alarmName: "B",
            alarmTypes: ["MetricAlarm"],
            historyItemType: "StateUpdate",
            startDate: T0 + 3000,
            endDate: T0 + 6000,
          }),
          all,
        );
        assert.deepEqual(await q({ alarmName: "nobody" }), []);
      }),
    );

    // ---- SNS topics and subscriptions ----

    test(
      "topics: idempotent create, get, list pages, attributes, delete",
      withStore(async (store) => {
        const a = topic("alpha", {
          tags: { team: "sec" },
          attributes: { DisplayName: "A", SignatureVersion: "2" },
        });
        assert.deepEqual(await store.createTopic(a), a);
        const again = await store.createTopic(topic("alpha", { creationTime: T0 + 5, attributes: {} }));
        assert.deepEqual(again, a, "same name: the existing topic");
        assert.deepEqual(await store.getTopic(a.topicArn), a);
        assert.equal(await store.getTopic(`${TOPIC_PREFIX}missing`), undefined);
        assert.equal(await store.getTopic(`${TOPIC_PREFIX}Alpha`), undefined, "ARNs are case-sensitive");

        for (const n of ["c", "b", "d_1", "e-2"]) await store.createTopic(topic(n));
        const all = await store.listTopics({ limit: 100 });
        assert.deepEqual(
          all.map((t) => t.name),
          ["alpha", "b", "c", "d_1", "e-2"],
        );
        const page1 = await store.listTopics({ limit: 2 });
        const page2 = await store.listTopics({ after: page1[1].topicArn, limit: 2 });
        const page3 = await store.listTopics({ after: page2[1].topicArn, limit: 2 });
        assert.deepEqual([...page1, ...page2, ...page3], all);

        assert.equal(await store.setTopicAttributes(a.topicArn, { DisplayName: "B", Policy: "{}" }), true);
        assert.deepEqual((await store.getTopic(a.topicArn))?.attributes, {
          DisplayName: "B",
          SignatureVersion: "2",
          Policy: "{}",
        });
        assert.equal(await store.setTopicAttributes(`${TOPIC_PREFIX}missing`, { DisplayName: "x" }), false);

        assert.equal(await store.deleteTopic(a.topicArn), true);
        assert.equal(await store.deleteTopic(a.topicArn), false);
        assert.equal(await store.getTopic(a.topicArn), undefined);
        assert.equal((await store.listTopics({ limit: 100 })).length, 4);
      }),
    );

    test(
      "subscriptions: put, get, find by token, list, replace, delete, cascade with the topic",
      withStore(async (store) => {
        await store.createTopic(topic("t1"));
        await store.createTopic(topic("t2"));
        const pending = subscription("t1", "0001", {
          protocol: "https",
          endpoint: "https://hooks.example.com/x?a='b'",
          pendingConfirmation: true,
          confirmationToken: "tok-1",
          tokenExpires: T0 + 2 * 86_400_000,
          attributes: { RawMessageDelivery: "true", FilterPolicy: '{"k":["v"]}' },
        });
        const confirmed = subscription("t1", "0002");
        const other = subscription("t2", "0003", {
          protocol: "slack",
          endpoint: "https://hooks.slack.com/s",
        });
        for (const s of [other, confirmed, pending]) await store.putSubscription(s);
        await assert.rejects(store.putSubscription(subscription("nope", "0004")), "topic must exist");

        assert.deepEqual(await store.getSubscription(pending.subscriptionArn), pending);
        assert.deepEqual(await store.getSubscription(confirmed.subscriptionArn), confirmed);
        assert.equal(await store.getSubscription(`${TOPIC_PREFIX}t1:9999`), undefined);
        assert.deepEqual(await store.findSubscriptionByToken("tok-1"), pending);
        assert.equal(await store.findSubscriptionByToken("tok-2"), undefined);

        assert.deepEqual(await store.listSubscriptions({ limit: 100 }), [pending, confirmed, other]);
        assert.deepEqual(await store.listSubscriptions({ topicArn: `${TOPIC_PREFIX}t1`, limit: 100 }), [
          pending,
          confirmed,
        ]);
        assert.deepEqual(await store.listSubscriptions({ topicArn: `${TOPIC_PREFIX}t1`, limit: 1 }), [
          pending,
        ]);
        assert.deepEqual(
          await store.listSubscriptions({
            topicArn: `${TOPIC_PREFIX}t1`,
            after: pending.subscriptionArn,
            limit: 5,
          }),
          [confirmed],
        );
        assert.deepEqual(await store.listSubscriptions({ topicArn: `${TOPIC_PREFIX}none`, limit: 5 }), []);

        // Confirming = replacing by ARN without the token.
        const { confirmationToken: _t, tokenExpires: _e, ...rest } = pending;
        const nowConfirmed: Subscription = { ...rest, pendingConfirmation: false };
        await store.putSubscription(nowConfirmed);
        assert.deepEqual(await store.getSubscription(pending.subscriptionArn), nowConfirmed);
        assert.equal(await store.findSubscriptionByToken("tok-1"), undefined);

        assert.equal(await store.deleteSubscription(confirmed.subscriptionArn), true);
        assert.equal(await store.deleteSubscription(confirmed.subscriptionArn), false);

        assert.equal(await store.deleteTopic(`${TOPIC_PREFIX}t1`), true);
        assert.equal(await store.getSubscription(pending.subscriptionArn), undefined);
        assert.deepEqual(await store.listSubscriptions({ limit: 100 }), [other]);
        // A topic created again under the same name starts without subscriptions.
        await store.createTopic(topic("t1"));
        assert.deepEqual(await store.listSubscriptions({ topicArn: `${TOPIC_PREFIX}t1`, limit: 100 }), []);
      }),
    );

    test(
      "subscriptions: deleteExpiredPendingSubscriptions removes only pending ones created before the bound",
      withStore(async (store) => {
        await store.createTopic(topic("t"));
        const old = subscription("t", "a", {
          pendingConfirmation: true,
          confirmationToken: "x",
          createdAt: T0,
        });
        const edge = subscription("t", "b", {
          pendingConfirmation: true,
          confirmationToken: "y",
          createdAt: T0 + 10,
        });
        const confirmedOld = subscription("t", "c", { createdAt: T0 - 1000 });
        for (const s of [old, edge, confirmedOld]) await store.putSubscription(s);
        assert.equal(await store.deleteExpiredPendingSubscriptions(T0 + 10), 1);
        assert.deepEqual(await store.listSubscriptions({ limit: 10 }), [edge, confirmedOld]);
        assert.equal(await store.deleteExpiredPendingSubscriptions(T0 + 10), 0);
        assert.equal(await store.deleteExpiredPendingSubscriptions(T0 + 11), 1);
        assert.deepEqual(await store.listSubscriptions({ limit: 10 }), [confirmedOld]);
      }),
    );

    // ---- the delivery outbox ----

    const outboxItem = (id: string, extra: Partial<OutboxItem> = {}): OutboxItem => ({
      id,
      subscriptionArn: `${TOPIC_PREFIX}t:sub-1`,
      protocol: "email",
      endpoint: "ops@example.com",
      payload: JSON.stringify({ subject: `s ${id}`, text: "t", html: "<p>t</p>" }),
      createdAt: T0,
      nextAttemptAt: T0,
      attempts: 0,
      status: "pending",
      ...extra,
    });

    test(
      "outbox: enqueueDeliveries is idempotent by id; dueDeliveries takes pending, due, oldest first",
      withStore(async (store) => {
        const a = outboxItem("a", { createdAt: T0 + 2 });
        const b = outboxItem("b", { createdAt: T0 + 1, nextAttemptAt: T0 + 5 });
        const c = outboxItem("c", { createdAt: T0, nextAttemptAt: T0 + 100 });
        const odd = outboxItem(`it's "odd" ${ODD_STREAM}`, { createdAt: T0 + 3, protocol: "https" });
        assert.equal(await store.enqueueDeliveries([a, b, c, odd]), 4);
        // The same id again, with other content: the stored copy stays.
        assert.equal(await store.enqueueDeliveries([{ ...a, payload: "{}" }, outboxItem("d")]), 1);
        assert.deepEqual(await store.getDelivery("a"), a);
        assert.deepEqual(await store.getDelivery(odd.id), odd);
        assert.equal(await store.getDelivery("zzz"), undefined);

        assert.deepEqual(
          (await store.dueDeliveries(T0 + 5, 10)).map((i) => i.id),
          ["d", "b", "a", odd.id],
        );
        assert.deepEqual(
          (await store.dueDeliveries(T0 + 4, 10)).map((i) => i.id),
          ["d", "a", odd.id],
        );
        assert.deepEqual(
          (await store.dueDeliveries(T0 + 1000, 2)).map((i) => i.id),
          ["c", "d"],
        );
        assert.deepEqual(
          (await store.dueDeliveries(T0 + 1000, 10)).map((i) => i.id),
          ["c", "d", "b", "a", odd.id],
        );
        assert.deepEqual(await store.dueDeliveries(T0 - 1, 10), []);
      }),
    );

    test(
      "outbox: claimDueDeliveries leases the items it returns",
      withStore(async (store) => {
        await store.enqueueDeliveries([outboxItem("a"), outboxItem("b", { createdAt: T0 + 1 })]);
        const claimed = await store.claimDueDeliveries(T0, T0 + MIN, 1);
        assert.deepEqual(
          claimed.map((i) => [i.id, i.nextAttemptAt]),
          [["a", T0 + MIN]],
        );
        assert.equal((await store.getDelivery("a"))?.nextAttemptAt, T0 + MIN);
        assert.deepEqual(
          (await store.claimDueDeliveries(T0, T0 + MIN, 10)).map((i) => i.id),
          ["b"],
        );
        assert.deepEqual(await store.claimDueDeliveries(T0 + MIN - 1, T0 + 2 * MIN, 10), []);
        // The lease ran out without a recorded attempt (a crash): due again.
        assert.deepEqual(
          (await store.dueDeliveries(T0 + MIN, 10)).map((i) => i.id),
          ["a", "b"],
        );
      }),
    );

    test(
      "outbox: recordDeliveryAttempt updates the item and appends to its log; list and count",
      withStore(async (store) => {
        const subB = `${TOPIC_PREFIX}t:sub-2`;
        await store.enqueueDeliveries([
          outboxItem("a"),
          outboxItem("b", { createdAt: T0 + 1, subscriptionArn: subB, protocol: "http" }),
          outboxItem("c", { createdAt: T0 + 2 }),
        ]);
        assert.equal(
          await store.recordDeliveryAttempt(
            "a",
            { attempt: 1, at: T0 + 1, ok: false, error: "connect ECONNREFUSED" },
            { status: "pending", nextAttemptAt: T0 + 10_000, lastError: "connect ECONNREFUSED" },
          ),
          true,
        );
        assert.deepEqual(await store.getDelivery("a"), {
          ...outboxItem("a"),
          attempts: 1,
          nextAttemptAt: T0 + 10_000,
          lastError: "connect ECONNREFUSED",
        });
        await store.recordDeliveryAttempt(
          "a",
          { attempt: 2, at: T0 + 10_001, ok: true },
          { status: "delivered", deliveredAt: T0 + 10_001 },
        );
        // nextAttemptAt kept when not given; lastError cleared.
        assert.deepEqual(await store.getDelivery("a"), {
          ...outboxItem("a"),
          attempts: 2,
          nextAttemptAt: T0 + 10_000,
          status: "delivered",
          deliveredAt: T0 + 10_001,
        });
        assert.deepEqual(await store.deliveryAttempts("a"), [
          { itemId: "a", attempt: 1, at: T0 + 1, ok: false, error: "connect ECONNREFUSED" },
          { itemId: "a", attempt: 2, at: T0 + 10_001, ok: true },
        ]);
        await store.recordDeliveryAttempt(
          "b",
          { attempt: 1, at: T0 + 2, ok: false, error: "HTTP 404" },
          { status: "dead", lastError: "HTTP 404" },
        );
        assert.equal(
          await store.recordDeliveryAttempt(
            "nope",
            { attempt: 1, at: T0, ok: true },
            { status: "delivered" },
          ),
          false,
        );
        assert.deepEqual(await store.deliveryAttempts("nope"), []);
        assert.deepEqual(await store.deliveryAttempts("c"), []);

        assert.equal(await store.countDeliveries("pending"), 1);
        assert.equal(await store.countDeliveries("delivered"), 1);
        assert.equal(await store.countDeliveries("dead"), 1);
        assert.deepEqual(
          (await store.listDeliveries({ limit: 10 })).map((i) => i.id),
          ["a", "b", "c"],
        );
        assert.deepEqual(
          (await store.listDeliveries({ status: "dead", limit: 10 })).map((i) => [i.id, i.lastError]),
          [["b", "HTTP 404"]],
        );
        assert.deepEqual(
          (await store.listDeliveries({ subscriptionArn: `${TOPIC_PREFIX}t:sub-1`, limit: 10 })).map(
            (i) => i.id,
          ),
          ["a", "c"],
        );
        assert.deepEqual(
          (await store.listDeliveries({ subscriptionArn: subB, status: "pending", limit: 10 })).map(
            (i) => i.id,
          ),
          [],
        );
        assert.equal((await store.listDeliveries({ limit: 1 })).length, 1);
        // Neither dead nor delivered items are due.
        assert.deepEqual(
          (await store.dueDeliveries(T0 + MIN, 10)).map((i) => i.id),
          ["c"],
        );
      }),
    );

    // ---- batch claims and leases (the cluster's exactly-once and one-evaluator pieces) ----

    test(
      "commit with a claim: a claim committed before makes the batch a no-op; claims are pruned by age",
      withStore(async (store) => {
        await store.createLogGroup(group("/g"));
        const m = metric("Claimed");
        const batch = {
          events: [ev("/g", "s", T0)],
          streams: [stream("/g", "s", { firstEventTimestamp: T0, lastEventTimestamp: T0 })],
          aggregates: [agg(m, T0, [1])],
          checkpoints: [{ source: "bus", position: "1" }],
          claim: "batch-1",
        };
        const first = await store.commit(batch);
        assert.equal(first.duplicate, undefined);
        assert.equal(typeof first.firstSeq, "number");
        const again = await store.commit({ ...batch, checkpoints: [{ source: "bus", position: "2" }] });
        assert.deepEqual(again, { duplicate: true }, "nothing written the second time");
        assert.deepEqual(
          (await store.queryAggregates(m, T0, T0 + MIN)).map((a) => a.sum),
          [1],
        );
        assert.equal((await store.scanLogEvents({ logGroupName: "/g", limit: 10 })).length, 1);
        assert.equal(await store.getCheckpoint("bus"), "1", "not even the checkpoint of the duplicate");
        // Another claim, and no claim at all, are ordinary commits.
        assert.equal((await store.commit({ ...batch, events: [], claim: "batch-2" })).duplicate, undefined);
        await store.commit({ events: [], streams: [], aggregates: [agg(m, T0, [1])] });
        assert.deepEqual(
          (await store.queryAggregates(m, T0, T0 + MIN)).map((a) => a.sum),
          [3],
        );
        // A claim that failed with its batch is not taken: the batch can be applied again.
        await assert.rejects(
          store.commit({ ...batch, events: [ev("/nope", "s", T0)], claim: "batch-3" }),
          "an event of a missing group fails the batch",
        );
        assert.equal((await store.commit({ ...batch, events: [], claim: "batch-3" })).duplicate, undefined);
        // Pruning: claims recorded before the cutoff go (all of them, with a cutoff in the future).
        assert.equal(await store.deleteBatchClaimsBefore(Date.now() + 60_000), 3);
        assert.equal(await store.deleteBatchClaimsBefore(Date.now() + 60_000), 0);
        assert.equal((await store.commit({ ...batch, events: [], claim: "batch-1" })).duplicate, undefined);
      }),
    );

    test(
      "leases: one holder at a time, renewals keep the token, takeovers raise it, release frees it",
      withStore(async (store) => {
        const a = await store.acquireLease("evaluator", "A", T0, 5_000);
        assert.deepEqual(a, { token: 1, expiresAt: T0 + 5_000 });
        assert.equal(await store.acquireLease("evaluator", "B", T0 + 4_999, 5_000), undefined, "A's runs");
        assert.deepEqual(
          await store.acquireLease("evaluator", "A", T0 + 2_000, 5_000),
          { token: 1, expiresAt: T0 + 7_000 },
          "a renewal keeps the token",
        );
        assert.deepEqual(await store.acquireLease("other", "B", T0, 5_000), {
          token: 1,
          expiresAt: T0 + 5_000,
        });
        // Expired at T0 + 7000: B takes it over with a greater token.
        assert.deepEqual(await store.acquireLease("evaluator", "B", T0 + 7_000, 5_000), {
          token: 2,
          expiresAt: T0 + 12_000,
        });
        assert.equal(await store.acquireLease("evaluator", "A", T0 + 8_000, 5_000), undefined, "A lost it");
        await store.releaseLease("evaluator", "A"); // not A's: nothing happens
        assert.equal(await store.acquireLease("evaluator", "A", T0 + 8_000, 5_000), undefined);
        await store.releaseLease("evaluator", "B");
        assert.deepEqual(
          await store.acquireLease("evaluator", "A", T0 + 8_000, 5_000),
          { token: 3, expiresAt: T0 + 13_000 },
          "free at once after a release, with a new token",
        );
      }),
    );

    test(
      "setAlarmState with a fence: written with the lease's current token, refused (FencedError) otherwise",
      withStore(async (store) => {
        const a = metricAlarm("A");
        await store.putAlarm(a);
        const state = (stateValue: "OK" | "ALARM", at: number) => ({
          stateValue,
          stateReason: stateValue,
          stateUpdatedTimestamp: at,
          stateTransitionedTimestamp: at,
        });
        const h = (at: number) => hist("A", at, "StateUpdate", "MetricAlarm", `at ${at}`);
        await assert.rejects(
          store.setAlarmState("A", state("ALARM", T0 + 1), h(T0 + 1), { lease: "evaluator", token: 1 }),
          (e: Error) => e.name === "FencedError",
          "no lease at all",
        );
        const lease = await store.acquireLease("evaluator", "A", T0, 5_000);
        await store.setAlarmState("A", state("ALARM", T0 + 2), h(T0 + 2), {
          lease: "evaluator",
          token: lease!.token,
        });
        assert.equal((await store.getAlarm("A"))?.stateValue, "ALARM");
        await store.acquireLease("evaluator", "B", T0 + 10_000, 5_000);
        await assert.rejects(
          store.setAlarmState("A", state("OK", T0 + 3), h(T0 + 3), {
            lease: "evaluator",
            token: lease!.token,
          }),
          (e: Error) => e.name === "FencedError",
          "deposed",
        );
        assert.equal((await store.getAlarm("A"))?.stateValue, "ALARM", "nothing written");
        assert.deepEqual(
          (await store.queryAlarmHistory({ alarmName: "A", limit: 10 })).map((x) => x.historySummary),
          [`at ${T0 + 2}`],
          "not even the history item",
        );
        // Unfenced writes (SetAlarmState on a single instance) are unaffected.
        await store.setAlarmState("A", state("OK", T0 + 4), h(T0 + 4));
        assert.equal((await store.getAlarm("A"))?.stateValue, "OK");
      }),
    );

    // ---- lifecycle ----

    test("a closed store rejects calls; close twice is harmless", async () => {
      const store = await open();
      await store.createLogGroup(group("/g"));
      await store.close();
      await store.close();
      await assert.rejects(store.getLogGroup("/g"));
      await assert.rejects(store.commit({ events: [], streams: [], aggregates: [] }));
      await assert.rejects(store.listAlarms());
      await assert.rejects(store.listTopics({ limit: 1 }));
      await assert.rejects(store.getSubscription("arn:aws:sns:us-east-1:123456789012:t:x"));
    });

    // ---- atomicity ----

    test(
      "an alarm change and its history item are one transaction",
      withStore(async (store) => {
        const alarm = {
          alarmType: "CompositeAlarm" as const,
          alarmName: "A",
          alarmArn: "arn:aws:cloudwatch:us-east-1:123456789012:alarm:A",
          actionsEnabled: true,
          okActions: [],
          alarmActions: [],
          insufficientDataActions: [],
          alarmRule: "TRUE",
          tags: {},
          stateValue: "OK" as const,
          stateReason: "r",
          stateUpdatedTimestamp: 1,
          stateTransitionedTimestamp: 1,
          alarmConfigurationUpdatedTimestamp: 1,
        };
        const good = {
          alarmName: "A",
          alarmType: "CompositeAlarm" as const,
          timestamp: 1,
          historyItemType: "ConfigurationUpdate" as const,
          historySummary: "created",
          historyData: "{}",
        };
        // A history item the database refuses (NOT NULL) takes the alarm change down with it.
        const bad = { ...good, historySummary: null as unknown as string };
        await assert.rejects(store.putAlarm(alarm, bad));
        assert.equal(await store.getAlarm("A"), undefined);
        await store.putAlarm(alarm, good);
        const state = {
          stateValue: "ALARM" as const,
          stateReason: "x",
          stateUpdatedTimestamp: 2,
          stateTransitionedTimestamp: 2,
        };
        await assert.rejects(store.setAlarmState("A", state, bad));
        assert.equal((await store.getAlarm("A"))?.stateValue, "OK");
        await assert.rejects(store.deleteAlarm("A", bad));
        assert.ok(await store.getAlarm("A"));
        await assert.rejects(store.appendAlarmHistory([{ ...good, historySummary: "kept?" }, bad]));
        assert.deepEqual(
          (await store.queryAlarmHistory({ alarmName: "A", limit: 10 })).map((h) => h.historySummary),
          ["created"],
        );
      }),
    );
  });
}
