import type {
  Alarm,
  AlarmHistoryItem,
  AlarmState,
  DeliveryAttempt,
  DeliveryStatus,
  HistoryItemType,
  LogGroup,
  LogStream,
  MetricAggregate,
  MetricFilter,
  MetricId,
  OutboxItem,
  StoredLogEvent,
  Subscription,
  Topic,
} from "./types.js";

/**
 * Everything trailwatch keeps, behind one interface: SQLite (src/store/sqlite) by default, PostgreSQL
 * later. Methods are async so both fit; SQL dialect details stay inside the implementations. The engine
 * keeps its hot state (filters, alarms) in memory and writes through this interface.
 *
 * Atomicity: `commit` applies a whole ingest batch — its log events, stream bookmarks, metric aggregates and
 * source checkpoints — in one transaction, so a process killed at any moment leaves either all of it or
 * none of it. Alarm state changes and their history items are likewise written together.
 */
export interface Store {
  close(): Promise<void>;

  // ---- log groups and streams ----
  /** False when the group already exists. */
  createLogGroup(group: LogGroup): Promise<boolean>;
  getLogGroup(name: string): Promise<LogGroup | undefined>;
  /** Name order; `after` = exclusive lower bound (pagination). */
  listLogGroups(query: { prefix?: string; after?: string; limit: number }): Promise<LogGroup[]>;
  /** Retention and tags. */
  updateLogGroup(group: LogGroup): Promise<void>;
  /** Deletes the group with its streams, events and metric filters. False when absent. */
  deleteLogGroup(name: string): Promise<boolean>;

  /** False when the stream already exists. */
  createLogStream(stream: LogStream): Promise<boolean>;
  getLogStream(logGroupName: string, logStreamName: string): Promise<LogStream | undefined>;
  listLogStreams(
    logGroupName: string,
    query: {
      prefix?: string;
      after?: string;
      limit: number;
      orderBy?: "LogStreamName" | "LastEventTime";
      descending?: boolean;
    },
  ): Promise<LogStream[]>;
  deleteLogStream(logGroupName: string, logStreamName: string): Promise<boolean>;

  // ---- metric filters ----
  /** Insert or replace (same group and filter name). */
  putMetricFilter(filter: MetricFilter): Promise<void>;
  listMetricFilters(query: {
    logGroupName?: string;
    filterNamePrefix?: string;
    metricName?: string;
    metricNamespace?: string;
  }): Promise<MetricFilter[]>;
  deleteMetricFilter(logGroupName: string, filterName: string): Promise<boolean>;

  // ---- the ingest commit ----
  commit(batch: CommitBatch): Promise<CommitResult>;
  /** Forgets the batch claims (CommitBatch.claim) recorded before `timestamp`; returns how many. */
  deleteBatchClaimsBefore(timestamp: number): Promise<number>;

  // ---- leases (one evaluator at a time across instances; src/cluster) ----
  /**
   * Takes lease `name` for `holder` until `now + ttlMs` when it is free, expired at `now`, or already
   * `holder`'s (a renewal). A holder other than the previous one gets a new fencing token, greater than
   * every token handed out before for this name; a renewal (or the same holder coming back) keeps its token.
   * Undefined when another holder's lease still runs at `now`.
   */
  acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<Lease | undefined>;
  /** Ends `holder`'s lease at once (a clean shutdown); the token stays. Nothing when another holds it. */
  releaseLease(name: string, holder: string): Promise<void>;

  // ---- log events ----
  /** Events of one stream by time, in `seq` order (descending when `descending`); `afterSeq`/`beforeSeq` paginate. */
  getLogEvents(query: {
    logGroupName: string;
    logStreamName: string;
    startTime?: number;
    endTime?: number;
    afterSeq?: number;
    beforeSeq?: number;
    descending?: boolean;
    limit: number;
  }): Promise<StoredLogEvent[]>;
  /** Events of a group (optionally some streams) by time window, in `seq` order after `afterSeq`. */
  scanLogEvents(query: {
    logGroupName: string;
    logStreamNames?: string[];
    logStreamNamePrefix?: string;
    startTime?: number;
    endTime?: number;
    afterSeq?: number;
    limit: number;
  }): Promise<StoredLogEvent[]>;
  /** Retention: drops a group's events older than `timestamp`; returns how many. */
  deleteLogEventsBefore(logGroupName: string, timestamp: number): Promise<number>;

