/**
 * Packs: every built-in pack (the seed's three alarms; the CIS pack once it ships in packs/) with what it
 * holds, installed in one click by the engine's installPack — idempotent, through the services' validation.
 */
import { installPack } from "../../engine/install-pack.js";
import { BUILT_IN_PACKS, loadPack } from "../../packs/pack.js";
import { csrfField } from "../format.js";
import { html } from "../html.js";
import { layout } from "../layout.js";
import type { ConsoleRouter } from "../router.js";
import { href } from "../view.js";

export function registerPacks(router: ConsoleRouter): void {
  router.get("/packs", async ({ view }) => {
    const { t } = view;
    const packs = await Promise.all(BUILT_IN_PACKS.map((name) => loadPack(name)));
    const body = html`<p>${t("packs.intro")}</p>
      ${packs.map(
        (
          p,
        ) => html`<section class="pack" aria-labelledby="pack-${p.name}"><h2 id="pack-${p.name}">${p.name}</h2>
          ${p.title ? html`<p>${p.title}</p>` : ""}
          <p>${t("packs.contents", { filters: p.logGroups.reduce((n, g) => n + g.metricFilters.length, 0), alarms: p.alarms.length })}</p>
          <ul>${p.alarms.map((a) => html`<li>${String(a.AlarmName)}</li>`)}</ul>
          <form method="post" action="${href(view, "/packs/install")}">${csrfField(view)}
            <input type="hidden" name="name" value="${p.name}">
            <button type="submit">${t("packs.install", { name: p.name })}</button></form></section>`,
      )}`;
    return { page: layout(view, { title: t("packs.title"), section: "packs", body }) };
  });

  router.post("/packs/install", async ({ view, ctx, form }) => {
    const name = form.get("name") ?? "";
    // Only a built-in name: a path from a form must never reach loadPack's file reading.
    if (!(BUILT_IN_PACKS as readonly string[]).includes(name)) return { redirect: href(view, "/packs") };
    const report = await installPack(ctx.engine, await loadPack(name));
    return {
      redirect: href(view, "/packs"),
      flash: view.t("packs.installed", { name, created: report.created.length, kept: report.kept.length }),
    };
  });
}
