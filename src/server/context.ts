import type { Logger } from "pino";
import type { Engine } from "../engine/engine.js";
import type { Outbox } from "../notify/outbox.js";
import type { TopicsService } from "../notify/topics.js";

/**
 * The SNS operations that cause deliveries. TopicsService alone only records subscriptions; these also
 * queue the confirmation message (Subscribe) or the notifications (Publish) in the outbox.
 */
export interface Notifier {
  /** SNS Subscribe: records the subscription and queues its confirmation (mail or SubscriptionConfirmation POST). */
  subscribe(input: {
    TopicArn?: unknown;
    Protocol?: unknown;
    Endpoint?: unknown;
    Attributes?: unknown;
    ReturnSubscriptionArn?: unknown;
  }): Promise<{ SubscriptionArn: string }>;
  /** SNS Publish to a topic's confirmed subscriptions. */
  publish(input: {
    TopicArn?: unknown;
    TargetArn?: unknown;
    Message?: unknown;
    Subject?: unknown;
    MessageStructure?: unknown;
    MessageAttributes?: unknown;
  }): Promise<{ MessageId: string }>;
}

/**
 * What the faces of `trailwatch serve` (the AWS APIs, the console, the ingest routes, the SNS links) share:
 * one engine, the SNS topics and the delivery outbox, the logger, and the URL the server is reached at.
 * Each face mounts its routes with a `register…(app, context)` function of its own.
 */
export interface ServerContext {
  engine: Engine;
  topics: TopicsService;
  notifier: Notifier;
  outbox: Outbox;
  logger: Logger;
  /** Base URL without a trailing slash (confirmation and unsubscribe links, SigningCertURL). */
  publicUrl: string;
  /** True when the server listens on loopback only (local development rules: auth, SSRF). */
  loopbackOnly: boolean;
}
