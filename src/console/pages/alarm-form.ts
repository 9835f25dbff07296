/**
 * The seed's Create Alarm form: Name, the threshold ("Whenever <metric> is >= 1 for 1 consecutive
 * period(s)"), Period and Statistic, and the notification list — an existing topic, or a New list (a topic
 * name and e-mail addresses, each of which receives a confirmation mail).
 *
 * Order of the writes, so that a rejected alarm leaves nothing behind: the PutMetricAlarm input is validated
 * first (the API's own validatePutMetricAlarm, no write); then the new topic is created and the addresses
 * subscribed through ctx.notifier (which queues the confirmation mails); then PutMetricAlarm itself.
 */
import { validatePutMetricAlarm } from "../../alarms/validate.js";
import type { MetricAlarm } from "../../store/types.js";
import { csrfField, periodLabel } from "../format.js";
import { html, type SafeHtml } from "../html.js";
import type { MessageKey } from "../i18n/index.js";
import { layout } from "../layout.js";
import type { ConsoleRouter, PageRequest } from "../router.js";
import { href } from "../view.js";

const OPERATORS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
] as const;
const PERIODS = [10, 30, 60, 300, 900, 3600, 21600, 86400];
const STATISTICS = ["Sum", "Average", "Minimum", "Maximum", "SampleCount"];
const MISSING = ["missing", "notBreaching", "breaching", "ignore"] as const;

type Values = Record<string, string>;

function defaults(query: Record<string, string>, alarm?: MetricAlarm): Values {
  if (alarm) {
    return {
      AlarmName: alarm.alarmName,
      AlarmDescription: alarm.alarmDescription ?? "",
      Namespace: alarm.namespace,
      MetricName: alarm.metricName,
      ComparisonOperator: alarm.comparisonOperator,
      Threshold: String(alarm.threshold),
      EvaluationPeriods: String(alarm.evaluationPeriods),
      DatapointsToAlarm: alarm.datapointsToAlarm !== undefined ? String(alarm.datapointsToAlarm) : "",
      Period: String(alarm.period),
      Statistic: alarm.statistic ?? alarm.extendedStatistic ?? "Sum",
      TreatMissingData: alarm.treatMissingData,
      notify: alarm.alarmActions.length > 0 ? "existing" : "none",
      NewTopicName: "",
      Emails: "",
    };
  }
  // The seed's values: >= 1, one period of 5 minutes, Sum.
  return {
    AlarmName: query.alarmName ?? "",
    AlarmDescription: "",
    Namespace: query.namespace ?? "",
    MetricName: query.metricName ?? "",
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    Threshold: "1",
    EvaluationPeriods: "1",
    DatapointsToAlarm: "",
    Period: "300",
    Statistic: "Sum",
    TreatMissingData: "missing",
    notify: "none",
    NewTopicName: "",
    Emails: "",
  };
}

function option(value: string, label: string, current: string): SafeHtml {
  return html`<option value="${value}"${value === current ? html` selected` : ""}>${label}</option>`;
}

