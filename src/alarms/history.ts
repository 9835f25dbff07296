/**
 * Alarm history: the items CloudWatch records (API-AHI) and DescribeAlarmHistory over them (API-DAH).
 *
 * Recorded forms:
 * - ConfigurationUpdate: summary `Alarm "X" created`, data `{"version":"1.0","type":"Create","createdAlarm":
 *   {"alarmName":...,"okactions":[]}}` (note AWS's lower-case `okactions`); for updates and deletions we write
 *   `"type":"Update","updatedAlarm":{...},"originalUpdatedFields":{...}` and `"type":"Delete","deletedAlarm"`.
 * - StateUpdate: summary `Alarm updated from INSUFFICIENT_DATA to ALARM`, data `{"version":"1.0","oldState":
 *   {"stateValue":...,"stateReason":...,"stateReasonData":{...}},"newState":{...}}`, the reason data embedded
 *   as JSON, not as a string.
 * - Action: summary `Successfully executed action arn:...` / `Failed to execute action arn:...`; the data
 *   (`actionState`, `stateUpdateTimestamp`, `notificationResource`, `publishedMessage`, `error`) is our
 *   reading of AWS's items.
 */
import type { Alarm, AlarmHistoryItem, AlarmState, HistoryItemType } from "../store/types.js";
import { double, type JsonValue, jsonText, raw } from "./json-text.js";
import { decodeNextToken, encodeNextToken } from "./pagination.js";
import { dataTimestamp } from "./time-format.js";
import type { DescribeAlarmHistoryQuery } from "./validate.js";

/** HistorySummary ≤ 255, HistoryData ≤ 4095 characters (API-AHI). */
export const MAX_HISTORY_SUMMARY = 255;
export const MAX_HISTORY_DATA = 4095;

export function alarmCreatedHistory(alarm: Alarm, timestamp: number): AlarmHistoryItem {
  return item(alarm, timestamp, "ConfigurationUpdate", `Alarm "${alarm.alarmName}" created`, {
    version: "1.0",
    type: "Create",
    createdAlarm: alarmJson(alarm),
  });
}

export function alarmUpdatedHistory(before: Alarm, after: Alarm, timestamp: number): AlarmHistoryItem {
  const old = alarmJson(before);
  const now = alarmJson(after);
  const originalUpdatedFields: Record<string, JsonValue | undefined> = {};
  for (const key of new Set([...Object.keys(old), ...Object.keys(now)])) {
    if (key === "stateValue" || key === "stateUpdatedTimestamp") continue;
    if (jsonText(old[key] ?? null) !== jsonText(now[key] ?? null))
      originalUpdatedFields[key] = old[key] ?? null;
  }
  return item(after, timestamp, "ConfigurationUpdate", `Alarm "${after.alarmName}" updated`, {
    version: "1.0",
    type: "Update",
    updatedAlarm: now,
    originalUpdatedFields,
  });
}

export function alarmDeletedHistory(alarm: Alarm, timestamp: number): AlarmHistoryItem {
  return item(alarm, timestamp, "ConfigurationUpdate", `Alarm "${alarm.alarmName}" deleted`, {
    version: "1.0",
    type: "Delete",
    deletedAlarm: alarmJson(alarm),
  });
}

/** A state change: `alarm` carries the old state, `newState` the new one. */
export function stateUpdateHistory(
  alarm: Alarm,
  newState: Pick<AlarmState, "stateValue" | "stateReason" | "stateReasonData">,
  timestamp: number,
): AlarmHistoryItem {
  const summary = `Alarm updated from ${alarm.stateValue} to ${newState.stateValue}`;
  const data = (withReasonData: boolean) => ({
    version: "1.0",
    oldState: stateJson(alarm, withReasonData),
    newState: stateJson(newState, withReasonData),
  });
  const full = item(alarm, timestamp, "StateUpdate", summary, data(true));
  // Reason data of long windows can push the item past the API limit; the reasons themselves are kept.
  return full.historyData.length <= MAX_HISTORY_DATA
    ? full
    : item(alarm, timestamp, "StateUpdate", summary, data(false));
}

export interface ActionOutcome {
  /** The action's ARN (an SNS topic, a Lambda function...). */
  action: string;
  succeeded: boolean;
  timestamp: number;
  /** What was sent, when known (the SNS message). */
  publishedMessage?: string;
  /** Why it failed. */
  error?: string;
}

export function actionHistory(alarm: Alarm, outcome: ActionOutcome): AlarmHistoryItem {
  const summary = outcome.succeeded
    ? `Successfully executed action ${outcome.action}`
    : `Failed to execute action ${outcome.action}`;
  return item(alarm, outcome.timestamp, "Action", summary, {
    actionState: outcome.succeeded ? "Succeeded" : "Failed",
    stateUpdateTimestamp: outcome.timestamp,
    notificationResource: outcome.action,
    publishedMessage: outcome.publishedMessage,
    error: outcome.error,
  });
}

function item(
  alarm: Alarm,
  timestamp: number,
  historyItemType: HistoryItemType,
  summary: string,
  data: JsonValue,
): AlarmHistoryItem {
  return {
    alarmName: alarm.alarmName,
    alarmType: alarm.alarmType,
    timestamp,
    historyItemType,
    historySummary: summary.length <= MAX_HISTORY_SUMMARY ? summary : summary.slice(0, MAX_HISTORY_SUMMARY),
    historyData: jsonText(data),
  };
}

