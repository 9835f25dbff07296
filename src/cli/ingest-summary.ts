/**
 * The closing summary of `ingest` and `replay`: events read, what was skipped and why, the alarms with
 * their transitions (first and last ALARM), and the identities and source IPs behind each alarm.
 */
import type { Skip } from "../ingest/ingest-input.js";

/** Skips grouped by reason, with the first few places each happened. */
export class SkipLog {
  readonly byReason = new Map<string, { count: number; first: Skip[] }>();
  total = 0;

  add(s: Skip): void {
    this.total++;
    // Group by the reason's kind: offsets and quoted values vary, the wording does not.
    const kind = s.reason.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, "N");
    let e = this.byReason.get(kind);
    if (!e) {
      e = { count: 0, first: [] };
      this.byReason.set(kind, e);
    }
    e.count++;
    if (e.first.length < 3) e.first.push(s);
  }

  lines(): string[] {
    const out: string[] = [];
    for (const [, e] of [...this.byReason].sort((a, b) => b[1].count - a[1].count)) {
      out.push(`  ${e.count} × ${e.first[0].reason}`);
      for (const s of e.first)
        out.push(`      at ${s.input}${s.offset !== undefined ? ` (byte ${s.offset})` : ""}`);
    }
    return out;
  }

  json(): { input: string; offset?: number; reason: string }[] {
    return [...this.byReason.values()].flatMap((e) => e.first);
  }
}

export interface AlarmTimeline {
  alarmName: string;
  transitions: { timestamp: number; oldState: string; newState: string }[];
  identities?: [string, number][];
  sourceIps?: [string, number][];
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

export function alarmLines(alarms: readonly AlarmTimeline[]): string[] {
  const out: string[] = [];
  for (const a of alarms) {
    const toAlarm = a.transitions.filter((t) => t.newState === "ALARM");
    out.push(
      `  ${a.alarmName}: ${a.transitions.length} transitions, ${toAlarm.length} into ALARM` +
        (toAlarm.length > 0
          ? ` (first ${iso(toAlarm[0].timestamp)}, last ${iso(toAlarm[toAlarm.length - 1].timestamp)})`
          : ""),
    );
    if (a.identities && a.identities.length > 0)
      out.push(`      identities: ${a.identities.map(([k, n]) => `${k} (${n})`).join(", ")}`);
    if (a.sourceIps && a.sourceIps.length > 0)
      out.push(`      source IPs: ${a.sourceIps.map(([k, n]) => `${k} (${n})`).join(", ")}`);
  }
  return out;
}
