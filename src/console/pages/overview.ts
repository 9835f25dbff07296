/**
 * Overview (`/`): every alarm's state, the latest state changes, and how notifications fared. The live part
 * is re-fetched by htmx every few seconds (a fragment route), so an alarm turning ALARM shows without a
 * reload; the counts line is an ARIA live region, so a screen reader hears the change once, not the table.
 */
import type { AlarmHistoryItem } from "../../store/types.js";
import { alarmLink, alarmTable, stateCounts } from "../components/alarm-table.js";
import { deliveriesTable } from "../components/deliveries.js";
import { stateBadge, timeTag } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import { layout } from "../layout.js";
import type { ConsoleRouter, PageRequest } from "../router.js";
import { href } from "../view.js";

const RECENT_TRANSITIONS = 15;
const RECENT_DELIVERIES = 10;
/** listDeliveries answers oldest first: read this many and keep the newest (enough for a dashboard). */
const DELIVERY_WINDOW = 1000;

/** Old and new state of a StateUpdate history item (AWS's historyData JSON). */
export function statesOf(item: AlarmHistoryItem): { from?: string; to?: string; reason?: string } {
  try {
    const d = JSON.parse(item.historyData) as {
      oldState?: { stateValue?: string };
      newState?: { stateValue?: string; stateReason?: string };
    };
    return { from: d.oldState?.stateValue, to: d.newState?.stateValue, reason: d.newState?.stateReason };
  } catch {
    return {};
  }
}

async function live(r: PageRequest): Promise<SafeHtml> {
  const { view, ctx } = r;
  const { t } = view;
  const alarms = ctx.engine.alarms.list();
  const counts = stateCounts(alarms);
  const history = await ctx.engine.store.queryAlarmHistory({
    historyItemType: "StateUpdate",
    limit: RECENT_TRANSITIONS,
  });
  const store = ctx.engine.store;
  const [delivered, pending, dead] = await Promise.all([
    store.countDeliveries("delivered"),
    store.countDeliveries("pending"),
    store.countDeliveries("dead"),
  ]);
  const recent = (await store.listDeliveries({ limit: DELIVERY_WINDOW })).slice(-RECENT_DELIVERIES).reverse();
  const failures = (await store.listDeliveries({ status: "dead", limit: DELIVERY_WINDOW }))
    .slice(-RECENT_DELIVERIES)
    .reverse();

  return html`<div id="overview-live" hx-get="${href(view, "/fragments/overview")}"
      hx-trigger="every ${view.pollSeconds}s" hx-swap="outerHTML">
    <section aria-labelledby="h-alarms">
      <h2 id="h-alarms">${t("overview.alarms")}</h2>
      <p class="counts" role="status" aria-live="polite">${t("overview.counts", counts)}</p>
      ${alarms.length === 0 ? html`<p>${t("overview.noAlarms")} <a href="${href(view, "/packs")}">${t("nav.packs")}</a></p>` : alarmTable(view, alarms, { caption: t("overview.alarms") })}
      <p class="hint">${t("common.liveNote")}</p>
    </section>
    <section aria-labelledby="h-transitions">
      <h2 id="h-transitions">${t("overview.transitions")}</h2>
      ${
        history.length === 0
          ? html`<p>${t("overview.noTransitions")}</p>`
          : html`<table><thead><tr><th scope="col">${t("common.time")}</th><th scope="col">${t("common.name")}</th>
              <th scope="col">${t("overview.from")}</th><th scope="col">${t("overview.to")}</th><th scope="col">${t("common.reason")}</th></tr></thead>
            <tbody>${history.map((h) => {
              const s = statesOf(h);
              return html`<tr><td>${timeTag(h.timestamp)}</td><td><a href="${alarmLink(view, h.alarmName)}">${h.alarmName}</a></td>
                <td>${s.from ? stateBadge(t, s.from) : ""}</td><td>${s.to ? stateBadge(t, s.to) : ""}</td><td>${s.reason ?? h.historySummary}</td></tr>`;
            })}</tbody></table>`
      }
    </section>
    <section aria-labelledby="h-deliveries">
      <h2 id="h-deliveries">${t("overview.deliveries")}</h2>
      <p class="counts">${t("overview.deliveryCounts", { delivered, pending, dead })}</p>
      ${recent.length === 0 ? html`<p>${t("overview.noDeliveries")}</p>` : deliveriesTable(view, recent, t("overview.deliveries"))}
      ${failures.length > 0 ? html`<h3>${t("overview.failures")}</h3>${deliveriesTable(view, failures, t("overview.failures"))}` : ""}
    </section>
  </div>`;
}

export function registerOverview(router: ConsoleRouter): void {
  router.get("/", async (r) => ({
    page: layout(r.view, { title: r.view.t("overview.title"), section: "overview", body: await live(r) }),
  }));
  router.get("/fragments/overview", async (r) => ({ fragment: await live(r) }));
}
