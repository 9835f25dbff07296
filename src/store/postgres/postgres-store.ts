/**
 * The PostgreSQL Store: the same behaviour as the SQLite store (src/store/sqlite), on a database that
 * several trailwatch instances share. Reads run on any pooled connection; every multi-statement write runs
 * in one transaction (connection.ts), and writes that read before they write lock what they read
 * (SELECT … FOR UPDATE), because here another instance may write the same row at the same moment.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { FencedError } from "../fenced.js";
import {
  type AggregateRow,
  type AttemptRow,
  canonicalDimensions,
  type EventRow,
  type FilterRow,
  type GroupRow,
  type HistoryRow,
  type OutboxRow,
  parseAlarm,
  parseDimensions,
  type StreamRow,
  type SubscriptionRow,
  type TopicRow,
  toAttempt,
  toEvent,
  toLogGroup,
  toLogStream,
  toMetricFilter,
  toOutboxItem,
  toSubscription,
  toTopic,
} from "../rows.js";
import type { CommitBatch, CommitResult, Lease, LeaseFence, Store } from "../store.js";
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
  StandardUnit,
  StoredLogEvent,
  Subscription,
  Topic,
} from "../types.js";
import { changeHead, changesSince, pruneChanges } from "./change-feed.js";
import { commitBatch, type MergeSketch } from "./commit.js";
import { checkSchemaName, createPool, transaction } from "./connection.js";
import { SchemaError, StoreClosedError } from "./errors.js";
import { MIGRATIONS, type Migration, migrate } from "./migrations.js";
import { Params, startsWith, whereClause } from "./sql.js";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/database` (libpq URI syntax, as `pg` reads it). */
  connectionString: string;
  /** Combines two serialized percentile sketches of one bucket (src/metrics/sketch.ts). */
  mergeSketch: MergeSketch;
  /** The schema holding trailwatch's tables, created when missing; default "trailwatch". */
  schema?: string;
  /** Connections in the pool; default 10. */
  poolSize?: number;
  /** Tests only: the migrations to bring the schema to. */
  migrations?: readonly Migration[];
}

export const DEFAULT_SCHEMA = "trailwatch";

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  return PostgresStore.open(options);
}

/** The connection string without its password, for messages. */
function describeTarget(connectionString: string, schema: string): string {
  let target = connectionString;
  try {
    const url = new URL(connectionString);
    if (url.password !== "") url.password = "***";
    target = url.toString();
  } catch {
    // Not a URL (a keyword/value string): shown as given minus anything that looks like a password.
    target = connectionString.replace(/password\s*=\s*\S+/gi, "password=***");
  }
  return `${target} (schema ${schema})`;
}

const STREAM_COLUMNS = `g.name AS group_name, s.name, s.creation_time, s.first_event_timestamp,
  s.last_event_timestamp, s.last_ingestion_time`;
const EVENT_COLUMNS = "e.seq, e.timestamp, e.ingestion_time, e.message";
const GROUP_ID = (p: string) => `(SELECT id FROM log_groups WHERE name = ${p})`;
const STREAM_ID = (group: string, stream: string) =>
  `(SELECT s.id FROM log_streams s JOIN log_groups g ON g.id = s.group_id WHERE g.name = ${group} AND s.name = ${stream})`;
const SERIES_ID = (ns: string, name: string, dims: string) =>
  `(SELECT id FROM metric_series WHERE namespace = ${ns} AND metric_name = ${name} AND md5(dimensions) = md5(${dims}) AND dimensions = ${dims})`;

export class PostgresStore implements Store {
  #pool: pg.Pool | undefined;
  readonly #mergeSketch: MergeSketch;
  /** This instance's name in the aggregate change feed: its own changes are not handed back to it. */
  readonly #writer = randomUUID();
  #commitsSincePrune = 0;
  /** Where the store lives (password hidden), for messages. */
  readonly where: string;
  readonly schema: string;

  private constructor(pool: pg.Pool, options: { mergeSketch: MergeSketch; where: string; schema: string }) {
    this.#pool = pool;
    this.#mergeSketch = options.mergeSketch;
    this.where = options.where;
    this.schema = options.schema;
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? DEFAULT_SCHEMA;
    checkSchemaName(schema);
    const where = describeTarget(options.connectionString, schema);
    const pool = createPool({
      connectionString: options.connectionString,
      schema,
      poolSize: Math.max(1, Math.trunc(options.poolSize ?? 10)),
    });
    try {
      await migrate(pool, schema, where, options.migrations ?? MIGRATIONS);
    } catch (err) {
      await pool.end().catch(() => {});
      if (err instanceof SchemaError) throw err;
      throw new Error(`cannot open the store ${where}: ${(err as Error).message}`, { cause: err });
    }
    return new PostgresStore(pool, { mergeSketch: options.mergeSketch, where, schema });
  }

  // ---- plumbing ----

  get #db(): pg.Pool {
    if (this.#pool === undefined) throw new StoreClosedError(`the store ${this.where} is closed`);
    return this.#pool;
  }

