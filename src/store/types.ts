/**
 * The records trailwatch keeps, shared by the engine and every store implementation. Times are epoch
 * milliseconds (UTC). These are plain data: no behaviour, no store details.
 */
import type { MetricTransformation, StandardUnit } from "../metrics/transformation.js";

export type { MetricTransformation, StandardUnit };

/** AWS account and region the installation presents itself as (ARNs, alarm messages). */
export interface Identity {
  account: string;
  region: string;
}

// ---- CloudWatch Logs ----

export interface LogGroup {
  logGroupName: string;
  creationTime: number;
  /** Days; undefined = never expire. */
  retentionInDays?: number;
  tags: Record<string, string>;
}

export interface LogStream {
  logGroupName: string;
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
}

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export interface StoredLogEvent extends LogEvent {
  logGroupName: string;
  logStreamName: string;
  /** Monotonic per store: the order events were accepted in (also the FilterLogEvents eventId). */
  seq: number;
}

export interface MetricFilter {
  logGroupName: string;
  filterName: string;
  filterPattern: string;
  metricTransformations: MetricTransformation[];
  /** `@aws.account` / `@aws.region`. */
  emitSystemFieldDimensions?: string[];
  creationTime: number;
}

// ---- CloudWatch metrics ----

export interface Dimension {
  Name: string;
  Value: string;
}

/** A metric series: namespace, name and its dimensions (sorted by name; at most 30). */
export interface MetricId {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
}

/**
 * The observations of one series in one bucket (a minute, or a second for high-resolution data). Mergeable:
 * two aggregates of the same bucket combine by adding counts and sums and taking min/max, so any writer
 * can add to any bucket.
 */
export interface MetricAggregate {
  metric: MetricId;
  /** Bucket start, aligned to `resolution`. */
  timestamp: number;
  /** Seconds: 60 (standard) or 1 (high resolution). */
  resolution: 1 | 60;
  unit: StandardUnit;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** Serialized percentile sketch (src/metrics/sketch.ts); undefined when percentiles are not kept. */
  sketch?: Uint8Array;
}

// ---- alarms ----

export type AlarmStateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";
export type ComparisonOperator =
  | "GreaterThanOrEqualToThreshold"
  | "GreaterThanThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold";
export type TreatMissingData = "breaching" | "notBreaching" | "ignore" | "missing";
export type Statistic = "SampleCount" | "Average" | "Sum" | "Minimum" | "Maximum";

/** The state part of an alarm, metric or composite. */
export interface AlarmState {
  stateValue: AlarmStateValue;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedTimestamp: number;
  stateTransitionedTimestamp: number;
}

/** PutMetricAlarm's configuration (metric alarms on one metric; metric math is out of scope). */
export interface MetricAlarmConfig {
  alarmName: string;
  alarmDescription?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  metricName: string;
  namespace: string;
  statistic?: Statistic;
  extendedStatistic?: string;
  dimensions: Dimension[];
  period: number;
  unit?: StandardUnit;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  treatMissingData: TreatMissingData;
  evaluateLowSampleCountPercentile?: "evaluate" | "ignore";
  tags: Record<string, string>;
}

export interface MetricAlarm extends MetricAlarmConfig, AlarmState {
  alarmType: "MetricAlarm";
  alarmArn: string;
  alarmConfigurationUpdatedTimestamp: number;
}

export interface CompositeAlarmConfig {
  alarmName: string;
  alarmDescription?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  alarmRule: string;
  actionsSuppressor?: string;
  actionsSuppressorWaitPeriod?: number;
  actionsSuppressorExtensionPeriod?: number;
  tags: Record<string, string>;
}

export interface CompositeAlarm extends CompositeAlarmConfig, AlarmState {
  alarmType: "CompositeAlarm";
  alarmArn: string;
  alarmConfigurationUpdatedTimestamp: number;
}

export type Alarm = MetricAlarm | CompositeAlarm;

export type HistoryItemType = "ConfigurationUpdate" | "StateUpdate" | "Action";

export interface AlarmHistoryItem {
  alarmName: string;
  alarmType: "MetricAlarm" | "CompositeAlarm";
  timestamp: number;
  historyItemType: HistoryItemType;
  historySummary: string;
  /** JSON text, as AWS returns it. */
  historyData: string;
}

// ---- SNS topics and subscriptions ----

/** An SNS topic (`arn:aws:sns:REGION:ACCOUNT:name`). */
export interface Topic {
  topicArn: string;
  name: string;
  /** DisplayName, Policy, DeliveryPolicy, SignatureVersion, ... (SNS attribute names). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  creationTime: number;
}

/** email, email-json, http, https, or trailwatch's own `slack` (endpoint = an incoming-webhook URL). */
export type SubscriptionProtocol = "email" | "email-json" | "http" | "https" | "slack";

/** A subscription of a topic (`arn:aws:sns:REGION:ACCOUNT:topic:<uuid>`). */
export interface Subscription {
  subscriptionArn: string;
  topicArn: string;
  protocol: SubscriptionProtocol;
  endpoint: string;
  /** The account that subscribed. */
  owner: string;
  pendingConfirmation: boolean;
  /** While pending: the token the confirmation request carries, and when it stops being valid. */
  confirmationToken?: string;
  tokenExpires?: number;
  /** Random secret of the unsigned unsubscribe link. */
  unsubscribeToken: string;
  /** RawMessageDelivery, FilterPolicy, DeliveryPolicy, ... (SNS attribute names). */
  attributes: Record<string, string>;
  createdAt: number;
}

// ---- the delivery outbox ----

export type DeliveryStatus = "pending" | "delivered" | "dead";

/**
 * One notification to one subscription endpoint, kept until it is delivered or dead-lettered. `id` is the
 * stable message id: the SNS MessageId and, as `<id@trailwatch>`, the SMTP Message-ID, the same on every
 * attempt so that a receiver can drop a duplicate.
 */
export interface OutboxItem {
  id: string;
  subscriptionArn: string;
  protocol: SubscriptionProtocol;
  endpoint: string;
  /**
   * JSON text, what to send: e-mail `{subject, text, html, unsubscribeUrl?}`; http/https the `{headers, body}`
   * built by src/notify/http; slack the webhook's JSON payload.
   */
  payload: string;
  createdAt: number;
  /** When the next attempt is due (epoch ms); while an attempt is in flight, the end of its lease. */
  nextAttemptAt: number;
  /** Attempts recorded so far. */
  attempts: number;
  status: DeliveryStatus;
  lastError?: string;
  deliveredAt?: number;
}

/** One row of an item's delivery log. */
export interface DeliveryAttempt {
  itemId: string;
  /** 1 = the first delivery. */
  attempt: number;
  at: number;
  ok: boolean;
  error?: string;
}
