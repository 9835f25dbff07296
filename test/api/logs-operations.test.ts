/**
 * The CloudWatch Logs operations beyond the seed's path, through the SDK client: listing and paging groups and
 * streams, reading a stream forwards and backwards, filtering a group with a pattern, tags, retention and the
 * deletes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteMetricFilterCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand,
  TestMetricFilterCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { type ApiServer, clientConfig, startApiServer } from "./helpers.js";

let server: ApiServer;
let logs: CloudWatchLogsClient;
before(async () => {
  server = await startApiServer();
  logs = new CloudWatchLogsClient(clientConfig(server.url));
});
after(async () => {
  logs.destroy();
  await server.close();
});

describe("CloudWatch Logs operations", () => {
  test("DescribeLogGroups pages by limit and nextToken, with prefix and pattern", async () => {
    for (const n of ["app/a", "app/b", "app/c", "audit/x", "CloudTrail/Default"]) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: n, tags: { team: "sec" } }));
    }
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await logs.send(new DescribeLogGroupsCommand({ limit: 2, nextToken }));
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName as string));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    assert.equal(pages, 3);
    assert.deepEqual(names, ["CloudTrail/Default", "app/a", "app/b", "app/c", "audit/x"]);
    const app = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "app/" }));
    assert.deepEqual(
      app.logGroups?.map((g) => g.logGroupName),
      ["app/a", "app/b", "app/c"],
    );
    const g = app.logGroups?.[0];
    assert.equal(g?.arn, "arn:aws:logs:us-east-1:123456789012:log-group:app/a:*");
    assert.equal(g?.logGroupArn, "arn:aws:logs:us-east-1:123456789012:log-group:app/a");
    assert.equal(g?.metricFilterCount, 0);
    assert.ok(typeof g?.creationTime === "number");
    const pattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: "TRAIL" }));
    assert.deepEqual(
      pattern.logGroups?.map((x) => x.logGroupName),
      ["CloudTrail/Default"],
    );
  });

  test("streams, GetLogEvents forwards and backwards, FilterLogEvents", async () => {
    const group = "CloudTrail/Default";
    for (const s of ["s1", "s2"])
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: s }));
    const t0 = Date.now() - 60_000;
    const messages = Array.from({ length: 5 }, (_, i) =>
      JSON.stringify({ eventName: i % 2 ? "ConsoleLogin" : "GetObject", n: i }),
    );
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: "s1",
        logEvents: messages.map((message, i) => ({ timestamp: t0 + i, message })),
      }),
    );
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: "s2",
        logEvents: [{ timestamp: t0 + 10, message: '{"eventName":"ConsoleLogin","n":99}' }],
      }),
    );
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    assert.deepEqual(
      streams.logStreams?.map((s) => s.logStreamName),
      ["s1", "s2"],
    );
    assert.equal(streams.logStreams?.[0].firstEventTimestamp, t0);
    assert.equal(streams.logStreams?.[0].lastEventTimestamp, t0 + 4);
    const paged = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, limit: 1 }));
    assert.deepEqual(
      paged.logStreams?.map((s) => s.logStreamName),
      ["s1"],
    );
    const rest = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: group, nextToken: paged.nextToken }),
    );
    assert.deepEqual(
      rest.logStreams?.map((s) => s.logStreamName),
      ["s2"],
    );
    assert.equal(rest.nextToken, undefined);

    // Newest first page (startFromHead false), then backwards, then forwards to the end.
    const last = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: "s1", limit: 2 }),
    );
    assert.deepEqual(
      last.events?.map((e) => e.message),
      messages.slice(3),
    );
    assert.match(last.nextForwardToken ?? "", /^f\/\d{56}\/s$/);
    const older = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: "s1",
        limit: 2,
        nextToken: last.nextBackwardToken,
      }),
    );
    assert.deepEqual(
      older.events?.map((e) => e.message),
      messages.slice(1, 3),
    );
    const head = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: "s1", startFromHead: true, limit: 3 }),
    );
    assert.deepEqual(
      head.events?.map((e) => e.message),
      messages.slice(0, 3),
    );
    const tail = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: "s1", nextToken: head.nextForwardToken }),
    );
    assert.deepEqual(
      tail.events?.map((e) => e.message),
      messages.slice(3),
    );
    const end = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: "s1", nextToken: tail.nextForwardToken }),
    );
    assert.deepEqual(end.events, []);
    assert.equal(end.nextForwardToken, tail.nextForwardToken, "the same token at the end of the stream");

    const logins = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.eventName = "ConsoleLogin" }' }),
    );
    assert.deepEqual(
      logins.events?.map((e) => [e.logStreamName, JSON.parse(e.message as string).n]),
      [
        ["s1", 1],
        ["s1", 3],
        ["s2", 99],
      ],
    );
    const first = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, filterPattern: "ConsoleLogin", limit: 2 }),
    );
    assert.equal(first.events?.length, 2);
    const second = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: group,
        filterPattern: "ConsoleLogin",
        nextToken: first.nextToken,
      }),
    );
    assert.deepEqual(
      second.events?.map((e) => e.logStreamName),
      ["s2"],
    );
    const onlyS2 = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ["s2"] }),
    );
    assert.equal(onlyS2.events?.length, 1);
    await assert.rejects(
      logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.x = "' })),
      { name: "InvalidParameterException" },
    );
  });

  test("tags by ARN, retention, metric filter and group deletes", async () => {
    const arn = "arn:aws:logs:us-east-1:123456789012:log-group:app/a";
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, {
      team: "sec",
    });
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: "prod", team: "secops" } }));
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["env"] }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, {
      team: "secops",
    });
    await assert.rejects(
      logs.send(
        new ListTagsForResourceCommand({ resourceArn: "arn:aws:logs:us-east-1:123456789012:log-group:none" }),
      ),
      { name: "ResourceNotFoundException" },
    );

    await logs.send(new PutRetentionPolicyCommand({ logGroupName: "app/a", retentionInDays: 30 }));
    let g = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "app/a" }));
    assert.equal(g.logGroups?.[0].retentionInDays, 30);
    await assert.rejects(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: "app/a", retentionInDays: 31 })),
      {
        name: "InvalidParameterException",
        message:
          /^1 validation error detected: Value '31' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set/,
      },
    );
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: "app/a" }));
    g = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "app/a" }));
    assert.equal(g.logGroups?.[0].retentionInDays, undefined);

    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: "app/a",
        filterName: "errors",
        filterPattern: "ERROR",
        metricTransformations: [
          { metricName: "Errors", metricNamespace: "App", metricValue: "1", defaultValue: 0 },
        ],
      }),
    );
    const described = await logs.send(
      new DescribeMetricFiltersCommand({ metricName: "Errors", metricNamespace: "App" }),
    );
    assert.deepEqual(described.metricFilters?.[0].metricTransformations, [
      { metricName: "Errors", metricNamespace: "App", metricValue: "1", defaultValue: 0 },
    ]);
    assert.equal(
      (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "app/a" }))).logGroups?.[0]
        .metricFilterCount,
      1,
    );
    await logs.send(new DeleteMetricFilterCommand({ logGroupName: "app/a", filterName: "errors" }));
    await assert.rejects(
      logs.send(new DeleteMetricFilterCommand({ logGroupName: "app/a", filterName: "errors" })),
      {
        name: "ResourceNotFoundException",
      },
    );
    await logs.send(new DeleteLogGroupCommand({ logGroupName: "app/a" }));
    await assert.rejects(logs.send(new DeleteLogGroupCommand({ logGroupName: "app/a" })), {
      name: "ResourceNotFoundException",
      message: "The specified log group does not exist.",
    });
    await assert.rejects(logs.send(new CreateLogGroupCommand({ logGroupName: "app/b" })), {
      name: "ResourceAlreadyExistsException",
    });
  });

  test("TestMetricFilter", async () => {
    const r = await logs.send(
      new TestMetricFilterCommand({
        filterPattern: "[ip, user, username, timestamp, request, status_code, bytes]",
        logEventMessages: [
          '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
          "x",
        ],
      }),
    );
    assert.equal(r.matches?.length, 1);
    assert.equal(r.matches?.[0].eventNumber, 1);
    assert.equal(r.matches?.[0].extractedValues?.$status_code, "200");
  });
});
