/**
 * The persistent delivery outbox: every notification is stored (Store.enqueueDeliveries) before anything is
 * sent, attempted by `runDue`, retried on the protocol's schedule (src/notify/retry-policy.ts: SNS's HTTP/S and
 * SMTP policies, with jitter) and dead-lettered when the policy is exhausted or a failure is permanent. Every
 * attempt is written to the item's delivery log in the same transaction as the item's new state.
 *
 * Delivery guarantee, honestly: at-least-once with a stable id. Before sending, `runDue` leases the items it
 * takes (nextAttemptAt = now + `leaseMs`, in the store), so a process that dies mid-send leaves them due again
 * once the lease ends, and a second runner does not take them meanwhile. A restart therefore loses nothing.
 * Nothing is sent twice as long as the store records the outcome; if the process dies after the receiver
 * accepted a message and before the store recorded it, the message is sent again after the lease, carrying
 * the same id (SMTP `Message-ID: <id@trailwatch>`, SNS `MessageId` / `x-amz-sns-message-id`), so the receiver
 * can drop the copy. A lease must outlast one attempt (SMTP send and HTTP timeouts are well under 60 s). An
 * attempt cut short by a crash is not counted (its number is reused), so the attempt log shows recorded
 * outcomes only.
 */
import type { Store } from "../store/store.js";
import type { OutboxItem, SubscriptionProtocol } from "../store/types.js";
import { type Mailer, type NotificationMail, smtpMessageId } from "./email/send.js";
import { type HttpDelivery, postDelivery } from "./http/index.js";
import { applyRetryAfter, nextAttempt, type RetryPolicy, retryPolicyFor } from "./retry-policy.js";
import type { DestinationGuard } from "./ssrf.js";

/** How one attempt ended. */
export interface SendResult {
  ok: boolean;
  /** Failed for good: dead-letter now, do not retry. */
  permanent?: boolean;
  /** One line for the delivery log. */
  error?: string;
  /** The receiver asked to wait this long (Retry-After); honoured when the policy allows it. */
  retryAfterMs?: number;
}

export type Sender = (item: OutboxItem) => Promise<SendResult>;

export interface OutboxOptions {
  store: Store;
  clock: { now(): number };
  /** Jitter source, [0, 1); default Math.random. */
  random?: () => number;
  senders: Partial<Record<SubscriptionProtocol, Sender>>;
  /** Called after an item was recorded dead, with its final state. Errors it throws are ignored. */
  onDeadLetter?: (item: OutboxItem) => void | Promise<void>;
  /** Sends in flight at once; default 4. */
  concurrency?: number;
  /** Items taken per `runDue`; default 100. */
  batchSize?: number;
  /** How long a taken item stays reserved for its attempt; default 60 s. */
  leaseMs?: number;
  /** The retry policy of an item; default `retryPolicyFor(item.protocol)`. */
  retryPolicy?: (item: OutboxItem) => RetryPolicy;
  /** After each recorded attempt: its item and how it ended (metrics). */
  onAttempt?: (item: OutboxItem, outcome: keyof RunResult) => void;
  /** A run started by `kick` or the timer failed (the store was unreachable, say); the items stay queued. */
  onError?: (err: unknown) => void;
}

export interface RunResult {
  delivered: number;
  retried: number;
  dead: number;
}

export const DEFAULT_LEASE_MS = 60_000;

export class Outbox {
  readonly #store: Store;
  readonly #clock: { now(): number };
  readonly #random: () => number;
  readonly #senders: Partial<Record<SubscriptionProtocol, Sender>>;
  readonly #onDeadLetter: OutboxOptions["onDeadLetter"];
  readonly #concurrency: number;
  readonly #batchSize: number;
  readonly #leaseMs: number;
  readonly #policy: (item: OutboxItem) => RetryPolicy;
  readonly #onError: ((err: unknown) => void) | undefined;
  readonly #onAttempt: OutboxOptions["onAttempt"];
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<RunResult> | undefined;
  /** A kick arrived during a run: items enqueued after its claim wait for no timer. */
  #rerun = false;
  #stopped = false;

  constructor(options: OutboxOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#random = options.random ?? Math.random;
    this.#senders = options.senders;
    this.#onDeadLetter = options.onDeadLetter;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#batchSize = Math.max(1, options.batchSize ?? 100);
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#policy = options.retryPolicy ?? ((item) => retryPolicyFor(item.protocol));
    this.#onError = options.onError;
    this.#onAttempt = options.onAttempt;
  }