async function formPage(
  r: PageRequest,
  v: Values,
  checkedTopics: ReadonlySet<string>,
  edit: MetricAlarm | undefined,
  error?: string,
): Promise<SafeHtml> {
  const { view, ctx } = r;
  const { t } = view;
  const topics = await ctx.engine.store.listTopics({ limit: 1000 });
  const periods = PERIODS.includes(Number(v.Period))
    ? PERIODS
    : [...PERIODS, Number(v.Period)].sort((a, b) => a - b);
  const statistics = STATISTICS.includes(v.Statistic) ? STATISTICS : [...STATISTICS, v.Statistic];
  const metric = v.MetricName || t("alarmForm.metricName");
  const body = html`${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ""}
  <form method="post" action="${href(view, "/alarms")}" class="stack" id="alarm-form">
    ${csrfField(view)}
    ${edit ? html`<input type="hidden" name="edit" value="${edit.alarmName}">` : ""}
    <fieldset><legend>${t("alarmForm.thresholdSection")}</legend>
      <label for="AlarmName">${t("alarmForm.name")}</label>
      <input type="text" id="AlarmName" name="AlarmName" value="${v.AlarmName}" required maxlength="255"${edit ? html` readonly` : ""}>
      <label for="AlarmDescription">${t("alarmForm.description")}</label>
      <input type="text" id="AlarmDescription" name="AlarmDescription" value="${v.AlarmDescription}" maxlength="1024">
      <p id="whenever"><strong>${t("alarmForm.whenever", { metric })}</strong></p>
      <div class="row" role="group" aria-labelledby="whenever">
        <div><label for="ComparisonOperator">${t("alarmForm.operator")}</label>
          <select id="ComparisonOperator" name="ComparisonOperator">
            ${OPERATORS.map((o) => option(o, t(`op.${o}`), v.ComparisonOperator))}</select></div>
        <div><label for="Threshold">${t("alarmForm.threshold")}</label>
          <input type="number" id="Threshold" name="Threshold" value="${v.Threshold}" step="any" required></div>
        <div><label for="EvaluationPeriods">${t("alarmForm.evaluationPeriods")}</label>
          <input type="number" id="EvaluationPeriods" name="EvaluationPeriods" value="${v.EvaluationPeriods}" min="1" step="1" required></div>
        <div><label for="DatapointsToAlarm">${t("alarmForm.datapoints")}</label>
          <input type="number" id="DatapointsToAlarm" name="DatapointsToAlarm" value="${v.DatapointsToAlarm}" min="1" step="1"></div>
      </div>
    </fieldset>
    <fieldset><legend>${t("alarmForm.metricSection")}</legend>
      <label for="Namespace">${t("alarmForm.namespace")}</label>
      <input type="text" id="Namespace" name="Namespace" value="${v.Namespace}" required>
      <label for="MetricName">${t("alarmForm.metricName")}</label>
      <input type="text" id="MetricName" name="MetricName" value="${v.MetricName}" required>
      <div class="row">
        <div><label for="Period">${t("alarmForm.period")}</label>
          <select id="Period" name="Period">${periods.map((p) => option(String(p), periodLabel(t, p), v.Period))}</select></div>
        <div><label for="Statistic">${t("alarmForm.statistic")}</label>
          <select id="Statistic" name="Statistic">${statistics.map((s) => option(s, s, v.Statistic))}</select></div>
        <div><label for="TreatMissingData">${t("alarmForm.missing")}</label>
          <select id="TreatMissingData" name="TreatMissingData">
            ${MISSING.map((m) => option(m, t(`missing.${m}` as MessageKey), v.TreatMissingData))}</select></div>
      </div>
    </fieldset>
    <fieldset><legend>${t("alarmForm.actions")}</legend>
      <p>${t("alarmForm.notify")}</p>
      <div><input type="radio" id="notify-none" name="notify" value="none"${v.notify === "none" ? html` checked` : ""}>
        <label for="notify-none" class="inline">${t("alarmForm.noTopic")}</label></div>
      ${
        topics.length > 0
          ? html`<div><input type="radio" id="notify-existing" name="notify" value="existing"${v.notify === "existing" ? html` checked` : ""}>
          <label for="notify-existing" class="inline">${t("alarmForm.existingTopic")}</label>
          <ul>${topics.map(
            (
              tp,
              i,
            ) => html`<li><input type="checkbox" id="topic-${i}" name="TopicArn" value="${tp.topicArn}"${checkedTopics.has(tp.topicArn) ? html` checked` : ""}>
              <label for="topic-${i}" class="inline">${tp.name}</label></li>`,
          )}</ul></div>`
          : ""
      }
      <div><input type="radio" id="notify-new" name="notify" value="new"${v.notify === "new" ? html` checked` : ""}>
        <label for="notify-new" class="inline">${t("alarmForm.newList")}</label>
        <label for="NewTopicName">${t("alarmForm.topicName")}</label>
        <input type="text" id="NewTopicName" name="NewTopicName" value="${v.NewTopicName}" maxlength="256" pattern="[A-Za-z0-9_\\-]{1,256}">
        <label for="Emails">${t("alarmForm.emails")}</label>
        <textarea id="Emails" name="Emails" rows="2" aria-describedby="emails-hint">${v.Emails}</textarea>
        <p class="hint" id="emails-hint">${t("alarmForm.emailsHint")}</p></div>
    </fieldset>
    <p><button type="submit">${edit ? t("alarmForm.update") : t("alarmForm.submit")}</button></p>
  </form>`;
  return layout(view, {
    title: edit ? t("alarmForm.editTitle", { name: edit.alarmName }) : t("alarmForm.title"),
    section: "alarms",
    body,
  });
}

function numberOrText(text: string): number | string {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

export function emailsOf(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter((e) => e.length > 0))];
}

