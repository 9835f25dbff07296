/**
 * Topics and subscriptions: each topic with its subscriptions (pending or confirmed), a form to add an
 * e-mail address, "resend confirmation" for a pending one, "send a test message", and each subscription's
 * delivery log (the outbox items and their attempts). Subscribe and Publish go through ctx.notifier, which
 * records them and queues the mails, exactly as the SNS API does.
 */
import type { Subscription } from "../../store/types.js";
import { statusLabel, subjectOf } from "../components/deliveries.js";
import { csrfField, timeTag } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import { layout } from "../layout.js";
import type { ConsoleRouter } from "../router.js";
import { href, type View } from "../view.js";

const LOG_ITEMS = 50;

function subscriptionRow(view: View, s: Subscription): SafeHtml {
  const { t } = view;
  return html`<tr data-endpoint="${s.endpoint}">
    <td>${s.protocol}</td><td>${s.endpoint}</td>
    <td data-status="${s.pendingConfirmation ? "pending" : "confirmed"}">${s.pendingConfirmation ? t("topics.pending") : t("topics.confirmed")}</td>
    <td>${
      s.pendingConfirmation
        ? html`<form method="post" action="${href(view, "/topics/resend")}" class="inline">${csrfField(view)}
            <input type="hidden" name="TopicArn" value="${s.topicArn}"><input type="hidden" name="Protocol" value="${s.protocol}">
            <input type="hidden" name="Endpoint" value="${s.endpoint}">
            <button type="submit" class="secondary">${t("topics.resend")}</button></form>`
        : ""
    }
      <a href="${href(view, "/topics/deliveries", { subscriptionArn: s.subscriptionArn })}">${t("topics.log")}</a></td></tr>`;
}

export function registerTopics(router: ConsoleRouter): void {
  router.get("/topics", async ({ view, ctx }) => {
    const { t } = view;
    const topics = await ctx.engine.store.listTopics({ limit: 1000 });
    const sections: SafeHtml[] = [];
    for (const [i, tp] of topics.entries()) {
      const subs = await ctx.engine.store.listSubscriptions({ topicArn: tp.topicArn, limit: 1000 });
      sections.push(html`<section id="${tp.topicArn}" aria-labelledby="topic-${i}" class="topic">
        <h2 id="topic-${i}">${tp.name}</h2><p class="hint"><code>${tp.topicArn}</code></p>
        ${
          subs.length === 0
            ? html`<p>${t("topics.noSubscriptions")}</p>`
            : html`<table><caption class="visually-hidden">${t("topics.subscriptions")}</caption>
              <thead><tr><th scope="col">${t("topics.protocol")}</th><th scope="col">${t("topics.endpoint")}</th>
              <th scope="col">${t("common.status")}</th><th scope="col">${t("common.actions")}</th></tr></thead>
              <tbody>${subs.map((s) => subscriptionRow(view, s))}</tbody></table>`
        }
        <div class="row">
          <form method="post" action="${href(view, "/topics/subscribe")}" class="stack">${csrfField(view)}
            <input type="hidden" name="TopicArn" value="${tp.topicArn}">
            <label for="email-${i}">${t("topics.email")}</label>
            <input type="email" id="email-${i}" name="Endpoint" required>
            <p><button type="submit">${t("topics.subscribe")}</button></p></form>
          <form method="post" action="${href(view, "/topics/test")}">${csrfField(view)}
            <input type="hidden" name="TopicArn" value="${tp.topicArn}">
            <p><button type="submit" class="secondary">${t("topics.test")}</button></p></form>
        </div></section>`);
    }
    const body = html`
      ${topics.length === 0 ? html`<p>${t("topics.none")}</p>` : sections}
      <form method="post" action="${href(view, "/topics")}" class="stack">${csrfField(view)}
        <fieldset><legend>${t("topics.create")}</legend>
          <label for="Name">${t("alarmForm.topicName")}</label>
          <input type="text" id="Name" name="Name" required maxlength="256" pattern="[A-Za-z0-9_\\-]{1,256}">
          <p><button type="submit">${t("topics.create")}</button></p></fieldset></form>`;
    return { page: layout(view, { title: t("topics.title"), section: "topics", body }) };
  });

  router.post("/topics", async ({ view, ctx, form }) => {
    const name = form.get("Name") ?? "";
    await ctx.topics.createTopic({ Name: name });
    return { redirect: href(view, "/topics"), flash: view.t("topics.created", { name }) };
  });

  router.post("/topics/subscribe", async ({ view, ctx, form }) => {
    const endpoint = form.get("Endpoint") ?? "";
    await ctx.notifier.subscribe({
      TopicArn: form.get("TopicArn") ?? "",
      Protocol: "email",
      Endpoint: endpoint,
    });
    return { redirect: href(view, "/topics"), flash: view.t("topics.subscribed", { endpoint }) };
  });

  // SNS resends the confirmation when Subscribe is repeated for a pending subscription (new token).
  router.post("/topics/resend", async ({ view, ctx, form }) => {
    const endpoint = form.get("Endpoint") ?? "";
    await ctx.notifier.subscribe({
      TopicArn: form.get("TopicArn") ?? "",
      Protocol: form.get("Protocol") ?? "email",
      Endpoint: endpoint,
    });
    return { redirect: href(view, "/topics"), flash: view.t("topics.resent", { endpoint }) };
  });

  router.post("/topics/test", async ({ view, ctx, form }) => {
    const { t } = view;
    const arn = form.get("TopicArn") ?? "";
    const name = arn.slice(arn.lastIndexOf(":") + 1);
    const { MessageId } = await ctx.notifier.publish({
      TopicArn: arn,
      Subject: t("topics.testSubject"),
      Message: t("topics.testBody", { name }),
    });
    return { redirect: href(view, "/topics"), flash: t("topics.testSent", { id: MessageId, name }) };
  });

  router.get("/topics/deliveries", async ({ view, ctx, query }) => {
    const { t } = view;
    const arn = query.subscriptionArn ?? "";
    const sub = await ctx.engine.store.getSubscription(arn);
    const items = (await ctx.engine.store.listDeliveries({ subscriptionArn: arn, limit: 1000 }))
      .slice(-LOG_ITEMS)
      .reverse();
    const rows: SafeHtml[] = [];
    for (const d of items) {
      const attempts = await ctx.engine.store.deliveryAttempts(d.id);
      rows.push(html`<tr><td>${timeTag(d.createdAt)}</td><td>${subjectOf(d)}</td><td>${statusLabel(view, d.status)}</td>
        <td>${attempts.length === 0 ? "" : html`<ol>${attempts.map((a) => html`<li>${timeTag(a.at)} ${a.ok ? t("topics.ok") : t("topics.failed")}${a.error ? `: ${a.error}` : ""}</li>`)}</ol>`}</td></tr>`);
    }
    const endpoint = sub?.endpoint ?? arn;
    const body = html`<p><a href="${href(view, "/topics")}">${t("common.back")}</a></p>
      ${
        rows.length === 0
          ? html`<p>${t("overview.noDeliveries")}</p>`
          : html`<table><thead><tr><th scope="col">${t("delivery.created")}</th><th scope="col">${t("common.message")}</th>
            <th scope="col">${t("common.status")}</th><th scope="col">${t("delivery.attempts")}</th></tr></thead><tbody>${rows}</tbody></table>`
      }`;
    return { page: layout(view, { title: t("topics.logFor", { endpoint }), section: "topics", body }) };
  });
}
