/**
 * An alarm notification as a Slack incoming-webhook payload: `{text, blocks}`.
 *
 * - `text` is the notification fallback (what a phone shows): the alarm's Subject.
 * - `blocks`: a header (state emoji and state, alarm name), the facts (state change, region, account, time,
 *   metric or rule), the description and reason, "Who did it" as a compact table in a code block (time, event,
 *   identity, source IP, region; the full record, event IDs included, is in the JSON message and the e-mail),
 *   and a context line ("and N more", the alarm ARN, a link to the alarm when the caller has one).
 *
 * Escaping: Slack reads `&`, `<` and `>` as control characters in `mrkdwn` text and in `text` (links,
 * mentions such as `<!channel>`), code blocks included, so they are written `&amp;` `&lt;` `&gt;` there.
 * `plain_text` (the header) is not parsed for links or mentions and is written as it is. A backtick inside the
 * table becomes `'` so that no value can close the code block.
 *
 * Limits (Slack Block Kit): header text ≤ 150 characters, section text ≤ 3000, a section's fields ≤ 10 of
 * ≤ 2000 each, context elements ≤ 10, ≤ 50 blocks; every text here is cut to fit after escaping, and table
 * rows are dropped (counted in "and N more") until the table fits its section.
 */
import { longTimestamp } from "../../alarms/time-format.js";
import type { AlarmTransition } from "../../engine/transitions.js";
import { javaDoubleToString } from "../../pattern/decimal.js";
import type { AlarmStateValue, Identity } from "../../store/types.js";
import { alarmSubject, type NotificationEvents } from "./alarm-message.js";
import { cut, eventRow, eventsHeading, moreCount, NONE, oneLine, plural, textTable } from "./events-table.js";
import { regionLongName } from "./regions.js";

export interface SlackText {
  type: "plain_text" | "mrkdwn";
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: "header"; text: SlackText }
  | { type: "section"; text?: SlackText; fields?: SlackText[] }
  | { type: "context"; elements: SlackText[] }
  | { type: "divider" };

export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

export interface SlackOptions {
  events?: NotificationEvents;
  alarmUrl?: string;
}

export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  contextElements: 10,
  blocks: 50,
} as const;

/** Emoji and words per state: the state is always spelled out, the emoji only reinforces it. */
const STATE_LOOK: Record<AlarmStateValue, { emoji: string; words: string }> = {
  ALARM: { emoji: ":red_circle:", words: "ALARM" },
  OK: { emoji: ":large_green_circle:", words: "OK" },
  INSUFFICIENT_DATA: { emoji: ":white_circle:", words: "INSUFFICIENT_DATA" },
};

