/**
 * What a change made through one instance does on the others, with real `serve` processes on one schema
 * and one stream: B (--role ingest: no worker, started first, so it is the evaluator), A (all) and C
 * (worker). Every event is therefore applied by a worker on A or C — never on the evaluator.
 *
 * - PutMetricFilter and PutMetricAlarm sent to A are in force on every instance within 2 s; an event sent
 *   through C then fires the new alarm, and the ALARM notification an HTTP subscriber receives names that
 *   event (TrailwatchEvents) although the evaluator's process never applied it;
 * - SetAlarmState sent to C (not the evaluator) works and notifies; on an unknown alarm it fails as on AWS;
 * - DeleteAlarms sent to A: gone from every instance, and an event that would have fired it fires only the
 *   control alarm created after it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { freePort } from "../helpers/server.js";
import { record } from "./events.js";
import { GROUP, type Serve, setUp, startServe, startSubscriber, stopServe, TOPIC_ARN } from "./proof-kit.js";
import {
  busUrl,
  deleteStream,
  dropSchema,
  eventually,
  storeUrl,
  uniqueName,
  withServices,
} from "./services.js";

const KEY = { accessKeyId: "AKIDPROPAGATION", secretAccessKey: "propagation" };
const STREAM = "s0";

function clients(s: Serve) {
  const config = { endpoint: s.url, region: "us-east-1", credentials: KEY, maxAttempts: 1 };
  return { cw: new CloudWatchClient(config), logs: new CloudWatchLogsClient(config) };
}

/** A CloudTrail record no seed filter matches, with its own event name and ID. */
function probe(eventName: string, eventID: string): { timestamp: number; message: string } {
  const timestamp = Date.now();
  const r = JSON.parse(record("plain", 7, timestamp));
  return { timestamp, message: JSON.stringify({ ...r, eventName, eventID }) };
}

const alarm = (name: string, metricName: string) => ({
  AlarmName: name,
  Namespace: "Probe",
  MetricName: metricName,
  Statistic: "Sum" as const,
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 1,
  ComparisonOperator: "GreaterThanOrEqualToThreshold" as const,
  AlarmActions: [TOPIC_ARN],
});

const filter = (name: string, eventName: string, metricName: string) => ({
  logGroupName: GROUP,
  filterName: name,
  filterPattern: `{ $.eventName = "${eventName}" }`,
  metricTransformations: [{ metricName, metricNamespace: "Probe", metricValue: "1" }],
});

async function listed(s: Serve, name: string): Promise<MetricAlarm | undefined> {
  const r = await clients(s).cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return r.MetricAlarms?.[0];
}

async function filterCount(s: Serve): Promise<number> {
  const r = await clients(s).logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: GROUP }));
  return r.logGroups?.[0]?.metricFilterCount ?? -1;
}

async function leads(s: Serve): Promise<boolean> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  return /^trailwatch_evaluator_leader 1$/m.test(text);
}

