/**
 * The three HTTP/S messages SNS POSTs to a subscribed endpoint (SNS-FMT), built byte for byte the way SNS
 * sends them: the headers (`x-amz-sns-*`, `Content-Type: text/plain; charset=UTF-8`, SNS's `User-Agent`) and
 * the JSON body in SNS's field order and layout (two-space indent, `"Key" : value`; message attributes one per
 * line as compact objects), signed with trailwatch's signing identity (SNS-SIG).
 *
 * All URLs in a message point at trailwatch itself (`baseUrl`, e.g. `http://127.0.0.1:4566`, path prefix
 * kept): `SubscribeURL` = `<base>/?Action=ConfirmSubscription&TopicArn=…&Token=…`, `UnsubscribeURL` =
 * `<base>/?Action=Unsubscribe&SubscriptionArn=…`, `SigningCertURL` = `<base>/SimpleNotificationService-<id>.pem`.
 * Query values are percent-encoded except for `:`, which SNS leaves as is in ARNs.
 *
 * Pure: no clock, no randomness; message ids, tokens and timestamps come from the caller, so a retry can
 * rebuild the identical message (SNS keeps the MessageId across retries).
 */
import { type SigningIdentity, signingCertUrl } from "../signing/identity.js";
import { type SignableMessage, type SignatureVersion, type SnsMessageType, sign } from "../signing/sign.js";

export const SNS_USER_AGENT = "Amazon Simple Notification Service Agent";
export const SNS_CONTENT_TYPE = "text/plain; charset=UTF-8";

/** A `MessageAttributes` entry as SNS puts it in the HTTP body (`Binary` values are Base64). */
export interface MessageAttributeValue {
  Type: string;
  Value: string;
}

/** The JSON body's fields, in SNS's order (absent ones are left out). */
export interface SnsHttpMessage {
  Type: SnsMessageType;
  MessageId: string;
  Token?: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  SubscribeURL?: string;
  Timestamp: string;
  SignatureVersion: SignatureVersion;
  Signature: string;
  SigningCertURL: string;
  UnsubscribeURL?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
}

/** What to POST: the headers (no Content-Length, Host or Connection: the client adds those) and the body. */
export interface HttpDelivery {
  headers: Record<string, string>;
  body: string;
  /** The body's fields, for logs and tests; undefined for raw message delivery. */
  message?: SnsHttpMessage;
}

interface Common {
  topicArn: string;
  messageId: string;
  /** A Date, epoch milliseconds or an ISO-8601 string; sent as ISO-8601 with milliseconds and `Z`. */
  timestamp: Date | number | string;
  /** Where trailwatch is reachable by the subscriber, e.g. `http://127.0.0.1:4566`. */
  baseUrl: string;
  identity: Pick<SigningIdentity, "privateKeyPem" | "certificateId">;
  /** The topic's `SignatureVersion`; default `"2"` (SHA256withRSA). */
  signatureVersion?: SignatureVersion;
}

export interface SubscriptionConfirmationInput extends Common {
  token: string;
}

export interface UnsubscribeConfirmationInput extends Common {
  subscriptionArn: string;
  token: string;
}

export interface NotificationInput extends Common {
  subscriptionArn: string;
  /** The subscription's unsubscribe secret, put into UnsubscribeURL so that the link works unsigned. */
  unsubscribeToken?: string;
  message: string;
  subject?: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  /** `RawMessageDelivery=true`: the body is the message text alone, with `x-amz-sns-rawdelivery: true`. */
  rawMessageDelivery?: boolean;
}

const BODY_ORDER: readonly (keyof SnsHttpMessage)[] = [
  "Type",
  "MessageId",
  "Token",
  "TopicArn",
  "Subject",
  "Message",
  "SubscribeURL",
  "Timestamp",
  "SignatureVersion",
  "Signature",
  "SigningCertURL",
  "UnsubscribeURL",
  "MessageAttributes",
];

