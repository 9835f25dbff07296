/**
 * The ingest commit on PostgreSQL: a batch's stream bookmarks, metric aggregates, checkpoints and events,
 * written inside one transaction (the caller's). Several instances commit at once, so besides atomicity this
 * file is about concurrency:
 *
 * - Every merge is done under the row's lock: bookmarks and aggregate counts, sums, min and max merge in
 *   the upsert itself (INSERT … ON CONFLICT DO UPDATE works on the latest committed row, not a snapshot);
 *   a percentile sketch, which only JS can merge, is read back from that same upsert — which has locked the
 *   row until COMMIT — merged, and written. No instance can add to the row in between, so no update is lost.
 * - Rows are locked in one global order — bookmarks, series, aggregates, checkpoints, then the change-feed
 *   counter and the event counter, each sorted by key — so two commits never wait for each other in a cycle. (A deadlock with some other
 *   writer is still possible; the transaction helper reruns the batch.)
 * - Each table is written with one statement over arrays (unnest), not one per row: a round trip per
 *   table whatever the batch size. Duplicates within a batch are merged first, because one INSERT … ON
 *   CONFLICT DO UPDATE may not touch the same row twice.
 */
import type pg from "pg";
import { canonicalDimensions } from "../rows.js";
import type { CommitBatch, CommitResult } from "../store.js";
import type { LogStream, MetricAggregate } from "../types.js";
import { logChanges } from "./change-feed.js";

export type MergeSketch = (a: Uint8Array, b: Uint8Array) => Uint8Array;

/**
 * `writer` names the Store instance in the aggregate change feed (its own changes are not handed back to
 * it).
 */
export async function commitBatch(
  client: pg.ClientBase,
  batch: CommitBatch,
  options: { mergeSketch: MergeSketch; writer: string },
): Promise<CommitResult> {
  // The claim first, before any other lock: a second commit of the same claim waits here on the key until
  // the first ends, then finds it committed and writes nothing (or, if the first rolled back, takes it).
  if (batch.claim !== undefined) {
    const claimed = await client.query(
      "INSERT INTO batch_claims (claim, applied_at) VALUES ($1, $2) ON CONFLICT (claim) DO NOTHING",
      [batch.claim, Date.now()],
    );
    if (claimed.rowCount === 0) return { duplicate: true };
  }
  if (batch.streams.length > 0) await upsertStreams(client, batch.streams);
  const seriesIds =
    batch.aggregates.length > 0
      ? await upsertAggregates(client, batch.aggregates, options.mergeSketch)
      : undefined;
  if (batch.checkpoints !== undefined && batch.checkpoints.length > 0)
    await upsertCheckpoints(client, batch.checkpoints);
  // Last, the two counters: their locks order the commits of all instances, so they are held briefly.
  if (seriesIds !== undefined) {
    const logged = batch.aggregates.map((agg) => ({
      seriesId: seriesIds.get(seriesKeyOf(seriesKeyFor(agg)))!,
      agg,
    }));
    await logChanges(client, options.writer, logged);
  }
  if (batch.events.length > 0) return { firstSeq: await insertEvents(client, batch.events) };
  return {};
}

const byKey =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };

// ---- stream bookmarks ----

/** Two bookmarks of one stream in one batch, merged as the store would merge them one after the other. */
function mergeBookmarks(a: LogStream, b: LogStream): LogStream {
  const min = (x?: number, y?: number) => (x === undefined ? y : y === undefined ? x : Math.min(x, y));
  const max = (x?: number, y?: number) => (x === undefined ? y : y === undefined ? x : Math.max(x, y));
  const merged: LogStream = { ...a };
  const first = min(a.firstEventTimestamp, b.firstEventTimestamp);
  const last = max(a.lastEventTimestamp, b.lastEventTimestamp);
  const ingestion = max(a.lastIngestionTime, b.lastIngestionTime);
  if (first !== undefined) merged.firstEventTimestamp = first;
  if (last !== undefined) merged.lastEventTimestamp = last;
  if (ingestion !== undefined) merged.lastIngestionTime = ingestion;
  return merged;
}

