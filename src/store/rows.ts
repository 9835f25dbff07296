/**
 * Rows as the SQL stores (SQLite and PostgreSQL) read them, and their conversion to the store's records.
 * SQLite hands booleans back as 0/1 and PostgreSQL as booleans; both are accepted. JSON columns are
 * checked for shape, so that a row edited outside trailwatch fails loudly (CorruptRowError) rather than
 * handing the engine something that is not what its type says.
 */

import { CorruptRowError } from "./errors.js";
import type {
  Alarm,
  DeliveryAttempt,
  DeliveryStatus,
  Dimension,
  LogGroup,
  LogStream,
  MetricFilter,
  OutboxItem,
  StoredLogEvent,
  Subscription,
  SubscriptionProtocol,
  Topic,
} from "./types.js";

export interface GroupRow {
  id: number;
  name: string;
  creation_time: number;
  retention_in_days: number | null;
  tags: string;
}
export interface StreamRow {
  group_name: string;
  name: string;
  creation_time: number;
  first_event_timestamp: number | null;
  last_event_timestamp: number | null;
  last_ingestion_time: number | null;
}
export interface EventRow {
  seq: number;
  group_name: string;
  stream_name: string;
  timestamp: number;
  ingestion_time: number;
  message: string;
}
export interface FilterRow {
  group_name: string;
  filter_name: string;
  filter_pattern: string;
  metric_transformations: string;
  emit_system_field_dimensions: string | null;
  creation_time: number;
}
export interface AggregateRow {
  timestamp: number;
  resolution: number;
  unit: string;
  sample_count: number;
  sum: number;
  min_value: number;
  max_value: number;
  sketch: Buffer | null;
}
export interface HistoryRow {
  alarm_name: string;
  alarm_type: string;
  timestamp: number;
  item_type: string;
  summary: string;
  data: string;
}
export interface TopicRow {
  topic_arn: string;
  name: string;
  attributes: string;
  tags: string;
  creation_time: number;
}
export interface SubscriptionRow {
  subscription_arn: string;
  topic_arn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  pending_confirmation: boolean | number;
  confirmation_token: string | null;
  token_expires: number | null;
  unsubscribe_token: string;
  attributes: string;
  created_at: number;
}
export interface OutboxRow {
  id: string;
  subscription_arn: string;
  protocol: string;
  endpoint: string;
  payload: string;
  created_at: number;
  next_attempt_at: number;
  attempts: number;
  status: string;
  last_error: string | null;
  delivered_at: number | null;
}
export interface AttemptRow {
  item_id: string;
  attempt: number;
  at: number;
  ok: boolean | number;
  error: string | null;
}

