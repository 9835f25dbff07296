/**
 * Retry policies per delivery protocol, as data, and the pure schedule over them. The outbox asks
 * `nextAttempt(policy, attemptNumber, now, random)` after each failed attempt: a time (epoch ms) for the next
 * attempt, or null when the policy is exhausted and the message is dead-lettered. Nothing here reads a clock
 * or a random source of its own, so a restart that reloads `attemptNumber` resumes the same schedule.
 *
 * Sources (SNS developer guide, text archived in github.com/awsdocs/amazon-sns-developer-guide):
 *   [RETRIES] "Amazon SNS message delivery retries" (sns-message-delivery-retries.md): the four phases
 *     (immediate, pre-backoff, backoff, post-backoff); the per-protocol table, including the SMTP one
 *     ("Customer managed endpoints — SMTP, SMS, mobile push: 0 times without delay; 2 times, 10 seconds apart;
 *     10 times, with exponential backoff, from 10 seconds to 600 seconds; 38 times, 600 seconds apart;
 *     50 attempts, over 6 hours"); "Amazon SNS applies jittering to delivery retries"; the DeliveryPolicy
 *     attributes with their constraints (minDelayTarget 1..max, default 20; maxDelayTarget min..3600, default
 *     20; numRetries 0..100, default 3; numNoDelayRetries / numMinDelayRetries / numMaxDelayRetries ≥ 0,
 *     default 0; backoffFunction linear | arithmetic | geometric | exponential, default linear); "the total
 *     policy retry time for an HTTP/S endpoint cannot be greater than 3600 seconds"; backoff-phase retries =
 *     numRetries − numNoDelayRetries − numMinDelayRetries − numMaxDelayRetries.
 *   [DEFAULT] "Amazon SNS default delivery policy for HTTP/S" / DeliveryPolicies.md: "the default is to retry
 *     three times in the backoff phase, with a time delay of 20 seconds between each retry", i.e.
 *     {numRetries 3, numNoDelayRetries 0, minDelayTarget 20, maxDelayTarget 20, numMinDelayRetries 0,
 *     numMaxDelayRetries 0, backoffFunction linear}; minDelayTarget is the delay of the first backoff retry
 *     and maxDelayTarget of the last; with maxDelayTarget 40 the linear retries come after 20, 30 and 40 s.
 *   [ERR] A real SNS rejection (awsdocs/amazon-sns-developer-guide PR #5): "Invalid parameter: Attributes
 *     Reason: DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be greater than or equal to 1",
 *     code InvalidParameter. Other texts follow that shape; the wording for "must be specified", the
 *     maxDelayTarget/minDelayTarget order and the phase total comes from Comcast's SNS clone CMB
 *     (CNSRetryPolicy.java) [inferred]. That min/max/numRetries are required when healthyRetryPolicy is
 *     given: CMB and triggermesh/aws-event-sources PR #220 [inferred].
 *   [JITTER] AWS Architecture Blog, "Exponential Backoff and Jitter" (full and equal jitter).
 *
 * The backoff curves: AWS documents only their endpoints (first backoff retry = minDelayTarget, last =
 * maxDelayTarget) and a graph (images/backoff-graph.png, 10 retries from 5 s to 260 s). Between them we use
 * CMB's formulas, which for the graph's parameters, and any wide range, put the curves in the graph's order
 * (exponential lowest until the end, then geometric, arithmetic, linear) [inferred]; for a narrow range
 * (max − min of a few seconds) geometric's "+1" can lift it above arithmetic. For retry i of n in the backoff
 * phase, x = (i−1)/(n−1), m = minDelayTarget, M = maxDelayTarget:
 *   linear       m + (M−m)·x
 *   arithmetic   m + (M−m)·x²
 *   geometric    m − 1 + (M−m+1)^x
 *   exponential  m + (M−m)·(e^((n−1)·x) − 1)/(e^(n−1) − 1)
 * A backoff phase of one retry uses m.
 */

