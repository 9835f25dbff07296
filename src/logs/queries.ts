/**
 * The read APIs of CloudWatch Logs over the store: DescribeLogGroups, DescribeLogStreams, GetLogEvents and
 * FilterLogEvents, with AWS's limits and pagination. Inputs are as the API sends them (camelCase, already
 * type-checked by the protocol layer; checked again here for library callers).
 *
 * Where trailwatch differs from AWS (documented in docs/api.md):
 * - `storedBytes` is always 0 (events are not sized per group);
 * - FilterLogEvents returns matches in ingestion order (AWS: by time across streams), scans at most
 *   SCAN_BUDGET events per call (returning a nextToken to go on, as AWS does when its search time runs out), and
 *   reports no `searchedLogStreams` (deprecated by AWS).
 */
import { compileFilterPattern, InvalidParameterException } from "../pattern/index.js";
import type { Store } from "../store/store.js";
import type { LogGroup, LogStream, MetricFilter } from "../store/types.js";
import { LogsError, validationError } from "./errors.js";
import { decodePageToken, encodePageToken, parseStreamToken, streamToken } from "./page-token.js";
import { checkFilterName, checkLogGroupName, checkLogStreamName } from "./validate.js";

/** Events FilterLogEvents examines per call before it answers with what it found and a nextToken. */
export const SCAN_BUDGET = 50_000;

export interface LogsNaming {
  region: string;
  account: string;
  /** Metric filters of a group (DescribeLogGroups' metricFilterCount). */
  metricFilterCount(logGroupName: string): number;
}

function checkLimit(value: unknown, max: number, member = "limit"): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    throw validationError(value, member, "Member must have value greater than or equal to 1");
  if (value > max)
    throw validationError(value, member, `Member must have value less than or equal to ${max}`);
  return value;
}

function checkTime(value: unknown, member: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
    throw validationError(value, member, "Member must have value greater than or equal to 0");
  return value;
}

/** `logGroupName` or `logGroupIdentifier` (a name or a log-group ARN), exactly one. */
export function resolveLogGroup(input: { logGroupName?: unknown; logGroupIdentifier?: unknown }): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw new LogsError(
      "InvalidParameterException",
      "LogGroup name and LogGroup ARN are mutually exclusive parameters.",
    );
  }
  const id = input.logGroupIdentifier;
  if (typeof id === "string" && id.startsWith("arn:")) {
    const m = /^arn:[^:]+:logs:[^:]*:\d*:log-group:([^:]+)(?::\*)?$/.exec(id);
    if (!m)
      throw validationError(
        id,
        "logGroupIdentifier",
        "Member must satisfy regular expression pattern: [\\w#+=/:,.@-]*",
      );
    return checkLogGroupName(m[1], "logGroupIdentifier");
  }
  if (id !== undefined) return checkLogGroupName(id, "logGroupIdentifier");
  return checkLogGroupName(input.logGroupName);
}

export function logGroupOutput(g: LogGroup, naming: LogsNaming) {
  const arn = `arn:aws:logs:${naming.region}:${naming.account}:log-group:${g.logGroupName}`;
  return {
    logGroupName: g.logGroupName,
    creationTime: g.creationTime,
    ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    metricFilterCount: naming.metricFilterCount(g.logGroupName),
    arn: `${arn}:*`,
    storedBytes: 0,
    logGroupClass: "STANDARD",
    logGroupArn: arn,
  };
}