  // ---- metrics ----
  /** Aggregates of exactly this series (same dimensions) with timestamp in [from, to), oldest first. */
  queryAggregates(metric: MetricId, from: number, to: number): Promise<MetricAggregate[]>;
  /** Series that have any aggregate at or after `since` (all when omitted), filtered as ListMetrics filters. */
  listMetrics(query: {
    namespace?: string;
    metricName?: string;
    dimensions?: { Name: string; Value?: string }[];
    since?: number;
  }): Promise<MetricId[]>;
  deleteAggregatesBefore(timestamp: number): Promise<number>;

  // ---- the aggregate change feed (how a process sees aggregates another process committed) ----
  /** The cursor after the newest aggregate change committed so far, by any writer (0 for a new store). */
  aggregateChangeHead(): Promise<number>;
  /**
   * The aggregates that OTHER Store instances (other processes, other connections) committed after
   * `cursor`, each as it was committed (a delta to merge, not the bucket's total), in commit order; and
   * the cursor to pass next (`cursor` itself when nothing was committed). At most `limit` logged changes
   * are looked at per call, so a page may come back empty with an advanced cursor (it held only this
   * instance's own changes). Cursors follow commit order: whatever commits after a call
   * returned C comes after C. The log is kept at least a day; a follower further behind must reload.
   */
  aggregateChangesSince(
    cursor: number,
    limit: number,
  ): Promise<{ changes: MetricAggregate[]; cursor: number }>;

  // ---- alarms ----
  /** Insert or replace by name. */
  putAlarm(alarm: Alarm, history?: AlarmHistoryItem): Promise<void>;
  getAlarm(name: string): Promise<Alarm | undefined>;
  /** Every alarm, name order. */
  listAlarms(): Promise<Alarm[]>;
  deleteAlarm(name: string, history?: AlarmHistoryItem): Promise<boolean>;
  /**
   * A state change and its history item, together. With `fence`, only while `fence.token` is the current
   * token of lease `fence.lease` (checked in the same transaction): otherwise nothing is written and it
   * rejects with a FencedError (src/store/fenced.ts) — a deposed evaluator cannot overwrite its successor.
   */
  setAlarmState(
    name: string,
    state: AlarmState,
    history: AlarmHistoryItem,
    fence?: LeaseFence,
  ): Promise<void>;
  appendAlarmHistory(items: AlarmHistoryItem[]): Promise<void>;
  /** Newest first unless `ascending`; `offset` paginates. History outlives the alarm. */
  queryAlarmHistory(query: {
    alarmName?: string;
    alarmTypes?: ("MetricAlarm" | "CompositeAlarm")[];
    historyItemType?: HistoryItemType;
    startDate?: number;
    endDate?: number;
    ascending?: boolean;
    offset?: number;
    limit: number;
  }): Promise<AlarmHistoryItem[]>;

  // ---- source checkpoints ----
  getCheckpoint(source: string): Promise<string | undefined>;

  // ---- SNS topics and subscriptions ----
  /** Idempotent by name (SNS CreateTopic): when a topic of that name exists, returns it unchanged. */
  createTopic(topic: Topic): Promise<Topic>;
  getTopic(topicArn: string): Promise<Topic | undefined>;
  /** ARN order; `after` = exclusive lower bound (pagination). */
  listTopics(query: { after?: string; limit: number }): Promise<Topic[]>;
  /** Merges `attributes` into the topic's; false when the topic is absent. */
  setTopicAttributes(topicArn: string, attributes: Record<string, string>): Promise<boolean>;
  /** Deletes the topic with its subscriptions. False when absent. */
  deleteTopic(topicArn: string): Promise<boolean>;