export type BackoffFunction = "linear" | "arithmetic" | "geometric" | "exponential";

export const BACKOFF_FUNCTIONS: readonly BackoffFunction[] = [
  "linear",
  "arithmetic",
  "geometric",
  "exponential",
];

/** SNS's `healthyRetryPolicy`, with SNS's names; delays in whole seconds. */
export interface HealthyRetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  /** All retries, of every phase. The first delivery is not a retry. */
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  backoffFunction: BackoffFunction;
}

/**
 * How a nominal delay d is spread, with r = random() in [0, 1):
 * `none` d; `full` d·r (AWS "Full Jitter"); `equal` d/2 + d/2·r (AWS "Equal Jitter"); `down` d·(1 − f·r),
 * never later than the nominal schedule (keeps SNS's 3600-second HTTP budget).
 */
export type Jitter =
  | { kind: "none" }
  | { kind: "full" }
  | { kind: "equal" }
  | { kind: "down"; fraction: number };

export interface RetryPolicy {
  /** For logs and the delivery log. */
  name: string;
  retry: HealthyRetryPolicy;
  jitter: Jitter;
  /** Honour a server's Retry-After up to this many seconds (see `applyRetryAfter`); absent: ignore it. */
  maxRetryAfterSeconds?: number;
}

export type RetryPhase = "immediate" | "pre-backoff" | "backoff" | "post-backoff";

/** SNS's default HTTP/S policy [DEFAULT]: 3 retries, 20 s apart. */
export const SNS_HTTP_DEFAULT_RETRY: Readonly<HealthyRetryPolicy> = Object.freeze({
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  numMaxDelayRetries: 0,
  backoffFunction: "linear",
});

/**
 * SNS's policy for SMTP (and SMS, mobile push) [RETRIES]: 2 retries 10 s apart, 10 backing off exponentially
 * from 10 s to 600 s, then 38 every 600 s: 50 retries over about 6.6 hours. SNS does not let users change it.
 */
export const SNS_SMTP_RETRY: Readonly<HealthyRetryPolicy> = Object.freeze({
  minDelayTarget: 10,
  maxDelayTarget: 600,
  numRetries: 50,
  numNoDelayRetries: 0,
  numMinDelayRetries: 2,
  numMaxDelayRetries: 38,
  backoffFunction: "exponential",
});

/**
 * HTTP/S: SNS's default, with jitter that only shortens a delay by up to 20% (SNS jitters, and says not how),
 * so a DeliveryPolicy that fits the 3600-second budget still fits it.
 */
export const HTTP_RETRY_POLICY: RetryPolicy = Object.freeze({
  name: "sns-http-default",
  retry: SNS_HTTP_DEFAULT_RETRY,
  jitter: Object.freeze({ kind: "down", fraction: 0.2 }),
});

/**
 * E-mail: SNS's SMTP policy with equal jitter, each delay between half and all of the nominal one. Not full
 * jitter: that could draw every delay near zero and burn all 50 retries inside a short outage. Worst case the
 * retries still span about 3.3 hours (nominal 6.6), so an SMTP server down for ten minutes, or an hour,
 * loses nothing; a message is dead-lettered only after 51 failed attempts.
 */
export const EMAIL_RETRY_POLICY: RetryPolicy = Object.freeze({
  name: "sns-smtp",
  retry: SNS_SMTP_RETRY,
  jitter: Object.freeze({ kind: "equal" }),
});

/**
 * Slack webhooks: the HTTP policy, and a 429's Retry-After is honoured (Slack rate-limits incoming webhooks
 * and says when to come back), capped at SNS's HTTP message lifetime of one hour.
 */
export const SLACK_RETRY_POLICY: RetryPolicy = Object.freeze({
  name: "slack",
  retry: SNS_HTTP_DEFAULT_RETRY,
  jitter: Object.freeze({ kind: "down", fraction: 0.2 }),
  maxRetryAfterSeconds: 3600,
});

export type NotifyProtocol = "http" | "https" | "email" | "email-json" | "slack";

