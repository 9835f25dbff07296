import type { Engine } from "./engine.js";

/** CloudWatch keeps metric data for 15 months (455 days, at coarser resolutions); so do we, at full resolution. */
export const DEFAULT_METRIC_RETENTION_DAYS = 455;
const DAY = 86_400_000;

export interface RetentionReport {
  logEventsDeleted: number;
  aggregatesDeleted: number;
}

/**
 * Applies retention: each log group's events older than its retentionInDays (PutRetentionPolicy; groups
 * without one keep everything), metric aggregates older than the metric retention, and in-memory metric
 * data older than any alarm window can reach.
 */
export async function applyRetention(
  engine: Engine,
  now: number,
  metricRetentionDays = DEFAULT_METRIC_RETENTION_DAYS,
): Promise<RetentionReport> {
  const report: RetentionReport = { logEventsDeleted: 0, aggregatesDeleted: 0 };
  let after: string | undefined;
  for (;;) {
    const groups = await engine.store.listLogGroups({ after, limit: 100 });
    if (groups.length === 0) break;
    for (const g of groups) {
      if (g.retentionInDays !== undefined) {
        report.logEventsDeleted += await engine.store.deleteLogEventsBefore(
          g.logGroupName,
          now - g.retentionInDays * DAY,
        );
      }
    }
    after = groups[groups.length - 1].logGroupName;
  }
  report.aggregatesDeleted = await engine.store.deleteAggregatesBefore(now - metricRetentionDays * DAY);
  engine.index.evictBefore(now - engine.alarms.longestRangeMs() - 3_600_000);
  return report;
}
