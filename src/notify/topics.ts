/**
 * The SNS control plane for topics and subscriptions (spec alarms.md §8): CreateTopic, DeleteTopic, ListTopics,
 * Get/SetTopicAttributes, Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions(ByTopic) and
 * Get/SetSubscriptionAttributes, taking SNS's PascalCase inputs and answering in SNS's output shapes.
 *
 * - Topic ARNs are `arn:aws:sns:REGION:ACCOUNT:name`; subscription ARNs `TOPIC_ARN:<uuid>`.
 * - Protocols: `email`, `email-json`, `http`, `https` and trailwatch's own `slack` (endpoint = an incoming-webhook
 *   URL, which cannot answer a confirmation request, so a slack subscription is confirmed at once). The others
 *   need confirmation: Subscribe answers `pending confirmation` (unless `ReturnSubscriptionArn`) and hands the
 *   caller the confirmation request to deliver (`SubscribeResult.confirmation`); delivery is not done here.
 * - A confirmation token is valid for two days; pending subscriptions are deleted after three days
 *   (`deleteExpiredPending`). Confirming is idempotent while the token is valid (mail scanners prefetch links).
 * - Errors are `Error`s whose `name` is SNS's code (`InvalidParameterException`, `NotFoundException`).
 * - SSRF: http/https/slack endpoints are passed to the optional `checkEndpoint` hook (src/notify/ssrf.ts's
 *   guard `check`), whose errors propagate.
 */
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Store } from "../store/store.js";
import type { Identity, Subscription, SubscriptionProtocol, Topic } from "../store/types.js";

export const TOKEN_VALIDITY_MS = 2 * 86_400_000;
export const PENDING_RETENTION_MS = 3 * 86_400_000;
const PAGE_SIZE = 100;

export class SnsError extends Error {
  constructor(
    readonly code: "InvalidParameterException" | "NotFoundException",
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

const invalid = (message: string) => new SnsError("InvalidParameterException", message);
const topicNotFound = () => new SnsError("NotFoundException", "Topic does not exist");
const subscriptionNotFound = () => new SnsError("NotFoundException", "Subscription does not exist");

export interface TopicsServiceOptions {
  store: Store;
  clock: { now(): number };
  identity: Identity;
  /** Refuses (throws) an http/https/slack endpoint that may not receive deliveries (SSRF guard). */
  checkEndpoint?: (url: string) => Promise<unknown>;
}

/** What the caller must deliver after Subscribe: the SubscriptionConfirmation (or confirmation email). */
export interface ConfirmationRequest {
  subscription: Subscription;
  token: string;
}

export interface SubscribeResult {
  output: { SubscriptionArn: string };
  /** Present when the subscription awaits confirmation. */
  confirmation?: ConfirmationRequest;
}

type AttributeMap = Record<string, string>;

const PROTOCOLS: readonly SubscriptionProtocol[] = ["email", "email-json", "http", "https", "slack"];
/** Real SNS protocols trailwatch does not deliver to. */
const UNSUPPORTED_PROTOCOLS = ["sms", "sqs", "application", "lambda", "firehose"];
const NEEDS_CONFIRMATION: ReadonlySet<SubscriptionProtocol> = new Set([
  "email",
  "email-json",
  "http",
  "https",
]);

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const EMAIL =
  /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: "linear",
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: "text/plain; charset=UTF-8" },
  },
});

// ---- attribute validation ----

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

type Validator = (value: string) => string | undefined;

const jsonObject: Validator = (v) => (isJsonObject(v) ? undefined : "not a JSON object");
const TOPIC_ATTRIBUTES: Record<string, Validator> = {
  DisplayName: (v) => (v.length <= 100 ? undefined : "longer than 100 characters"),
  Policy: jsonObject,
  DeliveryPolicy: jsonObject,
  SignatureVersion: (v) => (v === "1" || v === "2" ? undefined : "must be 1 or 2"),
  TracingConfig: (v) => (v === "PassThrough" || v === "Active" ? undefined : "must be PassThrough or Active"),
};

const SUBSCRIPTION_ATTRIBUTES: Record<string, Validator> = {
  RawMessageDelivery: (v) => (v === "true" || v === "false" ? undefined : "must be true or false"),
  FilterPolicy: (v) => (v === "" || isJsonObject(v) ? undefined : "not a JSON object"),
  FilterPolicyScope: (v) =>
    v === "MessageAttributes" || v === "MessageBody" ? undefined : "must be MessageAttributes or MessageBody",
  DeliveryPolicy: (v) => (v === "" || isJsonObject(v) ? undefined : "not a JSON object"),
  RedrivePolicy: (v) => (v === "" || isJsonObject(v) ? undefined : "not a JSON object"),
};

