/**
 * The SQLite schema as numbered migrations. Each migration runs once, in its own transaction, and is
 * recorded in `schema_migrations`; opening an older file applies the missing ones, and a file whose newest
 * recorded migration is beyond what this code knows is refused (an older trailwatch must not write a
 * schema it does not understand). Append new migrations at the end; never edit a released one.
 */

import type Database from "better-sqlite3";
import { SchemaError } from "../errors.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** `PRAGMA application_id` of a trailwatch store ("TRLW"), so that a foreign SQLite file is not adopted. */
export const APPLICATION_ID = 0x54524c57;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE log_groups (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        creation_time INTEGER NOT NULL,
        retention_in_days INTEGER,
        tags TEXT NOT NULL
      ) STRICT;

      CREATE TABLE log_streams (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        creation_time INTEGER NOT NULL,
        first_event_timestamp INTEGER,
        last_event_timestamp INTEGER,
        last_ingestion_time INTEGER,
        UNIQUE (group_id, name)
      ) STRICT;

      -- seq is the FilterLogEvents eventId: AUTOINCREMENT so that it never goes back, even after the newest
      -- events were deleted. Group and stream are ids (names live once, in log_streams).
      CREATE TABLE log_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        group_id INTEGER NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
        stream_id INTEGER NOT NULL REFERENCES log_streams (id) ON DELETE CASCADE,
        timestamp INTEGER NOT NULL,
        ingestion_time INTEGER NOT NULL,
        message TEXT NOT NULL
      ) STRICT;
      -- Time windows (the rowid, seq, ends every index: these are (stream, timestamp, seq) and
      -- (group, timestamp, seq)) ...
      CREATE INDEX log_events_stream_time ON log_events (stream_id, timestamp);
      CREATE INDEX log_events_group_time ON log_events (group_id, timestamp);
      -- ... and seq-order pages without a time window, which would otherwise sort the whole stream or group
      -- for every page: (stream, seq) and (group, seq).
      CREATE INDEX log_events_stream_seq ON log_events (stream_id);
      CREATE INDEX log_events_group_seq ON log_events (group_id);

      CREATE TABLE metric_filters (
        group_id INTEGER NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
        filter_name TEXT NOT NULL,
        filter_pattern TEXT NOT NULL,
        metric_transformations TEXT NOT NULL,
        emit_system_field_dimensions TEXT,
        creation_time INTEGER NOT NULL,
        PRIMARY KEY (group_id, filter_name)
      ) STRICT;

      -- dimensions: canonical JSON, [{"Name":..,"Value":..}] sorted by Name, so one series has one row.
      CREATE TABLE metric_series (
        id INTEGER PRIMARY KEY,
        namespace TEXT NOT NULL,
        metric_name TEXT NOT NULL,
        dimensions TEXT NOT NULL,
        UNIQUE (namespace, metric_name, dimensions)
      ) STRICT;

      -- Keyed by (series, timestamp, ...) rather than (series, resolution, timestamp, ...): queryAggregates and
      -- listMetrics' "since" ask by series and time across resolutions.
      CREATE TABLE metric_aggregates (
        series_id INTEGER NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
        timestamp INTEGER NOT NULL,
        resolution INTEGER NOT NULL,
        unit TEXT NOT NULL,
        sample_count REAL NOT NULL,
        sum REAL NOT NULL,
        min_value REAL NOT NULL,
        max_value REAL NOT NULL,
        sketch BLOB,
        PRIMARY KEY (series_id, timestamp, resolution, unit)
      ) STRICT;
      CREATE INDEX metric_aggregates_time ON metric_aggregates (timestamp);

      CREATE TABLE alarms (
        name TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        body TEXT NOT NULL
      ) STRICT;

      -- No foreign key: history outlives the alarm.
      CREATE TABLE alarm_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alarm_name TEXT NOT NULL,
        alarm_type TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        item_type TEXT NOT NULL,
        summary TEXT NOT NULL,
        data TEXT NOT NULL
      ) STRICT;
      CREATE INDEX alarm_history_name_time ON alarm_history (alarm_name, timestamp);
      CREATE INDEX alarm_history_time ON alarm_history (timestamp);

      CREATE TABLE checkpoints (
        source TEXT PRIMARY KEY,
        position TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: "sns topics and subscriptions",
    sql: `
      CREATE TABLE sns_topics (
        topic_arn TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL,
        creation_time INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sns_subscriptions (
        subscription_arn TEXT PRIMARY KEY,
        topic_arn TEXT NOT NULL REFERENCES sns_topics (topic_arn) ON DELETE CASCADE,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        owner TEXT NOT NULL,
        pending_confirmation INTEGER NOT NULL,
        confirmation_token TEXT UNIQUE,
        token_expires INTEGER,
        unsubscribe_token TEXT NOT NULL,
        attributes TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_arn, subscription_arn);
      CREATE INDEX sns_subscriptions_pending ON sns_subscriptions (pending_confirmation, created_at);
    `,
  },
  {
    version: 3,
    name: "delivery outbox",
    sql: `
      -- No foreign key to sns_subscriptions: a message outlives an unsubscribe (its log stays readable).
      CREATE TABLE delivery_outbox (
        id TEXT PRIMARY KEY,
        subscription_arn TEXT NOT NULL,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        status TEXT NOT NULL,
        last_error TEXT,
        delivered_at INTEGER
      ) STRICT;
      CREATE INDEX delivery_outbox_due ON delivery_outbox (status, next_attempt_at);
      CREATE INDEX delivery_outbox_status_created ON delivery_outbox (status, created_at);
      CREATE INDEX delivery_outbox_subscription ON delivery_outbox (subscription_arn, created_at);

      CREATE TABLE delivery_attempts (
        item_id TEXT NOT NULL REFERENCES delivery_outbox (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        at INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        error TEXT,
        PRIMARY KEY (item_id, attempt)
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: "aggregate change feed",
    sql: `
      -- The aggregate deltas of every commit, in commit order, and which store connection wrote them: a
      -- process (serve) adds to its in-memory metrics what OTHER processes (ingest) committed. AUTOINCREMENT
      -- so that seq never goes back, even after old rows are pruned; writers hold the write lock for the
      -- whole transaction, so seqs follow commit order.
      CREATE TABLE aggregate_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        writer TEXT NOT NULL,
        committed_at INTEGER NOT NULL,
        series_id INTEGER NOT NULL,
        timestamp INTEGER NOT NULL,
        resolution INTEGER NOT NULL,
        unit TEXT NOT NULL,
        sample_count REAL NOT NULL,
        sum REAL NOT NULL,
        min_value REAL NOT NULL,
        max_value REAL NOT NULL,
        sketch BLOB
      ) STRICT;
      CREATE INDEX aggregate_changes_time ON aggregate_changes (committed_at);
    `,
  },
  {
    version: 5,
    name: "batch claims and leases",
    sql: `
      -- The bus batches already applied (CommitBatch.claim), written by the commit that applies one, so a
      -- batch delivered twice is counted once; pruned by age (deleteBatchClaimsBefore).
      CREATE TABLE batch_claims (
        claim TEXT PRIMARY KEY,
        applied_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX batch_claims_time ON batch_claims (applied_at);
      -- Leases with fencing tokens: which instance evaluates alarms (src/cluster).
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        token INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];