export async function describeLogGroups(
  store: Store,
  naming: LogsNaming,
  input: {
    logGroupNamePrefix?: unknown;
    logGroupNamePattern?: unknown;
    nextToken?: unknown;
    limit?: unknown;
  },
) {
  const limit = checkLimit(input.limit, 50) ?? 50;
  const prefix =
    input.logGroupNamePrefix === undefined
      ? undefined
      : checkLogGroupName(input.logGroupNamePrefix, "logGroupNamePrefix");
  const pattern = input.logGroupNamePattern;
  if (pattern !== undefined && prefix !== undefined) {
    throw new LogsError(
      "InvalidParameterException",
      "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.",
    );
  }
  if (pattern !== undefined && typeof pattern !== "string")
    throw validationError(pattern, "logGroupNamePattern", "Member must not be null");
  const matches = (name: string) =>
    typeof pattern !== "string" || name.toLowerCase().includes(pattern.toLowerCase());
  const logGroups: ReturnType<typeof logGroupOutput>[] = [];
  // The cursor is the last group looked at (returned or skipped by the pattern); the next page starts after it.
  let cursor = input.nextToken === undefined ? undefined : decodePageToken("groups", input.nextToken);
  let more = false;
  const batch = 100;
  scan: for (;;) {
    const rows = await store.listLogGroups({ prefix, after: cursor, limit: batch });
    for (const g of rows) {
      if (matches(g.logGroupName)) {
        if (logGroups.length === limit) {
          more = true;
          break scan;
        }
        logGroups.push(logGroupOutput(g, naming));
      }
      cursor = g.logGroupName;
    }
    if (rows.length < batch) break;
  }
  return more && cursor !== undefined
    ? { logGroups, nextToken: encodePageToken("groups", cursor) }
    : { logGroups };
}

export async function describeLogStreams(
  store: Store,
  naming: LogsNaming,
  input: {
    logGroupName?: unknown;
    logGroupIdentifier?: unknown;
    logStreamNamePrefix?: unknown;
    orderBy?: unknown;
    descending?: unknown;
    nextToken?: unknown;
    limit?: unknown;
  },
) {
  const logGroupName = resolveLogGroup(input);
  const limit = checkLimit(input.limit, 50) ?? 50;
  const prefix =
    input.logStreamNamePrefix === undefined
      ? undefined
      : checkLogStreamName(input.logStreamNamePrefix, "logStreamNamePrefix");
  const orderBy = input.orderBy ?? "LogStreamName";
  if (orderBy !== "LogStreamName" && orderBy !== "LastEventTime") {
    throw validationError(
      orderBy,
      "orderBy",
      "Member must satisfy enum value set: [LogStreamName, LastEventTime]",
    );
  }
  if (orderBy === "LastEventTime" && prefix !== undefined) {
    throw new LogsError(
      "InvalidParameterException",
      "Cannot order by LastEventTime with a logStreamNamePrefix.",
    );
  }
  if (!(await store.getLogGroup(logGroupName))) {
    throw new LogsError("ResourceNotFoundException", "The specified log group does not exist.");
  }
  const after = input.nextToken === undefined ? undefined : decodePageToken("streams", input.nextToken);
  const rows = await store.listLogStreams(logGroupName, {
    prefix,
    after,
    limit: limit + 1,
    orderBy,
    descending: input.descending === true,
  });
  const page = rows.slice(0, limit);
  const logStreams = page.map((s) => logStreamOutput(s, naming));
  return rows.length > limit
    ? { logStreams, nextToken: encodePageToken("streams", page[page.length - 1].logStreamName) }
    : { logStreams };
}

function logStreamOutput(s: LogStream, naming: LogsNaming) {
  return {
    logStreamName: s.logStreamName,
    creationTime: s.creationTime,
    firstEventTimestamp: s.firstEventTimestamp,
    lastEventTimestamp: s.lastEventTimestamp,
    lastIngestionTime: s.lastIngestionTime,
    arn: `arn:aws:logs:${naming.region}:${naming.account}:log-group:${s.logGroupName}:log-stream:${s.logStreamName}`,
    storedBytes: 0,
  };
}

/**
 * GetLogEvents: without a token, the newest `limit` events (or the oldest with startFromHead); a forward token
 * continues after the last event returned, a backward token before the first. At the end of the stream the
 * same token comes back, which is how clients know to stop.
 */