  /** Insert or replace by ARN. Rejects when the topic does not exist. */
  putSubscription(subscription: Subscription): Promise<void>;
  getSubscription(subscriptionArn: string): Promise<Subscription | undefined>;
  /** The subscription whose (pending) confirmation token this is. */
  findSubscriptionByToken(confirmationToken: string): Promise<Subscription | undefined>;
  /** ARN order, optionally one topic's; `after` = exclusive lower bound (pagination). */
  listSubscriptions(query: { topicArn?: string; after?: string; limit: number }): Promise<Subscription[]>;
  deleteSubscription(subscriptionArn: string): Promise<boolean>;
  /** Deletes pending subscriptions created before `before`; returns how many. */
  deleteExpiredPendingSubscriptions(before: number): Promise<number>;

  // ---- the delivery outbox ----
  /** Inserts the items; an item whose id is already stored is left as it is. Returns how many were new. */
  enqueueDeliveries(items: OutboxItem[]): Promise<number>;
  /** Pending items with nextAttemptAt ≤ now, oldest (createdAt, then id) first. */
  dueDeliveries(now: number, limit: number): Promise<OutboxItem[]>;
  /**
   * `dueDeliveries` and, in the same transaction, moves each returned item's nextAttemptAt to `leaseUntil`:
   * the items are in flight, and no other caller gets them before the lease ends. Returned with the lease.
   */
  claimDueDeliveries(now: number, leaseUntil: number, limit: number): Promise<OutboxItem[]>;
  /**
   * In one transaction: sets the item's attempts to `attempt.attempt`, its status and the given fields
   * (lastError and deliveredAt are cleared when not given; nextAttemptAt is kept when not given), and appends
   * the attempt to its delivery log. False (nothing written) when the item does not exist.
   */
  recordDeliveryAttempt(
    itemId: string,
    attempt: Omit<DeliveryAttempt, "itemId">,
    update: { status: DeliveryStatus; nextAttemptAt?: number; lastError?: string; deliveredAt?: number },
  ): Promise<boolean>;
  getDelivery(id: string): Promise<OutboxItem | undefined>;
  /** Oldest (createdAt, then id) first. */
  listDeliveries(query: {
    status?: DeliveryStatus;
    subscriptionArn?: string;
    limit: number;
  }): Promise<OutboxItem[]>;
  /** The item's delivery log, by attempt number. */
  deliveryAttempts(itemId: string): Promise<DeliveryAttempt[]>;
  countDeliveries(status: DeliveryStatus): Promise<number>;
}

/** One atomic ingest step. */
export interface CommitBatch {
  /** Events to keep (seq is assigned by the store, in array order). May be empty when events are not stored. */
  events: Omit<StoredLogEvent, "seq">[];
  /** Stream bookmarks to update (first/last event time, last ingestion). */
  streams: LogStream[];
  /** Merged into what the store holds for the same series and bucket (counts and sums add, min/max). */
  aggregates: MetricAggregate[];
  /** Source positions reached by this batch (e.g. file path + byte offset), written with it. */
  checkpoints?: { source: string; position: string }[];
  /**
   * An exclusive claim on this batch (a bus message id), recorded in the same transaction: when a batch
   * with the same claim was committed before, nothing is written and the result says `duplicate`. A batch
   * delivered twice — to two workers at once, or again after a crash — is applied once.
   */
  claim?: string;
}

export interface CommitResult {
  /** seq of the first stored event (then consecutive), or undefined when no events were stored. */
  firstSeq?: number;
  /** The batch's claim had been committed before: nothing was written. */
  duplicate?: boolean;
}

/** A held lease: its fencing token and when it ends unless renewed. */
export interface Lease {
  token: number;
  expiresAt: number;
}

/** What a fenced write carries: the lease and the token its writer holds. */
export interface LeaseFence {
  lease: string;
  token: number;
}