/**
 * The policy for a protocol. A validated `healthyRetryPolicy` (from `effectiveHttpRetryPolicy`) replaces the
 * HTTP and Slack schedule; e-mail ignores it, as SNS does ("Only HTTP/S supports custom policies").
 */
export function retryPolicyFor(
  protocol: NotifyProtocol,
  healthyRetryPolicy?: HealthyRetryPolicy,
): RetryPolicy {
  switch (protocol) {
    case "email":
    case "email-json":
      return EMAIL_RETRY_POLICY;
    case "http":
    case "https":
      return healthyRetryPolicy
        ? { ...HTTP_RETRY_POLICY, name: "sns-http-custom", retry: healthyRetryPolicy }
        : HTTP_RETRY_POLICY;
    case "slack":
      return healthyRetryPolicy
        ? { ...SLACK_RETRY_POLICY, name: "slack-custom", retry: healthyRetryPolicy }
        : SLACK_RETRY_POLICY;
  }
}

/** Which phase retry number `retry` (1-based) falls in, or null past the last retry. */
export function retryPhase(policy: HealthyRetryPolicy, retry: number): RetryPhase | null {
  if (!Number.isInteger(retry) || retry < 1 || retry > policy.numRetries) return null;
  let k = retry;
  if (k <= policy.numNoDelayRetries) return "immediate";
  k -= policy.numNoDelayRetries;
  if (k <= policy.numMinDelayRetries) return "pre-backoff";
  k -= policy.numMinDelayRetries;
  if (k <= backoffRetries(policy)) return "backoff";
  return "post-backoff";
}

/** Retries in the backoff phase: numRetries − numNoDelayRetries − numMinDelayRetries − numMaxDelayRetries. */
export function backoffRetries(policy: HealthyRetryPolicy): number {
  return Math.max(
    0,
    policy.numRetries - policy.numNoDelayRetries - policy.numMinDelayRetries - policy.numMaxDelayRetries,
  );
}

/** The nominal delay of backoff retry `i` of `n`, in seconds (see the formulas at the top). */
export function backoffDelaySeconds(
  fn: BackoffFunction,
  i: number,
  n: number,
  min: number,
  max: number,
): number {
  if (n <= 1) return min;
  const x = (i - 1) / (n - 1);
  switch (fn) {
    case "linear":
      return min + (max - min) * x;
    case "arithmetic":
      return min + (max - min) * x * x;
    case "geometric":
      return min - 1 + (max - min + 1) ** x;
    case "exponential":
      return min + ((max - min) * Math.expm1((n - 1) * x)) / Math.expm1(n - 1);
  }
}

/** The nominal (unjittered) delay before retry number `retry` (1-based), in ms; null past the last retry. */
export function retryDelayMs(policy: HealthyRetryPolicy, retry: number): number | null {
  const phase = retryPhase(policy, retry);
  switch (phase) {
    case null:
      return null;
    case "immediate":
      return 0;
    case "pre-backoff":
      return policy.minDelayTarget * 1000;
    case "post-backoff":
      return policy.maxDelayTarget * 1000;
    case "backoff": {
      const i = retry - policy.numNoDelayRetries - policy.numMinDelayRetries;
      const s = backoffDelaySeconds(
        policy.backoffFunction,
        i,
        backoffRetries(policy),
        policy.minDelayTarget,
        policy.maxDelayTarget,
      );
      return Math.round(s * 1000);
    }
  }
}

/** Every nominal delay, in ms, in order: element k−1 is the wait before retry k. */
export function retrySchedule(policy: HealthyRetryPolicy): number[] {
  const out: number[] = [];
  for (let k = 1; k <= policy.numRetries; k++) out.push(retryDelayMs(policy, k) ?? 0);
  return out;
}