function checkAttribute(
  table: Record<string, Validator>,
  name: unknown,
  value: unknown,
  param: string,
): asserts value is string {
  if (typeof name !== "string" || !Object.hasOwn(table, name)) {
    throw invalid(`Invalid parameter: ${param}`);
  }
  if (typeof value !== "string") throw invalid(`Invalid parameter: ${name}`);
  const reason = table[name](value);
  if (reason !== undefined) throw invalid(`Invalid parameter: ${name} Reason: ${reason}`);
}

function checkAttributeMap(table: Record<string, Validator>, attributes: unknown): AttributeMap {
  if (attributes === undefined) return {};
  if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes)) {
    throw invalid("Invalid parameter: Attributes");
  }
  const out: AttributeMap = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "FifoTopic" || name === "ContentBasedDeduplication") {
      throw invalid(
        `Invalid parameter: Attributes Reason: ${name}: FIFO topics are not supported by trailwatch`,
      );
    }
    checkAttribute(table, name, value, "Attributes");
    out[name] = value;
  }
  return out;
}

function checkTags(tags: unknown): Record<string, string> {
  if (tags === undefined) return {};
  if (!Array.isArray(tags) || tags.length > 50) throw invalid("Invalid parameter: Tags");
  const out: Record<string, string> = {};
  for (const t of tags as unknown[]) {
    if (typeof t !== "object" || t === null) throw invalid("Invalid parameter: Tags");
    const { Key, Value } = t as { Key?: unknown; Value?: unknown };
    if (typeof Key !== "string" || Key.length < 1 || Key.length > 128 || Key.startsWith("aws:")) {
      throw invalid("Invalid parameter: Tags Reason: invalid tag key");
    }
    if (typeof Value !== "string" || Value.length > 256) {
      throw invalid("Invalid parameter: Tags Reason: invalid tag value");
    }
    out[Key] = Value;
  }
  return out;
}

function encodeNextToken(lastArn: string): string {
  return Buffer.from(lastArn, "utf8").toString("base64url");
}

