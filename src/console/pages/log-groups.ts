/**
 * Log groups: the list (with a create form), and one group's streams, newest events and a search box that
 * takes any filter pattern (FilterLogEvents semantics, src/console/events.ts). The search is a GET form, so
 * a result is a link that can be shared and reloaded.
 */
import { compile, patternError, runPattern, testResults } from "../components/pattern-test.js";
import { recentEvents, searchEvents } from "../events.js";
import { csrfField, timeTag } from "../format.js";
import { html } from "../html.js";
import { layout } from "../layout.js";
import type { ConsoleRouter } from "../router.js";
import { href } from "../view.js";

const RECENT = 50;

/** `<input type=datetime-local>` text, read as UTC (the page says so). */
function utcInput(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const t = Date.parse(/Z$|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isFinite(t) ? t : undefined;
}

export function registerLogGroups(router: ConsoleRouter): void {
  router.get("/log-groups", async ({ view, ctx }) => {
    const { t } = view;
    const groups = await ctx.engine.store.listLogGroups({ limit: 1000 });
    const filters = await ctx.engine.logs.describeMetricFilters({});
    const body = html`
      ${
        groups.length === 0
          ? html`<p>${t("logGroups.none")}</p>`
          : html`<table><thead><tr><th scope="col">${t("common.name")}</th><th scope="col">${t("logGroups.retention")}</th>
              <th scope="col">${t("logGroups.filters")}</th><th scope="col">${t("common.actions")}</th></tr></thead>
            <tbody>${groups.map(
              (
                g,
              ) => html`<tr><th scope="row"><a href="${href(view, "/log-groups/detail", { name: g.logGroupName })}">${g.logGroupName}</a></th>
                <td>${g.retentionInDays ? t("logGroups.retentionDays", { days: g.retentionInDays }) : t("logGroups.retentionNever")}</td>
                <td><a href="${href(view, "/metric-filters", { logGroupName: g.logGroupName })}">${filters.filter((f) => f.logGroupName === g.logGroupName).length}</a></td>
                <td><a href="${href(view, "/metric-filters/new", { logGroupName: g.logGroupName })}">${t("logGroups.createFilter")}</a></td></tr>`,
            )}</tbody></table>`
      }
      <form method="post" action="${href(view, "/log-groups")}" class="stack">
        ${csrfField(view)}
        <fieldset><legend>${t("logGroups.create")}</legend>
          <label for="logGroupName">${t("common.name")}</label>
          <input type="text" id="logGroupName" name="logGroupName" required maxlength="512">
          <p><button type="submit">${t("logGroups.create")}</button></p>
        </fieldset>
      </form>`;
    return { page: layout(view, { title: t("logGroups.title"), section: "logGroups", body }) };
  });

  router.post("/log-groups", async ({ view, ctx, form }) => {
    const name = form.get("logGroupName") ?? "";
    await ctx.engine.logs.createLogGroup(name);
    return {
      redirect: href(view, "/log-groups/detail", { name }),
      flash: view.t("logGroups.created", { name }),
    };
  });

  router.get("/log-groups/detail", async ({ view, ctx, query }) => {
    const { t } = view;
    const name = query.name ?? "";
    const group = await ctx.engine.store.getLogGroup(name);
    if (!group)
      return {
        page: layout(view, {
          title: t("error.notFound", { what: name }),
          section: "logGroups",
          body: html``,
        }),
        status: 404,
      };
    const store = ctx.engine.store;
    const streams = await store.listLogStreams(name, {
      limit: 50,
      orderBy: "LastEventTime",
      descending: true,
    });
    const pattern = query.pattern;
    let results = html``;
    if (pattern !== undefined && query.search === "1") {
      const compiled = compile(pattern);
      if (!compiled.ok) results = patternError(view, pattern, compiled.error);
      else {
        const afterSeq = query.after && /^\d+$/.test(query.after) ? Number(query.after) : undefined;
        const found = await searchEvents(store, {
          logGroupName: name,
          pattern: compiled.pattern,
          startTime: utcInput(query.from),
          endTime: utcInput(query.to),
          afterSeq,
        });
        const rows = runPattern(
          compiled.pattern,
          found.matches.map((e) => ({ message: e.message, timestamp: e.timestamp, stream: e.logStreamName })),
        );
        results = html`<p role="status">${t("logGroups.results", { matched: found.matches.length, scanned: found.scanned })}</p>
          ${rows.length > 0 ? testResults(view, rows, { showStream: true }) : ""}
          ${found.next !== undefined ? html`<p><a href="${href(view, "/log-groups/detail", { ...query, after: String(found.next) })}">${t("logGroups.more")}</a></p>` : ""}`;
      }
    }
    const recent = await recentEvents(store, name, RECENT);
    const body = html`
      <p><a class="button" href="${href(view, "/metric-filters/new", { logGroupName: name })}">${t("logGroups.createFilter")}</a>
         <a href="${href(view, "/metric-filters", { logGroupName: name })}">${t("logGroups.filters")}</a></p>
      <section aria-labelledby="h-search"><h2 id="h-search">${t("logGroups.search")}</h2>
        <form method="get" action="${href(view, "/log-groups/detail")}" class="stack" role="search">
          <input type="hidden" name="name" value="${name}"><input type="hidden" name="search" value="1">
          <label for="pattern">${t("logGroups.searchPattern")}</label>
          <input type="text" id="pattern" name="pattern" class="pattern" value="${pattern ?? ""}" aria-describedby="pattern-hint">
          <p class="hint" id="pattern-hint">${t("logGroups.searchHint")}</p>
          <div class="row">
            <div><label for="from">${t("logGroups.searchFrom")}</label><input type="datetime-local" id="from" name="from" step="1" value="${query.from ?? ""}"></div>
            <div><label for="to">${t("logGroups.searchTo")}</label><input type="datetime-local" id="to" name="to" step="1" value="${query.to ?? ""}"></div>
            <div><button type="submit">${t("common.search")}</button></div>
          </div>
        </form>
        <div id="search-results">${results}</div>
      </section>
      <section aria-labelledby="h-streams"><h2 id="h-streams">${t("logGroups.streams")}</h2>
        ${
          streams.length === 0
            ? html`<p>${t("logGroups.noStreams")}</p>`
            : html`<table><thead><tr><th scope="col">${t("logGroups.stream")}</th><th scope="col">${t("logGroups.lastEvent")}</th></tr></thead>
              <tbody>${streams.map((s) => html`<tr><td>${s.logStreamName}</td><td>${timeTag(s.lastEventTimestamp)}</td></tr>`)}</tbody></table>`
        }
      </section>
      <section aria-labelledby="h-recent"><h2 id="h-recent">${t("logGroups.recent")}</h2>
        ${
          recent.length === 0
            ? html`<p>${t("logGroups.noEvents")}</p>`
            : html`<table><thead><tr><th scope="col">${t("common.time")}</th><th scope="col">${t("logGroups.stream")}</th><th scope="col">${t("common.message")}</th></tr></thead>
              <tbody>${recent.map((e) => html`<tr><td>${timeTag(e.timestamp)}</td><td>${e.logStreamName}</td><td class="msg">${e.message.length > 2000 ? `${e.message.slice(0, 2000)}…` : e.message}</td></tr>`)}</tbody></table>`
        }
      </section>`;
    return { page: layout(view, { title: name, section: "logGroups", body }) };
  });
}
