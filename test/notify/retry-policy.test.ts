/** Retry schedules: SNS's HTTP default, the four backoff curves, jitter bounds, exhaustion, DeliveryPolicy checks. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  applyJitter,
  applyRetryAfter,
  BACKOFF_FUNCTIONS,
  type BackoffFunction,
  backoffDelaySeconds,
  EMAIL_RETRY_POLICY,
  effectiveHttpRetryPolicy,
  type HealthyRetryPolicy,
  HTTP_RETRY_POLICY,
  InvalidParameterException,
  type Jitter,
  nextAttempt,
  parseRetryAfter,
  parseSubscriptionDeliveryPolicy,
  parseTopicDeliveryPolicy,
  type RetryPolicy,
  retryDelayMs,
  retryPhase,
  retryPolicyFor,
  retrySchedule,
  retryWindow,
  SLACK_RETRY_POLICY,
  SNS_HTTP_DEFAULT_RETRY,
  SNS_SMTP_RETRY,
} from "../../src/notify/retry-policy.js";

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const zero = () => 0;
const almostOne = () => 0.999999;

/** A small deterministic generator for many jitter draws. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function policy(p: Partial<HealthyRetryPolicy>): HealthyRetryPolicy {
  return { ...SNS_HTTP_DEFAULT_RETRY, ...p };
}

/** The attempt times (ms after T0) a policy gives when every attempt fails. */
function attemptTimes(p: RetryPolicy, random: () => number): number[] {
  const times = [T0];
  for (let n = 1; ; n++) {
    const next = nextAttempt(p, n, times[times.length - 1]!, random);
    if (next === null) return times.map((t) => t - T0);
    times.push(next);
  }
}

describe("SNS's default HTTP/S policy", () => {
  test("is the documented one: 3 retries, 20 s apart, linear, all in the backoff phase", () => {
    assert.deepEqual(SNS_HTTP_DEFAULT_RETRY, {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      numMaxDelayRetries: 0,
      backoffFunction: "linear",
    });
    assert.deepEqual(retrySchedule(SNS_HTTP_DEFAULT_RETRY), [20_000, 20_000, 20_000]);
    assert.deepEqual(
      [1, 2, 3, 4].map((k) => retryPhase(SNS_HTTP_DEFAULT_RETRY, k)),
      ["backoff", "backoff", "backoff", null],
    );
  });

  test("the sequence: first delivery, then retries at +20 s, +40 s, +60 s, then dead-letter", () => {
    assert.deepEqual(attemptTimes(HTTP_RETRY_POLICY, zero), [0, 20_000, 40_000, 60_000]);
    assert.equal(nextAttempt(HTTP_RETRY_POLICY, 4, T0, zero), null);
    assert.equal(retryPolicyFor("https"), HTTP_RETRY_POLICY);
  });

  test("the documented linear example: maxDelayTarget 40 gives retries after 20, 30 and 40 s", () => {
    assert.deepEqual(retrySchedule(policy({ maxDelayTarget: 40 })), [20_000, 30_000, 40_000]);
  });

  test("measured from the failure, as SNS does after a timeout (20 s interval, 15 s timeout: next at 35 s)", () => {
    const timedOutAt = T0 + 15_000;
    assert.equal(nextAttempt(HTTP_RETRY_POLICY, 1, timedOutAt, zero), T0 + 35_000);
  });

  test("jitter only shortens an HTTP delay, by at most 20%", () => {
    assert.equal(nextAttempt(HTTP_RETRY_POLICY, 1, T0, almostOne)! - T0, 16_000);
    assert.deepEqual(retryWindow(HTTP_RETRY_POLICY), { retries: 3, shortestMs: 48_000, longestMs: 60_000 });
  });
});