await withServices("changes across instances", () => {
  test("filters and alarms changed on one instance are in force on all within 2 s; SetAlarmState anywhere; who did it from any worker", {
    timeout: 150_000,
  }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "trailwatch-propagation-"));
    const schema = uniqueName("prop");
    const stream = uniqueName("prop").toUpperCase();
    const serves: Serve[] = [];
    const sub = await startSubscriber();
    try {
      const options = async (role: "all" | "worker" | "ingest") => ({
        port: await freePort(),
        dataDir: dir,
        pack: "seed",
        store: storeUrl(schema),
        bus: busUrl(stream),
        role,
      });
      const b = await startServe(await options("ingest"));
      serves.push(b);
      await eventually("B to be the evaluator", async () => ((await leads(b)) ? true : undefined), 20_000);
      const [a, c] = await Promise.all([
        startServe(await options("all")),
        startServe(await options("worker")),
      ]);
      serves.push(a, c);
      const all = [a, b, c];
      await setUp(a.url, sub.url, [STREAM]);
      await sub.confirmed;
      const seedFilters = await filterCount(a);

      // ---- PutMetricFilter and PutMetricAlarm on A: in force everywhere within 2 s ----
      const changedAt = Date.now();
      await clients(a).logs.send(
        new PutMetricFilterCommand(filter("Probe", "PropagationProbe", "ProbeCount")),
      );
      await clients(a).cw.send(new PutMetricAlarmCommand(alarm("Probe alarm", "ProbeCount")));
      assert.ok(await listed(a, "Probe alarm"), "A lists the alarm as soon as PutMetricAlarm answered");
      await eventually(
        "every instance to have the new filter and alarm",
        async () => {
          for (const s of all) {
            if ((await filterCount(s)) !== seedFilters + 1) return undefined;
            if (!(await listed(s, "Probe alarm"))) return undefined;
          }
          return true;
        },
        5_000,
      );
      const tookMs = Date.now() - changedAt;
      t.diagnostic(`filter and alarm in force on all three instances after ${tookMs} ms`);
      assert.ok(tookMs <= 2_000, `within 2 s (${tookMs} ms)`);

      // ---- an event through C fires it; the notification names the event ----
      await clients(c).logs.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: STREAM,
          logEvents: [probe("PropagationProbe", "probe-event-0001")],
        }),
      );
      const fired = await eventually(
        "the probe alarm's notification",
        async () => sub.notifications.find((n) => n.alarmName === "Probe alarm" && n.newState === "ALARM"),
        20_000,
      );
      const events = fired.message.TrailwatchEvents as { Total: number; Events: { eventID?: string }[] };
      assert.ok(events, "the notification carries TrailwatchEvents");
      assert.deepEqual(
        events.Events.map((e) => e.eventID),
        ["probe-event-0001"],
        "the event a worker on another instance applied",
      );
      assert.equal(events.Total, 1);

      // ---- SetAlarmState on C, which is not the evaluator ----
      await clients(c).cw.send(new PutMetricAlarmCommand(alarm("Manual alarm", "NothingCount")));
      const setAt = Date.now();
      await clients(c).cw.send(
        new SetAlarmStateCommand({
          AlarmName: "Manual alarm",
          StateValue: "ALARM",
          StateReason: "set through a non-evaluator",
        }),
      );
      const manual = await eventually(
        "the manual alarm's notification",
        async () => sub.notifications.find((n) => n.alarmName === "Manual alarm" && n.newState === "ALARM"),
        10_000,
      );
      assert.equal(manual.message.NewStateReason, "set through a non-evaluator");
      await eventually(
        "A to see the state set through C",
        async () =>
          ((await listed(a, "Manual alarm"))?.StateUpdatedTimestamp?.getTime() ?? 0) >= setAt - 1000
            ? true
            : undefined,
        5_000,
      );
      await assert.rejects(
        clients(c).cw.send(
          new SetAlarmStateCommand({ AlarmName: "No such alarm", StateValue: "OK", StateReason: "x" }),
        ),
        (err: Error) => err.name === "ResourceNotFound",
        "the evaluator's error, as AWS gives it",
      );

      // ---- DeleteAlarms on A: gone everywhere, and not evaluated any more ----
      await clients(c).logs.send(new PutMetricFilterCommand(filter("Second", "SecondProbe", "SecondCount")));
      await clients(a).cw.send(new PutMetricAlarmCommand(alarm("Doomed alarm", "SecondCount")));
      await eventually(
        "B to have the doomed alarm",
        async () => ((await listed(b, "Doomed alarm")) ? true : undefined),
        5_000,
      );
      await clients(a).cw.send(new DeleteAlarmsCommand({ AlarmNames: ["Doomed alarm"] }));
      assert.equal(
        await listed(a, "Doomed alarm"),
        undefined,
        "A no longer lists it when DeleteAlarms answered",
      );
      await clients(c).cw.send(new PutMetricAlarmCommand(alarm("Control alarm", "SecondCount")));
      await eventually(
        "every instance to drop the doomed alarm and have the second filter",
        async () => {
          for (const s of all) {
            if (await listed(s, "Doomed alarm")) return undefined;
            if ((await filterCount(s)) !== seedFilters + 2) return undefined;
          }
          return true;
        },
        5_000,
      );
      await clients(a).logs.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: STREAM,
          logEvents: [probe("SecondProbe", "probe-event-0002")],
        }),
      );
      await eventually(
        "the control alarm's notification",
        async () => sub.notifications.find((n) => n.alarmName === "Control alarm" && n.newState === "ALARM"),
        20_000,
      );
      assert.deepEqual(
        sub.notifications.filter((n) => n.alarmName === "Doomed alarm"),
        [],
        "the deleted alarm was not evaluated",
      );
    } finally {
      await Promise.all(serves.map((s) => stopServe(s, "SIGKILL")));
      await sub.close();
      await dropSchema(schema).catch(() => {});
      await deleteStream(stream).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
