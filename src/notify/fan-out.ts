/**
 * One published message (an alarm's state change, or SNS Publish) turned into one outbox item per confirmed
 * subscription, each carrying exactly what its protocol receives: the alarm mail (text + HTML with the events
 * table and an unsubscribe link), the `email-json` envelope, SNS's signed `Notification` POST, or the Slack
 * payload. Pure: ids and times come from the caller, so the same message always gives the same items.
 */
import type { AlarmTransition } from "../engine/transitions.js";
import type { Identity, OutboxItem, Subscription } from "../store/types.js";
import { type HttpDelivery, notification, subscriptionConfirmation, unsubscribeUrl } from "./http/index.js";
import { stableId } from "./ids.js";
import {
  alarmEmail,
  alarmMessageText,
  alarmSubject,
  jsonEnvelopeEmail,
  type NotificationEvents,
  publishedMessageEmail,
  slackAlarmPayload,
  subscriptionConfirmationEmail,
} from "./message/index.js";
import type { EmailPayload } from "./outbox.js";
import {
  effectiveHttpRetryPolicy,
  type HealthyRetryPolicy,
  parseSubscriptionDeliveryPolicy,
  parseTopicDeliveryPolicy,
} from "./retry-policy.js";
import type { SigningIdentity } from "./signing/index.js";

/** An outbox item before the outbox stamps its state. */
export type NewDelivery = Omit<OutboxItem, "nextAttemptAt" | "attempts" | "status" | "createdAt"> &
  Partial<Pick<OutboxItem, "createdAt">>;

export interface FanOutContext {
  /** Where trailwatch is reached: links and SigningCertURL. */
  baseUrl: string;
  identity: Identity;
  signing: Pick<SigningIdentity, "privateKeyPem" | "certificateId">;
}

/** What was published. */
export type PublishedContent =
  | {
      kind: "alarm";
      transition: AlarmTransition;
      events?: NotificationEvents;
      /** The alarm's page in the console, if there is one. */
      alarmUrl?: string;
    }
  | {
      kind: "message";
      message: string;
      subject?: string;
      /** MessageStructure=json: a text per protocol (`default` is `message`). */
      perProtocol?: Record<string, string>;
    };

export interface Publication {
  topicArn: string;
  /** SNS's MessageId: one per publication, the same in every subscription's copy. */
  messageId: string;
  timestamp: number;
  content: PublishedContent;
  /** The topic's SignatureVersion attribute ("1" or "2"; default "2"). */
  signatureVersion?: "1" | "2";
  /** The topic's DeliveryPolicy attribute (JSON text), for the HTTP/S and Slack retry schedule. */
  topicDeliveryPolicy?: string;
}

/** What an http/https/slack item stores: the request, and the retry schedule when a DeliveryPolicy sets one. */
export interface StoredHttpDelivery {
  headers: Record<string, string>;
  body: string;
  retry?: HealthyRetryPolicy;
}

/** The subject SNS uses when a publication has none (e-mail only). */
export const DEFAULT_EMAIL_SUBJECT = "AWS Notification Message";

/** The items of one publication, one per confirmed subscription (pending ones receive nothing). */
export function fanOut(
  ctx: FanOutContext,
  pub: Publication,
  subscriptions: readonly Subscription[],
): NewDelivery[] {
  const out: NewDelivery[] = [];
  for (const sub of subscriptions) {
    if (sub.pendingConfirmation || sub.topicArn !== pub.topicArn) continue;
    out.push({
      id: stableId(pub.messageId, sub.subscriptionArn),
      subscriptionArn: sub.subscriptionArn,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      payload: JSON.stringify(payloadFor(ctx, pub, sub)),
      createdAt: pub.timestamp,
    });
  }
  return out;
}

