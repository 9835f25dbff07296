/**
 * The aggregate change feed on PostgreSQL: every commit's aggregates, as committed (deltas, not totals), in
 * `aggregate_changes` with the Store instance that wrote them, so that each instance can add to its
 * in-memory metrics what the OTHER instances committed. Seqs come from the one-row counter
 * `aggregate_change_seq`, whose lock the commit holds until COMMIT: seqs follow commit order, so a reader
 * that has seen seq C will find everything committed later after C.
 */
import type pg from "pg";
import { type AggregateRow, parseDimensions } from "../rows.js";
import type { MetricAggregate, StandardUnit } from "../types.js";

/** How long the log keeps a change (followers poll every second or so; one further behind reloads). */
export const CHANGE_LOG_KEPT_MS = 24 * 3600 * 1000;

/** Inside the commit's transaction: appends the batch's aggregates, in array order, to the log. */
export async function logChanges(
  client: pg.ClientBase,
  writer: string,
  aggregates: { seriesId: number; agg: MetricAggregate }[],
): Promise<void> {
  const block = await client.query<{ first: number }>(
    "UPDATE aggregate_change_seq SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq - $1 + 1 AS first",
    [aggregates.length],
  );
  await client.query(
    `INSERT INTO aggregate_changes (seq, writer, committed_at, series_id, timestamp, resolution, unit,
       sample_count, sum, min_value, max_value, sketch)
     SELECT $1::bigint + u.n - 1, $2, $3, u.series_id, u.timestamp, u.resolution, u.unit, u.sample_count, u.sum,
       u.min_value, u.max_value, u.sketch
     FROM unnest($4::bigint[], $5::bigint[], $6::integer[], $7::text[], $8::float8[], $9::float8[],
       $10::float8[], $11::float8[], $12::bytea[]) WITH ORDINALITY
       AS u (series_id, timestamp, resolution, unit, sample_count, sum, min_value, max_value, sketch, n)`,
    [
      block.rows[0].first,
      writer,
      Date.now(),
      aggregates.map((a) => a.seriesId),
      aggregates.map((a) => a.agg.timestamp),
      aggregates.map((a) => a.agg.resolution),
      aggregates.map((a) => a.agg.unit),
      aggregates.map((a) => a.agg.sampleCount),
      aggregates.map((a) => a.agg.sum),
      aggregates.map((a) => a.agg.min),
      aggregates.map((a) => a.agg.max),
      aggregates.map((a) => a.agg.sketch ?? null),
    ],
  );
}

export async function changeHead(db: pg.Pool): Promise<number> {
  const r = await db.query<{ last_seq: number }>("SELECT last_seq FROM aggregate_change_seq WHERE id = 1");
  return r.rows[0]?.last_seq ?? 0;
}

/**
 * Changes after `cursor` that `writer` did not write, looking at no more than `limit` logged changes; the
 * cursor moves past all of those looked at, so a page of only the reader's own changes comes back empty
 * with an advanced cursor.
 */
export async function changesSince(
  db: pg.Pool,
  writer: string,
  cursor: number,
  limit: number,
): Promise<{ changes: MetricAggregate[]; cursor: number }> {
  const rows = (
    await db.query<
      AggregateRow & {
        seq: number;
        writer: string;
        namespace: string;
        metric_name: string;
        dimensions: string;
      }
    >(
      `SELECT c.seq, c.writer, c.timestamp, c.resolution, c.unit, c.sample_count, c.sum, c.min_value,
         c.max_value, c.sketch, s.namespace, s.metric_name, s.dimensions
       FROM aggregate_changes c JOIN metric_series s ON s.id = c.series_id
       WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`,
      [cursor, Math.max(0, Math.trunc(limit))],
    )
  ).rows;
  const changes: MetricAggregate[] = [];
  for (const r of rows) {
    if (r.writer === writer) continue;
    const a: MetricAggregate = {
      metric: {
        namespace: r.namespace,
        metricName: r.metric_name,
        dimensions: parseDimensions(r.dimensions, "aggregate_changes"),
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
    changes.push(a);
  }
  // A page cut short by the JOIN (its series dropped by retention) still moves past what it looked at.
  return { changes, cursor: rows.length > 0 ? rows[rows.length - 1].seq : cursor };
}

/** Drops changes older than the log keeps; its own statement, outside any commit. */
export async function pruneChanges(db: pg.Pool, now: number): Promise<number> {
  const r = await db.query("DELETE FROM aggregate_changes WHERE committed_at < $1", [
    now - CHANGE_LOG_KEPT_MS,
  ]);
  return r.rowCount ?? 0;
}