export async function getLogEvents(
  store: Store,
  input: {
    logGroupName?: unknown;
    logGroupIdentifier?: unknown;
    logStreamName?: unknown;
    startTime?: unknown;
    endTime?: unknown;
    nextToken?: unknown;
    limit?: unknown;
    startFromHead?: unknown;
  },
) {
  const logGroupName = resolveLogGroup(input);
  const logStreamName = checkLogStreamName(input.logStreamName);
  const limit = checkLimit(input.limit, 10_000) ?? 10_000;
  const startTime = checkTime(input.startTime, "startTime");
  const endTime = checkTime(input.endTime, "endTime");
  const token = input.nextToken === undefined ? undefined : parseStreamToken(input.nextToken);
  if (!(await store.getLogGroup(logGroupName))) {
    throw new LogsError("ResourceNotFoundException", "The specified log group does not exist.");
  }
  if (!(await store.getLogStream(logGroupName, logStreamName))) {
    throw new LogsError("ResourceNotFoundException", "The specified log stream does not exist.");
  }
  const backward = token ? token.direction === "b" : input.startFromHead !== true;
  const rows = await store.getLogEvents({
    logGroupName,
    logStreamName,
    startTime,
    endTime,
    ...(token?.direction === "f" ? { afterSeq: token.seq } : {}),
    ...(token?.direction === "b" ? { beforeSeq: token.seq } : {}),
    descending: backward,
    limit,
  });
  if (backward) rows.reverse();
  const events = rows.map((e) => ({
    timestamp: e.timestamp,
    message: e.message,
    ingestionTime: e.ingestionTime,
  }));
  if (rows.length === 0) {
    // Nothing (more) in this direction: hand back tokens that stay where the caller is.
    const at = token?.seq ?? 0;
    return { events, nextForwardToken: streamToken("f", at), nextBackwardToken: streamToken("b", at) };
  }
  return {
    events,
    nextForwardToken: streamToken("f", rows[rows.length - 1].seq),
    nextBackwardToken: streamToken("b", rows[0].seq),
  };
}

export async function filterLogEvents(
  store: Store,
  input: {
    logGroupName?: unknown;
    logGroupIdentifier?: unknown;
    logStreamNames?: unknown;
    logStreamNamePrefix?: unknown;
    startTime?: unknown;
    endTime?: unknown;
    filterPattern?: unknown;
    nextToken?: unknown;
    limit?: unknown;
  },
) {
  const logGroupName = resolveLogGroup(input);
  const limit = checkLimit(input.limit, 10_000) ?? 10_000;
  const startTime = checkTime(input.startTime, "startTime");
  const endTime = checkTime(input.endTime, "endTime");
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw new LogsError(
      "InvalidParameterException",
      "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.",
    );
  }
  const names = input.logStreamNames;
  if (names !== undefined && (!Array.isArray(names) || names.length < 1 || names.length > 100)) {
    throw validationError(
      names,
      "logStreamNames",
      "Member must have length less than or equal to 100 and greater than or equal to 1",
    );
  }
  const streamNames = (names as unknown[] | undefined)?.map((n, i) =>
    checkLogStreamName(n, `logStreamNames.${i + 1}.member`),
  );
  const prefix =
    input.logStreamNamePrefix === undefined
      ? undefined
      : checkLogStreamName(input.logStreamNamePrefix, "logStreamNamePrefix");
  let matcher: ((message: string) => boolean) | undefined;
  if (input.filterPattern !== undefined && input.filterPattern !== "") {
    if (typeof input.filterPattern !== "string")
      throw validationError(input.filterPattern, "filterPattern", "Member must not be null");
    try {
      const pattern = compileFilterPattern(input.filterPattern);
      matcher = (m) => pattern.test(m);
    } catch (e) {
      if (e instanceof InvalidParameterException) throw new LogsError("InvalidParameterException", e.message);
      throw e;
    }
  }
  let afterSeq = input.nextToken === undefined ? undefined : decodePageToken("filter", input.nextToken);
  if (!(await store.getLogGroup(logGroupName))) {
    throw new LogsError("ResourceNotFoundException", "The specified log group does not exist.");
  }
  const events: {
    logStreamName: string;
    timestamp: number;
    message: string;
    ingestionTime: number;
    eventId: string;
  }[] = [];
  let scanned = 0;
  const chunk = 1_000;
  for (;;) {
    const rows = await store.scanLogEvents({
      logGroupName,
      logStreamNames: streamNames,
      logStreamNamePrefix: prefix,
      startTime,
      endTime,
      afterSeq,
      limit: chunk,
    });
    for (const e of rows) {
      afterSeq = e.seq;
      scanned++;
      if (matcher && !matcher(e.message)) continue;
      events.push({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: String(e.seq).padStart(56, "0"),
      });
      if (events.length === limit) break;
    }
    const exhausted = rows.length < chunk && events.length < limit;
    if (exhausted) return { events, searchedLogStreams: [] };
    if (events.length === limit || scanned >= SCAN_BUDGET) {
      return { events, searchedLogStreams: [], nextToken: encodePageToken("filter", afterSeq as number) };
    }
  }
}

