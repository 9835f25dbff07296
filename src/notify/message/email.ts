/**
 * E-mails: an alarm notification (plain text and HTML), the subscription confirmation, and the `email-json`
 * body.
 *
 * The plain-text part reproduces CloudWatch's notification e-mail as recorded (alarms.md §7; captures from
 * 2019 to 2025), line for line, so that mail filters and parsers written for AWS keep working:
 *
 *   You are receiving this email because your Amazon CloudWatch Alarm "<name>" in the <Region> region has
 *   entered the <STATE> state, because "<reason>" at "<Sunday 15 June, 2025 12:07:17 UTC>".
 *
 *   Alarm Details: (Name, Description, State Change, Reason for State Change, Timestamp, AWS Account, Alarm Arn)
 *   Threshold: "The alarm is in the ALARM state when the metric is <Op> <threshold> for at least <M> of the last
 *     <N> period(s) of <P> seconds." (the form since 2024; earlier mails said "for <P> seconds")
 *   Monitored Metric: (MetricNamespace, MetricName, Dimensions `[Name = Value] [...]`, Period, Statistic,
 *     Unit `not specified`, TreatMissingData)
 *   State Change Actions: (OK, ALARM, INSUFFICIENT_DATA, each `[arn, ...]` or empty)
 *
 * A composite alarm's mail opens "... region has transitioned to <STATE> state on <time>, because
 * "<reason>"." (captured 2026) and lists its rule instead of Threshold and Monitored Metric [inferred].
 *
 * Then trailwatch's additions: "Who did it" (the events table, "... and N more" when not all are listed), and
 * the SNS footer with the subscription's unsubscribe link (SNS's wording; the line pointing to AWS support is
 * left out, since AWS does not run this installation). AWS's "View this alarm in the AWS Management Console"
 * link is replaced by a link to the alarm in trailwatch when the caller has one (`alarmUrl`).
 *
 * The HTML part carries the same content for people: a coloured state banner (with the state in words, not
 * colour alone), the events table first, then the details; table layout, inline styles only, every text
 * HTML-escaped, and links only for http(s) URLs. Lines end in "\n"; the mail transport writes CRLF.
 */
import { JsonDouble, JsonRaw } from "../../alarms/json-text.js";
import { longTimestamp } from "../../alarms/time-format.js";
import type { AlarmTransition } from "../../engine/transitions.js";
import { javaDoubleToString } from "../../pattern/decimal.js";
import type { CompositeAlarm, Identity, MetricAlarm } from "../../store/types.js";
import { alarmSubject, type NotificationEvents } from "./alarm-message.js";
import { type EventRow, eventRow, eventsHeading, moreText, NONE, textTable } from "./events-table.js";
import { regionLongName } from "./regions.js";

export interface Email {
  subject: string;
  text: string;
  html: string;
}

export interface AlarmEmailOptions {
  /** The subscription's unsubscribe link (every notification mail carries one). */
  unsubscribeUrl: string;
  events?: NotificationEvents;
  /** Where the alarm can be seen in trailwatch, if anywhere. */
  alarmUrl?: string;
}

export const SUBSCRIPTION_CONFIRMATION_SUBJECT = "AWS Notification - Subscription Confirmation";

const UNSUBSCRIBE_TEXT =
  "If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:";
const NO_REPLY_TEXT = "Please do not reply directly to this email.";
const CONFIRM_TEXT =
  "To confirm this subscription, click or visit the link below (If this was in error no action is necessary):";

/** The CloudWatch alarm notification mail. */
export function alarmEmail(
  transition: AlarmTransition,
  identity: Identity,
  options: AlarmEmailOptions,
): Email {
  const subject = alarmSubject(transition, identity);
  const facts = factsOf(transition, identity);
  return {
    subject,
    text: alarmText(facts, options),
    html: alarmHtml(subject, facts, options),
  };
}