export function slackAlarmPayload(
  transition: AlarmTransition,
  identity: Identity,
  options: SlackOptions = {},
): SlackPayload {
  const alarm = transition.alarm;
  const look = STATE_LOOK[transition.newState];
  const blocks: SlackBlock[] = [];

  blocks.push({
    type: "header",
    text: {
      type: "plain_text",
      text: cut(oneLine(`${look.emoji} ${look.words}: ${alarm.alarmName}`), SLACK_LIMITS.headerText),
      emoji: true,
    },
  });

  const fields: [string, string][] = [
    ["State change", `${transition.oldState} → ${transition.newState}`],
    ["When", longTimestamp(transition.timestamp)],
    ["Region", regionLongName(identity.region)],
    ["Account", identity.account],
  ];
  if (alarm.alarmType === "MetricAlarm") {
    const statistic = alarm.extendedStatistic ?? alarm.statistic ?? "Sum";
    const n = alarm.evaluationPeriods;
    fields.push(
      ["Metric", `${alarm.namespace} / ${alarm.metricName}`],
      [
        "Condition",
        `${statistic} ${alarm.comparisonOperator} ${javaDoubleToString(alarm.threshold)} ` +
          `for at least ${alarm.datapointsToAlarm ?? n} of the last ${n} period(s) of ${alarm.period} seconds`,
      ],
    );
  } else {
    fields.push(["Rule", alarm.alarmRule]);
  }
  blocks.push({
    type: "section",
    fields: fields
      .slice(0, SLACK_LIMITS.fields)
      .map(([k, v]) => mrkdwn(`*${k}*\n`, v, SLACK_LIMITS.fieldText)),
  });

  if (alarm.alarmDescription)
    blocks.push({ type: "section", text: mrkdwn("*Description*\n", alarm.alarmDescription) });
  blocks.push({ type: "section", text: mrkdwn("*Reason*\n", transition.reason) });

  const context: string[] = [];
  if (options.events) {
    const { block, shown } = eventsBlock(options.events);
    blocks.push(block);
    const more = moreCount(options.events, shown);
    if (more > 0 && shown > 0)
      context.push(`… and ${plural(more, "more event")} (${options.events.total} in total)`);
  }
  context.push(escapeSlack(alarm.alarmArn));
  if (options.alarmUrl && /^https?:\/\//i.test(options.alarmUrl) && !/[\s<>|]/.test(options.alarmUrl))
    context.push(`<${escapeSlack(options.alarmUrl)}|View this alarm in trailwatch>`);
  blocks.push({
    type: "context",
    elements: context
      .slice(0, SLACK_LIMITS.contextElements)
      .map((text) => ({ type: "mrkdwn" as const, text: cut(text, SLACK_LIMITS.fieldText) })),
  });

  return {
    text: escapeSlack(alarmSubject(transition, identity)),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}

const TABLE_HEADERS = ["Time (UTC)", "Event", "Identity", "Source IP", "Region"];

/** "Who did it": a heading and a code-block table, as many rows as fit one section. */
function eventsBlock(events: NotificationEvents): { block: SlackBlock; shown: number } {
  const rows = events.events
    .map(eventRow)
    .map((r) =>
      r.isMessage
        ? [r.time, r.event, NONE, NONE, NONE]
        : [r.time, r.event, shortIdentity(r.identityType, r.identityArn), r.sourceIp, r.region],
    );
  for (let shown = rows.length; shown >= 0; shown--) {
    const heading = `*Who did it* — ${escapeSlack(eventsHeading(events, shown))}`;
    const text =
      shown === 0
        ? heading
        : `${heading}\n\`\`\`\n${escapeSlack(textTable(TABLE_HEADERS, rows.slice(0, shown), 48).replace(/`/g, "'"))}\n\`\`\``;
    if (text.length <= SLACK_LIMITS.sectionText)
      return { block: { type: "section", text: { type: "mrkdwn", text } }, shown };
  }
  return { block: { type: "section", text: { type: "mrkdwn", text: "*Who did it*" } }, shown: 0 };
}

/**
 * Who, compactly: `Root`, or the ARN's resource part (`assumed-role/Admin/alice`, `user/bob`), or the
 * identity type.
 */
export function shortIdentity(type: string | undefined, arn: string | undefined): string {
  if (arn !== undefined) {
    const parts = arn.split(":");
    const resource = parts.length >= 6 ? parts.slice(5).join(":") : arn;
    if (type === "Root" || resource === "root") return "Root";
    return resource || arn;
  }
  return type ?? NONE;
}

/** Slack's three control characters, escaped (mrkdwn and `text`). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A mrkdwn text object: a fixed (already safe) prefix and an escaped value cut to fit `max`. */
function mrkdwn(prefix: string, value: string, max: number = SLACK_LIMITS.sectionText): SlackText {
  return { type: "mrkdwn", text: prefix + fitEscaped(value, max - prefix.length) };
}

/** The escaped text, at most `max` characters: cut before escaping so that no entity is split. */
function fitEscaped(raw: string, max: number): string {
  const escaped = escapeSlack(raw);
  if (escaped.length <= max) return escaped;
  let out = "";
  for (const ch of raw) {
    const piece = escapeSlack(ch);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}