/**
 * DescribeMetricFilters' checks and paging over the filters the store lists (group, then filter name order):
 * filterNamePrefix needs logGroupName, metricName and metricNamespace go together, limit 1–50.
 */
export async function describeMetricFilters(
  list: (query: {
    logGroupName?: string;
    filterNamePrefix?: string;
    metricName?: string;
    metricNamespace?: string;
  }) => Promise<MetricFilter[]>,
  input: {
    logGroupName?: unknown;
    filterNamePrefix?: unknown;
    nextToken?: unknown;
    limit?: unknown;
    metricName?: unknown;
    metricNamespace?: unknown;
  },
) {
  const limit = checkLimit(input.limit, 50) ?? 50;
  const logGroupName = input.logGroupName === undefined ? undefined : checkLogGroupName(input.logGroupName);
  const filterNamePrefix =
    input.filterNamePrefix === undefined
      ? undefined
      : checkFilterName(input.filterNamePrefix, "filterNamePrefix");
  if (filterNamePrefix !== undefined && logGroupName === undefined) {
    throw new LogsError(
      "InvalidParameterException",
      "If filterNamePrefix is specified, logGroupName is required.",
    );
  }
  const { metricName, metricNamespace } = input;
  if ((metricName === undefined) !== (metricNamespace === undefined)) {
    throw new LogsError(
      "InvalidParameterException",
      "If metricName or metricNamespace is specified, both must be specified.",
    );
  }
  if (metricName !== undefined && (typeof metricName !== "string" || typeof metricNamespace !== "string")) {
    throw validationError(metricName, "metricName", "Member must have length less than or equal to 255");
  }
  const after = input.nextToken === undefined ? undefined : decodePageToken("metricFilters", input.nextToken);
  const all = await list({
    logGroupName,
    filterNamePrefix,
    metricName: metricName as string | undefined,
    metricNamespace: metricNamespace as string | undefined,
  });
  const key = (f: MetricFilter) => `${f.logGroupName}\u0000${f.filterName}`;
  const sorted = all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((f) => key(f) > after);
  const page = rest.slice(0, limit);
  const metricFilters = page.map((f) => ({
    filterName: f.filterName,
    filterPattern: f.filterPattern,
    metricTransformations: f.metricTransformations,
    creationTime: f.creationTime,
    logGroupName: f.logGroupName,
    ...(f.emitSystemFieldDimensions ? { emitSystemFieldDimensions: f.emitSystemFieldDimensions } : {}),
  }));
  return rest.length > limit
    ? { metricFilters, nextToken: encodePageToken("metricFilters", key(page[page.length - 1])) }
    : { metricFilters };
}