describe("the four phases", () => {
  // The AWS guide's sample policy: 3 immediate, 2 at 1 s, 10 backing off from 1 s to 60 s, 35 at 60 s.
  const sample = policy({
    minDelayTarget: 1,
    maxDelayTarget: 60,
    numRetries: 50,
    numNoDelayRetries: 3,
    numMinDelayRetries: 2,
    numMaxDelayRetries: 35,
    backoffFunction: "exponential",
  });

  test("phase of each retry", () => {
    const phases = Array.from({ length: 51 }, (_, i) => retryPhase(sample, i + 1));
    assert.deepEqual(phases.slice(0, 3), ["immediate", "immediate", "immediate"]);
    assert.deepEqual(phases.slice(3, 5), ["pre-backoff", "pre-backoff"]);
    assert.deepEqual(phases.slice(5, 15), Array(10).fill("backoff"));
    assert.deepEqual(phases.slice(15, 50), Array(35).fill("post-backoff"));
    assert.equal(phases[50], null);
    assert.equal(retryPhase(sample, 0), null);
  });

  test("delays: none, then minDelayTarget, then the curve from min to max, then maxDelayTarget", () => {
    const s = retrySchedule(sample);
    assert.equal(s.length, 50);
    assert.deepEqual(s.slice(0, 5), [0, 0, 0, 1000, 1000]);
    assert.equal(s[5], 1000, "first backoff retry = minDelayTarget");
    assert.equal(s[14], 60_000, "last backoff retry = maxDelayTarget");
    assert.ok(s.slice(15).every((d) => d === 60_000));
    assert.equal(retryDelayMs(sample, 51), null);
  });

  test("immediate retries happen at once, whatever the jitter draw", () => {
    const p: RetryPolicy = { name: "t", retry: sample, jitter: { kind: "full" } };
    assert.equal(nextAttempt(p, 1, T0, almostOne), T0);
    assert.equal(nextAttempt(p, 3, T0, zero), T0);
  });

  test("it fits SNS's 3600-second budget, so the validator takes it", () => {
    const total = retrySchedule(sample).reduce((a, b) => a + b, 0);
    assert.equal(total, 2_205_271);
    assert.deepEqual(
      parseSubscriptionDeliveryPolicy({ healthyRetryPolicy: sample }).healthyRetryPolicy,
      sample,
    );
  });
});

describe("backoff functions", () => {
  // The AWS guide's graph: 10 backoff retries from 5 s to 260 s. Values in ms.
  const table: Record<BackoffFunction, number[]> = {
    linear: [5000, 33_333, 61_667, 90_000, 118_333, 146_667, 175_000, 203_333, 231_667, 260_000],
    arithmetic: [5000, 8148, 17_593, 33_333, 55_370, 83_704, 118_333, 159_259, 206_481, 260_000],
    geometric: [5000, 5852, 7429, 10_350, 15_758, 25_773, 44_317, 78_658, 142_248, 260_000],
    exponential: [5000, 5054, 5201, 5601, 6687, 9640, 17_666, 39_483, 98_789, 260_000],
  };

  for (const fn of BACKOFF_FUNCTIONS) {
    test(`${fn}: 10 retries from 5 s to 260 s`, () => {
      const p = policy({ minDelayTarget: 5, maxDelayTarget: 260, numRetries: 10, backoffFunction: fn });
      assert.deepEqual(retrySchedule(p), table[fn]);
    });
  }

  test("all start at min, end at max, never decrease, and over a wide range keep the graph's order", () => {
    for (const [min, max, n, wide] of [
      [5, 260, 10, true],
      [1, 3600, 100, true],
      [10, 600, 10, true],
      [1, 60, 10, true],
      [20, 21, 7, false],
      [20, 25, 3, false],
    ] as const) {
      const curves = BACKOFF_FUNCTIONS.map((fn) =>
        Array.from({ length: n }, (_, i) => backoffDelaySeconds(fn, i + 1, n, min, max)),
      );
      for (const c of curves) {
        assert.ok(Math.abs(c[0]! - min) < 1e-9);
        assert.ok(Math.abs(c[n - 1]! - max) < 1e-6);
        for (let i = 1; i < n; i++) assert.ok(c[i]! >= c[i - 1]! - 1e-9);
      }
      if (!wide) continue;
      const [linear, arithmetic, geometric, exponential] = curves;
      for (let i = 1; i < n - 1; i++) {
        assert.ok(exponential![i]! <= geometric![i]! + 1e-9, `exponential <= geometric at ${i}`);
        assert.ok(geometric![i]! <= arithmetic![i]! + 1e-9, `geometric <= arithmetic at ${i}`);
        assert.ok(arithmetic![i]! <= linear![i]! + 1e-9, `arithmetic <= linear at ${i}`);
      }
    }
  });

  test("edge cases: min = max is flat, one backoff retry uses min, two use min then max", () => {
    for (const fn of BACKOFF_FUNCTIONS) {
      assert.deepEqual(
        retrySchedule(policy({ numRetries: 4, backoffFunction: fn })),
        [20_000, 20_000, 20_000, 20_000],
      );
      assert.deepEqual(
        retrySchedule(policy({ minDelayTarget: 3, maxDelayTarget: 9, numRetries: 1, backoffFunction: fn })),
        [3000],
      );
      assert.deepEqual(
        retrySchedule(policy({ minDelayTarget: 3, maxDelayTarget: 9, numRetries: 2, backoffFunction: fn })),
        [3000, 9000],
      );
    }
    assert.deepEqual(retrySchedule(policy({ numRetries: 0 })), []);
    assert.equal(nextAttempt(retryPolicyFor("http", policy({ numRetries: 0 })), 1, T0, zero), null);
  });
});

