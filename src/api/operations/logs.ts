/** CloudWatch Logs operations (awsJson1_1, `Logs_20140328.*`) over the engine's LogsService. */
import { checkTagMap } from "../../logs/tags.js";
import { testMetricFilter } from "../../pattern/index.js";
import { type OperationTable, read, write } from "./types.js";

export const LOGS_OPERATIONS: OperationTable = {
  CreateLogGroup: write((i, ctx) =>
    ctx.engine.logs.createLogGroup(i.logGroupName, i.tags === undefined ? {} : checkTagMap(i.tags)),
  ),
  DeleteLogGroup: write((i, ctx) => ctx.engine.logs.deleteLogGroup(i.logGroupName)),
  DescribeLogGroups: read((i, ctx) => ctx.engine.logs.describeLogGroups(i)),
  CreateLogStream: write((i, ctx) => ctx.engine.logs.createLogStream(i.logGroupName, i.logStreamName)),
  DeleteLogStream: write((i, ctx) => ctx.engine.logs.deleteLogStream(i.logGroupName, i.logStreamName)),
  DescribeLogStreams: read((i, ctx) => ctx.engine.logs.describeLogStreams(i)),
  PutLogEvents: {
    run: (i, ctx) =>
      ctx.engine.putLogEvents({
        logGroupName: i.logGroupName,
        logStreamName: i.logStreamName,
        logEvents: i.logEvents,
      }),
  },
  GetLogEvents: read((i, ctx) => ctx.engine.logs.getLogEvents(i)),
  FilterLogEvents: read((i, ctx) => ctx.engine.logs.filterLogEvents(i)),
  PutMetricFilter: write((i, ctx) =>
    ctx.engine.logs.putMetricFilter({
      logGroupName: i.logGroupName,
      filterName: i.filterName,
      filterPattern: i.filterPattern,
      metricTransformations: i.metricTransformations,
      emitSystemFieldDimensions: i.emitSystemFieldDimensions,
    }),
  ),
  DescribeMetricFilters: read((i, ctx) => ctx.engine.logs.describeMetricFiltersPage(i)),
  DeleteMetricFilter: write((i, ctx) => ctx.engine.logs.deleteMetricFilter(i.logGroupName, i.filterName)),
  TestMetricFilter: read((i) =>
    testMetricFilter({ filterPattern: i.filterPattern, logEventMessages: i.logEventMessages }),
  ),
  PutRetentionPolicy: write((i, ctx) =>
    ctx.engine.logs.putRetentionPolicy(i.logGroupName, i.retentionInDays),
  ),
  DeleteRetentionPolicy: write((i, ctx) => ctx.engine.logs.deleteRetentionPolicy(i.logGroupName)),
  TagResource: write((i, ctx) => ctx.engine.logs.tagResource(i.resourceArn, i.tags)),
  UntagResource: write((i, ctx) => ctx.engine.logs.untagResource(i.resourceArn, i.tagKeys)),
  ListTagsForResource: read(async (i, ctx) => ({
    tags: await ctx.engine.logs.listTagsForResource(i.resourceArn),
  })),
  // The older, name-based tag operations (still used by some Terraform provider versions).
  TagLogGroup: write((i, ctx) => ctx.engine.logs.tagLogGroup(i.logGroupName, i.tags)),
  UntagLogGroup: write((i, ctx) => ctx.engine.logs.untagLogGroup(i.logGroupName, i.tags, "tags")),
  ListTagsLogGroup: read(async (i, ctx) => ({
    tags: await ctx.engine.logs.listTagsLogGroup(i.logGroupName),
  })),
};