/** The mail SNS sends to an `email` endpoint that has just subscribed (alarms.md §8). */
export function subscriptionConfirmationEmail(input: { topicArn: string; confirmUrl: string }): Email {
  const subject = SUBSCRIPTION_CONFIRMATION_SUBJECT;
  const text = [
    "You have chosen to subscribe to the topic:",
    input.topicArn,
    "",
    CONFIRM_TEXT,
    input.confirmUrl,
    "",
    NO_REPLY_TEXT,
    "",
  ].join("\n");
  const body = [
    paragraph(`You have chosen to subscribe to the topic:<br><strong>${esc(input.topicArn)}</strong>`),
    paragraph(esc(CONFIRM_TEXT)),
    `<p style="margin:0 0 16px 0;">${button(input.confirmUrl, "Confirm subscription")}</p>`,
    paragraph(esc(NO_REPLY_TEXT), "color:#545b64;font-size:12px;"),
  ].join("\n");
  return { subject, text, html: page(subject, `<tr><td style="padding:24px;">\n${body}\n</td></tr>`) };
}

/**
 * A message published to the topic (SNS Publish, a console test message) as SNS mails it to an `email`
 * endpoint: the text, then the unsubscribe footer. The HTML part keeps the text's lines as they are.
 */
export function publishedMessageEmail(input: {
  subject: string;
  message: string;
  unsubscribeUrl: string;
}): Email {
  const footer = ["", "--", UNSUBSCRIBE_TEXT, input.unsubscribeUrl, "", NO_REPLY_TEXT, ""];
  const text = [input.message, ...footer].join("\n");
  const body = [
    `<pre style="margin:0 0 16px 0;white-space:pre-wrap;font-family:inherit;">${esc(input.message)}</pre>`,
    paragraph(
      `${esc(UNSUBSCRIBE_TEXT)}<br><a href="${esc(input.unsubscribeUrl)}">${esc(input.unsubscribeUrl)}</a>`,
      "color:#545b64;font-size:12px;",
    ),
    paragraph(esc(NO_REPLY_TEXT), "color:#545b64;font-size:12px;"),
  ].join("\n");
  return {
    subject: input.subject,
    text,
    html: page(input.subject, `<tr><td style="padding:24px;">\n${body}\n</td></tr>`),
  };
}

/**
 * The mail an `email-json` endpoint receives: the SNS JSON envelope as the text (emailJsonBody), and the same
 * text in the HTML part so that either view shows it.
 */
export function jsonEnvelopeEmail(subject: string, envelope: unknown): Email {
  const text = emailJsonBody(envelope);
  return {
    subject,
    text,
    html: page(subject, `<tr><td style="padding:24px;"><pre>${esc(text)}</pre></td></tr>`),
  };
}

/**
 * The body of an `email-json` mail: the SNS JSON envelope, pretty-printed as SNS prints it (Jackson's default
 * pretty printer: `"Key" : value`, two-space indents, arrays on one line as `[ a, b ]`, empty `{ }` and `[ ]`).
 */
export function emailJsonBody(envelope: unknown): string {
  return pretty(envelope, 0);
}

// ---- the alarm mail, as text ----

interface Facts {
  name: string;
  description: string;
  oldState: string;
  newState: string;
  reason: string;
  when: string;
  account: string;
  arn: string;
  region: string;
  okActions: readonly string[];
  alarmActions: readonly string[];
  insufficientDataActions: readonly string[];
  metric?: MetricFacts;
  composite?: { rule: string };
}

interface MetricFacts {
  threshold: string;
  namespace: string;
  metricName: string;
  dimensions: string;
  period: string;
  statistic: string;
  unit: string;
  treatMissingData: string;
}

function factsOf(t: AlarmTransition, identity: Identity): Facts {
  const alarm = t.alarm;
  return {
    name: alarm.alarmName,
    description: alarm.alarmDescription ?? "",
    oldState: t.oldState,
    newState: t.newState,
    reason: t.reason,
    when: longTimestamp(t.timestamp),
    account: identity.account,
    arn: alarm.alarmArn,
    region: regionLongName(identity.region),
    okActions: alarm.okActions,
    alarmActions: alarm.alarmActions,
    insufficientDataActions: alarm.insufficientDataActions,
    metric: alarm.alarmType === "MetricAlarm" ? metricFacts(alarm) : undefined,
    composite: alarm.alarmType === "CompositeAlarm" ? compositeFacts(alarm) : undefined,
  };
}

