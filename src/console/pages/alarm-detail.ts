/**
 * One alarm: its state (live), configuration, a uPlot graph of the metric over the last day (or what 1,440
 * datapoints of its period cover) with the threshold line, the same data as a table, the history, and for
 * each recent ALARM the events that caused it (src/console/causes.ts).
 */
import type { Alarm, AlarmHistoryItem, MetricAlarm, StoredLogEvent } from "../../store/types.js";
import { causesOf } from "../causes.js";
import { conditionText } from "../components/alarm-table.js";
import { periodLabel, stateBadge, timeTag, utc } from "../format.js";
import { html, jsonScript, type SafeHtml } from "../html.js";
import { layout } from "../layout.js";
import type { ConsoleRouter, PageRequest } from "../router.js";
import { href, type View } from "../view.js";
import { statesOf } from "./overview.js";

const MAX_POINTS = 1440;
const ALARMS_EXPLAINED = 5;

function stateFragment(view: View, a: Alarm): SafeHtml {
  const { t } = view;
  return html`<div id="alarm-state" hx-get="${href(view, "/fragments/alarm", { name: a.alarmName })}"
      hx-trigger="every ${view.pollSeconds}s" hx-swap="outerHTML">
    <p class="counts" role="status" aria-live="polite">${t("common.state")}: ${stateBadge(t, a.stateValue)}
      <span class="hint">${t("overview.since")} ${utc(a.stateTransitionedTimestamp || a.stateUpdatedTimestamp)}</span></p>
    <p>${a.stateReason}</p>
  </div>`;
}

async function graph(r: PageRequest, a: MetricAlarm): Promise<SafeHtml> {
  const { view, ctx } = r;
  const { t } = view;
  const periodMs = a.period * 1000;
  const hours = Math.max(1, Math.min(24, Math.floor((MAX_POINTS * a.period) / 3600)));
  const end = Math.ceil((ctx.engine.clock.now() + 1) / periodMs) * periodMs;
  const start = end - hours * 3_600_000;
  const statistic = a.statistic ?? a.extendedStatistic ?? "Sum";
  const out = await ctx.engine.cloudwatch.getMetricStatistics({
    Namespace: a.namespace,
    MetricName: a.metricName,
    Dimensions: a.dimensions,
    StartTime: new Date(start),
    EndTime: new Date(end),
    Period: a.period,
    ...(a.statistic ? { Statistics: [a.statistic] } : { ExtendedStatistics: [statistic] }),
  });
  const points = out.Datapoints.map((d) => ({
    t: d.Timestamp.getTime(),
    v: a.statistic ? (d[a.statistic] as number | undefined) : d.ExtendedStatistics?.[statistic],
  })).filter((p): p is { t: number; v: number } => typeof p.v === "number");
  const metric = `${a.namespace} / ${a.metricName}`;
  const label = t("detail.graphLabel", {
    metric,
    statistic,
    period: periodLabel(t, a.period),
    threshold: `${t(`op.${a.comparisonOperator}`)} ${a.threshold}`,
  });
  const data = {
    title: t("detail.graph", { metric: a.metricName, hours }),
    label: `${a.metricName} (${statistic})`,
    axisLabel: statistic,
    thresholdLabel: `${t("detail.threshold")} ${t(`op.${a.comparisonOperator}`)} ${a.threshold}`,
    threshold: a.threshold,
    from: start / 1000,
    to: end / 1000,
    t: points.map((p) => p.t / 1000),
    v: points.map((p) => p.v),
  };
  return html`<section aria-labelledby="h-graph"><h2 id="h-graph">${data.title}</h2>
    <div id="graph" class="graph" role="img" aria-label="${label}"></div>
    <script type="application/json" id="graph-data">${jsonScript(data)}</script>
    ${points.length === 0 ? html`<p>${t("detail.noData")}</p>` : ""}
    <details><summary>${t("detail.dataTable")}</summary>
      <table><thead><tr><th scope="col">${t("common.time")}</th><th scope="col">${t("detail.value")} (${statistic})</th></tr></thead>
      <tbody>${points.map((p) => html`<tr><td>${timeTag(p.t)}</td><td>${p.v}</td></tr>`)}</tbody></table>
    </details></section>`;
}

/** The CloudTrail fields a person checks first; a non-JSON event shows its message. */
function eventFields(e: StoredLogEvent): {
  time: string;
  name: string;
  source: string;
  identity: string;
  ip: string;
  region: string;
} {
  try {
    const r = JSON.parse(e.message) as Record<string, unknown> & {
      userIdentity?: { type?: string; arn?: string };
    };
    const s = (v: unknown) => (typeof v === "string" ? v : "");
    return {
      time: s(r.eventTime) || new Date(e.timestamp).toISOString(),
      name: s(r.eventName),
      source: s(r.eventSource),
      identity: [s(r.userIdentity?.type), s(r.userIdentity?.arn)].filter(Boolean).join(" "),
      ip: s(r.sourceIPAddress),
      region: s(r.awsRegion),
    };
  } catch {
    return {
      time: new Date(e.timestamp).toISOString(),
      name: e.message.slice(0, 200),
      source: "",
      identity: "",
      ip: "",
      region: "",
    };
  }
}

