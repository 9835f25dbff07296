/**
 * Running a filter pattern over messages for display: which match, what each match extracted, and where in
 * the message to highlight. Matching itself is the engine's (compileFilterPattern); this module only
 * decides what to show:
 *
 * - space-delimited patterns: TestMetricFilter's extractedValues (`$ip`, `$1`...);
 * - JSON patterns: the value each `$.selector` of the pattern reads from the event, which is what a person
 *   checking a CloudTrail pattern wants to see (TestMetricFilter itself returns `{}` for JSON patterns);
 * - term patterns: the terms, highlighted where they occur.
 */
import {
  type CompiledPattern,
  compileFilterPattern,
  InvalidParameterException,
  parseSelector,
  selectValue,
} from "../../pattern/index.js";
import { html, type SafeHtml } from "../html.js";
import type { View } from "../view.js";

export interface TestRow {
  message: string;
  timestamp?: number;
  stream?: string;
  matched: boolean;
  extracted: [string, string][];
  highlights: string[];
}

export type Compiled =
  | { ok: true; pattern: CompiledPattern }
  | { ok: false; error: InvalidParameterException };

export function compile(pattern: string): Compiled {
  try {
    return { ok: true, pattern: compileFilterPattern(pattern) };
  } catch (e) {
    if (e instanceof InvalidParameterException) return { ok: false, error: e };
    throw e;
  }
}

const SELECTOR = /\$(?:\.[A-Za-z0-9_@$-]+|\[\d+\])+/g;

function selectorsOf(source: string): string[] {
  return [...new Set(source.match(SELECTOR) ?? [])];
}

function termsOf(source: string): string[] {
  return (source.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [])
    .filter((t) => !t.startsWith("-"))
    .map((t) => t.replace(/^\?/, "").replace(/^"|"$/g, ""))
    .filter((t) => t.length > 0 && t !== "?");
}

export function runPattern(
  pattern: CompiledPattern,
  events: readonly { message: string; timestamp?: number; stream?: string }[],
): TestRow[] {
  const selectors = pattern.kind === "json" ? selectorsOf(pattern.source) : [];
  const terms = pattern.kind === "terms" ? termsOf(pattern.source) : [];
  return events.map((e) => {
    const m = pattern.match(e.message);
    const row: TestRow = { ...e, matched: m !== null, extracted: [], highlights: [] };
    if (!m) return row;
    for (const [k, v] of Object.entries(m.extractedValues)) {
      row.extracted.push([k, v]);
      row.highlights.push(v);
    }
    for (const s of selectors) {
      const selector = parseSelector(s);
      if (!selector || m.json === undefined) continue;
      const v = selectValue(m.json, selector);
      if (v === undefined) continue;
      const text = typeof v === "string" ? v : JSON.stringify(v);
      row.extracted.push([s, text]);
      row.highlights.push(typeof v === "string" ? JSON.stringify(v) : text);
    }
    row.highlights.push(...terms);
    return row;
  });
}

const SHOWN = 4000;

/** The message with each needle's occurrences marked (<mark>), escaped; long messages are cut. */
export function highlight(message: string, needles: readonly string[]): SafeHtml {
  const text = message.length > SHOWN ? `${message.slice(0, SHOWN)}…` : message;
  const ranges: [number, number][] = [];
  for (const n of needles) {
    if (n.length === 0) continue;
    let from = 0;
    for (;;) {
      const i = text.indexOf(n, from);
      if (i < 0) break;
      if (!ranges.some(([a, b]) => i < b && i + n.length > a)) ranges.push([i, i + n.length]);
      from = i + n.length;
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const parts: SafeHtml[] = [];
  let at = 0;
  for (const [a, b] of ranges) {
    parts.push(html`${text.slice(at, a)}<mark>${text.slice(a, b)}</mark>`);
    at = b;
  }
  parts.push(html`${text.slice(at)}`);
  return html`${parts}`;
}

/** The rejection with the pattern and a mark at the position where it went wrong. */
export function patternError(view: View, source: string, error: InvalidParameterException): SafeHtml {
  const { t } = view;
  const at = error.position;
  return html`<div class="error" role="alert" id="pattern-error">
    <p>${t("wizard.patternError", { message: error.message })}</p>
    ${
      typeof at === "number"
        ? html`<p>${t("wizard.patternErrorAt", { position: at })}</p>
      <p class="caret" data-position="${at}"><code>${source.slice(0, at)}<mark>${source.slice(at, at + 1) || " "}</mark>${source.slice(at + 1)}</code></p>`
        : ""
    }
  </div>`;
}

/** The result table: every event, matched ones marked in words and colour, with the extracted values. */
export function testResults(
  view: View,
  rows: readonly TestRow[],
  options: { showStream?: boolean } = {},
): SafeHtml {
  const { t } = view;
  const matched = rows.filter((r) => r.matched).length;
  return html`<p class="counts" role="status">${t("wizard.testResult", { matched, total: rows.length })}</p>
  <table class="test-results">
    <thead><tr><th scope="col">#</th><th scope="col" class="nowrap">${t("common.status")}</th>
      ${options.showStream ? html`<th scope="col">${t("common.time")}</th><th scope="col">${t("logGroups.stream")}</th>` : ""}
      <th scope="col">${t("common.message")}</th><th scope="col">${t("wizard.extracted")}</th></tr></thead>
    <tbody>${rows.map(
      (r, i) => html`<tr class="${r.matched ? "match" : "nomatch"}">
        <td>${i + 1}</td>
        <td class="nowrap">${r.matched ? t("wizard.testMatch") : t("wizard.testNoMatch")}</td>
        ${options.showStream ? html`<td>${r.timestamp !== undefined ? new Date(r.timestamp).toISOString() : ""}</td><td>${r.stream ?? ""}</td>` : ""}
        <td class="msg">${r.matched ? highlight(r.message, r.highlights) : highlight(r.message, [])}</td>
        <td>${r.extracted.length > 0 ? html`<dl class="kv">${r.extracted.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>` : ""}</td>
      </tr>`,
    )}</tbody></table>`;
}