describe("jitter", () => {
  const d = 100_000;
  const kinds: [Jitter, number, number][] = [
    [{ kind: "none" }, d, d],
    [{ kind: "full" }, 0, d],
    [{ kind: "equal" }, d / 2, d],
    [{ kind: "down", fraction: 0.2 }, 0.8 * d, d],
  ];

  test("every draw stays within its bounds", () => {
    const random = lcg(42);
    for (const [jitter, lo, hi] of kinds) {
      let seenLow = Number.POSITIVE_INFINITY;
      let seenHigh = 0;
      for (let i = 0; i < 5000; i++) {
        const v = applyJitter(d, jitter, random);
        assert.ok(v >= lo && v <= hi, `${jitter.kind}: ${v}`);
        assert.ok(Number.isInteger(v));
        seenLow = Math.min(seenLow, v);
        seenHigh = Math.max(seenHigh, v);
      }
      if (jitter.kind !== "none") {
        // The draws spread over the range, not stuck at one end.
        assert.ok(seenLow < lo + (hi - lo) * 0.05, `${jitter.kind} low ${seenLow}`);
        assert.ok(seenHigh > hi - (hi - lo) * 0.05, `${jitter.kind} high ${seenHigh}`);
      }
    }
  });

  test("the ends of the range, and a random source out of range is clamped", () => {
    assert.equal(applyJitter(d, { kind: "full" }, zero), 0);
    assert.equal(applyJitter(d, { kind: "equal" }, zero), d / 2);
    assert.equal(applyJitter(d, { kind: "equal" }, almostOne), d);
    assert.equal(applyJitter(d, { kind: "down", fraction: 0.2 }, zero), d);
    for (const r of [Number.NaN, -1, 2, Number.POSITIVE_INFINITY]) {
      const v = applyJitter(d, { kind: "full" }, () => r);
      assert.ok(v >= 0 && v <= d, `${r}: ${v}`);
    }
    assert.equal(applyJitter(0, { kind: "equal" }, almostOne), 0);
  });

  test("nextAttempt adds the jittered delay to now", () => {
    const p: RetryPolicy = { name: "t", retry: policy({}), jitter: { kind: "equal" } };
    assert.equal(nextAttempt(p, 1, T0, zero), T0 + 10_000);
    assert.equal(
      nextAttempt(p, 1, T0, () => 0.5),
      T0 + 15_000,
    );
  });
});

describe("exhaustion", () => {
  test("the retry after the last one is null (dead-letter), for every protocol", () => {
    for (const protocol of ["http", "https", "email", "email-json", "slack"] as const) {
      const p = retryPolicyFor(protocol);
      const n = p.retry.numRetries;
      assert.notEqual(nextAttempt(p, n, T0, zero), null, protocol);
      assert.equal(nextAttempt(p, n + 1, T0, zero), null, protocol);
      assert.equal(nextAttempt(p, n + 100, T0, zero), null, protocol);
    }
  });

  test("attempt numbers start at 1", () => {
    assert.throws(() => nextAttempt(HTTP_RETRY_POLICY, 0, T0, zero), RangeError);
    assert.throws(() => nextAttempt(HTTP_RETRY_POLICY, 1.5, T0, zero), RangeError);
  });
});

