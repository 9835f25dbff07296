/**
 * CloudWatch operations, the same handlers for awsQuery, awsJson1_0 and rpc-v2-cbor, over the engine's
 * CloudWatchService (which takes the SDK's PascalCase inputs and answers in AWS's output shapes).
 */
import { type OperationTable, read, write } from "./types.js";

export const CLOUDWATCH_OPERATIONS: OperationTable = {
  PutMetricAlarm: write((i, ctx) => ctx.engine.cloudwatch.putMetricAlarm(i)),
  PutCompositeAlarm: write((i, ctx) => ctx.engine.cloudwatch.putCompositeAlarm(i)),
  DescribeAlarms: read((i, ctx) => ctx.engine.cloudwatch.describeAlarms(i)),
  DescribeAlarmsForMetric: read((i, ctx) => ctx.engine.cloudwatch.describeAlarmsForMetric(i)),
  DeleteAlarms: write((i, ctx) => ctx.engine.cloudwatch.deleteAlarms(i)),
  SetAlarmState: write((i, ctx) => ctx.engine.cloudwatch.setAlarmState(i)),
  DescribeAlarmHistory: read((i, ctx) => ctx.engine.cloudwatch.describeAlarmHistory(i)),
  EnableAlarmActions: write((i, ctx) => ctx.engine.cloudwatch.enableAlarmActions(i)),
  DisableAlarmActions: write((i, ctx) => ctx.engine.cloudwatch.disableAlarmActions(i)),
  PutMetricData: write((i, ctx) => ctx.engine.cloudwatch.putMetricData(i)),
  GetMetricData: read((i, ctx) => ctx.engine.cloudwatch.getMetricData(i)),
  GetMetricStatistics: read((i, ctx) => ctx.engine.cloudwatch.getMetricStatistics(i)),
  ListMetrics: read((i, ctx) => ctx.engine.cloudwatch.listMetrics(i)),
  TagResource: write((i, ctx) => ctx.engine.cloudwatch.tagResource(i)),
  UntagResource: write((i, ctx) => ctx.engine.cloudwatch.untagResource(i)),
  ListTagsForResource: read((i, ctx) => ctx.engine.cloudwatch.listTagsForResource(i)),
};