/** Dimensions as stored: sorted by name (CloudWatch's canonical order), fixed key order. */
export function canonicalDimensions(dims: readonly Dimension[]): string {
  const sorted = [...dims].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  return JSON.stringify(sorted.map((d) => ({ Name: d.Name, Value: d.Value })));
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CorruptRowError(`corrupt JSON in ${where}: ${(err as Error).message}`, { cause: err });
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseDimensions(text: string, where: string): Dimension[] {
  const v = parseJson(text, `${where} dimensions`);
  if (
    !Array.isArray(v) ||
    !v.every((d) => isRecord(d) && typeof d.Name === "string" && typeof d.Value === "string")
  ) {
    throw new CorruptRowError(`corrupt JSON in ${where} dimensions: not a list of {Name, Value}`);
  }
  return v as Dimension[];
}

export function parseStringRecord(text: string, where: string): Record<string, string> {
  const v = parseJson(text, where);
  if (!isRecord(v) || !Object.values(v).every((x) => typeof x === "string")) {
    throw new CorruptRowError(`corrupt JSON in ${where}: not an object of strings`);
  }
  return v as Record<string, string>;
}

export function parseAlarm(row: { name: string; body: string }): Alarm {
  const where = `alarms ${JSON.stringify(row.name)}`;
  const v = parseJson(row.body, where);
  if (
    !isRecord(v) ||
    v.alarmName !== row.name ||
    (v.alarmType !== "MetricAlarm" && v.alarmType !== "CompositeAlarm")
  ) {
    throw new CorruptRowError(`corrupt JSON in ${where}: not an alarm of that name`);
  }
  return v as unknown as Alarm;
}

export function toLogGroup(r: GroupRow): LogGroup {
  const g: LogGroup = {
    logGroupName: r.name,
    creationTime: r.creation_time,
    tags: parseStringRecord(r.tags, `log_groups ${JSON.stringify(r.name)} tags`),
  };
  if (r.retention_in_days !== null) g.retentionInDays = r.retention_in_days;
  return g;
}

export function toLogStream(r: StreamRow): LogStream {
  const s: LogStream = { logGroupName: r.group_name, logStreamName: r.name, creationTime: r.creation_time };
  if (r.first_event_timestamp !== null) s.firstEventTimestamp = r.first_event_timestamp;
  if (r.last_event_timestamp !== null) s.lastEventTimestamp = r.last_event_timestamp;
  if (r.last_ingestion_time !== null) s.lastIngestionTime = r.last_ingestion_time;
  return s;
}

export function toEvent(r: EventRow): StoredLogEvent {
  return {
    logGroupName: r.group_name,
    logStreamName: r.stream_name,
    seq: r.seq,
    timestamp: r.timestamp,
    ingestionTime: r.ingestion_time,
    message: r.message,
  };
}

export function toMetricFilter(r: FilterRow): MetricFilter {
  const where = `metric_filters ${JSON.stringify(r.group_name)}/${JSON.stringify(r.filter_name)}`;
  const transformations = parseJson(r.metric_transformations, `${where} transformations`);
  if (!Array.isArray(transformations) || !transformations.every(isRecord)) {
    throw new CorruptRowError(`corrupt JSON in ${where} transformations: not a list of objects`);
  }
  const f: MetricFilter = {
    logGroupName: r.group_name,
    filterName: r.filter_name,
    filterPattern: r.filter_pattern,
    metricTransformations: transformations as unknown as MetricFilter["metricTransformations"],
    creationTime: r.creation_time,
  };
  if (r.emit_system_field_dimensions !== null) {
    const dims = parseJson(r.emit_system_field_dimensions, `${where} emitSystemFieldDimensions`);
    if (!Array.isArray(dims) || !dims.every((d) => typeof d === "string")) {
      throw new CorruptRowError(`corrupt JSON in ${where} emitSystemFieldDimensions: not a list of strings`);
    }
    f.emitSystemFieldDimensions = dims;
  }
  return f;
}

const PROTOCOLS: readonly string[] = ["email", "email-json", "http", "https", "slack"];

export function toTopic(r: TopicRow): Topic {
  const where = `sns_topics ${JSON.stringify(r.topic_arn)}`;
  return {
    topicArn: r.topic_arn,
    name: r.name,
    attributes: parseStringRecord(r.attributes, `${where} attributes`),
    tags: parseStringRecord(r.tags, `${where} tags`),
    creationTime: r.creation_time,
  };
}

export function toSubscription(r: SubscriptionRow): Subscription {
  const where = `sns_subscriptions ${JSON.stringify(r.subscription_arn)}`;
  if (!PROTOCOLS.includes(r.protocol)) throw new CorruptRowError(`${where}: unknown protocol ${r.protocol}`);
  const s: Subscription = {
    subscriptionArn: r.subscription_arn,
    topicArn: r.topic_arn,
    protocol: r.protocol as SubscriptionProtocol,
    endpoint: r.endpoint,
    owner: r.owner,
    pendingConfirmation: r.pending_confirmation === true || r.pending_confirmation === 1,
    unsubscribeToken: r.unsubscribe_token,
    attributes: parseStringRecord(r.attributes, `${where} attributes`),
    createdAt: r.created_at,
  };
  if (r.confirmation_token !== null) s.confirmationToken = r.confirmation_token;
  if (r.token_expires !== null) s.tokenExpires = r.token_expires;
  return s;
}

const DELIVERY_STATUSES: readonly string[] = ["pending", "delivered", "dead"];

export function toOutboxItem(r: OutboxRow): OutboxItem {
  const where = `delivery_outbox ${JSON.stringify(r.id)}`;
  if (!PROTOCOLS.includes(r.protocol)) throw new CorruptRowError(`${where}: unknown protocol ${r.protocol}`);
  if (!DELIVERY_STATUSES.includes(r.status))
    throw new CorruptRowError(`${where}: unknown status ${r.status}`);
  const item: OutboxItem = {
    id: r.id,
    subscriptionArn: r.subscription_arn,
    protocol: r.protocol as SubscriptionProtocol,
    endpoint: r.endpoint,
    payload: r.payload,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    attempts: r.attempts,
    status: r.status as DeliveryStatus,
  };
  if (r.last_error !== null) item.lastError = r.last_error;
  if (r.delivered_at !== null) item.deliveredAt = r.delivered_at;
  return item;
}

export function toAttempt(r: AttemptRow): DeliveryAttempt {
  const a: DeliveryAttempt = {
    itemId: r.item_id,
    attempt: r.attempt,
    at: r.at,
    ok: r.ok === true || r.ok === 1,
  };
  if (r.error !== null) a.error = r.error;
  return a;
}
