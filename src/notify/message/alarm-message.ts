/**
 * The message an alarm action publishes to SNS (alarms.md §7), field by field in AWS's order, and its Subject.
 *
 * Metric alarm, as captured (2021–2026) — the newer fields `AlarmConfigurationUpdatedTimestamp`,
 * `OKActions`, `AlarmActions`, `InsufficientDataActions` included:
 * `AlarmName, AlarmDescription (null when unset), AWSAccountId, AlarmConfigurationUpdatedTimestamp,
 * NewStateValue, NewStateReason, StateChangeTime, Region, AlarmArn, OldStateValue, OKActions, AlarmActions,
 * InsufficientDataActions, Trigger {MetricName, Namespace, StatisticType, Statistic, Unit, Dimensions,
 * Period, EvaluationPeriods, [DatapointsToAlarm], ComparisonOperator, Threshold, TreatMissingData,
 * EvaluateLowSampleCountPercentile}`.
 *
 * - `DatapointsToAlarm` appears only when the alarm sets it: captures of alarms without it (whose reasons use
 *   the classic "1 datapoint [...] was" form) have no such member.
 * - `Statistic` is upper-case (`SUM`, `AVERAGE`, `MAXIMUM`, `MINIMUM`; `SAMPLE_COUNT` [inferred from the Java
 *   enum naming]); a percentile alarm has `StatisticType: "ExtendedStatistic"` and the statistic as written
 *   (`p99`) [inferred].
 * - `Unit` is the alarm's unit, null when unset; `Dimensions` are `{value, name}` in the alarm's order;
 *   `Threshold` is a Java double in the text (`1.0`); `TreatMissingData` the plain value;
 *   `EvaluateLowSampleCountPercentile` the alarm's value or `""`.
 *
 * Composite alarm (captured 2021): the metric fields up to `OldStateValue`, then `AlarmRule` and
 * `TriggeringChildren: [{Arn, State: {Value, Timestamp}}]` instead of `Trigger`. The capture predates the
 * action lists; we place them after `OldStateValue` as in metric alarm messages [inferred].
 * `TriggeringChildren` is read from the transition's StateReasonData (`triggeringAlarms`).
 *
 * trailwatch adds ONE member, last, so that consumers of AWS's fields see them unchanged:
 * `TrailwatchEvents: {"Total": n, "Events": [...]}` — the log events behind the datapoints (newest first, at
 * most 10) and how many there were. Each event is a subset of the CloudTrail record with CloudTrail's own
 * names and nesting (`eventTime`, `eventName`, `eventSource`, `userIdentity: {type, arn}`,
 * `sourceIPAddress`, `userAgent`, `awsRegion`, `recipientAccountId`, `eventID`), missing fields left out; a
 * non-JSON event has `eventTime` (its log timestamp) and `message` (its first 200 characters). The member is
 * present only when the caller passes events.
 */
import { double, type JsonValue, jsonText } from "../../alarms/json-text.js";
import { dataTimestamp } from "../../alarms/time-format.js";
import type { AlarmTransition } from "../../engine/transitions.js";
import type { EventSummary } from "../../metrics/event-refs.js";
import type { AlarmStateValue, Identity, MetricAlarm } from "../../store/types.js";
import { regionLongName } from "./regions.js";

/** The name of the one member trailwatch adds to AWS's message. */
export const TRAILWATCH_EVENTS_FIELD = "TrailwatchEvents";

/** Events behind the notification, as EventRefs.collect returns them. */
export interface NotificationEvents {
  events: readonly EventSummary[];
  total: number;
}

export interface AlarmMessageOptions {
  events?: NotificationEvents;
}

/** One event in `TrailwatchEvents.Events`: CloudTrail's names and nesting. */
export interface TrailwatchEvent {
  eventTime?: string;
  eventName?: string;
  eventSource?: string;
  userIdentity?: { type?: string; arn?: string };
  sourceIPAddress?: string;
  userAgent?: string;
  awsRegion?: string;
  recipientAccountId?: string;
  eventID?: string;
  message?: string;
}

export interface TrailwatchEvents {
  Total: number;
  Events: TrailwatchEvent[];
}