export { SchemaError };

/** The newest migration recorded in the file (0 for a new file). */
export function schemaVersion(db: Database.Database): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) return 0;
  const row = db.prepare("SELECT max(version) AS v FROM schema_migrations").get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Brings the file to the newest migration of `migrations` (MIGRATIONS outside tests). Each pending
 * migration runs in its own IMMEDIATE transaction that re-reads the version first, so two processes
 * opening a new file at once do not both apply it; a failing migration rolls back whole.
 */
export function migrate(
  db: Database.Database,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
): void {
  const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const appId = db.pragma("application_id", { simple: true }) as number;
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw new SchemaError(`${where}: not a trailwatch store (SQLite application_id ${appId})`);
  }
  if (appId === 0 && schemaVersion(db) === 0) {
    const objects = db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
    if (objects.n > 0)
      throw new SchemaError(`${where}: not a trailwatch store (an SQLite file with other tables)`);
  }
  const found = schemaVersion(db);
  if (found > known) {
    throw new SchemaError(
      `${where}: the store's schema is version ${found}, newer than this trailwatch knows (${known}); ` +
        "run a trailwatch at least as new as the one that last wrote it",
    );
  }
  for (const m of migrations) {
    if (m.version <= found) continue;
    const apply = db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at INTEGER NOT NULL
      ) STRICT`);
      if (schemaVersion(db) >= m.version) return;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        Date.now(),
      );
      db.pragma(`application_id = ${APPLICATION_ID}`);
    });
    try {
      apply.immediate();
    } catch (err) {
      throw new SchemaError(
        `${where}: migration ${m.version} (${m.name}) failed: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }
}