/** `delayMs` spread by the jitter, with r = random() (clamped to [0, 1)). */
export function applyJitter(delayMs: number, jitter: Jitter, random: () => number): number {
  if (delayMs <= 0 || jitter.kind === "none") return delayMs;
  let r = random();
  if (!(r >= 0)) r = 0;
  if (r >= 1) r = 1 - Number.EPSILON;
  switch (jitter.kind) {
    case "full":
      return Math.round(delayMs * r);
    case "equal":
      return Math.round(delayMs / 2 + (delayMs / 2) * r);
    case "down":
      return Math.round(delayMs * (1 - jitter.fraction * r));
  }
}

/**
 * When to make the next attempt after attempt number `attemptNumber` (1 = the first delivery) failed at
 * `now` (epoch ms): `now` plus the jittered delay of retry number `attemptNumber`, or null when the policy
 * has no such retry (dead-letter). SNS also measures from the failure: "if the retry interval is 20 seconds
 * and a request times out, the start of the next request is 35 seconds after the start of the request that
 * timed out" (15-second timeout).
 */
export function nextAttempt(
  policy: RetryPolicy,
  attemptNumber: number,
  now: number,
  random: () => number,
): number | null {
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1) {
    throw new RangeError(`attemptNumber must be a whole number from 1, got ${attemptNumber}`);
  }
  const nominal = retryDelayMs(policy.retry, attemptNumber);
  if (nominal === null) return null;
  return now + applyJitter(nominal, policy.jitter, random);
}

/**
 * How long the retries of a policy last, from the first failure to the last retry, in ms: `shortestMs` with
 * every jitter draw at its least (the outage the policy is sure to outlast), `longestMs` at its most.
 */
export function retryWindow(policy: RetryPolicy): { retries: number; shortestMs: number; longestMs: number } {
  let shortestMs = 0;
  let longestMs = 0;
  for (const d of retrySchedule(policy.retry)) {
    longestMs += d;
    switch (policy.jitter.kind) {
      case "none":
        shortestMs += d;
        break;
      case "full":
        break;
      case "equal":
        shortestMs += Math.round(d / 2);
        break;
      case "down":
        shortestMs += Math.round(d * (1 - policy.jitter.fraction));
        break;
    }
  }
  return { retries: policy.retry.numRetries, shortestMs, longestMs };
}

/**
 * A Retry-After header value (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) as a wait in ms from `now`;
 * null when absent or unreadable. A date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (v === "") return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with the day name; Date.parse alone would
  // also take "-5" or "2026" as a date.
  if (!/^[A-Za-z]{3}/.test(v)) return null;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/**
 * Moves a scheduled attempt (`next`, from `nextAttempt`) no earlier than `now + retryAfterMs`, the wait capped
 * at the policy's `maxRetryAfterSeconds`. An exhausted policy (null) stays exhausted; a policy that does not
 * honour Retry-After, or no Retry-After, leaves `next` as it is.
 */
export function applyRetryAfter(
  policy: RetryPolicy,
  next: number | null,
  retryAfterMs: number | null,
  now: number,
): number | null {
  if (next === null) return null;
  if (retryAfterMs === null || policy.maxRetryAfterSeconds === undefined) return next;
  const wait = Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterSeconds * 1000);
  return Math.max(next, now + wait);
}

// ----------------------------------------------------------------------------------------------------
// DeliveryPolicy documents

/**
 * SNS's InvalidParameter error (`name` is the SDK's exception name, `code` the wire code). `detail` is the
 * text after "Invalid parameter: ", so an API that reports attribute errors inside another parameter can
 * write SNS's "Invalid parameter: Attributes Reason: <detail>".
 */
export class InvalidParameterException extends Error {
  override readonly name = "InvalidParameterException";
  readonly code = "InvalidParameter";
  readonly detail: string;
  constructor(detail: string) {
    super(`Invalid parameter: ${detail}`);
    this.detail = detail;
  }
}

export interface ThrottlePolicy {
  maxReceivesPerSecond: number;
}

/** A subscription's DeliveryPolicy: `{"healthyRetryPolicy": {...}, "throttlePolicy": {...}}`. */
export interface SubscriptionDeliveryPolicy {
  healthyRetryPolicy?: HealthyRetryPolicy;
  throttlePolicy?: ThrottlePolicy;
}

