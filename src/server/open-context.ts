import type { Logger } from "pino";
import type { Clock } from "../engine/clock.js";
import { Engine } from "../engine/engine.js";
import type { AlarmTransition } from "../engine/transitions.js";
import type { EventRefs } from "../metrics/event-refs.js";
import type { Mailer } from "../notify/email/send.js";
import { storedRetryPolicy } from "../notify/fan-out.js";
import { Notifications } from "../notify/notifications.js";
import { emailSender, httpSender, Outbox } from "../notify/outbox.js";
import { retryPolicyFor } from "../notify/retry-policy.js";
import { loadOrCreateSigningIdentity, type SigningIdentity } from "../notify/signing/index.js";
import { type DestinationGuard, makeDestinationGuard } from "../notify/ssrf.js";
import { TopicsService } from "../notify/topics.js";
import type { Store } from "../store/store.js";
import type { Alarm, Identity } from "../store/types.js";
import type { ServerContext } from "./context.js";
import { createServerMetrics, type ServerMetrics } from "./metrics.js";

export interface OpenServerContextOptions {
  store: Store;
  clock: Clock;
  identity: Identity;
  logger: Logger;
  /** Where trailwatch is reached by subscribers and mail readers (links, SigningCertURL). */
  publicUrl: string;
  loopbackOnly: boolean;
  /** The folder holding the SNS signing key and certificate (made on first use). */
  signingDir: string;
  /** Sends the e-mail deliveries (nodemailer over the configured SMTP server). */
  mailer: Pick<Mailer, "send">;
  /** Webhook destinations beyond the default SSRF rules (config), and extra CAs (PEM) trusted for https. */
  destinations?: { allowPrivate?: boolean; allowedHosts?: readonly string[]; ca?: readonly string[] };
  /** Every transition, after it was handed to the notifications (serve logs them; tests collect them). */
  onTransition?: (t: AlarmTransition) => void;
  /** The alarm's page (mails and Slack link to it), when a console is served. */
  alarmUrl?: (alarm: Alarm) => string | undefined;
  /** Keep every log event (FilterLogEvents, the console); default true. */
  storeEvents?: boolean;
  /** How often the outbox looks for due retries; default 1 s. New deliveries leave at once regardless. */
  outboxIntervalMs?: number;
  /**
   * How long an attempt holds its item (default 60 s): after a crash mid-send, the item is sent again once
   * its lease ends.
   */
  outboxLeaseMs?: number;
  /** Node's process metrics in /metrics (default true; tests with several contexts turn them off). */
  processMetrics?: boolean;
  /** Jitter for retries (tests pin it); default Math.random. */
  random?: () => number;
  /**
   * Whether this instance evaluates alarms and sends notifications from the start (default true). A cluster
   * instance passes false and `isEvaluator`: its evaluator lease (src/cluster) starts the outbox, the
   * re-dispatch and the evaluation when it is elected.
   */
  evaluator?: boolean;
  /** For /metrics' trailwatch_evaluator_leader (default: `evaluator`). */
  isEvaluator?: () => boolean;
  /** Where the engine keeps "who did it" (a cluster instance relays it: src/cluster); a default one. */
  eventRefs?: EventRefs;
}

export interface OpenedServerContext extends ServerContext {
  notifications: Notifications;
  metrics: ServerMetrics;
  signing: SigningIdentity;
  guard: DestinationGuard;
  /** Stops the outbox (waiting for sends in flight) and closes the engine and its store. */
  close(): Promise<void>;
}

/**
 * Assembles what `trailwatch serve` runs: the engine, whose alarm transitions go to the notifications
 * (topics → outbox items), and the outbox that delivers them — started, with new items sent at once.
 */