describe("the e-mail policy", () => {
  test("is SNS's SMTP policy: 2 retries 10 s apart, 10 backing off 10 s → 600 s, 38 every 600 s", () => {
    assert.deepEqual(SNS_SMTP_RETRY, {
      minDelayTarget: 10,
      maxDelayTarget: 600,
      numRetries: 50,
      numNoDelayRetries: 0,
      numMinDelayRetries: 2,
      numMaxDelayRetries: 38,
      backoffFunction: "exponential",
    });
    const s = retrySchedule(SNS_SMTP_RETRY);
    assert.deepEqual(
      s.slice(0, 12),
      [10_000, 10_000, 10_000, 10_125, 10_465, 11_390, 13_903, 20_735, 39_305, 89_785, 227_003, 600_000],
    );
    assert.ok(s.slice(12).every((d) => d === 600_000));
    assert.equal(retryPolicyFor("email"), EMAIL_RETRY_POLICY);
    assert.equal(retryPolicyFor("email-json"), EMAIL_RETRY_POLICY);
    assert.deepEqual(EMAIL_RETRY_POLICY.jitter, { kind: "equal" });
  });

  test("even with the shortest jitter draws it outlasts a 10-minute outage (and an hour's)", () => {
    const { shortestMs, longestMs } = retryWindow(EMAIL_RETRY_POLICY);
    assert.equal(longestMs, 23_852_711, "about 6.6 hours, as SNS says: 'over 6 hours'");
    assert.equal(shortestMs, 11_926_359);
    assert.ok(shortestMs > 60 * 60_000);
    assert.ok(longestMs < 24 * 3600_000);
  });

  test("a server down for ten minutes: the message goes out at the first attempt after it is back", () => {
    for (const random of [zero, almostOne, lcg(1), lcg(2), lcg(3)]) {
      const outageEnd = T0 + 10 * 60_000;
      let at = T0;
      let attempt = 1;
      while (at < outageEnd) {
        const next = nextAttempt(EMAIL_RETRY_POLICY, attempt, at, random);
        assert.notEqual(next, null, `dead-lettered during the outage at attempt ${attempt}`);
        at = next!;
        attempt++;
      }
      assert.ok(attempt <= 20, `took ${attempt} attempts`);
      assert.ok(at - outageEnd <= 600_000, "delivered within one max delay of the recovery");
    }
  });

  test("gives up after 51 attempts, at most about 6.6 hours after the first", () => {
    const times = attemptTimes(EMAIL_RETRY_POLICY, almostOne);
    assert.equal(times.length, 51);
    assert.ok(times[50]! <= 23_852_711);
    const earliest = attemptTimes(EMAIL_RETRY_POLICY, zero);
    assert.equal(earliest.length, 51);
    assert.ok(earliest[50]! >= 11_926_000);
  });

  test("a DeliveryPolicy does not change it (SNS: only HTTP/S takes custom policies)", () => {
    assert.equal(retryPolicyFor("email", policy({ numRetries: 1 })), EMAIL_RETRY_POLICY);
  });
});