/** ISO-8601 in UTC with milliseconds and `Z` (`2012-04-26T20:45:04.751Z`). */
export function snsTimestamp(value: Date | number | string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a timestamp: ${String(value)}`);
  return date.toISOString();
}

/** Percent-encodes a query value, leaving `:` readable as SNS does in its URLs. */
function queryValue(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ":");
}

function base(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

export function subscribeUrl(baseUrl: string, topicArn: string, token: string): string {
  return `${base(baseUrl)}/?Action=ConfirmSubscription&TopicArn=${queryValue(topicArn)}&Token=${queryValue(token)}`;
}

/**
 * The unsubscribe link. With `token` (the subscription's own secret) it works unsigned, from a mail client or
 * a browser; without it, only a signed Unsubscribe call is accepted.
 */
export function unsubscribeUrl(baseUrl: string, subscriptionArn: string, token?: string): string {
  const url = `${base(baseUrl)}/?Action=Unsubscribe&SubscriptionArn=${queryValue(subscriptionArn)}`;
  return token === undefined ? url : `${url}&Token=${queryValue(token)}`;
}

/** The body as SNS lays it out (Jackson's default pretty printer). */
export function formatSnsBody(message: SnsHttpMessage): string {
  const lines: string[] = [];
  for (const key of BODY_ORDER) {
    const value = message[key];
    if (value === undefined) continue;
    if (key === "MessageAttributes") {
      const attrs = Object.entries(value as Record<string, MessageAttributeValue>).map(
        ([name, a]) =>
          `    ${JSON.stringify(name)} : {"Type":${JSON.stringify(a.Type)},"Value":${JSON.stringify(a.Value)}}`,
      );
      lines.push(`  "MessageAttributes" : {\n${attrs.join(",\n")}\n  }`);
    } else {
      lines.push(`  ${JSON.stringify(key)} : ${JSON.stringify(value)}`);
    }
  }
  return `{\n${lines.join(",\n")}\n}`;
}

function headers(type: SnsMessageType, messageId: string, topicArn: string, subscriptionArn?: string) {
  const h: Record<string, string> = {
    "x-amz-sns-message-type": type,
    "x-amz-sns-message-id": messageId,
    "x-amz-sns-topic-arn": topicArn,
  };
  if (subscriptionArn !== undefined) h["x-amz-sns-subscription-arn"] = subscriptionArn;
  h["Content-Type"] = SNS_CONTENT_TYPE;
  h["User-Agent"] = SNS_USER_AGENT;
  return h;
}

function signed(fields: SignableMessage & Partial<SnsHttpMessage>, input: Common): SnsHttpMessage {
  const version = input.signatureVersion ?? "2";
  return {
    ...fields,
    SignatureVersion: version,
    Signature: sign(fields, input.identity, version),
    SigningCertURL: signingCertUrl(input.baseUrl, input.identity),
  };
}

function delivery(message: SnsHttpMessage, subscriptionArn: string | undefined): HttpDelivery {
  return {
    headers: headers(message.Type, message.MessageId, message.TopicArn, subscriptionArn),
    body: formatSnsBody(message),
    message,
  };
}

/** SNS's confirmation text for a new subscription. */
export function subscriptionConfirmationText(topicArn: string): string {
  return `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
}

/** SNS's text when a subscription is deleted without authentication. */
export function unsubscribeConfirmationText(subscriptionArn: string): string {
  return `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
}

/** The `SubscriptionConfirmation` POST (no `x-amz-sns-subscription-arn` header, as with SNS). */
export function subscriptionConfirmation(input: SubscriptionConfirmationInput): HttpDelivery {
  const message = signed(
    {
      Type: "SubscriptionConfirmation",
      MessageId: input.messageId,
      Token: input.token,
      TopicArn: input.topicArn,
      Message: subscriptionConfirmationText(input.topicArn),
      SubscribeURL: subscribeUrl(input.baseUrl, input.topicArn, input.token),
      Timestamp: snsTimestamp(input.timestamp),
    },
    input,
  );
  return delivery(message, undefined);
}

/** The `UnsubscribeConfirmation` POST: its `SubscribeURL` and `Token` restore the subscription. */
export function unsubscribeConfirmation(input: UnsubscribeConfirmationInput): HttpDelivery {
  const message = signed(
    {
      Type: "UnsubscribeConfirmation",
      MessageId: input.messageId,
      Token: input.token,
      TopicArn: input.topicArn,
      Message: unsubscribeConfirmationText(input.subscriptionArn),
      SubscribeURL: subscribeUrl(input.baseUrl, input.topicArn, input.token),
      Timestamp: snsTimestamp(input.timestamp),
    },
    input,
  );
  return delivery(message, input.subscriptionArn);
}

/** A `Notification` POST (or, with `rawMessageDelivery`, the bare message with `x-amz-sns-rawdelivery`). */
export function notification(input: NotificationInput): HttpDelivery {
  if (input.rawMessageDelivery) {
    return {
      headers: {
        ...headers("Notification", input.messageId, input.topicArn, input.subscriptionArn),
        "x-amz-sns-rawdelivery": "true",
      },
      body: input.message,
    };
  }
  const fields: SignableMessage = {
    Type: "Notification",
    MessageId: input.messageId,
    TopicArn: input.topicArn,
    Message: input.message,
    Timestamp: snsTimestamp(input.timestamp),
  };
  if (input.subject !== undefined) fields.Subject = input.subject;
  const message = signed(fields, input);
  message.UnsubscribeURL = unsubscribeUrl(input.baseUrl, input.subscriptionArn, input.unsubscribeToken);
  if (input.messageAttributes && Object.keys(input.messageAttributes).length > 0) {
    message.MessageAttributes = input.messageAttributes;
  }
  return delivery(message, input.subscriptionArn);
}