export async function openServerContext(o: OpenServerContextOptions): Promise<OpenedServerContext> {
  const { mergeSketch, sketchOf } = await import("../metrics/sketch-codec.js");
  const guard = makeDestinationGuard({
    serverBoundToLoopback: o.loopbackOnly,
    allowPrivate: o.destinations?.allowPrivate ?? false,
    allowedHosts: o.destinations?.allowedHosts ?? [],
  });
  const signing = await loadOrCreateSigningIdentity(o.signingDir);
  let engineRef: Engine | undefined;
  const metrics = createServerMetrics(
    () => {
      if (!engineRef) throw new Error("the engine is not open yet");
      return { engine: engineRef };
    },
    {
      defaultMetrics: o.processMetrics ?? true,
      isEvaluator: o.isEvaluator ?? (() => o.evaluator !== false),
    },
  );
  const http = httpSender({ guard, ...(o.destinations?.ca ? { ca: o.destinations.ca } : {}) });
  const mail = emailSender(o.mailer);
  const outbox = new Outbox({
    store: o.store,
    clock: o.clock,
    ...(o.random ? { random: o.random } : {}),
    ...(o.outboxLeaseMs ? { leaseMs: o.outboxLeaseMs } : {}),
    senders: { email: mail, "email-json": mail, http, https: http, slack: http },
    onDeadLetter: (item) =>
      o.logger.error(
        {
          delivery: item.id,
          protocol: item.protocol,
          subscription: item.subscriptionArn,
          error: item.lastError,
        },
        "notification dead-lettered after its retry policy",
      ),
    onError: (err) => o.logger.error({ err }, "notification outbox run failed"),
    onAttempt: (item, outcome) => metrics.onDeliveryAttempt(item, outcome),
    retryPolicy: (item) => retryPolicyFor(item.protocol, storedRetryPolicy(item.payload)),
  });
  const topics = new TopicsService({
    store: o.store,
    clock: o.clock,
    identity: o.identity,
    checkEndpoint: (url) => guard.check(url),
  });
  // The engine needs its listener before the notifications exist (they read the engine's event refs).
  let notifications: Notifications | undefined;
  const engine = await Engine.open({
    store: o.store,
    clock: o.clock,
    identity: o.identity,
    storeEvents: o.storeEvents ?? true,
    mergeSketch,
    sketchOf,
    ...(o.eventRefs ? { eventRefs: o.eventRefs } : {}),
    listener: {
      async onTransition(t) {
        try {
          await notifications?.onTransition(t);
        } catch (err) {
          o.logger.error({ err, alarm: t.alarm.alarmName }, "could not queue the alarm's notifications");
        }
        o.onTransition?.(t);
      },
    },
  });
  engineRef = engine;
  notifications = new Notifications({
    store: o.store,
    clock: o.clock,
    identity: o.identity,
    topics,
    outbox,
    signing,
    publicUrl: o.publicUrl.replace(/\/+$/, ""),
    eventsBehind: (t) => engine.eventsBehind(t),
    ...(o.alarmUrl ? { alarmUrl: o.alarmUrl } : {}),
  });
  // Transitions of the last hour whose notifications were never queued (a crash in between).
  if (o.evaluator === false) engine.alarms.evaluating = false;
  const redone =
    o.evaluator === false
      ? 0
      : await notifications.redispatch(o.clock.now() - 3_600_000, (name) => engine.alarms.get(name));
  if (redone > 0)
    o.logger.warn({ transitions: redone }, "re-dispatched alarm actions interrupted by a restart");
  if (o.evaluator !== false) {
    outbox.start(o.outboxIntervalMs ?? 1000);
    outbox.kick();
  } else {
    // Stopped, so that the kick after an enqueue (Subscribe, Publish) sends nothing from here either.
    await outbox.stop();
  }
  return {
    engine,
    topics,
    notifier: notifications,
    notifications,
    metrics,
    outbox,
    logger: o.logger,
    publicUrl: o.publicUrl.replace(/\/+$/, ""),
    loopbackOnly: o.loopbackOnly,
    signing,
    guard,
    async close() {
      await outbox.stop();
      await engine.close();
    },
  };
}
