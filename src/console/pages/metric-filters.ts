/**
 * Metric filters: the list (all groups, or one group's — the seed's "Filters for Log_Group_Name" page) with
 * Create alarm next to each filter, as the guide has it, and deletion behind a confirmation page (no script
 * needed). Creating and editing are the wizard's (filter-wizard.ts).
 */
import { csrfField } from "../format.js";
import { html } from "../html.js";
import { layout } from "../layout.js";
import type { ConsoleRouter } from "../router.js";
import { href } from "../view.js";

export function registerMetricFilters(router: ConsoleRouter): void {
  router.get("/metric-filters", async ({ view, ctx, query }) => {
    const { t } = view;
    const group = query.logGroupName || undefined;
    const filters = await ctx.engine.logs.describeMetricFilters(group ? { logGroupName: group } : {});
    const groups = await ctx.engine.store.listLogGroups({ limit: 1000 });
    const body = html`
      <form method="get" action="${href(view, "/metric-filters/new")}" class="row">
        <div><label for="wizard-group">${t("filters.logGroup")}</label>
          <select id="wizard-group" name="logGroupName">${groups.map(
            (g) => html`<option${g.logGroupName === group ? html` selected` : ""}>${g.logGroupName}</option>`,
          )}</select></div>
        <div><button type="submit">${t("logGroups.createFilter")}</button></div>
      </form>
      ${
        filters.length === 0
          ? html`<p>${t("filters.none")}</p>`
          : html`<table class="filters"><thead><tr><th scope="col">${t("common.name")}</th><th scope="col">${t("filters.logGroup")}</th>
              <th scope="col">${t("filters.pattern")}</th><th scope="col">${t("filters.metric")}</th><th scope="col">${t("common.actions")}</th></tr></thead>
            <tbody>${filters.map((f) => {
              const m = f.metricTransformations[0];
              return html`<tr data-filter="${f.filterName}"><th scope="row">${f.filterName}</th>
                <td><a href="${href(view, "/log-groups/detail", { name: f.logGroupName })}">${f.logGroupName}</a></td>
                <td><code>${f.filterPattern}</code></td>
                <td>${m.metricNamespace} / ${m.metricName} = ${m.metricValue}${m.defaultValue !== undefined ? ` (default ${m.defaultValue})` : ""}</td>
                <td><a class="button" href="${href(view, "/alarms/new", { namespace: m.metricNamespace, metricName: m.metricName, filterName: f.filterName })}">${t("filters.createAlarm")}</a>
                  <a href="${href(view, "/metric-filters/new", { logGroupName: f.logGroupName, edit: f.filterName })}">${t("common.edit")}</a>
                  <a href="${href(view, "/metric-filters/delete", { logGroupName: f.logGroupName, filterName: f.filterName })}">${t("common.delete")}</a></td></tr>`;
            })}</tbody></table>`
      }`;
    const title = group ? `${t("filters.title")}: ${group}` : t("filters.title");
    return { page: layout(view, { title, section: "metricFilters", body }) };
  });

  router.get("/metric-filters/delete", async ({ view, query }) => {
    const { t } = view;
    const body = html`<form method="post" action="${href(view, "/metric-filters/delete")}">
      ${csrfField(view)}
      <input type="hidden" name="logGroupName" value="${query.logGroupName ?? ""}">
      <input type="hidden" name="filterName" value="${query.filterName ?? ""}">
      <p>${t("filters.confirmDelete", { name: query.filterName ?? "" })}</p>
      <p><button type="submit" class="danger">${t("common.delete")}</button>
        <a href="${href(view, "/metric-filters", { logGroupName: query.logGroupName })}">${t("common.cancel")}</a></p></form>`;
    return { page: layout(view, { title: t("common.delete"), section: "metricFilters", body }) };
  });

  router.post("/metric-filters/delete", async ({ view, ctx, form }) => {
    const group = form.get("logGroupName") ?? "";
    const name = form.get("filterName") ?? "";
    await ctx.engine.logs.deleteMetricFilter(group, name);
    return {
      redirect: href(view, "/metric-filters", { logGroupName: group }),
      flash: view.t("filters.deleted", { name }),
    };
  });
}
