/**
 * The PostgreSQL schema as numbered migrations, the counterpart of src/store/sqlite/migrations.ts (same
 * tables and columns, PostgreSQL types). Each migration runs once, in its own transaction, and is recorded in
 * `trailwatch_migrations`; a schema whose newest recorded migration is beyond what this code knows is
 * refused (an older trailwatch must not write a schema it does not understand). Append new migrations at
 * the end; never edit a released one.
 *
 * Types: times are epoch milliseconds in BIGINT; names that are listed in order are `COLLATE "C"` so that
 * they sort by code point as in SQLite, whatever the database's default collation; JSON is kept as TEXT,
 * byte for byte as written (jsonb would reorder keys and rewrite numbers).
 */
import type pg from "pg";
import { quoteIdent } from "./connection.js";
import { SchemaError } from "./errors.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The table that records applied migrations; a name no other tool uses (Rails has schema_migrations). */
export const MIGRATIONS_TABLE = "trailwatch_migrations";

/** First key of the advisory lock taken while migrating ("TRLW"); the second is the schema's hash. */
export const MIGRATION_LOCK = 0x54524c57;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE log_groups (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL UNIQUE,
        creation_time BIGINT NOT NULL,
        retention_in_days INTEGER,
        tags TEXT NOT NULL
      );

      CREATE TABLE log_streams (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        group_id BIGINT NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
        name TEXT COLLATE "C" NOT NULL,
        creation_time BIGINT NOT NULL,
        first_event_timestamp BIGINT,
        last_event_timestamp BIGINT,
        last_ingestion_time BIGINT,
        UNIQUE (group_id, name)
      );

      -- The last seq handed out. Not a SEQUENCE: commit takes a block of consecutive seqs by updating this
      -- one row, and the row lock it holds until COMMIT orders event commits, so seq order is commit order
      -- (a reader paging by seq never skips a batch that commits late) and a rolled-back batch leaves no gap.
      CREATE TABLE event_seq (
        id SMALLINT PRIMARY KEY CHECK (id = 1),
        last_seq BIGINT NOT NULL
      );
      INSERT INTO event_seq (id, last_seq) VALUES (1, 0);

      -- seq is the FilterLogEvents eventId.
      CREATE TABLE log_events (
        seq BIGINT PRIMARY KEY,
        group_id BIGINT NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
        stream_id BIGINT NOT NULL REFERENCES log_streams (id) ON DELETE CASCADE,
        timestamp BIGINT NOT NULL,
        ingestion_time BIGINT NOT NULL,
        message TEXT NOT NULL
      );
      -- Pages in seq order, of a stream or a group, with or without a time window.
      CREATE INDEX log_events_stream_seq ON log_events (stream_id, seq);
      CREATE INDEX log_events_stream_time ON log_events (stream_id, timestamp, seq);
      CREATE INDEX log_events_group_seq ON log_events (group_id, seq);
      CREATE INDEX log_events_group_time ON log_events (group_id, timestamp, seq);

      CREATE TABLE metric_filters (
        group_id BIGINT NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
        filter_name TEXT COLLATE "C" NOT NULL,
        filter_pattern TEXT NOT NULL,
        metric_transformations TEXT NOT NULL,
        emit_system_field_dimensions TEXT,
        creation_time BIGINT NOT NULL,
        PRIMARY KEY (group_id, filter_name)
      );

      -- dimensions: canonical JSON, [{"Name":..,"Value":..}] sorted by Name, so one series has one row. The
      -- unique index takes its md5: 30 dimensions of up to 1,024-character values would not fit a btree entry.
      CREATE TABLE metric_series (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        namespace TEXT COLLATE "C" NOT NULL,
        metric_name TEXT COLLATE "C" NOT NULL,
        dimensions TEXT COLLATE "C" NOT NULL
      );
      CREATE UNIQUE INDEX metric_series_key ON metric_series (namespace, metric_name, md5(dimensions));

      -- Keyed by (series, timestamp, ...) rather than (series, resolution, timestamp, ...): queryAggregates and
      -- listMetrics' "since" ask by series and time across resolutions.
      CREATE TABLE metric_aggregates (
        series_id BIGINT NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
        timestamp BIGINT NOT NULL,
        resolution INTEGER NOT NULL,
        unit TEXT COLLATE "C" NOT NULL,
        sample_count DOUBLE PRECISION NOT NULL,
        sum DOUBLE PRECISION NOT NULL,
        min_value DOUBLE PRECISION NOT NULL,
        max_value DOUBLE PRECISION NOT NULL,
        sketch BYTEA,
        PRIMARY KEY (series_id, timestamp, resolution, unit)
      );
      CREATE INDEX metric_aggregates_time ON metric_aggregates (timestamp);

      CREATE TABLE alarms (
        name TEXT COLLATE "C" PRIMARY KEY,
        type TEXT NOT NULL,
        body TEXT NOT NULL
      );

      -- No foreign key: history outlives the alarm. id orders items of the same timestamp.
      CREATE TABLE alarm_history (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        alarm_name TEXT COLLATE "C" NOT NULL,
        alarm_type TEXT NOT NULL,
        timestamp BIGINT NOT NULL,
        item_type TEXT NOT NULL,
        summary TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX alarm_history_name_time ON alarm_history (alarm_name, timestamp, id);
      CREATE INDEX alarm_history_time ON alarm_history (timestamp, id);

      CREATE TABLE checkpoints (
        source TEXT COLLATE "C" PRIMARY KEY,
        position TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: "sns topics and subscriptions",
    sql: `
      CREATE TABLE sns_topics (
        topic_arn TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL UNIQUE,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL,
        creation_time BIGINT NOT NULL
      );

      CREATE TABLE sns_subscriptions (
        subscription_arn TEXT COLLATE "C" PRIMARY KEY,
        topic_arn TEXT COLLATE "C" NOT NULL REFERENCES sns_topics (topic_arn) ON DELETE CASCADE,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        owner TEXT NOT NULL,
        pending_confirmation BOOLEAN NOT NULL,
        confirmation_token TEXT COLLATE "C" UNIQUE,
        token_expires BIGINT,
        unsubscribe_token TEXT NOT NULL,
        attributes TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
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
        id TEXT COLLATE "C" PRIMARY KEY,
        subscription_arn TEXT COLLATE "C" NOT NULL,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        next_attempt_at BIGINT NOT NULL,
        attempts INTEGER NOT NULL,
        status TEXT NOT NULL,
        last_error TEXT,
        delivered_at BIGINT
      );
      CREATE INDEX delivery_outbox_due ON delivery_outbox (status, next_attempt_at);
      CREATE INDEX delivery_outbox_status_created ON delivery_outbox (status, created_at, id);
      CREATE INDEX delivery_outbox_subscription ON delivery_outbox (subscription_arn, created_at, id);

      CREATE TABLE delivery_attempts (
        item_id TEXT COLLATE "C" NOT NULL REFERENCES delivery_outbox (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        at BIGINT NOT NULL,
        ok BOOLEAN NOT NULL,
        error TEXT,
        PRIMARY KEY (item_id, attempt)
      );
    `,
  },
  {
    version: 4,
    name: "aggregate change feed",
    sql: `
      -- The aggregate deltas of every commit, in commit order, and which Store instance wrote them: an
      -- instance adds to its in-memory metrics what OTHER instances committed. No foreign key to
      -- metric_series: a change whose series retention has dropped is simply no longer listed.
      CREATE TABLE aggregate_changes (
        seq BIGINT PRIMARY KEY,
        writer TEXT NOT NULL,
        committed_at BIGINT NOT NULL,
        series_id BIGINT NOT NULL,
        timestamp BIGINT NOT NULL,
        resolution INTEGER NOT NULL,
        unit TEXT NOT NULL,
        sample_count DOUBLE PRECISION NOT NULL,
        sum DOUBLE PRECISION NOT NULL,
        min_value DOUBLE PRECISION NOT NULL,
        max_value DOUBLE PRECISION NOT NULL,
        sketch BYTEA
      );
      CREATE INDEX aggregate_changes_time ON aggregate_changes (committed_at);

      -- The last change seq handed out, the feed's head: like event_seq, one row whose lock commit holds
      -- until COMMIT, so seqs follow commit order and never go back (pruning the log leaves it alone).
      CREATE TABLE aggregate_change_seq (
        id SMALLINT PRIMARY KEY CHECK (id = 1),
        last_seq BIGINT NOT NULL
      );
      INSERT INTO aggregate_change_seq (id, last_seq) VALUES (1, 0);
    `,
  },
  {
    version: 5,
    name: "batch claims and leases",
    sql: `
      -- The bus batches already applied (CommitBatch.claim), inserted first by the commit that applies
      -- one: a second commit of the same claim waits on the key, then finds it and writes nothing.
      CREATE TABLE batch_claims (
        claim TEXT COLLATE "C" PRIMARY KEY,
        applied_at BIGINT NOT NULL
      );
      CREATE INDEX batch_claims_time ON batch_claims (applied_at);
      -- Leases with fencing tokens: which instance evaluates alarms (src/cluster).
      CREATE TABLE leases (
        name TEXT COLLATE "C" PRIMARY KEY,
        holder TEXT NOT NULL,
        token BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
    `,
  },
];