/** Bookmarks merge with what is stored (first = min, last = max); a stream not there yet is created. */
async function upsertStreams(client: pg.ClientBase, streams: LogStream[]): Promise<void> {
  const merged = new Map<string, LogStream>();
  for (const s of streams) {
    const key = JSON.stringify([s.logGroupName, s.logStreamName]);
    const prev = merged.get(key);
    merged.set(key, prev === undefined ? s : mergeBookmarks(prev, s));
  }
  const rows = [...merged.entries()].sort(byKey(([k]) => k)).map(([, s]) => s);

  const groupNames = [...new Set(rows.map((s) => s.logGroupName))];
  const found = await client.query<{ id: number; name: string }>(
    "SELECT id, name FROM log_groups WHERE name = ANY($1::text[])",
    [groupNames],
  );
  const groupIds = new Map(found.rows.map((r) => [r.name, r.id]));
  for (const name of groupNames) {
    if (!groupIds.has(name)) throw new Error(`commit: log group ${JSON.stringify(name)} does not exist`);
  }

  // LEAST and GREATEST skip NULLs: a bookmark without some field leaves it as stored.
  await client.query(
    `INSERT INTO log_streams (group_id, name, creation_time, first_event_timestamp, last_event_timestamp,
       last_ingestion_time)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
     ON CONFLICT (group_id, name) DO UPDATE SET
       first_event_timestamp = LEAST(log_streams.first_event_timestamp, excluded.first_event_timestamp),
       last_event_timestamp = GREATEST(log_streams.last_event_timestamp, excluded.last_event_timestamp),
       last_ingestion_time = GREATEST(log_streams.last_ingestion_time, excluded.last_ingestion_time)`,
    [
      rows.map((s) => groupIds.get(s.logGroupName)),
      rows.map((s) => s.logStreamName),
      rows.map((s) => s.creationTime),
      rows.map((s) => s.firstEventTimestamp ?? null),
      rows.map((s) => s.lastEventTimestamp ?? null),
      rows.map((s) => s.lastIngestionTime ?? null),
    ],
  );
}

// ---- metric aggregates ----

interface SeriesKey {
  namespace: string;
  metricName: string;
  dims: string;
}
const seriesKeyOf = (k: SeriesKey) => JSON.stringify([k.namespace, k.metricName, k.dims]);
const seriesKeyFor = (a: MetricAggregate): SeriesKey => ({
  namespace: a.metric.namespace,
  metricName: a.metric.metricName,
  dims: canonicalDimensions(a.metric.dimensions),
});

/**
 * Ids of the series, created when missing. Existing series are locked FOR KEY SHARE until COMMIT, so that
 * retention (deleteAggregatesBefore), which drops series left without aggregates, cannot drop one that this
 * batch is adding to. A series another instance is creating at the same moment makes the INSERT wait for it
 * and then skip it; the next round reads it.
 */
