/**
 * The page shell: skip link, navigation, language switch, the flash message, then the page. htmx is
 * configured by a meta tag (no inline script, so the Content-Security-Policy can forbid inline code) and
 * every htmx request carries the CSRF token as a header (`hx-headers` on <body>).
 */
import { html, type SafeHtml } from "./html.js";
import { LANGUAGES, type MessageKey } from "./i18n/index.js";
import { href, type View } from "./view.js";

export type Section = "overview" | "logGroups" | "metricFilters" | "alarms" | "topics" | "packs" | "login";

const NAV: { section: Section; path: string; label: MessageKey }[] = [
  { section: "overview", path: "/", label: "nav.overview" },
  { section: "logGroups", path: "/log-groups", label: "nav.logGroups" },
  { section: "metricFilters", path: "/metric-filters", label: "nav.metricFilters" },
  { section: "alarms", path: "/alarms", label: "nav.alarms" },
  { section: "topics", path: "/topics", label: "nav.topics" },
  { section: "packs", path: "/packs", label: "nav.packs" },
];

/** htmx settings: no injected <style> and no eval, both of which the CSP would refuse anyway. */
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
});

export function layout(
  view: View,
  page: { title: string; section: Section; body: SafeHtml; scripts?: "graph"[] },
): SafeHtml {
  const { t } = view;
  const nav =
    page.section === "login"
      ? html``
      : html`<nav aria-label="${t("nav.label")}"><ul>
          ${NAV.map(
            (n) =>
              html`<li><a href="${href(view, n.path)}"${n.section === page.section ? html` aria-current="page"` : ""}>${t(n.label)}</a></li>`,
          )}
        </ul></nav>`;
  const langSwitch = html`<ul class="lang" aria-label="${t("lang.label")}">
    ${LANGUAGES.map((l) =>
      l === view.lang
        ? html`<li><span aria-current="true" lang="${l}">${t(`lang.${l}`)}</span></li>`
        : html`<li><a href="${href(view, `/lang/${l}`, { next: view.current })}" lang="${l}" hreflang="${l}">${t(`lang.${l}`)}</a></li>`,
    )}
  </ul>`;
  const logout =
    view.passwordRequired && page.section !== "login"
      ? html`<form method="post" action="${href(view, "/logout")}" class="logout">
          <input type="hidden" name="_csrf" value="${view.csrf}"><button type="submit">${t("auth.logout")}</button></form>`
      : html``;
  return html`<!doctype html>
<html lang="${view.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<link rel="icon" href="data:,">
<title>${page.title} · ${t("app.title")}</title>
<link rel="stylesheet" href="${href(view, "/assets/console.css")}">
${page.scripts?.includes("graph") ? html`<link rel="stylesheet" href="${href(view, "/assets/uPlot.min.css")}">` : ""}
<script src="${href(view, "/assets/htmx.min.js")}" defer></script>
${page.scripts?.includes("graph") ? html`<script src="${href(view, "/assets/uPlot.iife.min.js")}" defer></script><script src="${href(view, "/assets/graph.js")}" defer></script>` : ""}
</head>
<body hx-headers="${JSON.stringify({ "X-CSRF-Token": view.csrf })}">
<a class="skip" href="#main">${t("nav.skip")}</a>
<header>
  <a class="brand" href="${href(view, "/")}">${t("app.title")}</a>
  ${nav}
  <div class="tools">${langSwitch}${logout}</div>
</header>
<main id="main" tabindex="-1">
<h1>${page.title}</h1>
${view.flash ? html`<p class="flash" role="status">${view.flash}</p>` : ""}
${page.body}
</main>
</body>
</html>`;
}