/** The newest migration recorded in the schema (0 when it has none). */
export async function schemaVersion(client: pg.ClientBase, schema: string): Promise<number> {
  const table = await client.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [
    `${quoteIdent(schema)}.${MIGRATIONS_TABLE}`,
  ]);
  if (table.rows[0].t === null) return 0;
  const row = await client.query<{ v: number | null }>(
    `SELECT max(version) AS v FROM ${quoteIdent(schema)}.${MIGRATIONS_TABLE}`,
  );
  return row.rows[0].v ?? 0;
}

/**
 * Brings `schema` to the newest of `migrations` (MIGRATIONS outside tests), creating the schema when it does
 * not exist. Each pending migration runs in its own transaction under a transaction-level advisory lock
 * keyed by the schema, and re-reads the version after taking it: instances starting at once apply each
 * migration exactly once, the others wait and find it done. PostgreSQL's DDL is transactional, so a failing
 * migration rolls back whole.
 */
export async function migrate(
  pool: pg.Pool,
  schema: string,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<void> {
  const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    for (;;) {
      await client.query("BEGIN");
      try {
        const pending = await nextMigration(client, schema, where, known, migrations);
        if (pending === undefined) {
          await client.query("COMMIT");
          return;
        }
        await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
          version INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          applied_at BIGINT NOT NULL
        )`);
        try {
          await client.query(pending.sql);
        } catch (err) {
          throw new SchemaError(
            `${where}: migration ${pending.version} (${pending.name}) failed: ${(err as Error).message}`,
            { cause: err },
          );
        }
        await client.query(
          `INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES ($1, $2, $3)`,
          [pending.version, pending.name, Date.now()],
        );
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK").catch((e: Error) => {
          broken = e;
        });
        throw err;
      }
    }
  } finally {
    client.release(broken);
  }
}

/** Inside the migration transaction: takes the lock, checks the schema, returns the next migration to apply. */
async function nextMigration(
  client: pg.ClientBase,
  schema: string,
  where: string,
  known: number,
  migrations: readonly Migration[],
): Promise<Migration | undefined> {
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [MIGRATION_LOCK, schema]);
  const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
  // Created only when missing: CREATE SCHEMA IF NOT EXISTS would need the CREATE privilege on the
  // database even when an administrator made the schema beforehand.
  if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
  await client.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);

  const found = await schemaVersion(client, schema);
  if (found === 0) {
    const others = await client.query(
      "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname <> $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') LIMIT 1",
      [schema, MIGRATIONS_TABLE],
    );
    if ((others.rowCount ?? 0) > 0) {
      throw new SchemaError(
        `${where}: not a trailwatch store (the schema holds other tables and no ${MIGRATIONS_TABLE}); ` +
          "give trailwatch a schema of its own",
      );
    }
  }
  if (found > known) {
    throw new SchemaError(
      `${where}: the store's schema is version ${found}, newer than this trailwatch knows (${known}); ` +
        "run a trailwatch at least as new as the one that last wrote it",
    );
  }
  return migrations.find((m) => m.version > found);
}