  #assertOpen(): void {
    if (this.#pool === undefined) throw new StoreClosedError(`the store ${this.where} is closed`);
  }

  async #rows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.#db.query<T>(sql, params)).rows;
  }

  async #row<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.#rows<T>(sql, params))[0];
  }

  /** Rows changed by one autocommit statement. */
  async #run(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.#db.query(sql, params)).rowCount ?? 0;
  }

  #tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return transaction(this.#db, fn);
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    if (pool === undefined) return;
    this.#pool = undefined;
    await pool.end();
  }

  // ---- log groups ----

  async createLogGroup(group: LogGroup): Promise<boolean> {
    return (
      (await this.#run(
        `INSERT INTO log_groups (name, creation_time, retention_in_days, tags) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO NOTHING`,
        [group.logGroupName, group.creationTime, group.retentionInDays ?? null, JSON.stringify(group.tags)],
      )) === 1
    );
  }

  async getLogGroup(name: string): Promise<LogGroup | undefined> {
    const row = await this.#row<GroupRow>("SELECT * FROM log_groups WHERE name = $1", [name]);
    return row && toLogGroup(row);
  }

  async listLogGroups(query: { prefix?: string; after?: string; limit: number }): Promise<LogGroup[]> {
    const q = new Params();
    const where: string[] = [];
    if (query.prefix !== undefined) where.push(startsWith("name", q.p(query.prefix)));
    if (query.after !== undefined) where.push(`name > ${q.p(query.after)}`);
    const rows = await this.#rows<GroupRow>(
      `SELECT * FROM log_groups ${whereClause(where)} ORDER BY name LIMIT ${q.p(query.limit)}`,
      q.values,
    );
    return rows.map(toLogGroup);
  }

  async updateLogGroup(group: LogGroup): Promise<void> {
    await this.#run("UPDATE log_groups SET retention_in_days = $2, tags = $3 WHERE name = $1", [
      group.logGroupName,
      group.retentionInDays ?? null,
      JSON.stringify(group.tags),
    ]);
  }

  async deleteLogGroup(name: string): Promise<boolean> {
    return this.#tx(async (c) => {
      const g = await c.query<{ id: number }>("SELECT id FROM log_groups WHERE name = $1 FOR UPDATE", [name]);
      if (g.rowCount === 0) return false;
      const id = g.rows[0].id;
      // Explicit deletes by index (the foreign keys would cascade too, stream by stream).
      await c.query("DELETE FROM log_events WHERE group_id = $1", [id]);
      await c.query("DELETE FROM metric_filters WHERE group_id = $1", [id]);
      await c.query("DELETE FROM log_streams WHERE group_id = $1", [id]);
      await c.query("DELETE FROM log_groups WHERE id = $1", [id]);
      return true;
    });
  }

  // ---- log streams ----

  async createLogStream(stream: LogStream): Promise<boolean> {
    return this.#tx(async (c) => {
      const g = await c.query<{ id: number }>("SELECT id FROM log_groups WHERE name = $1", [
        stream.logGroupName,
      ]);
      if (g.rowCount === 0)
        throw new Error(`log group ${JSON.stringify(stream.logGroupName)} does not exist`);
      const r = await c.query(
        `INSERT INTO log_streams (group_id, name, creation_time, first_event_timestamp, last_event_timestamp,
           last_ingestion_time)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (group_id, name) DO NOTHING`,
        [
          g.rows[0].id,
          stream.logStreamName,
          stream.creationTime,
          stream.firstEventTimestamp ?? null,
          stream.lastEventTimestamp ?? null,
          stream.lastIngestionTime ?? null,
        ],
      );
      return r.rowCount === 1;
    });
  }

  async getLogStream(logGroupName: string, logStreamName: string): Promise<LogStream | undefined> {
    const row = await this.#row<StreamRow>(
      `SELECT ${STREAM_COLUMNS} FROM log_streams s JOIN log_groups g ON g.id = s.group_id
       WHERE g.name = $1 AND s.name = $2`,
      [logGroupName, logStreamName],
    );
    return row && toLogStream(row);
  }

  async listLogStreams(
    logGroupName: string,
    query: {
      prefix?: string;
      after?: string;
      limit: number;
      orderBy?: "LogStreamName" | "LastEventTime";
      descending?: boolean;
    },
  ): Promise<LogStream[]> {
    const dir = query.descending ? "DESC" : "ASC";
    const q = new Params();
    const where = [`g.name = ${q.p(logGroupName)}`];
    if (query.prefix !== undefined) where.push(startsWith("s.name", q.p(query.prefix)));
    let order: string;
    if (query.orderBy === "LastEventTime") {
      // Streams without events sort as the oldest; ties by name. `after` names the last stream of the
      // previous page: the page continues from that stream's place in this order (none when it is gone).
      const key = "(coalesce(s.last_event_timestamp, -1), s.name)";
      order = `coalesce(s.last_event_timestamp, -1) ${dir}, s.name ${dir}`;
      if (query.after !== undefined) {
        const after = q.p(query.after);
        where.push(
          `${key} ${query.descending ? "<" : ">"} (SELECT coalesce(p.last_event_timestamp, -1), p.name
             FROM log_streams p WHERE p.group_id = s.group_id AND p.name = ${after})`,
        );
      }
    } else {
      order = `s.name ${dir}`;
      if (query.after !== undefined) where.push(`s.name ${query.descending ? "<" : ">"} ${q.p(query.after)}`);
    }
    const rows = await this.#rows<StreamRow>(
      `SELECT ${STREAM_COLUMNS} FROM log_streams s JOIN log_groups g ON g.id = s.group_id
       ${whereClause(where)} ORDER BY ${order} LIMIT ${q.p(query.limit)}`,
      q.values,
    );
    return rows.map(toLogStream);
  }

  async deleteLogStream(logGroupName: string, logStreamName: string): Promise<boolean> {
    return this.#tx(async (c) => {
      const s = await c.query<{ id: number }>(
        `SELECT s.id FROM log_streams s JOIN log_groups g ON g.id = s.group_id
         WHERE g.name = $1 AND s.name = $2 FOR UPDATE OF s`,
        [logGroupName, logStreamName],
      );
      if (s.rowCount === 0) return false;
      await c.query("DELETE FROM log_events WHERE stream_id = $1", [s.rows[0].id]);
      await c.query("DELETE FROM log_streams WHERE id = $1", [s.rows[0].id]);
      return true;
    });
  }

  // ---- metric filters ----

  async putMetricFilter(filter: MetricFilter): Promise<void> {
    const r = await this.#run(
      `INSERT INTO metric_filters (group_id, filter_name, filter_pattern, metric_transformations,
         emit_system_field_dimensions, creation_time)
       SELECT id, $2, $3, $4, $5, $6 FROM log_groups WHERE name = $1
       ON CONFLICT (group_id, filter_name) DO UPDATE SET filter_pattern = excluded.filter_pattern,
         metric_transformations = excluded.metric_transformations,
         emit_system_field_dimensions = excluded.emit_system_field_dimensions,
         creation_time = excluded.creation_time`,
      [
        filter.logGroupName,
        filter.filterName,
        filter.filterPattern,
        JSON.stringify(filter.metricTransformations),
        filter.emitSystemFieldDimensions === undefined
          ? null
          : JSON.stringify(filter.emitSystemFieldDimensions),
        filter.creationTime,
      ],
    );
    if (r === 0) throw new Error(`log group ${JSON.stringify(filter.logGroupName)} does not exist`);
  }

  async listMetricFilters(query: {
    logGroupName?: string;
    filterNamePrefix?: string;
    metricName?: string;
    metricNamespace?: string;
  }): Promise<MetricFilter[]> {
    const q = new Params();
    const where: string[] = [];
    if (query.logGroupName !== undefined) where.push(`g.name = ${q.p(query.logGroupName)}`);
    if (query.filterNamePrefix !== undefined)
      where.push(startsWith("f.filter_name", q.p(query.filterNamePrefix)));
    const rows = await this.#rows<FilterRow>(
      `SELECT g.name AS group_name, f.filter_name, f.filter_pattern, f.metric_transformations,
         f.emit_system_field_dimensions, f.creation_time
       FROM metric_filters f JOIN log_groups g ON g.id = f.group_id
       ${whereClause(where)} ORDER BY g.name, f.filter_name`,
      q.values,
    );
    return rows
      .map(toMetricFilter)
      .filter((f) =>
        f.metricTransformations.some(
          (t) =>
            (query.metricName === undefined || t.metricName === query.metricName) &&
            (query.metricNamespace === undefined || t.metricNamespace === query.metricNamespace),
        ),
      );
  }

  async deleteMetricFilter(logGroupName: string, filterName: string): Promise<boolean> {
    return (
      (await this.#run(`DELETE FROM metric_filters WHERE filter_name = $2 AND group_id = ${GROUP_ID("$1")}`, [
        logGroupName,
        filterName,
      ])) > 0
    );
  }

  // ---- the ingest commit ----

  async commit(batch: CommitBatch): Promise<CommitResult> {
    const result = await this.#tx((c) =>
      commitBatch(c, batch, { mergeSketch: this.#mergeSketch, writer: this.#writer }),
    );
    if (batch.aggregates.length > 0 && ++this.#commitsSincePrune >= 1000) {
      this.#commitsSincePrune = 0;
      // Housekeeping after the batch is committed, so that it cannot fail the batch: a failed prune is
      // simply done by a later one.
      await pruneChanges(this.#db, Date.now()).catch(() => 0);
    }
    return result;
  }

  // ---- log events ----

  async getLogEvents(query: {
    logGroupName: string;
    logStreamName: string;
    startTime?: number;
    endTime?: number;
    afterSeq?: number;
    beforeSeq?: number;
    descending?: boolean;
    limit: number;
  }): Promise<StoredLogEvent[]> {
    const q = new Params();
    const where = [`e.stream_id = ${STREAM_ID(q.p(query.logGroupName), q.p(query.logStreamName))}`];
    where.push(...timeAndSeq(q, query));
    const rows = await this.#rows<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM log_events e ${whereClause(where)}
       ORDER BY e.seq ${query.descending ? "DESC" : "ASC"} LIMIT ${q.p(query.limit)}`,
      q.values,
    );
    return rows.map((r) => ({
      logGroupName: query.logGroupName,
      logStreamName: query.logStreamName,
      seq: r.seq,
      timestamp: r.timestamp,
      ingestionTime: r.ingestion_time,
      message: r.message,
    }));
  }

  async scanLogEvents(query: {
    logGroupName: string;
    logStreamNames?: string[];
    logStreamNamePrefix?: string;
    startTime?: number;
    endTime?: number;
    afterSeq?: number;
    limit: number;
  }): Promise<StoredLogEvent[]> {
    const q = new Params();
    const where = [`e.group_id = ${GROUP_ID(q.p(query.logGroupName))}`];
    where.push(...timeAndSeq(q, query));
    if (query.logStreamNames !== undefined) where.push(`s.name = ANY(${q.p(query.logStreamNames)}::text[])`);
    if (query.logStreamNamePrefix !== undefined)
      where.push(startsWith("s.name", q.p(query.logStreamNamePrefix)));
    const rows = await this.#rows<EventRow>(
      `SELECT ${EVENT_COLUMNS}, g.name AS group_name, s.name AS stream_name
       FROM log_events e JOIN log_streams s ON s.id = e.stream_id JOIN log_groups g ON g.id = e.group_id
       ${whereClause(where)} ORDER BY e.seq LIMIT ${q.p(query.limit)}`,
      q.values,
    );
    return rows.map(toEvent);
  }

  async deleteLogEventsBefore(logGroupName: string, timestamp: number): Promise<number> {
    return this.#run(`DELETE FROM log_events WHERE group_id = ${GROUP_ID("$1")} AND timestamp < $2`, [
      logGroupName,
      timestamp,
    ]);
  }

  // ---- metrics ----

  async queryAggregates(metric: MetricId, from: number, to: number): Promise<MetricAggregate[]> {
    const dims = canonicalDimensions(metric.dimensions);
    const rows = await this.#rows<AggregateRow>(
      `SELECT timestamp, resolution, unit, sample_count, sum, min_value, max_value, sketch
       FROM metric_aggregates WHERE series_id = ${SERIES_ID("$1", "$2", "$3")}
         AND timestamp >= $4 AND timestamp < $5
       ORDER BY timestamp, resolution, unit`,
      [metric.namespace, metric.metricName, dims, from, to],
    );
    const dimensions = parseDimensions(dims, "query");
    return rows.map((r) => {
      const a: MetricAggregate = {
        metric: {
          namespace: metric.namespace,
          metricName: metric.metricName,
          dimensions: dimensions.map((d) => ({ ...d })),
        },
        timestamp: r.timestamp,
        resolution: r.resolution as 1 | 60,
        unit: r.unit as StandardUnit,
        sampleCount: r.sample_count,
        sum: r.sum,
        min: r.min_value,
        max: r.max_value,
      };
      if (r.sketch !== null) a.sketch = new Uint8Array(r.sketch);
      return a;
    });
  }

  async listMetrics(query: {
    namespace?: string;
    metricName?: string;
    dimensions?: { Name: string; Value?: string }[];
    since?: number;
  }): Promise<MetricId[]> {
    const q = new Params();
    const where: string[] = [];
    if (query.namespace !== undefined) where.push(`s.namespace = ${q.p(query.namespace)}`);
    if (query.metricName !== undefined) where.push(`s.metric_name = ${q.p(query.metricName)}`);
    where.push(
      `EXISTS (SELECT 1 FROM metric_aggregates a WHERE a.series_id = s.id${
        query.since !== undefined ? ` AND a.timestamp >= ${q.p(query.since)}` : ""
      })`,
    );
    const rows = await this.#rows<{ id: number; namespace: string; metric_name: string; dimensions: string }>(
      `SELECT s.id, s.namespace, s.metric_name, s.dimensions FROM metric_series s ${whereClause(where)}
       ORDER BY s.namespace, s.metric_name, s.dimensions`,
      q.values,
    );
    const filters = query.dimensions ?? [];
    const out: MetricId[] = [];
    for (const r of rows) {
      const dimensions = parseDimensions(r.dimensions, `metric_series ${r.id}`);
      const match = filters.every((f) =>
        dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)),
      );
      if (match) out.push({ namespace: r.namespace, metricName: r.metric_name, dimensions });
    }
    return out;
  }

  // ---- the aggregate change feed (change-feed.ts) ----

  async aggregateChangeHead(): Promise<number> {
    return changeHead(this.#db);
  }

  async aggregateChangesSince(
    cursor: number,
    limit: number,
  ): Promise<{ changes: MetricAggregate[]; cursor: number }> {
    return changesSince(this.#db, this.#writer, cursor, limit);
  }

  async deleteAggregatesBefore(timestamp: number): Promise<number> {
    return this.#tx(async (c) => {
      const r = await c.query("DELETE FROM metric_aggregates WHERE timestamp < $1", [timestamp]);
      const deleted = r.rowCount ?? 0;
      if (deleted > 0) {
        // Series left without aggregates go, except those a commit is adding to right now. Two statements,
        // because one is not enough: a commit that ends between a statement's snapshot and its row lock is
        // invisible to its NOT EXISTS, yet no longer holds its lock. So: first lock the series that look
        // empty, passing by (SKIP LOCKED) those a commit in flight holds FOR KEY SHARE (commit.ts); once
        // locked, no commit can add to them. Then delete those still empty, on a fresh snapshot that sees
        // every commit that ended before the locks were taken.
        const candidates = await c.query<{ id: number }>(
          `SELECT s.id FROM metric_series s
           WHERE NOT EXISTS (SELECT 1 FROM metric_aggregates a WHERE a.series_id = s.id)
           FOR UPDATE SKIP LOCKED`,
        );
        if ((candidates.rowCount ?? 0) > 0) {
          await c.query(
            `DELETE FROM metric_series s WHERE s.id = ANY($1::bigint[])
               AND NOT EXISTS (SELECT 1 FROM metric_aggregates a WHERE a.series_id = s.id)`,
            [candidates.rows.map((r) => r.id)],
          );
        }
      }
      return deleted;
    });
  }

  // ---- alarms ----

  async putAlarm(alarm: Alarm, history?: AlarmHistoryItem): Promise<void> {
    await this.#tx(async (c) => {
      await c.query(
        `INSERT INTO alarms (name, type, body) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET type = excluded.type, body = excluded.body`,
        [alarm.alarmName, alarm.alarmType, JSON.stringify(alarm)],
      );
      if (history !== undefined) await appendHistory(c, [history]);
    });
  }

  async getAlarm(name: string): Promise<Alarm | undefined> {
    const row = await this.#row<{ name: string; body: string }>(
      "SELECT name, body FROM alarms WHERE name = $1",
      [name],
    );
    return row && parseAlarm(row);
  }

  async listAlarms(): Promise<Alarm[]> {
    return (
      await this.#rows<{ name: string; body: string }>("SELECT name, body FROM alarms ORDER BY name")
    ).map(parseAlarm);
  }

  /** The history item is written only when an alarm was deleted. */
  async deleteAlarm(name: string, history?: AlarmHistoryItem): Promise<boolean> {
    return this.#tx(async (c) => {
      const r = await c.query("DELETE FROM alarms WHERE name = $1", [name]);
      if (r.rowCount === 0) return false;
      if (history !== undefined) await appendHistory(c, [history]);
      return true;
    });
  }

  async deleteBatchClaimsBefore(timestamp: number): Promise<number> {
    return this.#run("DELETE FROM batch_claims WHERE applied_at < $1", [timestamp]);
  }

  async acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<Lease | undefined> {
    // One statement under the row's lock: a free, expired or own lease is taken; a new holder's token is
    // one more than the last, so tokens only grow.
    const row = await this.#row<{ token: string; expires_at: string }>(
      `INSERT INTO leases (name, holder, token, expires_at) VALUES ($1, $2, 1, $4)
       ON CONFLICT (name) DO UPDATE SET
         token = CASE WHEN leases.holder = excluded.holder THEN leases.token ELSE leases.token + 1 END,
         holder = excluded.holder,
         expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= $3
       RETURNING token, expires_at`,
      [name, holder, now, now + ttlMs],
    );
    return row && { token: Number(row.token), expiresAt: Number(row.expires_at) };
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.#run("UPDATE leases SET expires_at = 0 WHERE name = $1 AND holder = $2", [name, holder]);
  }

  /** Nothing is written when the alarm does not exist (it was deleted while being evaluated). */
  async setAlarmState(
    name: string,
    state: AlarmState,
    history: AlarmHistoryItem,
    fence?: LeaseFence,
  ): Promise<void> {
    await this.#tx(async (c) => {
      if (fence !== undefined) {
        // FOR SHARE until COMMIT: a takeover (acquireLease updates the row) waits for this write, so the
        // write lands either before the new token exists or not at all.
        const lease = await c.query<{ token: string }>("SELECT token FROM leases WHERE name = $1 FOR SHARE", [
          fence.lease,
        ]);
        if (lease.rowCount === 0 || Number(lease.rows[0].token) !== fence.token)
          throw new FencedError(`lease ${fence.lease} is no longer held with token ${fence.token}`);
      }
      // FOR UPDATE: a configuration change by another instance between this read and the write below
      // would otherwise be overwritten with the configuration read here.
      const r = await c.query<{ name: string; body: string }>(
        "SELECT name, body FROM alarms WHERE name = $1 FOR UPDATE",
        [name],
      );
      if (r.rowCount === 0) return;
      const { stateReasonData: _, ...alarm } = parseAlarm(r.rows[0]);
      const next: Alarm = {
        ...alarm,
        stateValue: state.stateValue,
        stateReason: state.stateReason,
        stateUpdatedTimestamp: state.stateUpdatedTimestamp,
        stateTransitionedTimestamp: state.stateTransitionedTimestamp,
      };
      if (state.stateReasonData !== undefined) next.stateReasonData = state.stateReasonData;
      await c.query("UPDATE alarms SET body = $2 WHERE name = $1", [name, JSON.stringify(next)]);
      await appendHistory(c, [history]);
    });
  }

  async appendAlarmHistory(items: AlarmHistoryItem[]): Promise<void> {
    if (items.length === 0) {
      this.#assertOpen(); // a closed store rejects even an empty append
      return;
    }
    await this.#tx((c) => appendHistory(c, items));
  }

  /** startDate and endDate are both inclusive; an empty `alarmTypes` matches nothing. */
  async queryAlarmHistory(query: {
    alarmName?: string;
    alarmTypes?: ("MetricAlarm" | "CompositeAlarm")[];
    historyItemType?: HistoryItemType;
    startDate?: number;
    endDate?: number;
    ascending?: boolean;
    offset?: number;
    limit: number;
  }): Promise<AlarmHistoryItem[]> {
    const q = new Params();
    const where: string[] = [];
    if (query.alarmName !== undefined) where.push(`alarm_name = ${q.p(query.alarmName)}`);
    if (query.alarmTypes !== undefined) where.push(`alarm_type = ANY(${q.p(query.alarmTypes)}::text[])`);
    if (query.historyItemType !== undefined) where.push(`item_type = ${q.p(query.historyItemType)}`);
    if (query.startDate !== undefined) where.push(`timestamp >= ${q.p(query.startDate)}`);
    if (query.endDate !== undefined) where.push(`timestamp <= ${q.p(query.endDate)}`);
    const dir = query.ascending ? "ASC" : "DESC";
    const rows = await this.#rows<HistoryRow>(
      `SELECT alarm_name, alarm_type, timestamp, item_type, summary, data FROM alarm_history
       ${whereClause(where)} ORDER BY timestamp ${dir}, id ${dir}
       LIMIT ${q.p(query.limit)} OFFSET ${q.p(query.offset ?? 0)}`,
      q.values,
    );
    return rows.map((r) => ({
      alarmName: r.alarm_name,
      alarmType: r.alarm_type as AlarmHistoryItem["alarmType"],
      timestamp: r.timestamp,
      historyItemType: r.item_type as HistoryItemType,
      historySummary: r.summary,
      historyData: r.data,
    }));
  }

  // ---- checkpoints ----

  async getCheckpoint(source: string): Promise<string | undefined> {
    return (
      await this.#row<{ position: string }>("SELECT position FROM checkpoints WHERE source = $1", [source])
    )?.position;
  }

  // ---- SNS topics and subscriptions ----

  async createTopic(topic: Topic): Promise<Topic> {
    return this.#tx(async (c) => {
      // DO NOTHING on either key: a topic of that name (or ARN) created by another instance, even one
      // still committing, makes this insert wait for it and then leave it as it is.
      await c.query(
        `INSERT INTO sns_topics (topic_arn, name, attributes, tags, creation_time) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [
          topic.topicArn,
          topic.name,
          JSON.stringify(topic.attributes),
          JSON.stringify(topic.tags),
          topic.creationTime,
        ],
      );
      const row = await c.query<TopicRow>("SELECT * FROM sns_topics WHERE name = $1", [topic.name]);
      if (row.rowCount === 0) {
        // The ARN is taken by a topic of another name: only possible when callers build ARNs inconsistently.
        throw new Error(`a topic with ARN ${topic.topicArn} already exists under another name`);
      }
      return toTopic(row.rows[0]);
    });
  }

  async getTopic(topicArn: string): Promise<Topic | undefined> {
    const row = await this.#row<TopicRow>("SELECT * FROM sns_topics WHERE topic_arn = $1", [topicArn]);
    return row && toTopic(row);
  }

  async listTopics(query: { after?: string; limit: number }): Promise<Topic[]> {
    const q = new Params();
    const where = query.after !== undefined ? [`topic_arn > ${q.p(query.after)}`] : [];
    return (
      await this.#rows<TopicRow>(
        `SELECT * FROM sns_topics ${whereClause(where)} ORDER BY topic_arn LIMIT ${q.p(query.limit)}`,
        q.values,
      )
    ).map(toTopic);
  }

  async setTopicAttributes(topicArn: string, attributes: Record<string, string>): Promise<boolean> {
    return this.#tx(async (c) => {
      const row = await c.query<TopicRow>("SELECT * FROM sns_topics WHERE topic_arn = $1 FOR UPDATE", [
        topicArn,
      ]);
      if (row.rowCount === 0) return false;
      const merged = { ...toTopic(row.rows[0]).attributes, ...attributes };
      await c.query("UPDATE sns_topics SET attributes = $2 WHERE topic_arn = $1", [
        topicArn,
        JSON.stringify(merged),
      ]);
      return true;
    });
  }

  async deleteTopic(topicArn: string): Promise<boolean> {
    return this.#tx(async (c) => {
      // Explicit as well as ON DELETE CASCADE, as in the SQLite store.
      await c.query("DELETE FROM sns_subscriptions WHERE topic_arn = $1", [topicArn]);
      return (await c.query("DELETE FROM sns_topics WHERE topic_arn = $1", [topicArn])).rowCount === 1;
    });
  }

  async putSubscription(sub: Subscription): Promise<void> {
    await this.#tx(async (c) => {
      // FOR KEY SHARE: the topic cannot be deleted before this subscription is committed.
      const topic = await c.query("SELECT 1 FROM sns_topics WHERE topic_arn = $1 FOR KEY SHARE", [
        sub.topicArn,
      ]);
      if (topic.rowCount === 0) throw new Error(`the topic ${sub.topicArn} does not exist`);
      await c.query(
        `INSERT INTO sns_subscriptions (subscription_arn, topic_arn, protocol, endpoint, owner,
           pending_confirmation, confirmation_token, token_expires, unsubscribe_token, attributes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (subscription_arn) DO UPDATE SET topic_arn = excluded.topic_arn,
           protocol = excluded.protocol, endpoint = excluded.endpoint, owner = excluded.owner,
           pending_confirmation = excluded.pending_confirmation, confirmation_token = excluded.confirmation_token,
           token_expires = excluded.token_expires, unsubscribe_token = excluded.unsubscribe_token,
           attributes = excluded.attributes, created_at = excluded.created_at`,
        [
          sub.subscriptionArn,
          sub.topicArn,
          sub.protocol,
          sub.endpoint,
          sub.owner,
          sub.pendingConfirmation,
          sub.confirmationToken ?? null,
          sub.tokenExpires ?? null,
          sub.unsubscribeToken,
          JSON.stringify(sub.attributes),
          sub.createdAt,
        ],
      );
    });
  }

  async getSubscription(subscriptionArn: string): Promise<Subscription | undefined> {
    const row = await this.#row<SubscriptionRow>(
      "SELECT * FROM sns_subscriptions WHERE subscription_arn = $1",
      [subscriptionArn],
    );
    return row && toSubscription(row);
  }

  async findSubscriptionByToken(confirmationToken: string): Promise<Subscription | undefined> {
    const row = await this.#row<SubscriptionRow>(
      "SELECT * FROM sns_subscriptions WHERE confirmation_token = $1",
      [confirmationToken],
    );
    return row && toSubscription(row);
  }

  async listSubscriptions(query: {
    topicArn?: string;
    after?: string;
    limit: number;
  }): Promise<Subscription[]> {
    const q = new Params();
    const where: string[] = [];
    if (query.topicArn !== undefined) where.push(`topic_arn = ${q.p(query.topicArn)}`);
    if (query.after !== undefined) where.push(`subscription_arn > ${q.p(query.after)}`);
    return (
      await this.#rows<SubscriptionRow>(
        `SELECT * FROM sns_subscriptions ${whereClause(where)} ORDER BY subscription_arn LIMIT ${q.p(query.limit)}`,
        q.values,
      )
    ).map(toSubscription);
  }

  async deleteSubscription(subscriptionArn: string): Promise<boolean> {
    return (
      (await this.#run("DELETE FROM sns_subscriptions WHERE subscription_arn = $1", [subscriptionArn])) === 1
    );
  }

  async deleteExpiredPendingSubscriptions(before: number): Promise<number> {
    return this.#run("DELETE FROM sns_subscriptions WHERE pending_confirmation AND created_at < $1", [
      before,
    ]);
  }

  // ---- the delivery outbox ----

  async enqueueDeliveries(items: OutboxItem[]): Promise<number> {
    if (items.length === 0) {
      this.#assertOpen(); // a closed store rejects even an empty call
      return 0;
    }
    // One statement, rows in id order (a stable sort keeps the first copy of a repeated id first): two
    // instances enqueueing overlapping items wait on each other's ids in the same order, never in a cycle.
    const rows = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return this.#run(
      `INSERT INTO delivery_outbox (id, subscription_arn, protocol, endpoint, payload, created_at,
         next_attempt_at, attempts, status, last_error, delivered_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
         $7::bigint[], $8::integer[], $9::text[], $10::text[], $11::bigint[])
       ON CONFLICT (id) DO NOTHING`,
      [
        rows.map((i) => i.id),
        rows.map((i) => i.subscriptionArn),
        rows.map((i) => i.protocol),
        rows.map((i) => i.endpoint),
        rows.map((i) => i.payload),
        rows.map((i) => i.createdAt),
        rows.map((i) => i.nextAttemptAt),
        rows.map((i) => i.attempts),
        rows.map((i) => i.status),
        rows.map((i) => i.lastError ?? null),
        rows.map((i) => i.deliveredAt ?? null),
      ],
    );
  }

  async dueDeliveries(now: number, limit: number): Promise<OutboxItem[]> {
    return (
      await this.#rows<OutboxRow>(
        `SELECT * FROM delivery_outbox WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY created_at, id LIMIT $2`,
        [now, limit],
      )
    ).map(toOutboxItem);
  }

  /**
   * One statement: the due items are locked FOR UPDATE SKIP LOCKED and their lease written. An item another
   * instance is claiming at this moment is skipped rather than waited for, so two claimers never get the
   * same item and neither blocks the other.
   */
  async claimDueDeliveries(now: number, leaseUntil: number, limit: number): Promise<OutboxItem[]> {
    return (
      await this.#rows<OutboxRow>(
        `WITH due AS (
           SELECT id FROM delivery_outbox WHERE status = 'pending' AND next_attempt_at <= $1
           ORDER BY created_at, id LIMIT $3
           FOR UPDATE SKIP LOCKED
         ), claimed AS (
           UPDATE delivery_outbox o SET next_attempt_at = $2 FROM due WHERE o.id = due.id RETURNING o.*
         )
         SELECT * FROM claimed ORDER BY created_at, id`,
        [now, leaseUntil, limit],
      )
    ).map(toOutboxItem);
  }

  async recordDeliveryAttempt(
    itemId: string,
    attempt: Omit<DeliveryAttempt, "itemId">,
    update: { status: DeliveryStatus; nextAttemptAt?: number; lastError?: string; deliveredAt?: number },
  ): Promise<boolean> {
    return this.#tx(async (c) => {
      const changed = await c.query(
        `UPDATE delivery_outbox SET attempts = $2, status = $3, next_attempt_at = coalesce($4, next_attempt_at),
           last_error = $5, delivered_at = $6
         WHERE id = $1`,
        [
          itemId,
          attempt.attempt,
          update.status,
          update.nextAttemptAt ?? null,
          update.lastError ?? null,
          update.deliveredAt ?? null,
        ],
      );
      if (changed.rowCount === 0) return false;
      await c.query(
        "INSERT INTO delivery_attempts (item_id, attempt, at, ok, error) VALUES ($1, $2, $3, $4, $5)",
        [itemId, attempt.attempt, attempt.at, attempt.ok, attempt.error ?? null],
      );
      return true;
    });
  }

  async getDelivery(id: string): Promise<OutboxItem | undefined> {
    const row = await this.#row<OutboxRow>("SELECT * FROM delivery_outbox WHERE id = $1", [id]);
    return row && toOutboxItem(row);
  }

  async listDeliveries(query: {
    status?: DeliveryStatus;
    subscriptionArn?: string;
    limit: number;
  }): Promise<OutboxItem[]> {
    const q = new Params();
    const where: string[] = [];
    if (query.status !== undefined) where.push(`status = ${q.p(query.status)}`);
    if (query.subscriptionArn !== undefined) where.push(`subscription_arn = ${q.p(query.subscriptionArn)}`);
    return (
      await this.#rows<OutboxRow>(
        `SELECT * FROM delivery_outbox ${whereClause(where)} ORDER BY created_at, id LIMIT ${q.p(query.limit)}`,
        q.values,
      )
    ).map(toOutboxItem);
  }

  async deliveryAttempts(itemId: string): Promise<DeliveryAttempt[]> {
    return (
      await this.#rows<AttemptRow>("SELECT * FROM delivery_attempts WHERE item_id = $1 ORDER BY attempt", [
        itemId,
      ])
    ).map(toAttempt);
  }

  async countDeliveries(status: DeliveryStatus): Promise<number> {
    return (
      (
        await this.#row<{ n: number }>("SELECT count(*) AS n FROM delivery_outbox WHERE status = $1", [
          status,
        ])
      )?.n ?? 0
    );
  }
}

