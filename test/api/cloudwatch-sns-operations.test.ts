/**
 * CloudWatch's other operations in each of its three protocols (the same handler answers all three), the
 * awsQuery XML as AWS lays it out, and the SNS operations through the SDK client.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  GetMetricDataCommand,
  ListTagsForResourceCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  ListTagsForResourceCommand as ListTopicTagsCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from "@aws-sdk/core/protocols";
import { CLOUDWATCH_MODEL } from "../../src/api/model/cloudwatch.js";
import type { StructureShape } from "../../src/api/model/types.js";
import { type ApiServer, clientConfig, startApiServer } from "./helpers.js";

let server: ApiServer;
before(async () => {
  server = await startApiServer();
});
after(() => server.close());

const PROTOCOLS = [
  ["awsJson1_0", undefined],
  ["awsQuery", AwsQueryProtocol],
  ["rpc-v2-cbor", AwsSmithyRpcV2CborProtocol],
] as const;

describe("CloudWatch operations in every protocol", () => {
  for (const [name, protocol] of PROTOCOLS) {
    test(name, async () => {
      const config = clientConfig(server.url);
      const cw = new CloudWatchClient(protocol ? { ...config, protocol } : config);
      const p = name.replace(/[^a-z0-9]/gi, "");
      const alarm = (n: string) =>
        new PutMetricAlarmCommand({
          AlarmName: `${p}-${n}`,
          MetricName: `Requests-${p}`,
          Namespace: "App",
          Dimensions: [{ Name: "Service", Value: "api" }],
          Statistic: "Sum",
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 100.5,
          ComparisonOperator: "GreaterThanThreshold",
          Tags: [{ Key: "team", Value: "sec" }],
        });
      try {
        for (const n of ["a", "b", "c"]) await cw.send(alarm(n));
        const page1 = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${p}-`, MaxRecords: 2 }));
        assert.deepEqual(
          page1.MetricAlarms?.map((a) => a.AlarmName),
          [`${p}-a`, `${p}-b`],
        );
        assert.equal(page1.MetricAlarms?.[0].Threshold, 100.5);
        assert.deepEqual(page1.MetricAlarms?.[0].Dimensions, [{ Name: "Service", Value: "api" }]);
        const page2 = await cw.send(
          new DescribeAlarmsCommand({ AlarmNamePrefix: `${p}-`, NextToken: page1.NextToken }),
        );
        assert.deepEqual(
          page2.MetricAlarms?.map((a) => a.AlarmName),
          [`${p}-c`],
        );
        assert.equal(page2.NextToken, undefined);

        const forMetric = await cw.send(
          new DescribeAlarmsForMetricCommand({
            MetricName: `Requests-${p}`,
            Namespace: "App",
            Dimensions: [{ Name: "Service", Value: "api" }],
          }),
        );
        assert.equal(forMetric.MetricAlarms?.length, 3);

        const arn = page1.MetricAlarms?.[0].AlarmArn as string;
        assert.equal(arn, `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${p}-a`);
        await cw.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: "env", Value: "prod" }] }));
        await cw.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ["team"] }));
        assert.deepEqual((await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [
          { Key: "env", Value: "prod" },
        ]);
        await assert.rejects(cw.send(new ListTagsForResourceCommand({ ResourceARN: `${arn}-missing` })), {
          name: "ResourceNotFoundException",
        });

        await cw.send(
          new SetAlarmStateCommand({ AlarmName: `${p}-a`, StateValue: "ALARM", StateReason: "test" }),
        );
        const set = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [`${p}-a`] }));
        assert.equal(set.MetricAlarms?.[0].StateValue, "ALARM");
        await cw.send(new DisableAlarmActionsCommand({ AlarmNames: [`${p}-a`] }));
        assert.equal(
          (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [`${p}-a`] }))).MetricAlarms?.[0]
            .ActionsEnabled,
          false,
        );
        await cw.send(new EnableAlarmActionsCommand({ AlarmNames: [`${p}-a`] }));

        await cw.send(
          new PutCompositeAlarmCommand({
            AlarmName: `${p}-any`,
            AlarmRule: `ALARM("${p}-a") OR ALARM("${p}-b")`,
          }),
        );
        const composite = await cw.send(
          new DescribeAlarmsCommand({ AlarmNames: [`${p}-any`], AlarmTypes: ["CompositeAlarm"] }),
        );
        assert.equal(composite.CompositeAlarms?.[0].AlarmRule, `ALARM("${p}-a") OR ALARM("${p}-b")`);

        const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
        await cw.send(
          new PutMetricDataCommand({
            Namespace: "App",
            MetricData: [{ MetricName: `Latency-${p}`, Value: 42, Unit: "Milliseconds", Timestamp: now }],
          }),
        );
        const data = await cw.send(
          new GetMetricDataCommand({
            MetricDataQueries: [
              {
                Id: "m1",
                MetricStat: {
                  Metric: { Namespace: "App", MetricName: `Latency-${p}` },
                  Period: 60,
                  Stat: "Average",
                },
              },
            ],
            StartTime: new Date(now.getTime() - 300_000),
            EndTime: new Date(now.getTime() + 300_000),
          }),
        );
        assert.deepEqual(data.MetricDataResults?.[0].Values, [42]);
        assert.deepEqual(data.MetricDataResults?.[0].Timestamps, [now]);

        await cw.send(new DeleteAlarmsCommand({ AlarmNames: [`${p}-any`] }));
        await cw.send(new DeleteAlarmsCommand({ AlarmNames: [`${p}-a`, `${p}-b`, `${p}-c`] }));
        assert.deepEqual(
          (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${p}-` }))).MetricAlarms,
          [],
        );
      } finally {
        cw.destroy();
      }
    });
  }

  test("awsQuery XML: members in the service model's order, ISO timestamps, lists of <member>", async () => {
    const cw = new CloudWatchClient({ ...clientConfig(server.url), protocol: AwsQueryProtocol });
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: "xml",
        MetricName: "m",
        Namespace: "n",
        Statistic: "Sum",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: ["arn:aws:sns:us-east-1:123456789012:t"],
      }),
    );
    cw.destroy();
    // A raw request (open to read what the SDK would hide): signed by the SDK's own middleware is not needed,
    // since the response shape is what matters; use the handler directly.
    const { handleAwsRequest } = await import("../../src/api/handle.js");
    const reply = await handleAwsRequest(
      {
        method: "POST",
        path: "/",
        query: "",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-amz-date": "20260101T000000Z",
          authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=${"0".repeat(64)}`,
        },
        body: Buffer.from("Action=DescribeAlarms&Version=2010-08-01&AlarmNames.member.1=xml"),
      },
      server.ctx,
      { auth: { keys: new Map() } },
    );
    const xml = reply.body.toString();
    assert.match(
      xml,
      /^<DescribeAlarmsResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><DescribeAlarmsResult><CompositeAlarms\/?>(<\/CompositeAlarms>)?<MetricAlarms><member><AlarmName>xml<\/AlarmName><AlarmArn>/,
    );
    assert.match(xml, /<AlarmActions><member>arn:aws:sns:us-east-1:123456789012:t<\/member><\/AlarmActions>/);
    assert.match(
      xml,
      /<StateUpdatedTimestamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z<\/StateUpdatedTimestamp>/,
    );
    assert.match(
      xml,
      /<\/DescribeAlarmsResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DescribeAlarmsResponse>$/,
    );
    const order = (CLOUDWATCH_MODEL.shapes.MetricAlarm as StructureShape).members.map(([m]) => m);
    const seen = [...xml.matchAll(/<member><AlarmName>[\s\S]*?<\/member><\/MetricAlarms>/g)][0][0];
    const tags = [...seen.matchAll(/<([A-Za-z]+)>/g)].map((m) => m[1]).filter((t) => order.includes(t));
    const positions = tags.map((t) => order.indexOf(t));
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
      `members out of model order: ${tags.join(",")}`,
    );
  });
});

describe("SNS operations", () => {
  test("topics, attributes, subscriptions, publish, tags, deletes", async () => {
    const sns = new SNSClient(clientConfig(server.url));
    try {
      const { TopicArn } = await sns.send(
        new CreateTopicCommand({
          Name: "ops",
          Attributes: { DisplayName: "Ops" },
          Tags: [{ Key: "team", Value: "sec" }],
        }),
      );
      assert.equal(TopicArn, "arn:aws:sns:us-east-1:123456789012:ops");
      await sns.send(new CreateTopicCommand({ Name: "other" }));
      const topics = await sns.send(new ListTopicsCommand({}));
      assert.deepEqual(topics.Topics?.map((t) => t.TopicArn).sort(), [
        "arn:aws:sns:us-east-1:123456789012:ops",
        "arn:aws:sns:us-east-1:123456789012:other",
      ]);
      await sns.send(
        new SetTopicAttributesCommand({ TopicArn, AttributeName: "DisplayName", AttributeValue: "Security" }),
      );
      const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
      assert.equal(attrs.Attributes?.DisplayName, "Security");
      assert.equal(attrs.Attributes?.Owner, "123456789012");
      assert.deepEqual((await sns.send(new ListTopicTagsCommand({ ResourceArn: TopicArn }))).Tags, [
        { Key: "team", Value: "sec" },
      ]);

      // A Slack subscription is confirmed at once (its endpoint cannot confirm).
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: "slack",
          Endpoint: "https://127.0.0.1:9/hook",
          ReturnSubscriptionArn: true,
        }),
      );
      assert.match(SubscriptionArn ?? "", /^arn:aws:sns:us-east-1:123456789012:ops:[0-9a-f-]{36}$/);
      const byTopic = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      assert.deepEqual(
        byTopic.Subscriptions?.map((s) => s.Protocol),
        ["slack"],
      );
      assert.equal((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions?.length, 1);
      await sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: "FilterPolicy",
          AttributeValue: '{"sev":["high"]}',
        }),
      );
      const subAttrs = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      assert.equal(subAttrs.Attributes?.FilterPolicy, '{"sev":["high"]}');
      assert.equal(subAttrs.Attributes?.PendingConfirmation, "false");

      const published = await sns.send(
        new PublishCommand({
          TopicArn,
          Message: "hello",
          Subject: "test",
          MessageAttributes: { sev: { DataType: "String", StringValue: "high" } },
        }),
      );
      assert.match(published.MessageId ?? "", /^[0-9a-f-]{36}$/);

      await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
      assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions, []);
      await sns.send(new DeleteTopicCommand({ TopicArn }));
      await assert.rejects(sns.send(new GetTopicAttributesCommand({ TopicArn })), {
        name: "NotFoundException",
        message: "Topic does not exist",
      });
      await assert.rejects(sns.send(new CreateTopicCommand({ Name: "bad name!" })), {
        name: "InvalidParameterException",
      });
    } finally {
      sns.destroy();
    }
  });
});
