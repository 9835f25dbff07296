/**
 * The seed's metric filter wizard, in its two screens:
 *
 * 1. "Define Logs Metric Filter": the log group and the Filter Pattern, with a pattern test against the
 *    group's newest events and against pasted sample messages. The test re-runs as the pattern is typed
 *    (htmx, POST /metric-filters/test) and also works without script (the Test button reloads the step).
 *    A rejected pattern is shown with AWS's message and a mark at the position where it went wrong.
 * 2. "Create Metric Filter and Assign a Metric": Filter Name, Metric Namespace, Metric Name, Metric Value,
 *    and under "Show advanced metric settings" the Default Value; Create Filter calls PutMetricFilter.
 *
 * Editing an existing filter is the same two screens, prefilled, with the filter name fixed.
 */
import type { MetricFilter } from "../../store/types.js";
import { compile, patternError, runPattern, testResults } from "../components/pattern-test.js";
import { recentEvents } from "../events.js";
import { csrfField } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import { layout } from "../layout.js";
import type { ConsoleRouter, PageRequest } from "../router.js";
import { href, type View } from "../view.js";

const TEST_EVENTS = 50;
const MAX_SAMPLES = 200;

function samplesOf(text: string | undefined | null): string[] {
  return (text ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .slice(0, MAX_SAMPLES);
}

/** The test panel's content: the pattern's error, or its results on the group's events and on the samples. */
async function testPanel(
  r: PageRequest,
  group: string,
  pattern: string,
  samplesText: string | null | undefined,
): Promise<SafeHtml> {
  const { view, ctx } = r;
  const { t } = view;
  const compiled = compile(pattern);
  if (!compiled.ok) return patternError(view, pattern, compiled.error);
  const parts: SafeHtml[] = [];
  if (pattern.trim() === "") parts.push(html`<p class="hint">${t("wizard.matchesAll")}</p>`);
  const samples = samplesOf(samplesText);
  if (samples.length > 0) {
    parts.push(html`<h3>${t("wizard.testSamples")}</h3>`);
    parts.push(
      testResults(
        view,
        runPattern(
          compiled.pattern,
          samples.map((message) => ({ message })),
        ),
      ),
    );
  }
  const events = group ? await recentEvents(ctx.engine.store, group, TEST_EVENTS) : [];
  if (events.length > 0) {
    parts.push(html`<h3>${t("wizard.testRecent", { n: events.length })}</h3>`);
    const rows = runPattern(
      compiled.pattern,
      events.map((e) => ({ message: e.message, timestamp: e.timestamp, stream: e.logStreamName })),
    );
    parts.push(testResults(view, rows, { showStream: true }));
  } else if (samples.length === 0) {
    parts.push(html`<p>${t("wizard.testNoEvents")}</p>`);
  }
  // The pattern these results are for: a script (or a test) can tell a fresh answer from a stale one.
  return html`<div data-tested="${pattern}">${parts}</div>`;
}

async function existing(
  r: PageRequest,
  group: string,
  name: string | undefined,
): Promise<MetricFilter | undefined> {
  if (!name) return undefined;
  const filters = await r.ctx.engine.logs.describeMetricFilters({
    logGroupName: group,
    filterNamePrefix: name,
  });
  return filters.find((f) => f.filterName === name);
}

async function step1(
  r: PageRequest,
  group: string,
  edit: MetricFilter | undefined,
  pattern: string,
): Promise<SafeHtml> {
  const { view, ctx, query } = r;
  const { t } = view;
  const groups = await ctx.engine.store.listLogGroups({ limit: 1000 });
  const samples = query.samples ?? "";
  const body = html`<h2>${t("wizard.step1")}</h2>
    <form method="get" action="${href(view, "/metric-filters/new")}" class="stack" id="wizard-form">
      ${edit ? html`<input type="hidden" name="edit" value="${edit.filterName}"><input type="hidden" name="logGroupName" value="${group}">` : ""}
      <label for="logGroupName">${t("wizard.logGroup")}</label>
      <select id="logGroupName" name="logGroupName"${edit ? html` disabled` : ""}>
        ${groups.map((g) => html`<option${g.logGroupName === group ? html` selected` : ""}>${g.logGroupName}</option>`)}
      </select>
      <label for="filterPattern">${t("wizard.pattern")}</label>
      <textarea id="filterPattern" name="filterPattern" class="pattern" rows="3" maxlength="1024"
        aria-describedby="pattern-hint">${pattern}</textarea>
      <p class="hint" id="pattern-hint">${t("wizard.patternHint")}</p>
      <fieldset class="wide"><legend>${t("wizard.testTitle")}</legend>
        <label for="samples">${t("wizard.testSamples")}</label>
        <textarea id="samples" name="samples" class="pattern" rows="4">${samples}</textarea>
        <p><button type="submit" name="step" value="1" class="secondary">${t("wizard.testRun")}</button></p>
        <div id="test-result" hx-post="${href(view, "/metric-filters/test")}" hx-include="#wizard-form"
          hx-trigger="input changed delay:400ms from:#wizard-form" hx-sync="this:replace">
          ${await testPanel(r, group, pattern, samples)}
        </div>
      </fieldset>
      <p><button type="submit" name="step" value="2">${t("wizard.assign")}</button></p>
    </form>`;
  return body;
}

interface Step2Values {
  filterName: string;
  metricNamespace: string;
  metricName: string;
  metricValue: string;
  defaultValue: string;
}

function step2(
  view: View,
  group: string,
  edit: MetricFilter | undefined,
  pattern: string,
  v: Step2Values,
  error?: string,
): SafeHtml {
  const { t } = view;
  const field = (id: keyof Step2Values, label: string, extra: SafeHtml = html``) =>
    html`<label for="${id}">${label}</label><input type="text" id="${id}" name="${id}" value="${v[id]}" ${extra}>`;
  return html`<h2>${t("wizard.step2")}</h2>
    ${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ""}
    <form method="post" action="${href(view, "/metric-filters")}" class="stack">
      ${csrfField(view)}
      <input type="hidden" name="logGroupName" value="${group}">
      <input type="hidden" name="filterPattern" value="${pattern}">
      ${edit ? html`<input type="hidden" name="edit" value="${edit.filterName}">` : ""}
      <dl class="kv"><dt>${t("wizard.logGroup")}</dt><dd>${group}</dd>
        <dt>${t("wizard.pattern")}</dt><dd><code>${pattern}</code>
        <a href="${href(view, "/metric-filters/new", { logGroupName: group, filterPattern: pattern, edit: edit?.filterName })}">${t("common.back")}</a></dd></dl>
      ${field("filterName", t("wizard.filterName"), edit ? html`readonly required` : html`required maxlength="512"`)}
      <fieldset><legend>${t("wizard.metricDetails")}</legend>
        ${field("metricNamespace", t("wizard.namespace"), html`required maxlength="255"`)}
        ${field("metricName", t("wizard.metricName"), html`required maxlength="255"`)}
        ${field("metricValue", t("wizard.metricValue"), html`required aria-describedby="value-hint"`)}
        <p class="hint" id="value-hint">${t("wizard.metricValueHint")}</p>
        <details${v.defaultValue ? html` open` : ""}><summary>${t("wizard.advanced")}</summary>
          ${field("defaultValue", t("wizard.defaultValue"), html`inputmode="decimal" aria-describedby="default-hint"`)}
          <p class="hint" id="default-hint">${t("wizard.defaultValueHint")}</p>
        </details>
      </fieldset>
      <p><button type="submit">${edit ? t("wizard.update") : t("wizard.create")}</button></p>
    </form>`;
}

function valuesOf(
  source: { get(name: string): string | null | undefined },
  edit?: MetricFilter,
): Step2Values {
  const m = edit?.metricTransformations[0];
  const pick = (name: keyof Step2Values, fallback: string) => source.get(name) ?? fallback;
  return {
    filterName: pick("filterName", edit?.filterName ?? ""),
    metricNamespace: pick("metricNamespace", m?.metricNamespace ?? ""),
    metricName: pick("metricName", m?.metricName ?? ""),
    metricValue: pick("metricValue", m?.metricValue ?? "1"),
    defaultValue: pick("defaultValue", m?.defaultValue !== undefined ? String(m.defaultValue) : ""),
  };
}

export function registerFilterWizard(router: ConsoleRouter): void {
  router.get("/metric-filters/new", async (r) => {
    const { view, query } = r;
    const { t } = view;
    const group = query.logGroupName ?? "";
    const edit = await existing(r, group, query.edit);
    const pattern = query.filterPattern ?? edit?.filterPattern ?? "";
    const title = edit ? t("wizard.editTitle", { name: edit.filterName }) : t("logGroups.createFilter");
    let body: SafeHtml;
    if (query.step === "2" && compile(pattern).ok) {
      const q = new URLSearchParams(query);
      body = step2(view, group, edit, pattern, valuesOf({ get: (n) => (edit ? undefined : q.get(n)) }, edit));
    } else {
      body = await step1(r, group, edit, pattern);
    }
    return { page: layout(view, { title, section: "metricFilters", body }) };
  });

  router.post("/metric-filters/test", async (r) => {
    const { form } = r;
    return {
      fragment: await testPanel(
        r,
        form.get("logGroupName") ?? "",
        form.get("filterPattern") ?? "",
        form.get("samples"),
      ),
    };
  });

  router.post("/metric-filters", async (r) => {
    const { view, ctx, form } = r;
    const { t } = view;
    const group = form.get("logGroupName") ?? "";
    const pattern = form.get("filterPattern") ?? "";
    const edit = await existing(r, group, form.get("edit") ?? undefined);
    const v = valuesOf(form);
    const defaultValue = v.defaultValue.trim();
    try {
      await ctx.engine.logs.putMetricFilter({
        logGroupName: group,
        filterName: edit ? edit.filterName : v.filterName,
        filterPattern: pattern,
        metricTransformations: [
          {
            ...edit?.metricTransformations[0],
            metricNamespace: v.metricNamespace,
            metricName: v.metricName,
            metricValue: v.metricValue,
            defaultValue:
              defaultValue === ""
                ? undefined
                : Number.isFinite(Number(defaultValue))
                  ? Number(defaultValue)
                  : defaultValue,
          },
        ],
        ...(edit?.emitSystemFieldDimensions
          ? { emitSystemFieldDimensions: edit.emitSystemFieldDimensions }
          : {}),
      });
    } catch (e) {
      if (!(e instanceof Error) || !/Exception$/.test(e.name)) throw e;
      const title = edit ? t("wizard.editTitle", { name: edit.filterName }) : t("logGroups.createFilter");
      const body = step2(view, group, edit, pattern, v, t("error.rejected", { message: e.message }));
      return { page: layout(view, { title, section: "metricFilters", body }), status: 400 };
    }
    return {
      redirect: href(view, "/metric-filters", { logGroupName: group }),
      flash: t("filters.saved", { name: edit ? edit.filterName : v.filterName }),
    };
  });
}
