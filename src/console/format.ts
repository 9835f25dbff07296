/** Small renderings shared by the pages: times, periods, state badges, the CSRF field. */
import { html, type SafeHtml } from "./html.js";
import type { Translate } from "./i18n/index.js";
import type { View } from "./view.js";

/** `2026-01-01 09:30:00 UTC`: one unambiguous zone for every reader (CloudTrail's own times are UTC). */
export function utc(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "";
  return `${new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "")} UTC`;
}

export function timeTag(ms: number | undefined): SafeHtml {
  if (ms === undefined || !Number.isFinite(ms)) return html``;
  return html`<time datetime="${new Date(ms).toISOString()}">${utc(ms)}</time>`;
}

export function periodLabel(t: Translate, seconds: number): string {
  if (seconds % 86_400 === 0 && seconds === 86_400) return t("period.day");
  if (seconds % 3600 === 0)
    return seconds === 3600 ? t("period.hour") : t("period.hours", { n: seconds / 3600 });
  if (seconds % 60 === 0)
    return seconds === 60 ? t("period.minute") : t("period.minutes", { n: seconds / 60 });
  return t("period.seconds", { n: seconds });
}

/** The state in words and colour (never colour alone), with the AWS value for people who know it. */
export function stateBadge(t: Translate, state: string): SafeHtml {
  const key =
    state === "OK" || state === "ALARM" || state === "INSUFFICIENT_DATA" ? state : "INSUFFICIENT_DATA";
  return html`<span class="badge badge-${key.toLowerCase()}" data-state="${state}">${t(`state.${key}`)}</span>`;
}

export function csrfField(view: View): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${view.csrf}">`;
}
