/**
 * Alarms: the list with state badges, filtered by state and by name (a GET form, so filters are links),
 * refreshed live like the overview; deletion behind a confirmation page (DeleteAlarms).
 */
import { alarmTable, stateCounts } from "../components/alarm-table.js";
import { csrfField } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import { layout } from "../layout.js";
import type { ConsoleRouter, PageRequest } from "../router.js";
import { href } from "../view.js";

const STATES = ["ALARM", "OK", "INSUFFICIENT_DATA"] as const;

function listFragment(r: PageRequest): SafeHtml {
  const { view, ctx, query } = r;
  const { t } = view;
  const state = (STATES as readonly string[]).includes(query.state ?? "") ? query.state : undefined;
  const needle = (query.q ?? "").trim().toLowerCase();
  const all = ctx.engine.alarms.list();
  const shown = all.filter(
    (a) => (!state || a.stateValue === state) && (!needle || a.alarmName.toLowerCase().includes(needle)),
  );
  return html`<div id="alarms-live" hx-get="${href(view, "/fragments/alarms", { state, q: query.q })}"
      hx-trigger="every ${view.pollSeconds}s" hx-swap="outerHTML">
    <p class="counts" role="status" aria-live="polite">${t("overview.counts", stateCounts(all))}</p>
    ${shown.length === 0 ? html`<p>${t("alarms.none")}</p>` : alarmTable(view, shown, { caption: t("alarms.title") })}
  </div>`;
}

export function registerAlarms(router: ConsoleRouter): void {
  router.get("/alarms", async (r) => {
    const { view, query } = r;
    const { t } = view;
    const body = html`
      <p><a class="button" href="${href(view, "/alarms/new")}">${t("alarms.create")}</a></p>
      <form method="get" action="${href(view, "/alarms")}" class="row" role="search">
        <div><label for="state">${t("alarms.filterState")}</label>
          <select id="state" name="state"><option value="">${t("alarms.filterAll")}</option>
            ${STATES.map((s) => html`<option value="${s}"${query.state === s ? html` selected` : ""}>${t(`state.${s}`)}</option>`)}
          </select></div>
        <div><label for="q">${t("alarms.filterName")}</label><input type="text" id="q" name="q" value="${query.q ?? ""}"></div>
        <div><button type="submit">${t("alarms.apply")}</button></div>
      </form>
      ${listFragment(r)}
      <p class="hint">${t("common.liveNote")}</p>`;
    return { page: layout(view, { title: t("alarms.title"), section: "alarms", body }) };
  });

  router.get("/fragments/alarms", async (r) => ({ fragment: listFragment(r) }));

  router.get("/alarms/delete", async ({ view, query }) => {
    const { t } = view;
    const body = html`<form method="post" action="${href(view, "/alarms/delete")}">
      ${csrfField(view)}<input type="hidden" name="name" value="${query.name ?? ""}">
      <p>${t("alarms.confirmDelete", { name: query.name ?? "" })}</p>
      <p><button type="submit" class="danger">${t("common.delete")}</button>
        <a href="${href(view, "/alarms/detail", { name: query.name })}">${t("common.cancel")}</a></p></form>`;
    return { page: layout(view, { title: t("common.delete"), section: "alarms", body }) };
  });

  router.post("/alarms/delete", async ({ view, ctx, form }) => {
    const name = form.get("name") ?? "";
    await ctx.engine.cloudwatch.deleteAlarms({ AlarmNames: [name] });
    return { redirect: href(view, "/alarms"), flash: view.t("alarms.deleted", { name }) };
  });
}