function metricFacts(alarm: MetricAlarm): MetricFacts {
  const n = alarm.evaluationPeriods;
  const m = alarm.datapointsToAlarm ?? n;
  return {
    threshold:
      `The alarm is in the ALARM state when the metric is ${alarm.comparisonOperator} ` +
      `${javaDoubleToString(alarm.threshold)} for at least ${m} of the last ${n} period(s) of ${alarm.period} seconds.`,
    namespace: alarm.namespace,
    metricName: alarm.metricName,
    dimensions: alarm.dimensions.map((d) => `[${d.Name} = ${d.Value}]`).join(" "),
    period: `${alarm.period} seconds`,
    statistic: alarm.extendedStatistic ?? alarm.statistic ?? "Sum",
    unit: alarm.unit ?? "not specified",
    treatMissingData: alarm.treatMissingData,
  };
}

function compositeFacts(alarm: CompositeAlarm): { rule: string } {
  return { rule: alarm.alarmRule };
}

function intro(f: Facts): string {
  const head = `You are receiving this email because your Amazon CloudWatch Alarm "${f.name}" in the ${f.region} region`;
  return f.composite
    ? `${head} has transitioned to ${f.newState} state on ${f.when}, because "${f.reason}".`
    : `${head} has entered the ${f.newState} state, because "${f.reason}" at "${f.when}".`;
}

/** `- Label:` padded to a column, as AWS aligns them; empty values leave no trailing spaces. */
function labelled(label: string, value: string, column: number): string {
  return `- ${`${label}:`.padEnd(column - 2)}${value}`.trimEnd();
}

function actionList(arns: readonly string[]): string {
  return arns.length === 0 ? "" : `[${arns.join(", ")}]`;
}

function alarmText(f: Facts, options: AlarmEmailOptions): string {
  const lines: string[] = [intro(f), ""];
  if (options.alarmUrl) lines.push("View this alarm in trailwatch:", options.alarmUrl, "");
  lines.push(
    "Alarm Details:",
    labelled("Name", f.name, 30),
    labelled("Description", f.description, 30),
    labelled("State Change", `${f.oldState} -> ${f.newState}`, 30),
    labelled("Reason for State Change", f.reason, 30),
    labelled("Timestamp", f.when, 30),
    labelled("AWS Account", f.account, 30),
    labelled("Alarm Arn", f.arn, 30),
    "",
  );
  if (f.metric) {
    const m = f.metric;
    lines.push(
      "Threshold:",
      `- ${m.threshold}`,
      "",
      "Monitored Metric:",
      labelled("MetricNamespace", m.namespace, 39),
      labelled("MetricName", m.metricName, 39),
      labelled("Dimensions", m.dimensions, 39),
      labelled("Period", m.period, 39),
      labelled("Statistic", m.statistic, 39),
      labelled("Unit", m.unit, 39),
      labelled("TreatMissingData", m.treatMissingData, 39),
      "",
      "",
    );
  }
  if (f.composite) lines.push("Alarm Rule:", `- ${f.composite.rule}`, "", "");
  lines.push(
    "State Change Actions:",
    `- OK: ${actionList(f.okActions)}`.trimEnd(),
    `- ALARM: ${actionList(f.alarmActions)}`.trimEnd(),
    `- INSUFFICIENT_DATA: ${actionList(f.insufficientDataActions)}`.trimEnd(),
    "",
  );
  if (options.events) lines.push(...eventsText(options.events), "");
  lines.push("--", UNSUBSCRIBE_TEXT, options.unsubscribeUrl, "", NO_REPLY_TEXT, "");
  return lines.join("\n");
}

const TEXT_HEADERS = ["Time (UTC)", "Event", "Identity", "Source IP", "Region", "Event ID"];

function eventsText(events: NotificationEvents): string[] {
  const rows = events.events.map(eventRow);
  const out = ["Who did it:", eventsHeading(events)];
  if (rows.length === 0) return out;
  out.push(
    "",
    textTable(
      TEXT_HEADERS,
      rows.map((r) =>
        r.isMessage
          ? [r.time, r.event, NONE, NONE, NONE, NONE]
          : [r.time, r.event, r.identity, r.sourceIp, r.region, r.eventId],
      ),
    ),
  );
  const more = moreText(events);
  if (more) out.push(more);
  return out;
}

// ---- the alarm mail, as HTML ----

const STATE_COLOURS: Record<string, string> = {
  ALARM: "#c52314",
  OK: "#1d7a05",
  INSUFFICIENT_DATA: "#5f6b7a",
};