// ---- helpers ----

/** Event time window [startTime, endTime) and seq bounds, on alias `e`. */
function timeAndSeq(
  q: Params,
  w: { startTime?: number; endTime?: number; afterSeq?: number; beforeSeq?: number },
): string[] {
  const where: string[] = [];
  if (w.startTime !== undefined) where.push(`e.timestamp >= ${q.p(w.startTime)}`);
  if (w.endTime !== undefined) where.push(`e.timestamp < ${q.p(w.endTime)}`);
  if (w.afterSeq !== undefined) where.push(`e.seq > ${q.p(w.afterSeq)}`);
  if (w.beforeSeq !== undefined) where.push(`e.seq < ${q.p(w.beforeSeq)}`);
  return where;
}

/** History items in array order (their ids, hence the order of items of one timestamp, follow it). */
async function appendHistory(c: pg.ClientBase, items: AlarmHistoryItem[]): Promise<void> {
  await c.query(
    `INSERT INTO alarm_history (alarm_name, alarm_type, timestamp, item_type, summary, data)
     SELECT u.alarm_name, u.alarm_type, u.timestamp, u.item_type, u.summary, u.data
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
       AS u (alarm_name, alarm_type, timestamp, item_type, summary, data, n)
     ORDER BY u.n`,
    [
      items.map((i) => i.alarmName),
      items.map((i) => i.alarmType),
      items.map((i) => i.timestamp),
      items.map((i) => i.historyItemType),
      items.map((i) => i.historySummary),
      items.map((i) => i.historyData),
    ],
  );
}