/** A topic's DeliveryPolicy: `{"http": {"defaultHealthyRetryPolicy": {...}, ...}}`. */
export interface TopicDeliveryPolicy {
  http: {
    defaultHealthyRetryPolicy?: HealthyRetryPolicy;
    defaultThrottlePolicy?: ThrottlePolicy;
    disableSubscriptionOverrides: boolean;
  };
}

/** Total nominal retry time an HTTP/S policy may take [RETRIES]. */
export const MAX_HTTP_RETRY_SECONDS = 3600;

function invalid(reason: string): InvalidParameterException {
  return new InvalidParameterException(`DeliveryPolicy: ${reason}`);
}

function parseJsonObject(input: string | object): Record<string, unknown> {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      throw invalid("JSON parameter format error");
    }
  }
  if (!isObject(value)) throw invalid("JSON parameter format error");
  return value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Reads and validates a subscription's DeliveryPolicy (a JSON string or the parsed object). Keys other than
 * healthyRetryPolicy and throttlePolicy (requestPolicy, sicklyRetryPolicy, guaranteed) are not checked here.
 * Throws InvalidParameterException with SNS-like text.
 */
export function parseSubscriptionDeliveryPolicy(input: string | object): SubscriptionDeliveryPolicy {
  const doc = parseJsonObject(input);
  const out: SubscriptionDeliveryPolicy = {};
  if (doc.healthyRetryPolicy !== undefined && doc.healthyRetryPolicy !== null) {
    out.healthyRetryPolicy = validateHealthyRetryPolicy(doc.healthyRetryPolicy, "healthyRetryPolicy");
  }
  if (doc.throttlePolicy !== undefined && doc.throttlePolicy !== null) {
    const t = validateThrottlePolicy(doc.throttlePolicy, "throttlePolicy");
    if (t) out.throttlePolicy = t;
  }
  return out;
}

/** Reads and validates a topic's DeliveryPolicy (`{"http": {...}}`). */
export function parseTopicDeliveryPolicy(input: string | object): TopicDeliveryPolicy {
  const doc = parseJsonObject(input);
  const http = doc.http ?? {};
  if (!isObject(http)) throw invalid("http must be a JSON object");
  const out: TopicDeliveryPolicy = { http: { disableSubscriptionOverrides: false } };
  if (http.defaultHealthyRetryPolicy !== undefined && http.defaultHealthyRetryPolicy !== null) {
    out.http.defaultHealthyRetryPolicy = validateHealthyRetryPolicy(
      http.defaultHealthyRetryPolicy,
      "http.defaultHealthyRetryPolicy",
    );
  }
  if (http.defaultThrottlePolicy !== undefined && http.defaultThrottlePolicy !== null) {
    const t = validateThrottlePolicy(http.defaultThrottlePolicy, "http.defaultThrottlePolicy");
    if (t) out.http.defaultThrottlePolicy = t;
  }
  if (http.disableSubscriptionOverrides !== undefined) {
    if (typeof http.disableSubscriptionOverrides !== "boolean") {
      throw invalid("http.disableSubscriptionOverrides must be a boolean");
    }
    out.http.disableSubscriptionOverrides = http.disableSubscriptionOverrides;
  }
  return out;
}

/**
 * The HTTP/S retry policy in force: the subscription's, else the topic's default, else SNS's default; the
 * topic's wins when it sets disableSubscriptionOverrides (DeliveryPolicies.md, "Ignore subscription override").
 */
export function effectiveHttpRetryPolicy(
  topic?: TopicDeliveryPolicy,
  subscription?: SubscriptionDeliveryPolicy,
): HealthyRetryPolicy {
  const fromTopic = topic?.http.defaultHealthyRetryPolicy;
  if (topic?.http.disableSubscriptionOverrides && fromTopic) return fromTopic;
  return subscription?.healthyRetryPolicy ?? fromTopic ?? { ...SNS_HTTP_DEFAULT_RETRY };
}