async function causes(r: PageRequest, a: MetricAlarm, history: AlarmHistoryItem[]): Promise<SafeHtml> {
  const { view, ctx } = r;
  const { t } = view;
  const alarms = history
    .filter((h) => h.historyItemType === "StateUpdate" && statesOf(h).to === "ALARM")
    .slice(0, ALARMS_EXPLAINED);
  if (alarms.length === 0) return html`<p>${t("detail.noAlarmYet")}</p>`;
  const parts: SafeHtml[] = [];
  for (const item of alarms) {
    const c = await causesOf(ctx.engine, a, item);
    parts.push(html`<h3>${t("detail.causesOf", { time: utc(item.timestamp), shown: c.events.length, total: c.total })}</h3>
      ${
        c.events.length === 0
          ? html`<p>${t("detail.noCauses")}</p>`
          : html`<table class="causes"><thead><tr><th scope="col">${t("event.time")}</th><th scope="col">${t("event.name")}</th>
            <th scope="col">${t("event.source")}</th><th scope="col">${t("event.identity")}</th><th scope="col">${t("event.ip")}</th>
            <th scope="col">${t("event.region")}</th></tr></thead>
            <tbody>${c.events.map((e) => {
              const f = eventFields(e);
              return html`<tr><td>${f.time}</td><td>${f.name}</td><td>${f.source}</td><td>${f.identity}</td><td>${f.ip}</td><td>${f.region}</td></tr>`;
            })}</tbody></table>`
      }`);
  }
  return html`${parts}`;
}

export function registerAlarmDetail(router: ConsoleRouter): void {
  router.get("/alarms/detail", async (r) => {
    const { view, ctx, query } = r;
    const { t } = view;
    const a = ctx.engine.alarms.get(query.name ?? "");
    if (!a) {
      return {
        page: layout(view, {
          title: t("error.notFound", { what: query.name ?? "" }),
          section: "alarms",
          body: html``,
        }),
        status: 404,
      };
    }
    const history = await ctx.engine.store.queryAlarmHistory({ alarmName: a.alarmName, limit: 50 });
    const topics = new Map(
      (await ctx.engine.store.listTopics({ limit: 1000 })).map((tp) => [tp.topicArn, tp.name]),
    );
    const body = html`
      ${stateFragment(view, a)}
      <p>${a.alarmType === "MetricAlarm" ? html`<a class="button" href="${href(view, "/alarms/edit", { name: a.alarmName })}">${t("common.edit")}</a>` : ""}
        <a class="button secondary" href="${href(view, "/alarms/delete", { name: a.alarmName })}">${t("common.delete")}</a></p>
      <dl class="kv">
        ${a.alarmDescription ? html`<dt>${t("alarmForm.description")}</dt><dd>${a.alarmDescription}</dd>` : ""}
        ${a.alarmType === "MetricAlarm" ? html`<dt>${t("alarms.metric")}</dt><dd>${a.namespace} / ${a.metricName}${a.dimensions.map((d) => ` [${d.Name}=${d.Value}]`).join("")}</dd>` : ""}
        <dt>${t("alarms.conditions")}</dt><dd>${conditionText(t, a)}</dd>
        <dt>${t("detail.actions")}</dt><dd>${
          a.actionsEnabled
            ? a.alarmActions.length === 0
              ? t("common.none")
              : html`<ul>${a.alarmActions.map((arn) => html`<li>${topics.has(arn) ? html`<a href="${href(view, "/topics")}#${arn}">${topics.get(arn)}</a>` : arn}</li>`)}</ul>`
            : t("detail.actionsDisabled")
        }</dd>
      </dl>
      ${a.alarmType === "MetricAlarm" ? await graph(r, a) : ""}
      <section aria-labelledby="h-causes"><h2 id="h-causes">${t("detail.causes")}</h2>
        ${a.alarmType === "MetricAlarm" ? await causes(r, a, history) : ""}</section>
      <section aria-labelledby="h-history"><h2 id="h-history">${t("detail.history")}</h2>
        ${
          history.length === 0
            ? html`<p>${t("detail.noHistory")}</p>`
            : html`<table><thead><tr><th scope="col">${t("common.time")}</th><th scope="col">${t("common.status")}</th><th scope="col">${t("common.message")}</th></tr></thead>
              <tbody>${history.map((h) => {
                const s = statesOf(h);
                return html`<tr><td>${timeTag(h.timestamp)}</td><td>${s.to ? stateBadge(t, s.to) : t(`history.${h.historyItemType}`)}</td><td>${s.reason ?? h.historySummary}</td></tr>`;
              })}</tbody></table>`
        }</section>`;
    return {
      page: layout(view, {
        title: t("detail.title", { name: a.alarmName }),
        section: "alarms",
        body,
        scripts: a.alarmType === "MetricAlarm" ? ["graph"] : [],
      }),
    };
  });

  router.get("/fragments/alarm", async ({ view, ctx, query }) => {
    const a = ctx.engine.alarms.get(query.name ?? "");
    return a ? { fragment: stateFragment(view, a) } : { fragment: html``, status: 404 };
  });
}
