/**
 * The console's one escaping helper. Every page is built with the `html` tagged template: interpolated values
 * are HTML-escaped unless they are already `SafeHtml` (the result of another `html` call, or `raw()` for text
 * the console itself produced). Arrays are joined, `null`/`undefined`/`false` render as nothing. There is no
 * other way to put text into a page, so forgetting to escape is not possible by accident.
 *
 * @example
 *   html`<td>${alarm.alarmName}</td>`            // escaped
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`
 */

export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Marks text as already safe. Only for markup the console builds itself — never for user or event data. */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}

/**
 * JSON for a `<script type="application/json">` block: `<` is escaped so that no string inside can close the
 * element, and U+2028/2029 so that the text is also valid JavaScript.
 */
export function jsonScript(value: unknown): SafeHtml {
  return raw(
    JSON.stringify(value)
      .replace(/</g, "\\u003c")
      .replace(/\u2028/g, "\\u2028")
      .replace(/\u2029/g, "\\u2029"),
  );
}
