/** Notification deliveries (the outbox) as a table: where, what, status, attempts, last error. */
import type { OutboxItem } from "../../store/types.js";
import { timeTag } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import type { MessageKey } from "../i18n/index.js";
import { href, type View } from "../view.js";

/** The subject of an e-mail item (its payload is `{subject, text, html}`); nothing for other protocols. */
export function subjectOf(item: OutboxItem): string {
  if (item.protocol !== "email" && item.protocol !== "email-json") return "";
  try {
    const p = JSON.parse(item.payload) as { subject?: unknown };
    return typeof p.subject === "string" ? p.subject : "";
  } catch {
    return "";
  }
}

export function statusLabel(view: View, status: OutboxItem["status"]): string {
  return view.t(`delivery.status.${status}` as MessageKey);
}

export function deliveriesTable(view: View, items: readonly OutboxItem[], caption: string): SafeHtml {
  const { t } = view;
  return html`<table class="deliveries">
    <caption class="visually-hidden">${caption}</caption>
    <thead><tr><th scope="col">${t("delivery.created")}</th><th scope="col">${t("delivery.endpoint")}</th>
      <th scope="col">${t("common.message")}</th><th scope="col">${t("common.status")}</th>
      <th scope="col">${t("delivery.attempts")}</th><th scope="col">${t("delivery.lastError")}</th></tr></thead>
    <tbody>${items.map(
      (d) => html`<tr data-status="${d.status}">
        <td>${timeTag(d.createdAt)}</td>
        <td><a href="${href(view, "/topics/deliveries", { subscriptionArn: d.subscriptionArn })}">${d.protocol}: ${d.endpoint}</a></td>
        <td>${subjectOf(d)}</td>
        <td>${statusLabel(view, d.status)}</td>
        <td>${d.attempts}</td>
        <td>${d.lastError ?? ""}</td>
      </tr>`,
    )}</tbody></table>`;
}