describe("Slack and Retry-After", () => {
  test("Slack retries like HTTP and honours Retry-After up to an hour", () => {
    assert.deepEqual(SLACK_RETRY_POLICY.retry, SNS_HTTP_DEFAULT_RETRY);
    assert.equal(SLACK_RETRY_POLICY.maxRetryAfterSeconds, 3600);
    assert.equal(retryPolicyFor("slack"), SLACK_RETRY_POLICY);
    const custom = retryPolicyFor("slack", policy({ numRetries: 5 }));
    assert.equal(custom.retry.numRetries, 5);
    assert.equal(custom.maxRetryAfterSeconds, 3600);
  });

  test("parseRetryAfter: delay-seconds and HTTP-date", () => {
    assert.equal(parseRetryAfter("120", T0), 120_000);
    assert.equal(parseRetryAfter(" 0 ", T0), 0);
    assert.equal(parseRetryAfter(new Date(T0 + 90_000).toUTCString(), T0), 90_000);
    assert.equal(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", T0), 0, "a date in the past: no wait");
    for (const bad of [undefined, null, "", "soon", "-5", "1.5", "2026-11-28"])
      assert.equal(parseRetryAfter(bad, T0), null, String(bad));
  });

  test("applyRetryAfter moves the next attempt later, never earlier, and caps the wait", () => {
    const next = nextAttempt(SLACK_RETRY_POLICY, 1, T0, zero)!;
    assert.equal(next, T0 + 20_000);
    assert.equal(applyRetryAfter(SLACK_RETRY_POLICY, next, 45_000, T0), T0 + 45_000);
    assert.equal(applyRetryAfter(SLACK_RETRY_POLICY, next, 5_000, T0), next);
    assert.equal(applyRetryAfter(SLACK_RETRY_POLICY, next, 86_400_000, T0), T0 + 3_600_000);
    assert.equal(applyRetryAfter(SLACK_RETRY_POLICY, next, null, T0), next);
    assert.equal(applyRetryAfter(SLACK_RETRY_POLICY, null, 45_000, T0), null, "exhausted stays exhausted");
    assert.equal(
      applyRetryAfter(HTTP_RETRY_POLICY, next, 45_000, T0),
      next,
      "plain HTTP ignores Retry-After",
    );
    assert.equal(
      applyRetryAfter(SLACK_RETRY_POLICY, next, parseRetryAfter("30", T0), T0),
      T0 + 30_000,
      "with the parser",
    );
  });
});

describe("DeliveryPolicy", () => {
  function rejects(
    input: string | object,
    detail: string,
    parse: (input: string | object) => unknown = parseSubscriptionDeliveryPolicy,
  ) {
    assert.throws(
      () => parse(input),
      (e: unknown) => {
        assert.ok(e instanceof InvalidParameterException);
        assert.equal(e.name, "InvalidParameterException");
        assert.equal(e.code, "InvalidParameter");
        assert.equal(e.detail, `DeliveryPolicy: ${detail}`);
        assert.equal(e.message, `Invalid parameter: DeliveryPolicy: ${detail}`);
        return true;
      },
    );
  }
  const base = { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3 };
  const hrp = (p: Record<string, unknown>) => ({ healthyRetryPolicy: { ...base, ...p } });

  test("a valid subscription policy, with SNS's defaults for what it leaves out", () => {
    const parsed = parseSubscriptionDeliveryPolicy(
      JSON.stringify({
        healthyRetryPolicy: {
          minDelayTarget: 5,
          maxDelayTarget: 60,
          numRetries: 6,
          backoffFunction: "EXPONENTIAL",
        },
        throttlePolicy: { maxReceivesPerSecond: 10 },
        requestPolicy: { headerContentType: "application/json" },
      }),
    );
    assert.deepEqual(parsed, {
      healthyRetryPolicy: {
        minDelayTarget: 5,
        maxDelayTarget: 60,
        numRetries: 6,
        numNoDelayRetries: 0,
        numMinDelayRetries: 0,
        numMaxDelayRetries: 0,
        backoffFunction: "exponential",
      },
      throttlePolicy: { maxReceivesPerSecond: 10 },
    });
    assert.deepEqual(parseSubscriptionDeliveryPolicy("{}"), {});
    assert.deepEqual(parseSubscriptionDeliveryPolicy({ healthyRetryPolicy: null }), {});
  });

  test("SNS's recorded text for a minDelayTarget below 1", () => {
    rejects(
      hrp({ minDelayTarget: 0, maxDelayTarget: 0, numRetries: 0 }),
      "healthyRetryPolicy.minDelayTarget must be greater than or equal to 1",
    );
  });

  test("every limit, with SNS-like text", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ minDelayTarget: undefined }, "healthyRetryPolicy.minDelayTarget must be specified"],
      [{ maxDelayTarget: undefined }, "healthyRetryPolicy.maxDelayTarget must be specified"],
      [{ numRetries: undefined }, "healthyRetryPolicy.numRetries must be specified"],
      [{ minDelayTarget: 20.5 }, "healthyRetryPolicy.minDelayTarget must be an integer"],
      [{ numRetries: "3" }, "healthyRetryPolicy.numRetries must be an integer"],
      [{ numMaxDelayRetries: true }, "healthyRetryPolicy.numMaxDelayRetries must be an integer"],
      [
        { backoffFunction: "cubic" },
        "healthyRetryPolicy.backoffFunction must be one of linear, arithmetic, geometric, exponential",
      ],
      [
        { backoffFunction: 1 },
        "healthyRetryPolicy.backoffFunction must be one of linear, arithmetic, geometric, exponential",
      ],
      [{ minDelayTarget: -5 }, "healthyRetryPolicy.minDelayTarget must be greater than or equal to 1"],
      [{ maxDelayTarget: 3601 }, "healthyRetryPolicy.maxDelayTarget must be less than or equal to 3600"],
      [
        { minDelayTarget: 30, maxDelayTarget: 20 },
        "healthyRetryPolicy.maxDelayTarget must be greater than or equal to minDelayTarget",
      ],
      [{ numRetries: -1 }, "healthyRetryPolicy.numRetries must be greater than or equal to 0"],
      [{ numRetries: 101 }, "healthyRetryPolicy.numRetries must be less than or equal to 100"],
      [{ numNoDelayRetries: -1 }, "healthyRetryPolicy.numNoDelayRetries must be greater than or equal to 0"],
      [
        { numMinDelayRetries: -2 },
        "healthyRetryPolicy.numMinDelayRetries must be greater than or equal to 0",
      ],
      [
        { numMaxDelayRetries: -3 },
        "healthyRetryPolicy.numMaxDelayRetries must be greater than or equal to 0",
      ],
      [
        { numNoDelayRetries: 2, numMinDelayRetries: 1, numMaxDelayRetries: 1 },
        "healthyRetryPolicy.numRetries must be greater than or equal to total of numMinDelayRetries, numNoDelayRetries and numMaxDelayRetries",
      ],
      [
        { minDelayTarget: 60, maxDelayTarget: 60, numRetries: 61 },
        "healthyRetryPolicy total retry time must be less than or equal to 3600 seconds, got 3660",
      ],
      [
        { minDelayTarget: 1, maxDelayTarget: 3600, numRetries: 3, numMaxDelayRetries: 1 },
        "healthyRetryPolicy total retry time must be less than or equal to 3600 seconds, got 7201",
      ],
    ];
    for (const [override, detail] of cases) rejects(hrp(override), detail);
    rejects({ healthyRetryPolicy: [1] }, "healthyRetryPolicy must be a JSON object");
    rejects(
      { throttlePolicy: { maxReceivesPerSecond: 0 } },
      "throttlePolicy.maxReceivesPerSecond must be greater than or equal to 1",
    );
    rejects(
      { throttlePolicy: { maxReceivesPerSecond: 2.5 } },
      "throttlePolicy.maxReceivesPerSecond must be an integer",
    );
  });

  test("exactly at the limits is accepted", () => {
    const atBudget = hrp({ minDelayTarget: 60, maxDelayTarget: 60, numRetries: 60 });
    assert.equal(retrySchedule(parseSubscriptionDeliveryPolicy(atBudget).healthyRetryPolicy!).length, 60);
    const wide = hrp({ minDelayTarget: 1, maxDelayTarget: 3600, numRetries: 1 });
    assert.deepEqual(retrySchedule(parseSubscriptionDeliveryPolicy(wide).healthyRetryPolicy!), [1000]);
    const many = hrp({ minDelayTarget: 1, maxDelayTarget: 1, numRetries: 100, numNoDelayRetries: 100 });
    assert.equal(parseSubscriptionDeliveryPolicy(many).healthyRetryPolicy?.numRetries, 100);
  });

  test("not JSON, or not an object", () => {
    for (const bad of ["{", "[]", "42", "null", '"x"']) rejects(bad, "JSON parameter format error");
  });

  test("a topic policy, and which policy is in force", () => {
    const topic = parseTopicDeliveryPolicy(
      JSON.stringify({
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
          defaultThrottlePolicy: { maxReceivesPerSecond: 1 },
        },
      }),
    );
    assert.deepEqual(topic.http.defaultHealthyRetryPolicy, SNS_HTTP_DEFAULT_RETRY);
    assert.deepEqual(topic.http.defaultThrottlePolicy, { maxReceivesPerSecond: 1 });
    assert.equal(topic.http.disableSubscriptionOverrides, false);

    const sub = parseSubscriptionDeliveryPolicy(hrp({ numRetries: 5 }));
    assert.equal(effectiveHttpRetryPolicy(topic, sub).numRetries, 5, "the subscription's wins");
    const locked = { http: { ...topic.http, disableSubscriptionOverrides: true } };
    assert.equal(effectiveHttpRetryPolicy(locked, sub).numRetries, 3, "unless the topic disables overrides");
    assert.equal(effectiveHttpRetryPolicy(topic, {}).numRetries, 3, "else the topic's");
    assert.deepEqual(effectiveHttpRetryPolicy(), SNS_HTTP_DEFAULT_RETRY, "else SNS's default");

    const http = retryPolicyFor("http", effectiveHttpRetryPolicy(topic, sub));
    assert.equal(http.name, "sns-http-custom");
    assert.deepEqual(http.jitter, HTTP_RETRY_POLICY.jitter);
    assert.deepEqual(attemptTimes(http, zero), [0, 20_000, 40_000, 60_000, 80_000, 100_000]);

    rejects(
      { http: { defaultHealthyRetryPolicy: { ...base, minDelayTarget: 0 } } },
      "http.defaultHealthyRetryPolicy.minDelayTarget must be greater than or equal to 1",
      parseTopicDeliveryPolicy,
    );
    rejects(
      { http: { disableSubscriptionOverrides: "yes" } },
      "http.disableSubscriptionOverrides must be a boolean",
      parseTopicDeliveryPolicy,
    );
    rejects({ http: 5 }, "http must be a JSON object", parseTopicDeliveryPolicy);
    assert.deepEqual(parseTopicDeliveryPolicy("{}"), { http: { disableSubscriptionOverrides: false } });
  });
});
