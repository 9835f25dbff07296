/**
 * The seed's setup built with the real AWS SDK clients against a listening server, once per CloudWatch protocol
 * (JSON 1.0, the SDK's default; awsQuery; rpc-v2-cbor): three metric filters on CloudTrail/DefaultLogGroup,
 * an SNS topic with a confirmed HTTP subscriber, three alarms notifying the topic. A root sign-in sent with
 * PutLogEvents turns "Root account usage" to ALARM, and the subscriber receives the ALARM notification.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeMetricFiltersCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from "@aws-sdk/core/protocols";
import { SEED_FILTERS } from "../../src/packs/patterns.js";
import { clientConfig, rootSignIn, startApiServer, startSubscriber } from "./helpers.js";

const GROUP = "CloudTrail/DefaultLogGroup";
const ALARMS = [
  ["Root account usage", "RootAccountUsageCount"],
  ["API activity without MFA", "ApiActivityWithoutMFACount"],
  ["Console sign-in without MFA", "ConsoleSignInWithoutMfaCount"],
] as const;

const PROTOCOLS = [
  { name: "awsJson1_0 (SDK default)", protocol: undefined },
  { name: "awsQuery", protocol: AwsQueryProtocol },
  { name: "rpc-v2-cbor", protocol: AwsSmithyRpcV2CborProtocol },
] as const;

describe("the seed's alarms through the AWS SDK", () => {
  for (const { name, protocol } of PROTOCOLS) {
    test(`CloudWatch over ${name}: root sign-in -> ALARM -> HTTP notification`, async () => {
      const server = await startApiServer();
      const subscriber = await startSubscriber();
      const config = clientConfig(server.url);
      const logs = new CloudWatchLogsClient(config);
      const sns = new SNSClient(config);
      const cw = new CloudWatchClient(protocol ? { ...config, protocol } : config);
      try {
        // Logs: the group, a stream, the seed's three metric filters.
        await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
        await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: "trail" }));
        for (const f of SEED_FILTERS) {
          await logs.send(
            new PutMetricFilterCommand({
              logGroupName: GROUP,
              filterName: f.filterName,
              filterPattern: f.filterPattern,
              metricTransformations: [
                { metricName: f.metricName, metricNamespace: f.namespace, metricValue: "1" },
              ],
            }),
          );
        }
        const filters = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: GROUP }));
        assert.deepEqual(
          filters.metricFilters?.map((f) => [f.filterName, f.filterPattern]),
          SEED_FILTERS.map((f) => [f.filterName, f.filterPattern]).sort(),
        );

        // SNS: a topic and a confirmed HTTP subscription.
        const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "security-alarms" }));
        assert.equal(TopicArn, "arn:aws:sns:us-east-1:123456789012:security-alarms");
        const sub = await sns.send(
          new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: subscriber.url }),
        );
        assert.equal(sub.SubscriptionArn, "pending confirmation");
        const confirmation = await subscriber.next((p) => p.body.Type === "SubscriptionConfirmation");
        const confirmed = await sns.send(
          new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation.body.Token }),
        );
        assert.match(
          confirmed.SubscriptionArn ?? "",
          /^arn:aws:sns:us-east-1:123456789012:security-alarms:[0-9a-f-]{36}$/,
        );
        const attributes = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
        assert.equal(attributes.Attributes?.SubscriptionsConfirmed, "1");

        // CloudWatch: the three alarms, in the protocol under test.
        for (const [alarmName, metricName] of ALARMS) {
          await cw.send(
            new PutMetricAlarmCommand({
              AlarmName: alarmName,
              MetricName: metricName,
              Namespace: "CloudTrailMetrics",
              Statistic: "Sum",
              Period: 300,
              EvaluationPeriods: 1,
              Threshold: 1,
              ComparisonOperator: "GreaterThanOrEqualToThreshold",
              AlarmActions: [TopicArn as string],
            }),
          );
        }
        const before = await cw.send(new DescribeAlarmsCommand({}));
        assert.deepEqual(
          before.MetricAlarms?.map((a) => a.AlarmName),
          ALARMS.map(([n]) => n).sort(),
        );
        const root = before.MetricAlarms?.find((a) => a.AlarmName === "Root account usage");
        assert.equal(root?.Threshold, 1);
        assert.equal(root?.Period, 300);
        assert.equal(root?.ActionsEnabled, true);
        assert.deepEqual(root?.AlarmActions, [TopicArn]);
        assert.ok(root?.StateUpdatedTimestamp instanceof Date);
        assert.ok(
          Math.abs((root as { StateUpdatedTimestamp: Date }).StateUpdatedTimestamp.getTime() - Date.now()) <
            60_000,
        );

        // The root user signs in.
        const now = new Date();
        const put = await logs.send(
          new PutLogEventsCommand({
            logGroupName: GROUP,
            logStreamName: "trail",
            logEvents: [{ timestamp: now.getTime(), message: rootSignIn(now) }],
          }),
        );
        assert.equal(put.rejectedLogEventsInfo, undefined);

        const inAlarm = await cw.send(new DescribeAlarmsCommand({ StateValue: "ALARM" }));
        assert.deepEqual(
          inAlarm.MetricAlarms?.map((a) => a.AlarmName),
          ["Root account usage"],
        );
        assert.match(inAlarm.MetricAlarms?.[0].StateReason ?? "", /Threshold Crossed/);

        const notification = await subscriber.next((p) => p.body.Type === "Notification");
        assert.equal(notification.body.TopicArn, TopicArn);
        assert.match(notification.body.Subject, /^ALARM: "Root account usage"/);
        const message = JSON.parse(notification.body.Message);
        assert.equal(message.AlarmName, "Root account usage");
        assert.equal(message.NewStateValue, "ALARM");

        // The metric, its statistics and the history, read back through the same protocol.
        const metrics = await cw.send(new ListMetricsCommand({ Namespace: "CloudTrailMetrics" }));
        assert.ok(metrics.Metrics?.some((m) => m.MetricName === "RootAccountUsageCount"));
        const stats = await cw.send(
          new GetMetricStatisticsCommand({
            Namespace: "CloudTrailMetrics",
            MetricName: "RootAccountUsageCount",
            StartTime: new Date(now.getTime() - 600_000),
            EndTime: new Date(now.getTime() + 600_000),
            Period: 300,
            Statistics: ["Sum"],
          }),
        );
        assert.deepEqual(
          stats.Datapoints?.map((d) => d.Sum),
          [1],
        );
        assert.ok(stats.Datapoints?.[0].Timestamp instanceof Date);
        const history = await cw.send(
          new DescribeAlarmHistoryCommand({
            AlarmName: "Root account usage",
            HistoryItemType: "StateUpdate",
          }),
        );
        assert.ok(history.AlarmHistoryItems?.some((h) => /to ALARM/.test(h.HistorySummary ?? "")));

        const found = await logs.send(
          new FilterLogEventsCommand({
            logGroupName: GROUP,
            filterPattern: '{ $.userIdentity.type = "Root" }',
          }),
        );
        assert.equal(found.events?.length, 1);
        assert.equal(found.events?.[0].logStreamName, "trail");
      } finally {
        logs.destroy();
        sns.destroy();
        cw.destroy();
        await subscriber.close();
        await server.close();
      }
    });
  }
});
