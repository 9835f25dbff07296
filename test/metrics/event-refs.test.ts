/** EventRefs: the events behind a series' minutes, newest first, with totals, in bounded memory. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  EventRefs,
  type EventSummary,
  MAX_FIELD,
  MAX_MESSAGE,
  summarizeCloudTrailEvent,
  summarizeLogEvent,
  summarizeMessage,
} from "../../src/metrics/event-refs.js";
import { recordLine } from "../helpers/records.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const MIN = 60_000;

function ev(id: string): EventSummary {
  return { eventID: id, eventName: "ConsoleLogin" };
}

describe("summarizeCloudTrailEvent", () => {
  test("a real root sign-in record (fixture line 419)", () => {
    assert.deepEqual(summarizeCloudTrailEvent(JSON.parse(recordLine(419))), {
      eventTime: "2022-11-10T16:24:34Z",
      eventName: "ConsoleLogin",
      eventSource: "signin.amazonaws.com",
      userIdentityType: "Root",
      userIdentityArn: "arn:aws:iam::111122223333:root",
      sourceIPAddress: "192.0.2.0",
      userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0",
      awsRegion: "us-east-1",
      recipientAccountId: "111122223333",
      eventID: "deb1e1f9-c99b-4612-8e9f-21f93b5d79c0",
    });
  });

  test("missing and odd types are tolerated: numbers and booleans as text, the rest left out", () => {
    assert.deepEqual(
      summarizeCloudTrailEvent({
        eventName: "X",
        eventTime: 1_700_000_000,
        userIdentity: { type: ["Root"], arn: null },
        sourceIPAddress: { ip: "1.2.3.4" },
        awsRegion: true,
      }),
      { eventName: "X", eventTime: "1700000000", awsRegion: "true" },
    );
    assert.deepEqual(summarizeCloudTrailEvent({ eventName: "X", userIdentity: "Root" }), { eventName: "X" });
  });

  test("not an object, or none of the fields: undefined", () => {
    for (const v of [null, undefined, 1, "x", [], [{ eventName: "X" }], {}, { foo: 1 }, { userIdentity: {} }])
      assert.equal(summarizeCloudTrailEvent(v), undefined, JSON.stringify(v));
  });

  test("long fields are cut to MAX_FIELD characters", () => {
    const s = summarizeCloudTrailEvent({ userAgent: "a".repeat(5000), eventName: "E" })!;
    assert.equal(Array.from(s.userAgent!).length, MAX_FIELD);
    assert.ok(s.userAgent!.endsWith("…"));
  });
});

describe("summarizeMessage / summarizeLogEvent", () => {
  test("a text event keeps its first 200 characters and the log timestamp as eventTime", () => {
    const s = summarizeMessage("x".repeat(1000), Date.parse("2026-01-01T10:20:30.456Z"));
    assert.equal(s.eventTime, "2026-01-01T10:20:30Z");
    assert.equal(Array.from(s.message!).length, MAX_MESSAGE);
    assert.deepEqual(summarizeMessage("short"), { message: "short" });
  });

  test("summarizeLogEvent: CloudTrail JSON, else the message", () => {
    assert.equal(summarizeLogEvent(recordLine(419)).eventName, "ConsoleLogin");
    assert.deepEqual(summarizeLogEvent("{not json", T0), {
      eventTime: "2026-01-01T00:00:00Z",
      message: "{not json",
    });
    assert.deepEqual(summarizeLogEvent('{"level":"info"}'), { message: '{"level":"info"}' });
    assert.deepEqual(summarizeLogEvent('{"eventName":"X"}', T0), {
      eventName: "X",
      eventTime: "2026-01-01T00:00:00Z",
    });
  });
});

describe("EventRefs: collect", () => {
  test("newest first across minutes, at most K, with the total of the range", () => {
    const refs = new EventRefs({ perBucket: 3 });
    for (let m = 0; m < 5; m++)
      for (let i = 0; i < 4; i++) refs.add("s", T0 + m * MIN + i * 1000, ev(`m${m}-${i}`));
    const all = refs.collect("s", T0, T0 + 5 * MIN);
    assert.equal(all.total, 20);
    assert.deepEqual(
      all.events.map((e) => e.eventID),
      ["m4-3", "m4-2", "m4-1"],
    );
    const some = refs.collect("s", T0 + MIN, T0 + 3 * MIN, 10);
    assert.equal(some.total, 8);
    // Each minute kept its 3 newest; the oldest of each (i = 0) was displaced.
    assert.deepEqual(
      some.events.map((e) => e.eventID),
      ["m2-3", "m2-2", "m2-1", "m1-3", "m1-2", "m1-1"],
    );
  });

  test("the range is [from, to) on minute starts; other series are apart", () => {
    const refs = new EventRefs();
    refs.add("a", T0 + 30_000, ev("a0"));
    refs.add("a", T0 + MIN, ev("a1"));
    refs.add("b", T0 + 30_000, ev("b0"));
    assert.deepEqual(
      refs.collect("a", T0, T0 + MIN).events.map((e) => e.eventID),
      ["a0"],
    );
    assert.equal(refs.collect("a", T0 + 1, T0 + MIN).total, 0, "the bucket of T0 starts before from");
    assert.deepEqual(refs.collect("b", T0, T0 + 10 * MIN), { events: [ev("b0")], total: 1 });
    assert.deepEqual(refs.collect("missing", T0, T0 + MIN), { events: [], total: 0 });
  });

  test("out-of-order arrivals: a bucket keeps the newest by event time, ties by arrival", () => {
    const refs = new EventRefs({ perBucket: 2 });
    refs.add("s", T0 + 50_000, ev("late"));
    refs.add("s", T0 + 10_000, ev("early"));
    refs.add("s", T0 + 30_000, ev("middle"));
    refs.add("s", T0 + 5_000, ev("earliest"));
    refs.add("s", T0 + 50_000, ev("late-again"));
    const got = refs.collect("s", T0, T0 + MIN);
    assert.equal(got.total, 5);
    assert.deepEqual(
      got.events.map((e) => e.eventID),
      ["late-again", "late"],
    );
  });

  test("collectRanges: only the given periods (M of N breaching datapoints need not touch)", () => {
    const refs = new EventRefs();
    for (let m = 0; m < 10; m++) refs.add("s", T0 + m * MIN, ev(`m${m}`));
    const got = refs.collectRanges("s", [
      { from: T0, to: T0 + 2 * MIN },
      { from: T0 + 5 * MIN, to: T0 + 6 * MIN },
    ]);
    assert.equal(got.total, 3);
    assert.deepEqual(
      got.events.map((e) => e.eventID),
      ["m5", "m1", "m0"],
    );
  });

  test("the caller's summary is copied, and collect returns copies", () => {
    const refs = new EventRefs();
    const s: EventSummary = { eventID: "x", eventName: "A" };
    refs.add("s", T0, s);
    s.eventName = "changed";
    const got = refs.collect("s", T0, T0 + MIN).events[0];
    assert.equal(got.eventName, "A");
    got.eventName = "mutated";
    assert.equal(refs.collect("s", T0, T0 + MIN).events[0].eventName, "A");
  });

  test("a summary's fields are bounded even when the caller did not cut them", () => {
    const refs = new EventRefs();
    refs.add("s", T0, { message: "m".repeat(10_000), userAgent: "u".repeat(10_000) });
    const got = refs.collect("s", T0, T0 + MIN).events[0];
    assert.equal(Array.from(got.message!).length, MAX_MESSAGE);
    assert.equal(Array.from(got.userAgent!).length, MAX_FIELD);
  });

  test("bad arguments", () => {
    assert.throws(() => new EventRefs({ perBucket: 0 }), RangeError);
    assert.throws(() => new EventRefs({ maxBuckets: 1.5 }), RangeError);
    const refs = new EventRefs();
    refs.add("s", Number.NaN, ev("nan"));
    assert.deepEqual(refs.stats(), { series: 0, buckets: 0, events: 0, minutes: 0 });
  });
});

describe("EventRefs: bounds and eviction", () => {
  test("1M adds over 10k series stay within maxBuckets × K", () => {
    const maxBuckets = 20_000;
    const refs = new EventRefs({ maxBuckets });
    const summary = ev("same");
    const keys = Array.from({ length: 10_000 }, (_, i) => `series-${i}`);
    let peakBuckets = 0;
    let peakEvents = 0;
    const started = Date.now();
    for (let i = 0; i < 1_000_000; i++) {
      // 10k series; time advances one minute every 20k adds (50 minutes in all).
      refs.add(keys[i % 10_000], T0 + Math.floor(i / 20_000) * MIN + (i % 60) * 1000, summary);
      if (i % 10_000 === 0) {
        const s = refs.stats();
        peakBuckets = Math.max(peakBuckets, s.buckets);
        peakEvents = Math.max(peakEvents, s.events);
      }
    }
    const s = refs.stats();
    assert.ok(s.buckets <= maxBuckets, `buckets ${s.buckets}`);
    assert.ok(s.events <= maxBuckets * refs.perBucket, `events ${s.events}`);
    assert.ok(peakBuckets <= maxBuckets && peakEvents <= maxBuckets * refs.perBucket);
    assert.deepEqual(s, { series: 10_000, buckets: 20_000, events: 40_000, minutes: 2 });
    // The newest minute is whole: every series has its events there.
    const last = T0 + 49 * MIN;
    const got = refs.collect("series-9999", last, last + MIN);
    assert.equal(got.total, 2);
    assert.equal(got.events.length, 2);
    assert.ok(Date.now() - started < 20_000, "fast enough for ingestion");
  });

  test("a bound below the series count: the newest minute's first buckets make room", () => {
    const refs = new EventRefs({ maxBuckets: 2 });
    refs.add("a", T0, ev("a"));
    refs.add("b", T0, ev("b"));
    refs.add("c", T0, ev("c"));
    assert.deepEqual(refs.stats(), { series: 2, buckets: 2, events: 2, minutes: 1 });
    assert.equal(refs.collect("a", T0, T0 + MIN).total, 0);
    assert.equal(refs.collect("c", T0, T0 + MIN).total, 1);
  });

  test("past maxBuckets the oldest minutes go first", () => {
    const refs = new EventRefs({ maxBuckets: 3 });
    refs.add("a", T0, ev("a0"));
    refs.add("b", T0 + MIN, ev("b1"));
    refs.add("a", T0 + 2 * MIN, ev("a2"));
    assert.equal(refs.stats().buckets, 3);
    refs.add("c", T0 + 3 * MIN, ev("c3"));
    assert.deepEqual(refs.stats(), { series: 3, buckets: 3, events: 3, minutes: 3 });
    assert.equal(refs.collect("a", T0, T0 + MIN).total, 0, "minute 0 evicted");
    assert.equal(refs.collect("a", T0, T0 + 10 * MIN).total, 1);
    // An event older than everything kept cannot enter a full store.
    refs.add("d", T0 - MIN, ev("old"));
    assert.equal(refs.collect("d", T0 - MIN, T0).total, 0);
    assert.deepEqual(refs.stats(), { series: 3, buckets: 3, events: 3, minutes: 3 });
    // Adding to an existing bucket never evicts.
    refs.add("c", T0 + 3 * MIN + 1, ev("c3b"));
    assert.equal(refs.stats().buckets, 3);
  });

  test("evictBefore drops older minutes, empty series and their counts", () => {
    const refs = new EventRefs();
    for (let m = 0; m < 10; m++) {
      refs.add("a", T0 + m * MIN, ev(`a${m}`));
      if (m < 3) refs.add("b", T0 + m * MIN, ev(`b${m}`));
    }
    assert.deepEqual(refs.stats(), { series: 2, buckets: 13, events: 13, minutes: 10 });
    refs.evictBefore(T0 + 5 * MIN);
    assert.deepEqual(refs.stats(), { series: 1, buckets: 5, events: 5, minutes: 5 });
    assert.equal(refs.collect("a", T0, T0 + 10 * MIN).total, 5);
    assert.equal(refs.collect("b", T0, T0 + 10 * MIN).total, 0);
    refs.evictBefore(T0 + 5 * MIN);
    assert.equal(refs.stats().buckets, 5, "idempotent");
    refs.evictBefore(Number.POSITIVE_INFINITY);
    assert.deepEqual(refs.stats(), { series: 0, buckets: 0, events: 0, minutes: 0 });
    refs.add("a", T0, ev("again"));
    assert.equal(refs.collect("a", T0, T0 + MIN).events[0].eventID, "again");
  });

  test("per-bucket totals keep counting past K", () => {
    const refs = new EventRefs({ perBucket: 10 });
    for (let i = 0; i < 10_000; i++) refs.add("s", T0 + (i % 60) * 1000, ev(String(i)));
    assert.deepEqual(refs.stats(), { series: 1, buckets: 1, events: 10, minutes: 1 });
    const got = refs.collect("s", T0, T0 + MIN);
    assert.equal(got.total, 10_000);
    assert.equal(got.events.length, 10);
    // Newest by event time: second 59, latest arrivals first.
    assert.deepEqual(
      got.events.map((e) => e.eventID),
      ["9959", "9899", "9839", "9779", "9719", "9659", "9599", "9539", "9479", "9419"],
    );
  });
});