const INT_FIELDS = [
  "minDelayTarget",
  "maxDelayTarget",
  "numRetries",
  "numNoDelayRetries",
  "numMinDelayRetries",
  "numMaxDelayRetries",
] as const;

/** Checks one healthyRetryPolicy object against SNS's limits; `path` names it in errors. */
export function validateHealthyRetryPolicy(value: unknown, path = "healthyRetryPolicy"): HealthyRetryPolicy {
  if (!isObject(value)) throw invalid(`${path} must be a JSON object`);
  for (const required of ["minDelayTarget", "maxDelayTarget", "numRetries"] as const) {
    if (value[required] === undefined || value[required] === null) {
      throw invalid(`${path}.${required} must be specified`);
    }
  }
  const n: Record<(typeof INT_FIELDS)[number], number> = {
    minDelayTarget: 0,
    maxDelayTarget: 0,
    numRetries: 0,
    numNoDelayRetries: 0,
    numMinDelayRetries: 0,
    numMaxDelayRetries: 0,
  };
  for (const f of INT_FIELDS) {
    const v = value[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== "number" || !Number.isInteger(v)) throw invalid(`${path}.${f} must be an integer`);
    n[f] = v;
  }
  let backoffFunction: BackoffFunction = "linear";
  if (value.backoffFunction !== undefined && value.backoffFunction !== null) {
    const fn = typeof value.backoffFunction === "string" ? value.backoffFunction.toLowerCase() : "";
    if (!(BACKOFF_FUNCTIONS as readonly string[]).includes(fn)) {
      throw invalid(`${path}.backoffFunction must be one of ${BACKOFF_FUNCTIONS.join(", ")}`);
    }
    backoffFunction = fn as BackoffFunction;
  }
  if (n.minDelayTarget < 1) throw invalid(`${path}.minDelayTarget must be greater than or equal to 1`);
  if (n.maxDelayTarget > MAX_HTTP_RETRY_SECONDS) {
    throw invalid(`${path}.maxDelayTarget must be less than or equal to ${MAX_HTTP_RETRY_SECONDS}`);
  }
  if (n.maxDelayTarget < n.minDelayTarget) {
    throw invalid(`${path}.maxDelayTarget must be greater than or equal to minDelayTarget`);
  }
  if (n.numRetries < 0) throw invalid(`${path}.numRetries must be greater than or equal to 0`);
  if (n.numRetries > 100) throw invalid(`${path}.numRetries must be less than or equal to 100`);
  for (const f of ["numNoDelayRetries", "numMinDelayRetries", "numMaxDelayRetries"] as const) {
    if (n[f] < 0) throw invalid(`${path}.${f} must be greater than or equal to 0`);
  }
  if (n.numNoDelayRetries + n.numMinDelayRetries + n.numMaxDelayRetries > n.numRetries) {
    throw invalid(
      `${path}.numRetries must be greater than or equal to total of numMinDelayRetries, numNoDelayRetries and numMaxDelayRetries`,
    );
  }
  const policy: HealthyRetryPolicy = { ...n, backoffFunction };
  const totalMs = retrySchedule(policy).reduce((a, b) => a + b, 0);
  if (totalMs > MAX_HTTP_RETRY_SECONDS * 1000) {
    throw invalid(
      `${path} total retry time must be less than or equal to ${MAX_HTTP_RETRY_SECONDS} seconds, got ${Math.ceil(totalMs / 1000)}`,
    );
  }
  return policy;
}

function validateThrottlePolicy(value: unknown, path: string): ThrottlePolicy | undefined {
  if (!isObject(value)) throw invalid(`${path} must be a JSON object`);
  const v = value.maxReceivesPerSecond;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v))
    throw invalid(`${path}.maxReceivesPerSecond must be an integer`);
  if (v < 1) throw invalid(`${path}.maxReceivesPerSecond must be greater than or equal to 1`);
  return { maxReceivesPerSecond: v };
}