  /**
   * Stores new messages, due at once (nextAttemptAt = createdAt unless given). Idempotent by id: a message
   * already stored is left as it is. Returns how many were new.
   */
  async enqueue(
    items: (Omit<OutboxItem, "nextAttemptAt" | "attempts" | "status" | "createdAt"> &
      Partial<Pick<OutboxItem, "nextAttemptAt" | "createdAt">>)[],
  ): Promise<number> {
    const now = this.#clock.now();
    return this.#store.enqueueDeliveries(
      items.map((i) => {
        const createdAt = i.createdAt ?? now;
        return {
          id: i.id,
          subscriptionArn: i.subscriptionArn,
          protocol: i.protocol,
          endpoint: i.endpoint,
          payload: i.payload,
          createdAt,
          nextAttemptAt: i.nextAttemptAt ?? createdAt,
          attempts: 0,
          status: "pending",
        };
      }),
    );
  }

  /** Takes the due items (leasing them), attempts each, and records the outcomes. One run at a time. */
  runDue(): Promise<RunResult> {
    if (this.#running) return this.#running;
    const run = this.#runDue().finally(() => {
      this.#running = undefined;
      if (this.#rerun) {
        this.#rerun = false;
        this.kick();
      }
    });
    this.#running = run;
    return run;
  }

  /**
   * Sends what is due now, without waiting for the timer: called right after an enqueue, so that an alarm's
   * notification leaves within milliseconds. During a run, asks for one more run after it.
   */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#rerun = true;
      return;
    }
    this.runDue().catch((err) => this.#onError?.(err));
  }

  async #runDue(): Promise<RunResult> {
    const now = this.#clock.now();
    const items = await this.#store.claimDueDeliveries(now, now + this.#leaseMs, this.#batchSize);
    const result: RunResult = { delivered: 0, retried: 0, dead: 0 };
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const item = items[next++];
        const outcome = await this.#attempt(item);
        result[outcome]++;
        this.#onAttempt?.(item, outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#concurrency, items.length) }, worker));
    return result;
  }

  async #attempt(item: OutboxItem): Promise<keyof RunResult> {
    const sender = this.#senders[item.protocol];
    let res: SendResult;
    if (!sender) {
      res = { ok: false, permanent: true, error: `no sender for protocol ${item.protocol}` };
    } else {
      try {
        res = await sender(item);
      } catch (err) {
        res = { ok: false, error: `sender threw: ${(err as Error)?.message ?? String(err)}` };
      }
    }
    const at = this.#clock.now();
    const attempt = item.attempts + 1;
    if (res.ok) {
      await this.#store.recordDeliveryAttempt(
        item.id,
        { attempt, at, ok: true },
        { status: "delivered", deliveredAt: at },
      );
      return "delivered";
    }
    const error = res.error ?? "delivery failed";
    let nextAt: number | null = null;
    if (!res.permanent) {
      const policy = this.#policy(item);
      nextAt = applyRetryAfter(
        policy,
        nextAttempt(policy, attempt, at, this.#random),
        res.retryAfterMs ?? null,
        at,
      );
    }
    if (nextAt === null) {
      await this.#store.recordDeliveryAttempt(
        item.id,
        { attempt, at, ok: false, error },
        { status: "dead", lastError: error },
      );
      if (this.#onDeadLetter) {
        const dead: OutboxItem = { ...item, attempts: attempt, status: "dead", lastError: error };
        try {
          await this.#onDeadLetter(dead);
        } catch {
          // A failing hook must not stop the queue; the item is recorded dead either way.
        }
      }
      return "dead";
    }
    await this.#store.recordDeliveryAttempt(
      item.id,
      { attempt, at, ok: false, error },
      { status: "pending", nextAttemptAt: nextAt, lastError: error },
    );
    return "retried";
  }

  /** Runs `runDue` every `intervalMs` until `stop`. A failing run is reported to `onError` and retried next tick. */
  start(intervalMs: number, onError?: (err: unknown) => void): void {
    if (this.#timer) return;
    // Startable again after stop: a cluster instance stops its outbox when it loses the evaluator lease
    // and starts it when it wins the lease back.
    this.#stopped = false;
    this.#timer = setInterval(() => {
      this.runDue().catch((err) => onError?.(err));
    }, intervalMs);
    this.#timer.unref?.();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#rerun = false;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }
}

// ---- senders for the stored payloads ----

/** The e-mail payload stored in an outbox item. */
export interface EmailPayload {
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl?: string;
}

/**
 * An e-mail sender over a mailer: To = the endpoint, Message-ID = `<item.id@trailwatch>` and Date = the item's
 * createdAt, so every retry sends the same message.
 */
export function emailSender(mailer: Pick<Mailer, "send">): Sender {
  return async (item) => {
    let payload: EmailPayload;
    try {
      payload = JSON.parse(item.payload) as EmailPayload;
    } catch {
      return { ok: false, permanent: true, error: "unreadable e-mail payload" };
    }
    const mail: NotificationMail = {
      to: item.endpoint,
      subject: payload.subject,
      text: payload.text,
      html: payload.html,
      messageId: smtpMessageId(item.id),
      date: new Date(item.createdAt),
    };
    if (payload.unsubscribeUrl) mail.unsubscribeUrl = payload.unsubscribeUrl;
    const r = await mailer.send(mail);
    if (r.accepted) return { ok: true };
    return { ok: false, permanent: r.permanent, error: r.error ?? r.response ?? "not accepted" };
  };
}

/**
 * An HTTP/S sender: POSTs the stored `{headers, body}` (built by src/notify/http, with the item's id as
 * MessageId) to the endpoint through the SSRF guard. Works for slack too when its payload is stored as
 * `{headers, body}`.
 */
export function httpSender(options: {
  guard: DestinationGuard;
  timeoutMs?: number;
  /** Extra trusted CAs (PEM) for https endpoints: a corporate CA, or a test's own. */
  ca?: string | readonly string[];
}): Sender {
  return async (item) => {
    let delivery: HttpDelivery;
    try {
      const parsed = JSON.parse(item.payload) as HttpDelivery;
      delivery = { headers: parsed.headers, body: parsed.body };
    } catch {
      return { ok: false, permanent: true, error: "unreadable HTTP payload" };
    }
    const r = await postDelivery(item.endpoint, delivery, {
      guard: options.guard,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    });
    if (r.ok) return { ok: true };
    return { ok: false, permanent: !r.retryable, error: r.error ?? `HTTP ${r.status}` };
  };
}