function stateJson(
  state: Pick<AlarmState, "stateValue" | "stateReason" | "stateReasonData">,
  withReasonData: boolean,
): JsonValue {
  return {
    stateValue: state.stateValue,
    stateReason: state.stateReason,
    stateReasonData: withReasonData ? embedded(state.stateReasonData) : undefined,
  };
}

/** Reason data is JSON text; AWS nests it as JSON. Text that is not JSON (never ours) stays a string. */
function embedded(text: string | undefined): JsonValue | undefined {
  if (text === undefined) return undefined;
  try {
    JSON.parse(text);
    return raw(text);
  } catch {
    return text;
  }
}

/** The alarm as AWS writes it in ConfigurationUpdate items (order and names from a recorded item). */
function alarmJson(a: Alarm): Record<string, JsonValue | undefined> {
  const head = {
    alarmName: a.alarmName,
    alarmDescription: a.alarmDescription,
    alarmArn: a.alarmArn,
    alarmConfigurationUpdatedTimestamp: dataTimestamp(a.alarmConfigurationUpdatedTimestamp),
  };
  const tail = {
    stateValue: a.stateValue,
    stateUpdatedTimestamp: dataTimestamp(a.stateUpdatedTimestamp),
    actionsEnabled: a.actionsEnabled,
    alarmActions: a.alarmActions,
    insufficientDataActions: a.insufficientDataActions,
    okactions: a.okActions,
  };
  if (a.alarmType === "CompositeAlarm")
    return {
      ...head,
      alarmRule: a.alarmRule,
      actionsSuppressor: a.actionsSuppressor,
      actionsSuppressorWaitPeriod: a.actionsSuppressorWaitPeriod,
      actionsSuppressorExtensionPeriod: a.actionsSuppressorExtensionPeriod,
      ...tail,
    };
  return {
    ...head,
    namespace: a.namespace,
    metricName: a.metricName,
    statistic: a.statistic,
    extendedStatistic: a.extendedStatistic,
    period: a.period,
    unit: a.unit,
    dimensions: a.dimensions.map((d) => ({ value: d.Value, name: d.Name })),
    threshold: double(a.threshold),
    comparisonOperator: a.comparisonOperator,
    evaluationPeriods: a.evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm,
    treatMissingData: a.treatMissingData,
    evaluateLowSampleCountPercentile: a.evaluateLowSampleCountPercentile,
    ...tail,
  };
}

// ---- DescribeAlarmHistory ----

export interface AlarmHistoryItemOutput {
  AlarmName: string;
  AlarmType: "MetricAlarm" | "CompositeAlarm";
  Timestamp: Date;
  HistoryItemType: HistoryItemType;
  HistorySummary: string;
  HistoryData: string;
}

export interface DescribeAlarmHistoryOutput {
  AlarmHistoryItems: AlarmHistoryItemOutput[];
  NextToken?: string;
}

export function alarmHistoryItemOutput(i: AlarmHistoryItem): AlarmHistoryItemOutput {
  return {
    AlarmName: i.alarmName,
    AlarmType: i.alarmType,
    Timestamp: new Date(i.timestamp),
    HistoryItemType: i.historyItemType,
    HistorySummary: i.historySummary,
    HistoryData: i.historyData,
  };
}

/** The store query for one page: one item more than the page, to know whether a next page exists. */
export function historyStoreQuery(query: DescribeAlarmHistoryQuery) {
  return {
    alarmName: query.alarmName,
    alarmTypes: query.alarmTypes,
    historyItemType: query.historyItemType as HistoryItemType | undefined,
    startDate: query.startDate,
    endDate: query.endDate,
    ascending: query.ascending,
    offset: query.nextToken === undefined ? 0 : decodeNextToken("history", query.nextToken),
    limit: query.maxRecords + 1,
  };
}

/** The response for a page fetched with `historyStoreQuery`. */
export function historyPage(
  fetched: readonly AlarmHistoryItem[],
  query: DescribeAlarmHistoryQuery,
): DescribeAlarmHistoryOutput {
  const offset = query.nextToken === undefined ? 0 : decodeNextToken("history", query.nextToken);
  const page = fetched.slice(0, query.maxRecords);
  const out: DescribeAlarmHistoryOutput = { AlarmHistoryItems: page.map(alarmHistoryItemOutput) };
  if (fetched.length > query.maxRecords) out.NextToken = encodeNextToken("history", offset + page.length);
  return out;
}

/**
 * DescribeAlarmHistory over items in memory: the filters, newest first (or oldest first with
 * TimestampAscending), StartDate and EndDate inclusive, paged by position.
 */
export function describeAlarmHistory(
  items: readonly AlarmHistoryItem[],
  query: DescribeAlarmHistoryQuery,
): DescribeAlarmHistoryOutput {
  const q = historyStoreQuery(query);
  const matching = items
    .filter(
      (i) =>
        (q.alarmName === undefined || i.alarmName === q.alarmName) &&
        q.alarmTypes.includes(i.alarmType) &&
        (q.historyItemType === undefined || i.historyItemType === q.historyItemType) &&
        (q.startDate === undefined || i.timestamp >= q.startDate) &&
        (q.endDate === undefined || i.timestamp <= q.endDate),
    )
    .map((i, position) => ({ i, position }))
    // Same-instant items keep their recorded order (oldest first), reversed for descending scans.
    .sort((a, b) => (a.i.timestamp - b.i.timestamp || a.position - b.position) * (q.ascending ? 1 : -1))
    .map(({ i }) => i);
  return historyPage(matching.slice(q.offset, q.offset + q.limit), query);
}