async function seriesIds(client: pg.ClientBase, keys: SeriesKey[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  let missing = keys;
  for (let round = 0; missing.length > 0; round++) {
    if (round === 3) throw new Error("commit: could not create the metric series (concurrently deleted)");
    const params = [
      missing.map((k) => k.namespace),
      missing.map((k) => k.metricName),
      missing.map((k) => k.dims),
    ];
    const found = await client.query<{
      id: number;
      namespace: string;
      metric_name: string;
      dimensions: string;
    }>(
      `SELECT s.id, s.namespace, s.metric_name, s.dimensions
       FROM metric_series s JOIN unnest($1::text[], $2::text[], $3::text[]) AS k (namespace, metric_name, dims)
         ON s.namespace = k.namespace AND s.metric_name = k.metric_name AND md5(s.dimensions) = md5(k.dims)
           AND s.dimensions = k.dims
       ORDER BY s.id
       FOR KEY SHARE OF s`,
      params,
    );
    for (const r of found.rows)
      ids.set(seriesKeyOf({ namespace: r.namespace, metricName: r.metric_name, dims: r.dimensions }), r.id);
    missing = missing.filter((k) => !ids.has(seriesKeyOf(k)));
    if (missing.length === 0) break;
    const created = await client.query<{
      id: number;
      namespace: string;
      metric_name: string;
      dimensions: string;
    }>(
      `INSERT INTO metric_series (namespace, metric_name, dimensions)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (namespace, metric_name, md5(dimensions)) DO NOTHING
       RETURNING id, namespace, metric_name, dimensions`,
      [missing.map((k) => k.namespace), missing.map((k) => k.metricName), missing.map((k) => k.dims)],
    );
    for (const r of created.rows)
      ids.set(seriesKeyOf({ namespace: r.namespace, metricName: r.metric_name, dims: r.dimensions }), r.id);
    missing = missing.filter((k) => !ids.has(seriesKeyOf(k)));
  }
  return ids;
}

/** Two aggregates of one bucket in one batch, merged as the stored row would merge them. */
function mergeAggregates(a: MetricAggregate, b: MetricAggregate, mergeSketch: MergeSketch): MetricAggregate {
  const merged: MetricAggregate = {
    ...a,
    sampleCount: a.sampleCount + b.sampleCount,
    sum: a.sum + b.sum,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
  // As in the store: a bucket keeps a sketch only while every part of it had one.
  if (a.sketch !== undefined && b.sketch !== undefined) merged.sketch = mergeSketch(a.sketch, b.sketch);
  else delete merged.sketch;
  return merged;
}

/** Merges the aggregates into the stored buckets; returns the series ids (by series key). */
async function upsertAggregates(
  client: pg.ClientBase,
  aggregates: MetricAggregate[],
  mergeSketch: MergeSketch,
): Promise<Map<string, number>> {
  const series = new Map<string, SeriesKey>();
  const buckets = new Map<string, { series: string; agg: MetricAggregate }>();
  for (const a of aggregates) {
    const key = seriesKeyFor(a);
    const sk = seriesKeyOf(key);
    series.set(sk, key);
    const bk = JSON.stringify([sk, a.timestamp, a.resolution, a.unit]);
    const prev = buckets.get(bk);
    buckets.set(bk, { series: sk, agg: prev === undefined ? a : mergeAggregates(prev.agg, a, mergeSketch) });
  }
  const ids = await seriesIds(
    client,
    [...series.entries()].sort(byKey(([k]) => k)).map(([, k]) => k),
  );

  const rows = [...buckets.values()]
    .map(({ series: sk, agg }) => ({ seriesId: ids.get(sk)!, agg }))
    .sort((x, y) =>
      x.seriesId !== y.seriesId
        ? x.seriesId - y.seriesId
        : x.agg.timestamp !== y.agg.timestamp
          ? x.agg.timestamp - y.agg.timestamp
          : x.agg.resolution !== y.agg.resolution
            ? x.agg.resolution - y.agg.resolution
            : x.agg.unit < y.agg.unit
              ? -1
              : x.agg.unit > y.agg.unit
                ? 1
                : 0,
    );
  const bucketKey = (seriesId: number, timestamp: number, resolution: number, unit: string) =>
    JSON.stringify([seriesId, timestamp, resolution, unit]);

  // Counts, sums, min and max merge here. The sketch column is set to the stored sketch (NULL when this
  // side has none: a merge with a side without a sketch keeps none), and RETURNING hands it back with the
  // row locked; `xmax = 0` tells a fresh insert (nothing to merge, nothing sent back) from an update.
  const upserted = await client.query<{
    series_id: number;
    timestamp: number;
    resolution: number;
    unit: string;
    sketch: Buffer | null;
    inserted: boolean;
  }>(
    `INSERT INTO metric_aggregates (series_id, timestamp, resolution, unit, sample_count, sum, min_value,
       max_value, sketch)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::integer[], $4::text[], $5::float8[], $6::float8[],
       $7::float8[], $8::float8[], $9::bytea[])
     ON CONFLICT (series_id, timestamp, resolution, unit) DO UPDATE SET
       sample_count = metric_aggregates.sample_count + excluded.sample_count,
       sum = metric_aggregates.sum + excluded.sum,
       min_value = LEAST(metric_aggregates.min_value, excluded.min_value),
       max_value = GREATEST(metric_aggregates.max_value, excluded.max_value),
       sketch = CASE WHEN excluded.sketch IS NULL THEN NULL ELSE metric_aggregates.sketch END
     RETURNING series_id, timestamp, resolution, unit, xmax = 0 AS inserted,
       CASE WHEN xmax = 0 THEN NULL ELSE sketch END AS sketch`,
    [
      rows.map((r) => r.seriesId),
      rows.map((r) => r.agg.timestamp),
      rows.map((r) => r.agg.resolution),
      rows.map((r) => r.agg.unit),
      rows.map((r) => r.agg.sampleCount),
      rows.map((r) => r.agg.sum),
      rows.map((r) => r.agg.min),
      rows.map((r) => r.agg.max),
      rows.map((r) => r.agg.sketch ?? null),
    ],
  );

  const ours = new Map(
    rows.map((r) => [bucketKey(r.seriesId, r.agg.timestamp, r.agg.resolution, r.agg.unit), r.agg.sketch]),
  );
  const merges: {
    seriesId: number;
    timestamp: number;
    resolution: number;
    unit: string;
    sketch: Uint8Array;
  }[] = [];
  for (const r of upserted.rows) {
    if (r.inserted || r.sketch === null) continue;
    const mine = ours.get(bucketKey(r.series_id, r.timestamp, r.resolution, r.unit));
    if (mine === undefined) continue;
    merges.push({
      seriesId: r.series_id,
      timestamp: r.timestamp,
      resolution: r.resolution,
      unit: r.unit,
      sketch: mergeSketch(new Uint8Array(r.sketch), mine),
    });
  }
  if (merges.length > 0) {
    await client.query(
      `UPDATE metric_aggregates a SET sketch = m.sketch
       FROM unnest($1::bigint[], $2::bigint[], $3::integer[], $4::text[], $5::bytea[])
         AS m (series_id, timestamp, resolution, unit, sketch)
       WHERE a.series_id = m.series_id AND a.timestamp = m.timestamp AND a.resolution = m.resolution
         AND a.unit = m.unit`,
      [
        merges.map((m) => m.seriesId),
        merges.map((m) => m.timestamp),
        merges.map((m) => m.resolution),
        merges.map((m) => m.unit),
        merges.map((m) => m.sketch),
      ],
    );
  }
  return ids;
}

// ---- checkpoints ----

/** Last write wins, within the batch too. */
async function upsertCheckpoints(
  client: pg.ClientBase,
  checkpoints: { source: string; position: string }[],
): Promise<void> {
  const last = new Map<string, string>();
  for (const c of checkpoints) last.set(c.source, c.position);
  const rows = [...last.entries()].sort(byKey(([s]) => s));
  await client.query(
    `INSERT INTO checkpoints (source, position) SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (source) DO UPDATE SET position = excluded.position`,
    [rows.map(([s]) => s), rows.map(([, p]) => p)],
  );
}

// ---- events ----

/** Inserts the events with consecutive seqs, in array order; returns the first seq. */
async function insertEvents(client: pg.ClientBase, events: CommitBatch["events"]): Promise<number> {
  const pairs = new Map<string, { group: string; stream: string }>();
  for (const e of events)
    pairs.set(JSON.stringify([e.logGroupName, e.logStreamName]), {
      group: e.logGroupName,
      stream: e.logStreamName,
    });
  const list = [...pairs.values()];
  const found = await client.query<{ id: number; group_id: number; group_name: string; name: string }>(
    `SELECT s.id, s.group_id, g.name AS group_name, s.name
     FROM log_streams s JOIN log_groups g ON g.id = s.group_id
       JOIN unnest($1::text[], $2::text[]) AS k (group_name, stream_name)
         ON g.name = k.group_name AND s.name = k.stream_name`,
    [list.map((p) => p.group), list.map((p) => p.stream)],
  );
  const ids = new Map(found.rows.map((r) => [JSON.stringify([r.group_name, r.name]), r]));
  for (const e of events) {
    if (!ids.has(JSON.stringify([e.logGroupName, e.logStreamName]))) {
      throw new Error(
        `commit: log stream ${JSON.stringify(e.logStreamName)} of ${JSON.stringify(e.logGroupName)} does not exist`,
      );
    }
  }
  const block = await client.query<{ first: number }>(
    "UPDATE event_seq SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq - $1 + 1 AS first",
    [events.length],
  );
  const first = block.rows[0].first;
  const stream = events.map((e) => ids.get(JSON.stringify([e.logGroupName, e.logStreamName]))!);
  await client.query(
    `INSERT INTO log_events (seq, group_id, stream_id, timestamp, ingestion_time, message)
     SELECT $1::bigint + u.n - 1, u.group_id, u.stream_id, u.timestamp, u.ingestion_time, u.message
     FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[]) WITH ORDINALITY
       AS u (group_id, stream_id, timestamp, ingestion_time, message, n)`,
    [
      first,
      stream.map((s) => s.group_id),
      stream.map((s) => s.id),
      events.map((e) => e.timestamp),
      events.map((e) => e.ingestionTime),
      events.map((e) => e.message),
    ],
  );
  return first;
}