const CELL = "padding:6px 8px;border-bottom:1px solid #eaeded;vertical-align:top;text-align:left;";
const HEAD_CELL =
  "padding:6px 8px;border-bottom:2px solid #d5dbdb;background-color:#fafafa;text-align:left;font-weight:bold;white-space:nowrap;";
const MONO = "font-family:Menlo,Consolas,'Courier New',monospace;font-size:12px;";
const BREAK = "word-break:break-all;overflow-wrap:anywhere;";
const H2 = "margin:0 0 8px 0;font-size:16px;line-height:1.3;color:#16191f;";

function alarmHtml(subject: string, f: Facts, options: AlarmEmailOptions): string {
  const colour = STATE_COLOURS[f.newState] ?? "#5f6b7a";
  const rows: string[] = [];
  rows.push(
    `<tr><td style="padding:16px 24px;background-color:${colour};color:#ffffff;">` +
      `<p style="margin:0;font-size:13px;letter-spacing:0.5px;">${esc(f.oldState)} &rarr; <strong>${esc(f.newState)}</strong></p>` +
      `<h1 style="margin:4px 0 0 0;font-size:20px;line-height:1.3;color:#ffffff;${BREAK}">${esc(f.name)}</h1>` +
      `<p style="margin:4px 0 0 0;font-size:13px;">${esc(f.region)} &middot; account ${esc(f.account)}</p>` +
      `</td></tr>`,
  );
  const introParts = [paragraph(esc(intro(f)))];
  if (options.alarmUrl) introParts.push(paragraph(link(options.alarmUrl, "View this alarm in trailwatch")));
  rows.push(section(introParts.join("\n")));
  if (options.events) rows.push(section(eventsHtml(options.events)));
  const details: [string, string][] = [
    ["Name", f.name],
    ["Description", f.description],
    ["State Change", `${f.oldState} -> ${f.newState}`],
    ["Reason for State Change", f.reason],
    ["Timestamp", f.when],
    ["AWS Account", f.account],
    ["Alarm Arn", f.arn],
  ];
  rows.push(section(`<h2 style="${H2}">Alarm Details</h2>\n${keyValueTable(details)}`));
  if (f.metric) {
    const m = f.metric;
    rows.push(section(`<h2 style="${H2}">Threshold</h2>\n${paragraph(esc(m.threshold))}`));
    rows.push(
      section(
        `<h2 style="${H2}">Monitored Metric</h2>\n${keyValueTable([
          ["MetricNamespace", m.namespace],
          ["MetricName", m.metricName],
          ["Dimensions", m.dimensions],
          ["Period", m.period],
          ["Statistic", m.statistic],
          ["Unit", m.unit],
          ["TreatMissingData", m.treatMissingData],
        ])}`,
      ),
    );
  }
  if (f.composite)
    rows.push(
      section(
        `<h2 style="${H2}">Alarm Rule</h2>\n<p style="margin:0;${MONO}${BREAK}">${esc(f.composite.rule)}</p>`,
      ),
    );
  rows.push(
    section(
      `<h2 style="${H2}">State Change Actions</h2>\n${keyValueTable([
        ["OK", actionList(f.okActions)],
        ["ALARM", actionList(f.alarmActions)],
        ["INSUFFICIENT_DATA", actionList(f.insufficientDataActions)],
      ])}`,
    ),
  );
  rows.push(
    `<tr><td style="padding:16px 24px;border-top:1px solid #eaeded;color:#545b64;font-size:12px;line-height:1.5;">` +
      `<p style="margin:0 0 8px 0;">${esc(UNSUBSCRIBE_TEXT)}<br>${link(options.unsubscribeUrl, options.unsubscribeUrl, BREAK)}</p>` +
      `<p style="margin:0;">${esc(NO_REPLY_TEXT)}</p>` +
      `</td></tr>`,
  );
  return page(subject, rows.join("\n"));
}

const HTML_HEADERS = ["Time (UTC)", "Event", "Identity", "Source IP", "Region", "Event ID"];