export interface AlarmTrigger {
  MetricName: string;
  Namespace: string;
  StatisticType: "Statistic" | "ExtendedStatistic";
  Statistic: string;
  Unit: string | null;
  Dimensions: { value: string; name: string }[];
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  ComparisonOperator: string;
  Threshold: number;
  TreatMissingData: string;
  EvaluateLowSampleCountPercentile: string;
}

interface AlarmMessageCommon {
  AlarmName: string;
  AlarmDescription: string | null;
  AWSAccountId: string;
  AlarmConfigurationUpdatedTimestamp: string;
  NewStateValue: AlarmStateValue;
  NewStateReason: string;
  StateChangeTime: string;
  Region: string;
  AlarmArn: string;
  OldStateValue: AlarmStateValue;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
}

export interface MetricAlarmMessage extends AlarmMessageCommon {
  Trigger: AlarmTrigger;
  TrailwatchEvents?: TrailwatchEvents;
}

export interface TriggeringChild {
  Arn: string;
  State: { Value: string; Timestamp: string };
}

export interface CompositeAlarmMessage extends AlarmMessageCommon {
  AlarmRule: string;
  TriggeringChildren: TriggeringChild[];
  TrailwatchEvents?: TrailwatchEvents;
}

export type AlarmMessage = MetricAlarmMessage | CompositeAlarmMessage;

/** SNS: "Subject must be less than 100 characters long". */
export const MAX_SUBJECT = 99;

/** The message as a plain object, members in AWS's order (JSON.parse(alarmMessageText(...)) deep-equals it). */
export function alarmMessage(
  transition: AlarmTransition,
  identity: Identity,
  options: AlarmMessageOptions = {},
): AlarmMessage {
  const alarm = transition.alarm;
  const common: AlarmMessageCommon = {
    AlarmName: alarm.alarmName,
    AlarmDescription: alarm.alarmDescription ?? null,
    AWSAccountId: identity.account,
    AlarmConfigurationUpdatedTimestamp: dataTimestamp(alarm.alarmConfigurationUpdatedTimestamp),
    NewStateValue: transition.newState,
    NewStateReason: transition.reason,
    StateChangeTime: dataTimestamp(transition.timestamp),
    Region: regionLongName(identity.region),
    AlarmArn: alarm.alarmArn,
    OldStateValue: transition.oldState,
    OKActions: [...alarm.okActions],
    AlarmActions: [...alarm.alarmActions],
    InsufficientDataActions: [...alarm.insufficientDataActions],
  };
  const extra = options.events ? { [TRAILWATCH_EVENTS_FIELD]: trailwatchEvents(options.events) } : {};
  if (alarm.alarmType === "CompositeAlarm") {
    return {
      ...common,
      AlarmRule: alarm.alarmRule,
      TriggeringChildren: triggeringChildren(transition.reasonData),
      ...extra,
    };
  }
  return { ...common, Trigger: trigger(alarm), ...extra };
}

/** The message text as SNS carries it: compact JSON, the threshold a Java double (`1.0`). */
export function alarmMessageText(
  transition: AlarmTransition,
  identity: Identity,
  options: AlarmMessageOptions = {},
): string {
  return jsonText(alarmMessageJson(alarmMessage(transition, identity, options)));
}

/** The message as a JsonValue for json-text.ts (Threshold marked as a double). */
export function alarmMessageJson(message: AlarmMessage): JsonValue {
  const value = message as unknown as { [key: string]: JsonValue };
  if ("Trigger" in message) {
    return { ...value, Trigger: { ...message.Trigger, Threshold: double(message.Trigger.Threshold) } };
  }
  return value;
}

/**
 * `ALARM: "<AlarmName>" in <Region long name>` (also `OK:`, `INSUFFICIENT_DATA:`), at most 99 characters:
 * a long name is cut and ends in `...`, the state and region are kept. Line breaks and control characters
 * (which SNS does not allow in a Subject) become spaces.
 */
