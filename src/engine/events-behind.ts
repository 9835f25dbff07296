import type { CollectedEvents, EventRefs } from "../metrics/event-refs.js";
import type { MetricAlarm } from "../store/types.js";
import { seriesKey } from "./series-key.js";
import type { AlarmTransition } from "./transitions.js";

/**
 * The log events behind an ALARM transition of a metric alarm: those of the alarm's series in the periods of
 * the breaching datapoints, as StateReasonData's `evaluatedDatapoints` names them (for ALARM, the M most
 * recent breaching ones). When the reason data names none (SetAlarmState, a reason written by hand), the
 * alarm's whole evaluation window before the transition stands in. Undefined for other transitions and
 * for composite alarms, whose children carry their own events.
 */
export function eventsBehind(refs: EventRefs, t: AlarmTransition): CollectedEvents | undefined {
  if (t.newState !== "ALARM" || t.alarm.alarmType !== "MetricAlarm") return undefined;
  const alarm = t.alarm;
  const periodMs = alarm.period * 1000;
  const ranges = breachingPeriods(t.reasonData).map((from) => ({ from, to: from + periodMs }));
  if (ranges.length === 0) {
    const end = Math.ceil(t.timestamp / periodMs) * periodMs;
    ranges.push({ from: end - periodMs * alarm.evaluationPeriods, to: end });
  }
  return refs.collectRanges(alarmSeriesKey(alarm), ranges);
}

export function alarmSeriesKey(alarm: MetricAlarm): string {
  return seriesKey({
    namespace: alarm.namespace,
    metricName: alarm.metricName,
    dimensions: alarm.dimensions,
  });
}

/** Start times (ms) of the datapoints with a value in StateReasonData's `evaluatedDatapoints`. */
function breachingPeriods(reasonData: string | undefined): number[] {
  if (!reasonData) return [];
  let data: unknown;
  try {
    data = JSON.parse(reasonData);
  } catch {
    return [];
  }
  const points = (data as { evaluatedDatapoints?: unknown })?.evaluatedDatapoints;
  if (!Array.isArray(points)) return [];
  const starts: number[] = [];
  for (const p of points) {
    if (typeof p !== "object" || p === null || typeof (p as { value?: unknown }).value !== "number") continue;
    const ts = (p as { timestamp?: unknown }).timestamp;
    // AWS writes `2021-12-21T06:45:00.000+0000`; Date.parse wants the offset with a colon.
    const t = typeof ts === "string" ? Date.parse(ts.replace(/([+-]\d\d)(\d\d)$/, "$1:$2")) : Number.NaN;
    if (Number.isFinite(t)) starts.push(t);
  }
  return starts;
}