function eventsHtml(events: NotificationEvents): string {
  const rows = events.events.map(eventRow);
  const parts = [`<h2 style="${H2}">Who did it</h2>`, paragraph(esc(eventsHeading(events)))];
  if (rows.length > 0) {
    const head = HTML_HEADERS.map((h) => `<th scope="col" style="${HEAD_CELL}">${esc(h)}</th>`).join("");
    const body = rows.map(eventRowHtml).join("\n");
    parts.push(
      `<table cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;font-size:13px;line-height:1.4;">` +
        `\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`,
    );
    const more = moreText(events);
    if (more) parts.push(paragraph(`<strong>${esc(more)}</strong>`, "margin:8px 0 0 0;"));
  }
  return parts.join("\n");
}

function eventRowHtml(r: EventRow): string {
  if (r.isMessage) {
    return (
      `<tr><td style="${CELL}${MONO}white-space:nowrap;">${esc(r.time)}</td>` +
      `<td colspan="5" style="${CELL}${MONO}${BREAK}">${esc(r.event)}</td></tr>`
    );
  }
  const event =
    esc(r.event) +
    (r.eventSource ? `<br><span style="color:#545b64;font-size:12px;">${esc(r.eventSource)}</span>` : "");
  const identity =
    r.identityType !== undefined && r.identityArn !== undefined
      ? `${esc(r.identityType)}<br><span style="${MONO}${BREAK}">${esc(r.identityArn)}</span>`
      : `<span style="${BREAK}">${esc(r.identity)}</span>`;
  return (
    `<tr><td style="${CELL}${MONO}white-space:nowrap;">${esc(r.time)}</td>` +
    `<td style="${CELL}">${event}</td>` +
    `<td style="${CELL}">${identity}</td>` +
    `<td style="${CELL}${MONO}${BREAK}">${esc(r.sourceIp)}</td>` +
    `<td style="${CELL}white-space:nowrap;">${esc(r.region)}</td>` +
    `<td style="${CELL}${MONO}${BREAK}">${esc(r.eventId)}</td></tr>`
  );
}

function keyValueTable(rows: readonly [string, string][]): string {
  const body = rows
    .map(
      ([k, v]) =>
        `<tr><th scope="row" style="${CELL}width:34%;font-weight:bold;white-space:nowrap;">${esc(k)}</th>` +
        `<td style="${CELL}${BREAK}">${esc(v)}</td></tr>`,
    )
    .join("\n");
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="width:100%;border-collapse:collapse;font-size:13px;line-height:1.4;">\n${body}\n</table>`;
}

function section(inner: string): string {
  return `<tr><td style="padding:16px 24px 8px 24px;">\n${inner}\n</td></tr>`;
}

function paragraph(html: string, style = ""): string {
  return `<p style="margin:0 0 12px 0;${style}">${html}</p>`;
}

/** A link when the URL is http(s), else the URL as text (never a `javascript:` or `data:` link). */
function link(url: string, label: string, style = ""): string {
  if (!isHttpUrl(url)) return `<span style="${style}">${esc(label)}</span>`;
  return `<a href="${esc(url)}" style="color:#0b5cad;text-decoration:underline;${style}">${esc(label)}</a>`;
}

function button(url: string, label: string): string {
  if (!isHttpUrl(url)) return esc(label);
  return (
    `<a href="${esc(url)}" style="display:inline-block;padding:10px 18px;background-color:#0b5cad;color:#ffffff;` +
    `text-decoration:none;font-weight:bold;border-radius:4px;">${esc(label)}</a>`
  );
}

function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

function page(title: string, rows: string): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    "</head>",
    '<body style="margin:0;padding:0;background-color:#f2f3f3;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f2f3f3;">',
    '<tr><td align="center" style="padding:24px 12px;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:720px;background-color:#ffffff;border:1px solid #d5dbdb;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#16191f;">',
    rows,
    "</table>",
    "</td></tr>",
    "</table>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** HTML-escapes text for element content and quoted attribute values. */
export function esc(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

// ---- Jackson's default pretty printer ----

function pretty(value: unknown, level: number): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (typeof value === "boolean") return String(value);
  if (value instanceof JsonDouble)
    return Number.isFinite(value.value) ? javaDoubleToString(value.value) : "null";
  if (value instanceof JsonRaw) return value.text;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[ ]";
    return `[ ${value.map((v) => pretty(v, level)).join(", ")} ]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{ }";
    const inner = "  ".repeat(level + 1);
    const members = entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${pretty(v, level + 1)}`);
    return `{\n${members.join(",\n")}\n${"  ".repeat(level)}}`;
  }
  return "null";
}
