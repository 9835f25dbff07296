/**
 * The "Who did it" part of a notification, shared by the e-mail (text and HTML) and Slack renderings: one row
 * per event, newest first, with the columns a reader needs to act (when, what, who, from where, which event).
 */
import type { EventSummary } from "../../metrics/event-refs.js";
import type { NotificationEvents } from "./alarm-message.js";

export interface EventRow {
  /** CloudTrail's eventTime as recorded (`2021-12-21T06:45:02Z`), or "-". */
  time: string;
  /** eventName; for a non-JSON event, its message text. */
  event: string;
  eventSource?: string;
  /** `<type> <arn>`, or whichever of the two is known, or "-". */
  identity: string;
  identityType?: string;
  identityArn?: string;
  sourceIp: string;
  userAgent?: string;
  region: string;
  eventId: string;
  /** True for a non-JSON event (only `time` and `event` are meaningful). */
  isMessage: boolean;
}

export const NONE = "-";

export function eventRow(s: EventSummary): EventRow {
  const isMessage = s.eventName === undefined && s.message !== undefined;
  const identity =
    s.userIdentityType !== undefined && s.userIdentityArn !== undefined
      ? `${s.userIdentityType} ${s.userIdentityArn}`
      : (s.userIdentityArn ?? s.userIdentityType ?? NONE);
  return {
    time: s.eventTime ?? NONE,
    event: (isMessage ? s.message : s.eventName) ?? NONE,
    eventSource: s.eventSource,
    identity,
    identityType: s.userIdentityType,
    identityArn: s.userIdentityArn,
    sourceIp: s.sourceIPAddress ?? NONE,
    userAgent: s.userAgent,
    region: s.awsRegion ?? NONE,
    eventId: s.eventID ?? NONE,
    isMessage,
  };
}

/** Events the notification does not list: total minus shown, never negative. */
export function moreCount(events: NotificationEvents, shown = events.events.length): number {
  return Math.max(0, events.total - shown);
}

/** The sentence above the table. */
export function eventsHeading(events: NotificationEvents, shown = events.events.length): string {
  const total = events.total;
  if (total === 0 || shown === 0)
    return total === 0
      ? "No matching events were recorded for the datapoints behind this state change."
      : `${plural(total, "matching event")}; none of them could be listed.`;
  if (shown >= total) return `${plural(total, "matching event")}, newest first:`;
  return `The ${shown} most recent of ${total} matching events:`;
}

/** The line below the table when not every event is listed. */
export function moreText(events: NotificationEvents, shown = events.events.length): string | undefined {
  const more = moreCount(events, shown);
  if (more === 0 || shown === 0) return undefined;
  return `... and ${plural(more, "more event")} (${events.total} in total).`;
}

/**
 * A plain-text table: a header row, a rule of dashes, columns two spaces apart, cells cut to `maxCell`
 * characters, trailing spaces removed.
 */
export function textTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  maxCell = 80,
): string {
  const cells = rows.map((r) => r.map((c) => cut(oneLine(c), maxCell)));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i] ?? ""))));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => pad(c, widths[i]))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** At most `max` characters (code points), ending in "…" when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** Line breaks, tabs and other control characters as spaces (a table cell, a Subject). */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " ");
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function width(text: string): number {
  return Array.from(text).length;
}

function pad(text: string, w: number): string {
  return text + " ".repeat(Math.max(0, w - width(text)));
}
