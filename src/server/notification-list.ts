import { alarmUpdatedHistory } from "../alarms/history.js";
import type { ServerContext } from "./context.js";

export interface NotificationListOptions {
  /** The topic's name (SNS naming rules). */
  topicName: string;
  /** Addresses subscribed with the `email` protocol; each new one receives a confirmation mail. */
  emails: readonly string[];
  /** Alarms whose AlarmActions (and, with `onRecovery`, OK and INSUFFICIENT_DATA actions) publish to the topic. */
  alarmNames: readonly string[];
  /**
   * Also notify when an alarm leaves ALARM: to OK, or to INSUFFICIENT_DATA, which is where a count alarm with
   * missing data treated as missing (the seed's) goes when its events stop.
   */
  onRecovery?: boolean;
}

export interface NotificationListReport {
  topicArn: string;
  /** Addresses that were sent a confirmation mail now. */
  invited: string[];
  /** Alarms whose actions now include the topic. */
  alarmsUpdated: string[];
}

/**
 * The seed's "notification list" for `serve --notify-email`: a topic, its e-mail subscriptions and the
 * alarms publishing to it. Idempotent across restarts: an address already subscribed (confirmed or waiting
 * for confirmation) is not mailed again, and an alarm that already names the topic is left as it is.
 */
export async function ensureNotificationList(
  ctx: ServerContext,
  o: NotificationListOptions,
): Promise<NotificationListReport> {
  const { TopicArn: topicArn } = await ctx.topics.createTopic({ Name: o.topicName });
  const known = new Set<string>();
  let next: string | undefined;
  do {
    const page = await ctx.topics.listSubscriptionsByTopic({
      TopicArn: topicArn,
      ...(next ? { NextToken: next } : {}),
    });
    for (const s of page.Subscriptions) if (s.Protocol === "email") known.add(s.Endpoint.toLowerCase());
    next = page.NextToken;
  } while (next);
  const invited: string[] = [];
  for (const email of o.emails) {
    if (known.has(email.toLowerCase())) continue;
    await ctx.notifier.subscribe({ TopicArn: topicArn, Protocol: "email", Endpoint: email });
    invited.push(email);
  }
  const alarmsUpdated: string[] = [];
  const alarms = ctx.engine.alarms;
  for (const name of o.alarmNames) {
    const alarm = alarms.get(name);
    if (!alarm) continue;
    const alarmActions = alarm.alarmActions.includes(topicArn)
      ? alarm.alarmActions
      : [...alarm.alarmActions, topicArn];
    const add = (list: string[]) => (o.onRecovery && !list.includes(topicArn) ? [...list, topicArn] : list);
    const okActions = add(alarm.okActions);
    const insufficientDataActions = add(alarm.insufficientDataActions);
    if (
      alarmActions === alarm.alarmActions &&
      okActions === alarm.okActions &&
      insufficientDataActions === alarm.insufficientDataActions
    )
      continue;
    const now = ctx.engine.clock.now();
    const updated = {
      ...alarm,
      alarmActions,
      okActions,
      insufficientDataActions,
      alarmConfigurationUpdatedTimestamp: now,
    };
    await alarms.replace(updated, alarmUpdatedHistory(alarm, updated, now));
    alarmsUpdated.push(name);
  }
  return { topicArn, invited, alarmsUpdated };
}
