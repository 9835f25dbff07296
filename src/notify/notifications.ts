/**
 * The notification stage: alarm transitions and SNS Publish calls become outbox items (one per confirmed
 * subscription), and Subscribe queues the confirmation request. Sending is the outbox's job, a separate step
 * (src/notify/outbox.ts); this class only decides what is sent to whom, and records the alarm actions in the
 * alarm's history as CloudWatch does ("Successfully executed action arn:aws:sns:…").
 *
 * Ids are derived from the transition (alarm ARN, state, time) and the subscription, so dispatching the same
 * transition twice queues nothing new: serve re-dispatches recent transitions at start, which closes the gap
 * between an alarm's state write and its enqueue if the process died in between.
 */
import { randomUUID } from "node:crypto";
import { actionHistory } from "../alarms/history.js";
import type { AlarmTransition, TransitionListener } from "../engine/transitions.js";
import type { Store } from "../store/store.js";
import type { Alarm, AlarmStateValue, Identity, Subscription, Topic } from "../store/types.js";
import { confirmationDelivery, type FanOutContext, fanOut, type PublishedContent } from "./fan-out.js";
import { stableId } from "./ids.js";
import type { NotificationEvents } from "./message/index.js";
import type { Outbox } from "./outbox.js";
import type { SigningIdentity } from "./signing/index.js";
import { SnsError, type TopicsService } from "./topics.js";

export interface NotificationsOptions {
  store: Store;
  clock: { now(): number };
  identity: Identity;
  topics: TopicsService;
  outbox: Outbox;
  signing: Pick<SigningIdentity, "privateKeyPem" | "certificateId">;
  /** Where trailwatch is reached (links in messages), without a trailing slash. */
  publicUrl: string;
  /** The events behind an ALARM transition ("who did it"); none when absent. */
  eventsBehind?: (t: AlarmTransition) => NotificationEvents | undefined;
  /** The alarm's page in the console, for the mail and Slack links. */
  alarmUrl?: (alarm: Alarm) => string | undefined;
}

/** SNS's largest message: 256 KB (262,144 bytes) of UTF-8. */
export const MAX_MESSAGE_BYTES = 262_144;
const MAX_SUBJECT = 100;
const PAGE = 100;

const invalid = (message: string) => new SnsError("InvalidParameterException", message);

export class Notifications implements TransitionListener {
  readonly #o: NotificationsOptions;

  constructor(options: NotificationsOptions) {
    this.#o = options;
  }

  get #fanOut(): FanOutContext {
    return { baseUrl: this.#o.publicUrl, identity: this.#o.identity, signing: this.#o.signing };
  }