function metricAlarm(r: PageRequest, name: string | undefined): MetricAlarm | undefined {
  const a = name ? r.ctx.engine.alarms.get(name) : undefined;
  return a?.alarmType === "MetricAlarm" ? a : undefined;
}

export function registerAlarmForm(router: ConsoleRouter): void {
  router.get("/alarms/new", async (r) => ({
    page: await formPage(r, defaults(r.query), new Set(), undefined),
  }));

  router.get("/alarms/edit", async (r) => {
    const alarm = metricAlarm(r, r.query.name);
    if (!alarm) return { redirect: href(r.view, "/alarms") };
    return { page: await formPage(r, defaults(r.query, alarm), new Set(alarm.alarmActions), alarm) };
  });

  router.post("/alarms", async (r) => {
    const { view, ctx, form } = r;
    const { t } = view;
    const v: Values = {};
    for (const key of Object.keys(defaults({}))) v[key] = form.get(key) ?? "";
    const edit = metricAlarm(r, form.get("edit") ?? undefined);
    if (edit) v.AlarmName = edit.alarmName;
    const checked = new Set(v.notify === "existing" ? form.getAll("TopicArn") : []);
    const emails = emailsOf(v.Emails);
    const newTopicArn = v.notify === "new" ? ctx.topics.topicArn(v.NewTopicName.trim()) : undefined;
    // Actions this form does not show (another account's topic, say) are kept as they were.
    const known = new Set((await ctx.engine.store.listTopics({ limit: 1000 })).map((tp) => tp.topicArn));
    const kept = (edit?.alarmActions ?? []).filter((a) => !known.has(a));
    const statistic = v.Statistic;
    const input: Record<string, unknown> = {
      AlarmName: v.AlarmName,
      ...(v.AlarmDescription ? { AlarmDescription: v.AlarmDescription } : {}),
      Namespace: v.Namespace,
      MetricName: v.MetricName,
      ...(edit && edit.dimensions.length > 0 ? { Dimensions: edit.dimensions } : {}),
      ...(edit?.unit ? { Unit: edit.unit } : {}),
      ...(/^(Sum|Average|Minimum|Maximum|SampleCount)$/.test(statistic)
        ? { Statistic: statistic }
        : { ExtendedStatistic: statistic }),
      Period: numberOrText(v.Period),
      EvaluationPeriods: numberOrText(v.EvaluationPeriods),
      ...(v.DatapointsToAlarm ? { DatapointsToAlarm: numberOrText(v.DatapointsToAlarm) } : {}),
      Threshold: numberOrText(v.Threshold),
      ComparisonOperator: v.ComparisonOperator,
      TreatMissingData: v.TreatMissingData,
      ActionsEnabled: edit?.actionsEnabled ?? true,
      AlarmActions: [...kept, ...checked, ...(newTopicArn ? [newTopicArn] : [])],
      ...(edit ? { OKActions: edit.okActions, InsufficientDataActions: edit.insufficientDataActions } : {}),
      ...(edit?.evaluateLowSampleCountPercentile
        ? { EvaluateLowSampleCountPercentile: edit.evaluateLowSampleCountPercentile }
        : {}),
    };
    const queued: string[] = [];
    try {
      validatePutMetricAlarm(input);
      if (v.notify === "new") {
        const { TopicArn } = await ctx.topics.createTopic({ Name: v.NewTopicName.trim() });
        for (const endpoint of emails) {
          await ctx.notifier.subscribe({ TopicArn, Protocol: "email", Endpoint: endpoint });
          queued.push(endpoint);
        }
      }
      await ctx.engine.cloudwatch.putMetricAlarm(input);
    } catch (e) {
      if (!(e instanceof Error) || !/Exception$|^Invalid|^Missing|^Limit|^Validation/.test(e.name)) throw e;
      const message = t("error.rejected", { message: e.message });
      const note = queued.length > 0 ? ` ${t("alarmForm.subscribed", { emails: queued.join(", ") })}` : "";
      return { page: await formPage(r, v, checked, edit, message + note), status: 400 };
    }
    const flash = [t("alarms.saved", { name: v.AlarmName })];
    if (queued.length > 0) flash.push(t("alarmForm.subscribed", { emails: queued.join(", ") }));
    return { redirect: href(view, "/alarms/detail", { name: v.AlarmName }), flash: flash.join(" ") };
  });
}