export function alarmSubject(transition: AlarmTransition, identity: Identity): string {
  const name = transition.alarm.alarmName.replace(/[\u0000-\u001f\u007f]/g, " ");
  const region = regionLongName(identity.region);
  const subject = (n: string) => `${transition.newState}: "${n}" in ${region}`;
  const full = subject(name);
  if (full.length <= MAX_SUBJECT) return full;
  const room = MAX_SUBJECT - subject("").length - 3;
  if (room <= 0) return Array.from(full).slice(0, MAX_SUBJECT).join("");
  let cut = "";
  for (const ch of name) {
    if (cut.length + ch.length > room) break;
    cut += ch;
  }
  return subject(`${cut}...`);
}

/** CloudWatch's statistic as the message writes it. */
export function triggerStatistic(alarm: MetricAlarm): { type: AlarmTrigger["StatisticType"]; text: string } {
  if (alarm.extendedStatistic !== undefined)
    return { type: "ExtendedStatistic", text: alarm.extendedStatistic };
  const statistic = alarm.statistic ?? "Sum";
  return {
    type: "Statistic",
    text: statistic === "SampleCount" ? "SAMPLE_COUNT" : statistic.toUpperCase(),
  };
}

function trigger(alarm: MetricAlarm): AlarmTrigger {
  const statistic = triggerStatistic(alarm);
  return {
    MetricName: alarm.metricName,
    Namespace: alarm.namespace,
    StatisticType: statistic.type,
    Statistic: statistic.text,
    Unit: alarm.unit ?? null,
    Dimensions: alarm.dimensions.map((d) => ({ value: d.Value, name: d.Name })),
    Period: alarm.period,
    EvaluationPeriods: alarm.evaluationPeriods,
    ...(alarm.datapointsToAlarm !== undefined ? { DatapointsToAlarm: alarm.datapointsToAlarm } : {}),
    ComparisonOperator: alarm.comparisonOperator,
    Threshold: alarm.threshold,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile ?? "",
  };
}

function trailwatchEvents(events: NotificationEvents): TrailwatchEvents {
  return { Total: events.total, Events: events.events.map(trailwatchEvent) };
}

/** A summary in CloudTrail's own shape, missing fields left out. */
export function trailwatchEvent(s: EventSummary): TrailwatchEvent {
  const e: TrailwatchEvent = {};
  if (s.eventTime !== undefined) e.eventTime = s.eventTime;
  if (s.eventName !== undefined) e.eventName = s.eventName;
  if (s.eventSource !== undefined) e.eventSource = s.eventSource;
  if (s.userIdentityType !== undefined || s.userIdentityArn !== undefined) {
    e.userIdentity = {};
    if (s.userIdentityType !== undefined) e.userIdentity.type = s.userIdentityType;
    if (s.userIdentityArn !== undefined) e.userIdentity.arn = s.userIdentityArn;
  }
  if (s.sourceIPAddress !== undefined) e.sourceIPAddress = s.sourceIPAddress;
  if (s.userAgent !== undefined) e.userAgent = s.userAgent;
  if (s.awsRegion !== undefined) e.awsRegion = s.awsRegion;
  if (s.recipientAccountId !== undefined) e.recipientAccountId = s.recipientAccountId;
  if (s.eventID !== undefined) e.eventID = s.eventID;
  if (s.message !== undefined) e.message = s.message;
  return e;
}

/** `{"triggeringAlarms":[{"arn","state":{"value","timestamp"}}]}` → `[{Arn, State: {Value, Timestamp}}]`. */
function triggeringChildren(reasonData: string | undefined): TriggeringChild[] {
  if (!reasonData) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(reasonData);
  } catch {
    return [];
  }
  const list = (parsed as { triggeringAlarms?: unknown } | null)?.triggeringAlarms;
  if (!Array.isArray(list)) return [];
  const out: TriggeringChild[] = [];
  for (const item of list) {
    const arn = (item as { arn?: unknown } | null)?.arn;
    const state = (item as { state?: { value?: unknown; timestamp?: unknown } } | null)?.state;
    if (typeof arn !== "string" || typeof state?.value !== "string") continue;
    out.push({
      Arn: arn,
      State: {
        Value: state.value,
        Timestamp: typeof state.timestamp === "string" ? state.timestamp : "",
      },
    });
  }
  return out;
}

export function isCompositeMessage(message: AlarmMessage): message is CompositeAlarmMessage {
  return "AlarmRule" in message;
}