function payloadFor(
  ctx: FanOutContext,
  pub: Publication,
  sub: Subscription,
): EmailPayload | StoredHttpDelivery {
  const c = pub.content;
  const unsubscribe = unsubscribeUrl(ctx.baseUrl, sub.subscriptionArn, sub.unsubscribeToken);
  const subject = c.kind === "alarm" ? alarmSubject(c.transition, ctx.identity) : c.subject;
  const text = messageText(ctx, c, sub.protocol);
  switch (sub.protocol) {
    case "email": {
      const mail =
        c.kind === "alarm"
          ? alarmEmail(c.transition, ctx.identity, {
              unsubscribeUrl: unsubscribe,
              ...(c.events ? { events: c.events } : {}),
              ...(c.alarmUrl ? { alarmUrl: c.alarmUrl } : {}),
            })
          : publishedMessageEmail({
              subject: subject ?? DEFAULT_EMAIL_SUBJECT,
              message: text,
              unsubscribeUrl: unsubscribe,
            });
      return { ...mail, unsubscribeUrl: unsubscribe };
    }
    case "email-json": {
      const envelope = snsNotification(ctx, pub, sub, text, subject).message;
      return {
        ...jsonEnvelopeEmail(subject ?? DEFAULT_EMAIL_SUBJECT, envelope),
        unsubscribeUrl: unsubscribe,
      };
    }
    case "http":
    case "https": {
      const { headers, body } = snsNotification(ctx, pub, sub, text, subject);
      return withRetry({ headers, body }, pub, sub);
    }
    case "slack": {
      const body =
        c.kind === "alarm"
          ? slackAlarmPayload(c.transition, ctx.identity, {
              ...(c.events ? { events: c.events } : {}),
              ...(c.alarmUrl ? { alarmUrl: c.alarmUrl } : {}),
            })
          : { text: subject ? `*${subject}*\n${text}` : text };
      return withRetry(
        { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
        pub,
        sub,
      );
    }
  }
}

/**
 * The DeliveryPolicy in force (subscription over topic, SNS's rules), stored with the item so that its
 * retries keep the schedule it was sent under. Policies were validated when the attributes were set; one
 * that no longer parses falls back to the protocol's default.
 */
function withRetry(delivery: StoredHttpDelivery, pub: Publication, sub: Subscription): StoredHttpDelivery {
  const fromSub = sub.attributes.DeliveryPolicy;
  if (fromSub === undefined && pub.topicDeliveryPolicy === undefined) return delivery;
  try {
    const retry = effectiveHttpRetryPolicy(
      pub.topicDeliveryPolicy ? parseTopicDeliveryPolicy(pub.topicDeliveryPolicy) : undefined,
      fromSub ? parseSubscriptionDeliveryPolicy(fromSub) : undefined,
    );
    return { ...delivery, retry };
  } catch {
    return delivery;
  }
}

/** The retry schedule an outbox item carries (see withRetry), if any. */
export function storedRetryPolicy(payload: string): HealthyRetryPolicy | undefined {
  try {
    const parsed = JSON.parse(payload) as { retry?: HealthyRetryPolicy };
    return parsed.retry;
  } catch {
    return undefined;
  }
}

/** The message text a protocol receives: AWS's alarm JSON (with TrailwatchEvents), or the published text. */
function messageText(ctx: FanOutContext, c: PublishedContent, protocol: string): string {
  if (c.kind === "alarm") {
    return alarmMessageText(c.transition, ctx.identity, c.events ? { events: c.events } : {});
  }
  return c.perProtocol?.[protocol] ?? c.message;
}

function snsNotification(
  ctx: FanOutContext,
  pub: Publication,
  sub: Subscription,
  message: string,
  subject: string | undefined,
): HttpDelivery & { message: NonNullable<HttpDelivery["message"]> } {
  const delivery = notification({
    topicArn: pub.topicArn,
    messageId: pub.messageId,
    timestamp: pub.timestamp,
    baseUrl: ctx.baseUrl,
    identity: ctx.signing,
    signatureVersion: pub.signatureVersion ?? "2",
    subscriptionArn: sub.subscriptionArn,
    unsubscribeToken: sub.unsubscribeToken,
    message,
    ...(subject !== undefined ? { subject } : {}),
    // email-json always gets the envelope; raw delivery applies to http/https only.
    rawMessageDelivery:
      (sub.protocol === "http" || sub.protocol === "https") && sub.attributes.RawMessageDelivery === "true",
  });
  return delivery as HttpDelivery & { message: NonNullable<HttpDelivery["message"]> };
}

/**
 * What a new subscription receives so that its owner can confirm it: the confirmation mail (email), the
 * SubscriptionConfirmation envelope as a mail (email-json), or the signed POST (http/https).
 */
export function confirmationDelivery(
  ctx: FanOutContext,
  sub: Subscription,
  token: string,
  timestamp: number,
  signatureVersion: "1" | "2" = "2",
): NewDelivery {
  const messageId = stableId("confirm", sub.subscriptionArn, token);
  const http = subscriptionConfirmation({
    topicArn: sub.topicArn,
    messageId,
    timestamp,
    baseUrl: ctx.baseUrl,
    identity: ctx.signing,
    signatureVersion,
    token,
  });
  let payload: EmailPayload | HttpDelivery;
  if (sub.protocol === "email") {
    payload = subscriptionConfirmationEmail({
      topicArn: sub.topicArn,
      confirmUrl: http.message?.SubscribeURL ?? "",
    });
  } else if (sub.protocol === "email-json") {
    payload = jsonEnvelopeEmail("AWS Notification - Subscription Confirmation", http.message);
  } else {
    payload = { headers: http.headers, body: http.body };
  }
  return {
    id: messageId,
    subscriptionArn: sub.subscriptionArn,
    protocol: sub.protocol,
    endpoint: sub.endpoint,
    payload: JSON.stringify(payload),
    createdAt: timestamp,
  };
}
