/**
 * "Which events caused this ALARM?" for the alarm detail page. The state change's reason data names the
 * breaching datapoints (`evaluatedDatapoints`, each a period start); the events behind them are the log
 * events in those periods that a metric filter publishing the alarm's metric matches. They are read back
 * from the store with the filter's own compiled pattern, so the answer holds as long as the events are
 * retained. (Notifications carry the same events as `TrailwatchEvents`; the store is used because it also
 * covers alarms without actions.)
 */
import type { Engine } from "../engine/engine.js";
import { compileFilterPattern } from "../pattern/index.js";
import type { AlarmHistoryItem, MetricAlarm, StoredLogEvent } from "../store/types.js";

const SHOWN = 10;
const MAX_SCANNED = 20_000;

export interface Causes {
  /** Newest first, at most SHOWN. */
  events: StoredLogEvent[];
  total: number;
}

/** [from, to) windows of the breaching periods named by a StateUpdate to ALARM. */
export function breachingWindows(alarm: MetricAlarm, item: AlarmHistoryItem): [number, number][] {
  const periodMs = alarm.period * 1000;
  try {
    const data = JSON.parse(item.historyData) as {
      newState?: { stateReasonData?: { evaluatedDatapoints?: { timestamp?: string; value?: number }[] } };
    };
    const points = data.newState?.stateReasonData?.evaluatedDatapoints ?? [];
    const windows: [number, number][] = [];
    for (const p of points) {
      if (p.value === undefined || typeof p.timestamp !== "string") continue;
      const t = Date.parse(p.timestamp.replace(/\+0000$/, "Z"));
      if (Number.isFinite(t)) windows.push([t, t + periodMs]);
    }
    if (windows.length > 0) return windows;
  } catch {
    // Not AWS-shaped history data: fall back to the evaluation range before the change.
  }
  return [[item.timestamp - periodMs * alarm.evaluationPeriods, item.timestamp + 1]];
}

export async function causesOf(engine: Engine, alarm: MetricAlarm, item: AlarmHistoryItem): Promise<Causes> {
  const windows = breachingWindows(alarm, item);
  const from = Math.min(...windows.map((w) => w[0]));
  const to = Math.max(...windows.map((w) => w[1]));
  const inWindow = (t: number) => windows.some(([a, b]) => t >= a && t < b);
  const filters = await engine.logs.describeMetricFilters({
    metricName: alarm.metricName,
    metricNamespace: alarm.namespace,
  });
  const found: StoredLogEvent[] = [];
  let total = 0;
  for (const f of filters) {
    const pattern = compileFilterPattern(f.filterPattern);
    let after: number | undefined;
    let scanned = 0;
    for (;;) {
      const batch = await engine.store.scanLogEvents({
        logGroupName: f.logGroupName,
        startTime: from,
        endTime: to,
        afterSeq: after,
        limit: 1000,
      });
      for (const e of batch) {
        after = e.seq;
        if (inWindow(e.timestamp) && pattern.test(e.message)) {
          total++;
          found.push(e);
        }
      }
      scanned += batch.length;
      if (batch.length < 1000 || scanned >= MAX_SCANNED) break;
    }
  }
  found.sort((a, b) => b.timestamp - a.timestamp || b.seq - a.seq);
  return { events: found.slice(0, SHOWN), total };
}