  /** SNS Subscribe: the subscription, and its confirmation request queued for delivery. */
  async subscribe(input: Parameters<TopicsService["subscribe"]>[0]): Promise<{ SubscriptionArn: string }> {
    const result = await this.#o.topics.subscribe(input);
    if (result.confirmation) {
      const { subscription, token } = result.confirmation;
      const topic = await this.#o.store.getTopic(subscription.topicArn);
      await this.#o.outbox.enqueue([
        confirmationDelivery(
          this.#fanOut,
          subscription,
          token,
          this.#o.clock.now(),
          signatureVersionOf(topic),
        ),
      ]);
      this.#o.outbox.kick();
    }
    return result.output;
  }

  /** Sends a pending subscription's confirmation request again (the console's "resend"). */
  async resendConfirmation(subscriptionArn: string): Promise<void> {
    const sub = await this.#o.store.getSubscription(subscriptionArn);
    if (sub === undefined) throw new SnsError("NotFoundException", "Subscription does not exist");
    if (!sub.pendingConfirmation)
      throw invalid("Invalid parameter: SubscriptionArn Reason: already confirmed");
    await this.subscribe({ TopicArn: sub.topicArn, Protocol: sub.protocol, Endpoint: sub.endpoint });
  }

  /** SNS Publish to a topic: one copy per confirmed subscription. */
  async publish(input: {
    TopicArn?: unknown;
    TargetArn?: unknown;
    Message?: unknown;
    Subject?: unknown;
    MessageStructure?: unknown;
    MessageAttributes?: unknown;
  }): Promise<{ MessageId: string }> {
    const arn = input.TopicArn ?? input.TargetArn;
    if (input.TopicArn !== undefined && input.TargetArn !== undefined)
      throw invalid("Invalid parameter: TopicArn or TargetArn Reason: Only one of them may be specified");
    if (typeof arn !== "string" || arn === "") throw invalid("Invalid parameter: TopicArn or TargetArn");
    const message = input.Message;
    if (typeof message !== "string" || message === "") throw invalid("Invalid parameter: Empty message");
    if (Buffer.byteLength(message, "utf8") > MAX_MESSAGE_BYTES)
      throw invalid("Invalid parameter: Message too long");
    const subject = input.Subject;
    if (
      subject !== undefined &&
      (typeof subject !== "string" ||
        subject === "" ||
        subject.length > MAX_SUBJECT ||
        !/^[\x20-\x7e]+$/.test(subject))
    ) {
      throw invalid("Invalid parameter: Subject");
    }
    let perProtocol: Record<string, string> | undefined;
    let text = message;
    if (input.MessageStructure !== undefined) {
      if (input.MessageStructure !== "json") throw invalid("Invalid parameter: MessageStructure");
      perProtocol = perProtocolMessages(message);
      text = perProtocol.default as string;
    }
    const topic = await this.#o.store.getTopic(arn);
    if (topic === undefined) throw new SnsError("NotFoundException", "Topic does not exist");
    const now = this.#o.clock.now();
    const messageId = randomUUID();
    const content: PublishedContent = {
      kind: "message",
      message: text,
      ...(typeof subject === "string" ? { subject } : {}),
      ...(perProtocol ? { perProtocol } : {}),
    };
    await this.#deliver(topic, messageId, now, content);
    return { MessageId: messageId };
  }

  /**
   * An alarm's state changed: publish AWS's alarm message to each topic of the matching action list, when
   * the alarm's actions are enabled. Each action leaves an Action item in the alarm's history.
   */
  async onTransition(t: AlarmTransition): Promise<void> {
    const alarm = t.alarm;
    if (!alarm.actionsEnabled) return;
    const actions =
      t.newState === "ALARM"
        ? alarm.alarmActions
        : t.newState === "OK"
          ? alarm.okActions
          : alarm.insufficientDataActions;
    if (actions.length === 0) return;
    const events = this.#o.eventsBehind?.(t);
    const alarmUrl = this.#o.alarmUrl?.(alarm);
    const content: PublishedContent = {
      kind: "alarm",
      transition: t,
      ...(events ? { events } : {}),
      ...(alarmUrl ? { alarmUrl } : {}),
    };
    const history = [];
    for (const action of new Set(actions)) {
      const topic = action.startsWith("arn:aws:sns:") ? await this.#o.store.getTopic(action) : undefined;
      if (topic === undefined) {
        history.push(
          actionHistory(alarm, {
            action,
            succeeded: false,
            timestamp: t.timestamp,
            error: action.startsWith("arn:aws:sns:")
              ? "Resource not found: the topic does not exist"
              : "trailwatch runs SNS topic actions only",
          }),
        );
        continue;
      }
      const messageId = stableId("alarm", alarm.alarmArn, t.newState, t.timestamp, topic.topicArn);
      await this.#deliver(topic, messageId, t.timestamp, content);
      // stateUpdateTimestamp names the transition: redispatch() tells done transitions by it.
      history.push(actionHistory(alarm, { action, succeeded: true, timestamp: t.timestamp }));
    }
    await this.#o.store.appendAlarmHistory(history);
  }

  /**
   * Dispatches the state changes since `since` that have no Action items yet: those whose process died
   * between the state write and the enqueue. The ids make a transition that was queued after all a no-op.
   */
  async redispatch(since: number, alarmNamed: (name: string) => Alarm | undefined): Promise<number> {
    const store = this.#o.store;
    const updates = await store.queryAlarmHistory({
      historyItemType: "StateUpdate",
      startDate: since,
      ascending: true,
      limit: 10_000,
    });
    const actions = await store.queryAlarmHistory({
      historyItemType: "Action",
      startDate: since,
      limit: 100_000,
    });
    const done = new Set<string>();
    for (const a of actions) {
      const data = parseJson(a.historyData) as { stateUpdateTimestamp?: unknown } | undefined;
      done.add(`${a.alarmName}\u0000${String(data?.stateUpdateTimestamp)}`);
    }
    let count = 0;
    for (const h of updates) {
      if (done.has(`${h.alarmName}\u0000${h.timestamp}`)) continue;
      const alarm = alarmNamed(h.alarmName);
      const data = parseJson(h.historyData) as
        | {
            oldState?: { stateValue?: string };
            newState?: { stateValue?: string; stateReason?: string; stateReasonData?: unknown };
          }
        | undefined;
      const oldState = data?.oldState?.stateValue;
      const newState = data?.newState?.stateValue;
      if (!alarm || !isState(oldState) || !isState(newState)) continue;
      const reasonData = data?.newState?.stateReasonData;
      await this.onTransition({
        alarm,
        oldState,
        newState,
        timestamp: h.timestamp,
        reason: data?.newState?.stateReason ?? "",
        ...(reasonData !== undefined ? { reasonData: JSON.stringify(reasonData) } : {}),
      });
      count++;
    }
    return count;
  }

  async #deliver(
    topic: Topic,
    messageId: string,
    timestamp: number,
    content: PublishedContent,
  ): Promise<void> {
    const subscriptions = await this.#subscriptionsOf(topic.topicArn);
    const items = fanOut(
      this.#fanOut,
      {
        topicArn: topic.topicArn,
        messageId,
        timestamp,
        content,
        signatureVersion: signatureVersionOf(topic),
        ...(topic.attributes.DeliveryPolicy ? { topicDeliveryPolicy: topic.attributes.DeliveryPolicy } : {}),
      },
      subscriptions,
    );
    if (items.length === 0) return;
    await this.#o.outbox.enqueue(items);
    this.#o.outbox.kick();
  }

  async #subscriptionsOf(topicArn: string): Promise<Subscription[]> {
    const all: Subscription[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.#o.store.listSubscriptions({
        topicArn,
        limit: PAGE,
        ...(after ? { after } : {}),
      });
      all.push(...page);
      if (page.length < PAGE) return all;
      after = page[page.length - 1].subscriptionArn;
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isState(v: unknown): v is AlarmStateValue {
  return v === "OK" || v === "ALARM" || v === "INSUFFICIENT_DATA";
}

function signatureVersionOf(topic: Topic | undefined): "1" | "2" {
  return topic?.attributes.SignatureVersion === "1" ? "1" : "2";
}

/** MessageStructure=json: a JSON object of strings with a `default` entry (SNS's two messages). */
function perProtocolMessages(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalid("Invalid parameter: Message Structure - JSON message body failed to parse");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw invalid("Invalid parameter: Message Structure - JSON message body failed to parse");
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (!entries.some(([k]) => k === "default"))
    throw invalid("Invalid parameter: Message Structure - No default entry in JSON message body");
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (typeof v !== "string")
      throw invalid("Invalid parameter: Message Structure - JSON message body failed to parse");
    out[k] = v;
  }
  return out;
}
