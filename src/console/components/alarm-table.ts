/** The table of alarms with their state, shared by the overview and the alarms list. */
import type { Alarm } from "../../store/types.js";
import { periodLabel, stateBadge, timeTag } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import type { Translate } from "../i18n/index.js";
import { href, type View } from "../view.js";

export function conditionText(t: Translate, a: Alarm): string {
  if (a.alarmType === "CompositeAlarm") return a.alarmRule;
  return t("alarms.condition", {
    statistic: a.statistic ?? a.extendedStatistic ?? "",
    op: t(`op.${a.comparisonOperator}`),
    threshold: a.threshold,
    m: a.datapointsToAlarm ?? a.evaluationPeriods,
    n: a.evaluationPeriods,
    period: periodLabel(t, a.period),
  });
}

export function alarmLink(view: View, name: string): string {
  return href(view, "/alarms/detail", { name });
}

export function alarmTable(view: View, alarms: readonly Alarm[], options: { caption: string }): SafeHtml {
  const { t } = view;
  if (alarms.length === 0) return html``;
  return html`<table class="alarms">
    <caption class="visually-hidden">${options.caption}</caption>
    <thead><tr><th scope="col">${t("common.name")}</th><th scope="col">${t("common.state")}</th>
      <th scope="col">${t("overview.since")}</th><th scope="col">${t("alarms.conditions")}</th>
      <th scope="col">${t("common.reason")}</th></tr></thead>
    <tbody>
    ${alarms.map(
      (a) => html`<tr data-alarm="${a.alarmName}">
        <th scope="row"><a href="${alarmLink(view, a.alarmName)}">${a.alarmName}</a></th>
        <td>${stateBadge(t, a.stateValue)}</td>
        <td>${timeTag(a.stateTransitionedTimestamp || a.stateUpdatedTimestamp)}</td>
        <td>${a.alarmType === "MetricAlarm" ? html`${a.namespace} / ${a.metricName}<br>` : ""}${conditionText(t, a)}</td>
        <td>${a.stateReason}</td>
      </tr>`,
    )}
    </tbody></table>`;
}

export function stateCounts(alarms: readonly Alarm[]): { alarm: number; ok: number; insufficient: number } {
  let alarm = 0;
  let ok = 0;
  let insufficient = 0;
  for (const a of alarms) {
    if (a.stateValue === "ALARM") alarm++;
    else if (a.stateValue === "OK") ok++;
    else insufficient++;
  }
  return { alarm, ok, insufficient };
}
