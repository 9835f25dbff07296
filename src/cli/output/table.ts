import type { MetricFilterMatchRecord } from "../../pattern/index.js";
import type { MatchFormatter } from "./match-formatter.js";
import { ANSI, PLAIN, printable, truncate } from "./terminal-text.js";

/** The CloudTrail fields that tell a human what happened, by whom, from where. */
const CLOUDTRAIL_FIELDS: ReadonlyArray<readonly [label: string, path: readonly string[]]> = [
  ["eventTime", ["eventTime"]],
  ["eventName", ["eventName"]],
  ["eventSource", ["eventSource"]],
  ["userIdentity.type", ["userIdentity", "type"]],
  ["userIdentity.arn", ["userIdentity", "arn"]],
  ["sourceIPAddress", ["sourceIPAddress"]],
  ["awsRegion", ["awsRegion"]],
];

function lookup(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The CloudTrail key fields present in a JSON message, or null when it is not JSON or has none of them. */
function cloudTrailFields(message: string): Array<[string, string]> | null {
  if (!message.trimStart().startsWith("{")) return null;
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return null;
  }
  const rows: Array<[string, string]> = [];
  for (const [label, path] of CLOUDTRAIL_FIELDS) {
    const v = lookup(event, path);
    if (v !== undefined && v !== null) rows.push([label, typeof v === "string" ? v : JSON.stringify(v)]);
  }
  return rows.length > 0 ? rows : null;
}

export interface TableOptions {
  color: boolean;
  /** Terminal columns: long values are cut to fit. */
  width: number;
}

/**
 * For people, not scripts: one block per match — the event number, the CloudTrail key fields (or the
 * message itself when it is not a CloudTrail event), the extracted values highlighted — then a summary.
 */
export function tableFormatter(options: TableOptions): MatchFormatter {
  const style = options.color ? ANSI : PLAIN;
  let matched = 0;
  return {
    match(m: MetricFilterMatchRecord): string {
      matched++;
      const fields = cloudTrailFields(m.eventMessage) ?? [["message", m.eventMessage]];
      const extracted = Object.entries(m.extractedValues);
      const labelWidth = Math.max(...[...fields, ...extracted].map(([label]) => label.length));
      const valueWidth = Math.max(10, options.width - labelWidth - 4);
      const row = (label: string, value: string, paint: (s: string) => string): string =>
        `  ${style.dim(label.padEnd(labelWidth))}  ${paint(truncate(printable(value), valueWidth))}\n`;
      let out = `${matched > 1 ? "\n" : ""}${style.bold(`Event ${m.eventNumber}`)}\n`;
      for (const [label, value] of fields) out += row(label, value, (s) => s);
      for (const [name, value] of extracted) out += row(name, value, style.highlight);
      return out;
    },
    end(eventCount: number): string {
      return `${matched > 0 ? "\n" : ""}${matched} of ${eventCount} events matched\n`;
    },
  };
}