function decodeNextToken(token: unknown): string | undefined {
  if (token === undefined) return undefined;
  if (typeof token !== "string" || token === "" || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw invalid("Invalid parameter: NextToken");
  }
  const arn = Buffer.from(token, "base64url").toString("utf8");
  if (!arn.startsWith("arn:aws:sns:")) throw invalid("Invalid parameter: NextToken");
  return arn;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

export class TopicsService {
  readonly #store: Store;
  readonly #clock: { now(): number };
  readonly #identity: Identity;
  readonly #checkEndpoint: ((url: string) => Promise<unknown>) | undefined;

  constructor(options: TopicsServiceOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#identity = options.identity;
    this.#checkEndpoint = options.checkEndpoint;
  }

  topicArn(name: string): string {
    return `arn:aws:sns:${this.#identity.region}:${this.#identity.account}:${name}`;
  }

  // ---- topics ----

  async createTopic(input: {
    Name?: unknown;
    Attributes?: unknown;
    Tags?: unknown;
  }): Promise<{ TopicArn: string }> {
    const name = input.Name;
    if (typeof name === "string" && name.endsWith(".fifo")) {
      throw invalid("Invalid parameter: Topic Name Reason: FIFO topics are not supported by trailwatch");
    }
    if (typeof name !== "string" || !TOPIC_NAME.test(name)) throw invalid("Invalid parameter: Topic Name");
    const attributes = checkAttributeMap(TOPIC_ATTRIBUTES, input.Attributes);
    const tags = checkTags(input.Tags);
    const topic: Topic = {
      topicArn: this.topicArn(name),
      name,
      attributes: { SignatureVersion: "2", ...attributes },
      tags,
      creationTime: this.#clock.now(),
    };
    const stored = await this.#store.createTopic(topic);
    // SNS: CreateTopic of an existing name is idempotent, unless the attributes or tags asked for differ.
    // (A topic just created holds exactly what was asked for, so these checks only bite on an old one.)
    for (const [k, v] of Object.entries(attributes)) {
      if (stored.attributes[k] !== v) {
        throw invalid("Invalid parameter: Attributes Reason: Topic already exists with different attributes");
      }
    }
    for (const [k, v] of Object.entries(tags)) {
      if (stored.tags[k] !== v) {
        throw invalid("Invalid parameter: Tags Reason: Topic already exists with different tags");
      }
    }
    return { TopicArn: stored.topicArn };
  }

  async deleteTopic(input: { TopicArn?: unknown }): Promise<Record<string, never>> {
    const arn = this.#checkTopicArn(input.TopicArn);
    // SNS: deleting a topic that does not exist succeeds.
    await this.#store.deleteTopic(arn);
    return {};
  }

  async listTopics(
    input: { NextToken?: unknown } = {},
  ): Promise<{ Topics: { TopicArn: string }[]; NextToken?: string }> {
    const after = decodeNextToken(input.NextToken);
    const rows = await this.#store.listTopics({ after, limit: PAGE_SIZE + 1 });
    const page = rows.slice(0, PAGE_SIZE);
    const out: { Topics: { TopicArn: string }[]; NextToken?: string } = {
      Topics: page.map((t) => ({ TopicArn: t.topicArn })),
    };
    if (rows.length > PAGE_SIZE) out.NextToken = encodeNextToken(page[page.length - 1].topicArn);
    return out;
  }

  async getTopicAttributes(input: { TopicArn?: unknown }): Promise<{ Attributes: AttributeMap }> {
    const topic = await this.#topic(input.TopicArn);
    let confirmed = 0;
    let pending = 0;
    let after: string | undefined;
    for (;;) {
      const subs = await this.#store.listSubscriptions({ topicArn: topic.topicArn, after, limit: 1000 });
      for (const s of subs) {
        if (s.pendingConfirmation) pending++;
        else confirmed++;
      }
      if (subs.length < 1000) break;
      after = subs[subs.length - 1].subscriptionArn;
    }
    const a = topic.attributes;
    return {
      Attributes: {
        ...a,
        TopicArn: topic.topicArn,
        Owner: this.#identity.account,
        DisplayName: a.DisplayName ?? "",
        Policy: a.Policy ?? this.#defaultPolicy(topic.topicArn),
        SubscriptionsConfirmed: String(confirmed),
        SubscriptionsPending: String(pending),
        SubscriptionsDeleted: "0",
        EffectiveDeliveryPolicy: a.DeliveryPolicy ?? DEFAULT_EFFECTIVE_DELIVERY_POLICY,
        SignatureVersion: a.SignatureVersion ?? "2",
      },
    };
  }

  async setTopicAttributes(input: {
    TopicArn?: unknown;
    AttributeName?: unknown;
    AttributeValue?: unknown;
  }): Promise<Record<string, never>> {
    const arn = this.#checkTopicArn(input.TopicArn);
    const value = input.AttributeValue ?? "";
    checkAttribute(TOPIC_ATTRIBUTES, input.AttributeName, value, "AttributeName");
    const ok = await this.#store.setTopicAttributes(arn, { [input.AttributeName as string]: value });
    if (!ok) throw topicNotFound();
    return {};
  }

  // ---- subscriptions ----

  async subscribe(input: {
    TopicArn?: unknown;
    Protocol?: unknown;
    Endpoint?: unknown;
    Attributes?: unknown;
    ReturnSubscriptionArn?: unknown;
  }): Promise<SubscribeResult> {
    const topicArn = this.#checkTopicArn(input.TopicArn);
    const protocol = input.Protocol;
    if (typeof protocol !== "string" || protocol === "") throw invalid("Invalid parameter: Protocol");
    if (UNSUPPORTED_PROTOCOLS.includes(protocol)) {
      throw invalid(
        `Invalid parameter: Protocol Reason: trailwatch does not deliver to ${protocol} endpoints`,
      );
    }
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
      throw invalid(`Invalid parameter: Amazon SNS does not support this protocol string: ${protocol}`);
    }
    const proto = protocol as SubscriptionProtocol;
    const endpoint = await this.#checkSubscriptionEndpoint(proto, input.Endpoint);
    const attributes = checkAttributeMap(SUBSCRIPTION_ATTRIBUTES, input.Attributes);
    checkAttributesFit(proto, attributes);
    const returnArn = input.ReturnSubscriptionArn === true || input.ReturnSubscriptionArn === "true";
    if (
      input.ReturnSubscriptionArn !== undefined &&
      typeof input.ReturnSubscriptionArn !== "boolean" &&
      input.ReturnSubscriptionArn !== "true" &&
      input.ReturnSubscriptionArn !== "false"
    ) {
      throw invalid("Invalid parameter: ReturnSubscriptionArn");
    }
    if ((await this.#store.getTopic(topicArn)) === undefined) throw topicNotFound();

    const now = this.#clock.now();
    const existing = await this.#findSubscription(topicArn, proto, endpoint);
    if (existing !== undefined) {
      for (const [k, v] of Object.entries(attributes)) {
        if (existing.attributes[k] !== v) {
          throw invalid(
            "Invalid parameter: Attributes Reason: Subscription already exists with different attributes",
          );
        }
      }
      if (!existing.pendingConfirmation) return { output: { SubscriptionArn: existing.subscriptionArn } };
      // Still pending: a new token and a new confirmation request, as SNS resends it.
      const renewed: Subscription = {
        ...existing,
        confirmationToken: newToken(),
        tokenExpires: now + TOKEN_VALIDITY_MS,
      };
      await this.#store.putSubscription(renewed);
      return {
        output: { SubscriptionArn: returnArn ? renewed.subscriptionArn : "pending confirmation" },
        confirmation: { subscription: renewed, token: renewed.confirmationToken as string },
      };
    }

    const pending = NEEDS_CONFIRMATION.has(proto);
    const sub: Subscription = {
      subscriptionArn: `${topicArn}:${randomUUID()}`,
      topicArn,
      protocol: proto,
      endpoint,
      owner: this.#identity.account,
      pendingConfirmation: pending,
      unsubscribeToken: randomBytes(32).toString("hex"),
      attributes,
      createdAt: now,
    };
    if (pending) {
      sub.confirmationToken = newToken();
      sub.tokenExpires = now + TOKEN_VALIDITY_MS;
    }
    await this.#store.putSubscription(sub);
    if (!pending) return { output: { SubscriptionArn: sub.subscriptionArn } };
    return {
      output: { SubscriptionArn: returnArn ? sub.subscriptionArn : "pending confirmation" },
      confirmation: { subscription: sub, token: sub.confirmationToken as string },
    };
  }

  async confirmSubscription(input: {
    TopicArn?: unknown;
    Token?: unknown;
    AuthenticateOnUnsubscribe?: unknown;
  }): Promise<{ SubscriptionArn: string }> {
    const topicArn = this.#checkTopicArn(input.TopicArn);
    const token = input.Token;
    if (typeof token !== "string" || token === "" || token.length > 1024)
      throw invalid("Invalid parameter: Token");
    const auth = input.AuthenticateOnUnsubscribe;
    if (auth !== undefined && auth !== true && auth !== false && auth !== "true" && auth !== "false") {
      throw invalid("Invalid parameter: AuthenticateOnUnsubscribe");
    }
    if ((await this.#store.getTopic(topicArn)) === undefined) throw topicNotFound();
    const sub = await this.#store.findSubscriptionByToken(token);
    if (
      sub === undefined ||
      sub.topicArn !== topicArn ||
      sub.tokenExpires === undefined ||
      this.#clock.now() >= sub.tokenExpires
    ) {
      throw invalid("Invalid parameter: Token");
    }
    if (sub.pendingConfirmation) {
      await this.#store.putSubscription({
        ...sub,
        pendingConfirmation: false,
        attributes: {
          ...sub.attributes,
          ConfirmationWasAuthenticated: auth === true || auth === "true" ? "true" : "false",
        },
      });
    }
    return { SubscriptionArn: sub.subscriptionArn };
  }

  /** Unsubscribe; resolves to the removed subscription (the caller may send an UnsubscribeConfirmation). */
  async unsubscribe(input: { SubscriptionArn?: unknown }): Promise<Subscription> {
    const arn = this.#checkSubscriptionArn(input.SubscriptionArn);
    const sub = await this.#store.getSubscription(arn);
    if (sub === undefined) throw subscriptionNotFound();
    if (sub.pendingConfirmation) {
      throw invalid(
        "Invalid parameter: SubscriptionArn Reason: a subscription pending confirmation cannot be deleted; it expires after three days",
      );
    }
    await this.#store.deleteSubscription(arn);
    return sub;
  }

  /** The unsigned unsubscribe link (`?SubscriptionArn=..&Token=..`): the subscription's own random secret. */
  async unsubscribeByToken(subscriptionArn: unknown, token: unknown): Promise<Subscription> {
    const arn = this.#checkSubscriptionArn(subscriptionArn);
    if (typeof token !== "string" || token === "") throw invalid("Invalid parameter: Token");
    const sub = await this.#store.getSubscription(arn);
    if (sub === undefined) throw subscriptionNotFound();
    if (!sameSecret(token, sub.unsubscribeToken)) throw invalid("Invalid parameter: Token");
    await this.#store.deleteSubscription(arn);
    return sub;
  }

  async listSubscriptions(input: { NextToken?: unknown } = {}): Promise<SubscriptionList> {
    return this.#listSubscriptions(undefined, input.NextToken);
  }

  async listSubscriptionsByTopic(input: {
    TopicArn?: unknown;
    NextToken?: unknown;
  }): Promise<SubscriptionList> {
    const topic = await this.#topic(input.TopicArn);
    return this.#listSubscriptions(topic.topicArn, input.NextToken);
  }

  async getSubscriptionAttributes(input: {
    SubscriptionArn?: unknown;
  }): Promise<{ Attributes: AttributeMap }> {
    const sub = await this.#subscription(input.SubscriptionArn);
    const a = sub.attributes;
    const out: AttributeMap = {
      ...a,
      SubscriptionArn: sub.subscriptionArn,
      TopicArn: sub.topicArn,
      Owner: sub.owner,
      Protocol: sub.protocol,
      Endpoint: sub.endpoint,
      PendingConfirmation: String(sub.pendingConfirmation),
      ConfirmationWasAuthenticated: a.ConfirmationWasAuthenticated ?? "false",
      RawMessageDelivery: a.RawMessageDelivery ?? "false",
    };
    if (a.FilterPolicy !== undefined) out.FilterPolicyScope = a.FilterPolicyScope ?? "MessageAttributes";
    if (sub.protocol === "http" || sub.protocol === "https") {
      const topic = await this.#store.getTopic(sub.topicArn);
      out.EffectiveDeliveryPolicy =
        a.DeliveryPolicy ?? topic?.attributes.DeliveryPolicy ?? DEFAULT_EFFECTIVE_DELIVERY_POLICY;
    }
    return { Attributes: out };
  }

  async setSubscriptionAttributes(input: {
    SubscriptionArn?: unknown;
    AttributeName?: unknown;
    AttributeValue?: unknown;
  }): Promise<Record<string, never>> {
    const arn = this.#checkSubscriptionArn(input.SubscriptionArn);
    const value = input.AttributeValue ?? "";
    checkAttribute(SUBSCRIPTION_ATTRIBUTES, input.AttributeName, value, "AttributeName");
    const name = input.AttributeName as string;
    const sub = await this.#store.getSubscription(arn);
    if (sub === undefined) throw subscriptionNotFound();
    checkAttributesFit(sub.protocol, { [name]: value });
    const attributes = { ...sub.attributes };
    // Empty JSON policies remove the attribute (SNS: an empty FilterPolicy deletes the filter).
    if (value === "" && name !== "RawMessageDelivery" && name !== "FilterPolicyScope")
      delete attributes[name];
    else attributes[name] = value;
    await this.#store.putSubscription({ ...sub, attributes });
    return {};
  }

  /** Housekeeping: deletes subscriptions still pending three days after Subscribe; returns how many. */
  async deleteExpiredPending(): Promise<number> {
    return this.#store.deleteExpiredPendingSubscriptions(this.#clock.now() - PENDING_RETENTION_MS);
  }

  // ---- helpers ----

  #defaultPolicy(topicArn: string): string {
    return JSON.stringify({
      Version: "2008-10-17",
      Id: "__default_policy_ID",
      Statement: [
        {
          Sid: "__default_statement_ID",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: [
            "SNS:GetTopicAttributes",
            "SNS:SetTopicAttributes",
            "SNS:AddPermission",
            "SNS:RemovePermission",
            "SNS:DeleteTopic",
            "SNS:Subscribe",
            "SNS:ListSubscriptionsByTopic",
            "SNS:Publish",
          ],
          Resource: topicArn,
          Condition: { StringEquals: { "AWS:SourceOwner": this.#identity.account } },
        },
      ],
    });
  }

  /** A well-formed topic ARN; one of another region or account is well-formed but never found. */
  #checkTopicArn(arn: unknown): string {
    if (typeof arn !== "string") throw invalid("Invalid parameter: TopicArn");
    const m = /^arn:aws:sns:[a-z0-9-]+:\d{12}:([A-Za-z0-9_.-]{1,261})$/.exec(arn);
    if (m === null) throw invalid("Invalid parameter: TopicArn");
    return arn;
  }

  #checkSubscriptionArn(arn: unknown): string {
    if (typeof arn !== "string") throw invalid("Invalid parameter: SubscriptionArn");
    const i = arn.lastIndexOf(":");
    if (i < 0 || !UUID.test(arn.slice(i + 1))) throw invalid("Invalid parameter: SubscriptionArn");
    this.#checkTopicArn(arn.slice(0, i));
    return arn;
  }

  async #topic(arn: unknown): Promise<Topic> {
    const topic = await this.#store.getTopic(this.#checkTopicArn(arn));
    if (topic === undefined) throw topicNotFound();
    return topic;
  }

  async #subscription(arn: unknown): Promise<Subscription> {
    const sub = await this.#store.getSubscription(this.#checkSubscriptionArn(arn));
    if (sub === undefined) throw subscriptionNotFound();
    return sub;
  }

  async #findSubscription(
    topicArn: string,
    protocol: SubscriptionProtocol,
    endpoint: string,
  ): Promise<Subscription | undefined> {
    let after: string | undefined;
    for (;;) {
      const subs = await this.#store.listSubscriptions({ topicArn, after, limit: 1000 });
      const found = subs.find((s) => s.protocol === protocol && s.endpoint === endpoint);
      if (found !== undefined) return found;
      if (subs.length < 1000) return undefined;
      after = subs[subs.length - 1].subscriptionArn;
    }
  }

  async #checkSubscriptionEndpoint(protocol: SubscriptionProtocol, endpoint: unknown): Promise<string> {
    if (typeof endpoint !== "string" || endpoint === "") throw invalid("Invalid parameter: Endpoint");
    if (protocol === "email" || protocol === "email-json") {
      if (endpoint.length > 320 || !EMAIL.test(endpoint)) throw invalid("Invalid parameter: Email address");
      return endpoint;
    }
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw invalid("Invalid parameter: Endpoint");
    }
    const scheme = protocol === "http" ? "http:" : "https:";
    if (url.protocol !== scheme || url.hostname === "" || endpoint.length > 2048) {
      throw invalid(`Invalid parameter: Endpoint Reason: a ${protocol} endpoint must be a ${scheme}// URL`);
    }
    if (this.#checkEndpoint !== undefined) await this.#checkEndpoint(endpoint);
    return endpoint;
  }

  async #listSubscriptions(topicArn: string | undefined, nextToken: unknown): Promise<SubscriptionList> {
    const after = decodeNextToken(nextToken);
    const rows = await this.#store.listSubscriptions({ topicArn, after, limit: PAGE_SIZE + 1 });
    const page = rows.slice(0, PAGE_SIZE);
    const out: SubscriptionList = {
      Subscriptions: page.map((s) => ({
        SubscriptionArn: s.pendingConfirmation ? "PendingConfirmation" : s.subscriptionArn,
        Owner: s.owner,
        Protocol: s.protocol,
        Endpoint: s.endpoint,
        TopicArn: s.topicArn,
      })),
    };
    if (rows.length > PAGE_SIZE) out.NextToken = encodeNextToken(page[page.length - 1].subscriptionArn);
    return out;
  }
}

export interface SubscriptionList {
  Subscriptions: {
    SubscriptionArn: string;
    Owner: string;
    Protocol: string;
    Endpoint: string;
    TopicArn: string;
  }[];
  NextToken?: string;
}

function newToken(): string {
  return randomBytes(64).toString("hex");
}

/** Attributes that make no sense for the protocol. */
function checkAttributesFit(protocol: SubscriptionProtocol, attributes: AttributeMap): void {
  if (attributes.RawMessageDelivery === "true" && protocol !== "http" && protocol !== "https") {
    throw invalid(
      `Invalid parameter: Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery.`,
    );
  }
  if (
    attributes.DeliveryPolicy !== undefined &&
    attributes.DeliveryPolicy !== "" &&
    protocol !== "http" &&
    protocol !== "https"
  ) {
    throw invalid(
      `Invalid parameter: Attributes Reason: Delivery protocol [${protocol}] does not support DeliveryPolicy.`,
    );
  }
}
