import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/engine/clock.js";
import { mergeSketch } from "../../src/metrics/sketch-codec.js";
import { TopicsService } from "../../src/notify/topics.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/index.js";

const START = Date.parse("2026-01-01T00:00:00Z");
const DAY = 86_400_000;
const ARN = "arn:aws:sns:us-east-1:123456789012:";

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "trailwatch-topics-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function setup(checkEndpoint?: (url: string) => Promise<unknown>) {
  const store: SqliteStore = await openSqliteStore({ path: join(dir, `t${n++}.db`), mergeSketch });
  const clock = new ManualClock(START);
  const sns = new TopicsService({
    store,
    clock,
    identity: { account: "123456789012", region: "us-east-1" },
    checkEndpoint,
  });
  return { store, clock, sns };
}

async function rejectsWith(p: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error) => {
    assert.equal(err.name, name, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe("TopicsService", () => {
  test("topics: idempotent create, list pages, delete", async () => {
    const { store, sns } = await setup();
    try {
      assert.deepEqual(await sns.createTopic({ Name: "alerts" }), { TopicArn: `${ARN}alerts` });
      assert.deepEqual(await sns.createTopic({ Name: "alerts" }), { TopicArn: `${ARN}alerts` });
      for (let i = 0; i < 120; i++) await sns.createTopic({ Name: `t-${String(i).padStart(3, "0")}` });
      const p1 = await sns.listTopics();
      assert.equal(p1.Topics.length, 100);
      assert.ok(p1.NextToken);
      const p2 = await sns.listTopics({ NextToken: p1.NextToken });
      assert.equal(p2.Topics.length, 21);
      assert.equal(p2.NextToken, undefined);
      assert.equal(new Set([...p1.Topics, ...p2.Topics].map((t) => t.TopicArn)).size, 121);
      assert.deepEqual(await sns.deleteTopic({ TopicArn: `${ARN}alerts` }), {});
      assert.deepEqual(await sns.deleteTopic({ TopicArn: `${ARN}alerts` }), {}, "deleting again succeeds");
      await rejectsWith(
        sns.getTopicAttributes({ TopicArn: `${ARN}alerts` }),
        "NotFoundException",
        /Topic does not exist/,
      );
      await rejectsWith(sns.listTopics({ NextToken: "!!" }), "InvalidParameterException", /NextToken/);
    } finally {
      await store.close();
    }
  });

  test("topic attributes round trip", async () => {
    const { store, sns } = await setup();
    try {
      const { TopicArn } = await sns.createTopic({
        Name: "a",
        Attributes: { DisplayName: "Alarms" },
        Tags: [{ Key: "team", Value: "sec" }],
      });
      let a = (await sns.getTopicAttributes({ TopicArn })).Attributes;
      assert.equal(a.TopicArn, TopicArn);
      assert.equal(a.Owner, "123456789012");
      assert.equal(a.DisplayName, "Alarms");
      assert.equal(a.SignatureVersion, "2");
      assert.equal(a.SubscriptionsConfirmed, "0");
      assert.equal(a.SubscriptionsPending, "0");
      assert.equal(a.SubscriptionsDeleted, "0");
      assert.equal(JSON.parse(a.Policy).Statement[0].Resource, TopicArn);
      assert.ok(JSON.parse(a.EffectiveDeliveryPolicy).http);

      await sns.setTopicAttributes({ TopicArn, AttributeName: "DisplayName", AttributeValue: "New" });
      await sns.setTopicAttributes({ TopicArn, AttributeName: "SignatureVersion", AttributeValue: "1" });
      const policy = JSON.stringify({ http: { defaultHealthyRetryPolicy: { numRetries: 5 } } });
      await sns.setTopicAttributes({ TopicArn, AttributeName: "DeliveryPolicy", AttributeValue: policy });
      a = (await sns.getTopicAttributes({ TopicArn })).Attributes;
      assert.equal(a.DisplayName, "New");
      assert.equal(a.SignatureVersion, "1");
      assert.equal(a.DeliveryPolicy, policy);
      assert.equal(a.EffectiveDeliveryPolicy, policy);

      await rejectsWith(
        sns.createTopic({ Name: "a", Attributes: { DisplayName: "Other" } }),
        "InvalidParameterException",
        /different attributes/,
      );
    } finally {
      await store.close();
    }
  });

  test("subscribe email: pending + token, confirm, counts, listing", async () => {
    const { store, sns } = await setup();
    try {
      const { TopicArn } = await sns.createTopic({ Name: "alerts" });
      const r = await sns.subscribe({ TopicArn, Protocol: "email", Endpoint: "ops@example.com" });
      assert.deepEqual(r.output, { SubscriptionArn: "pending confirmation" });
      assert.ok(r.confirmation);
      const { subscription, token } = r.confirmation;
      assert.match(token, /^[0-9a-f]{128}$/);
      assert.equal(subscription.pendingConfirmation, true);
      assert.equal(subscription.tokenExpires, START + 2 * DAY);
      assert.match(subscription.subscriptionArn, new RegExp(`^${ARN}alerts:[0-9a-f-]{36}$`));

      let list = await sns.listSubscriptionsByTopic({ TopicArn });
      assert.deepEqual(list.Subscriptions, [
        {
          SubscriptionArn: "PendingConfirmation",
          Owner: "123456789012",
          Protocol: "email",
          Endpoint: "ops@example.com",
          TopicArn,
        },
      ]);
      let attrs = (await sns.getTopicAttributes({ TopicArn })).Attributes;
      assert.equal(attrs.SubscriptionsPending, "1");
      assert.equal(
        (await sns.getSubscriptionAttributes({ SubscriptionArn: subscription.subscriptionArn })).Attributes
          .PendingConfirmation,
        "true",
      );

      await rejectsWith(
        sns.confirmSubscription({ TopicArn, Token: "f".repeat(128) }),
        "InvalidParameterException",
        /^Invalid parameter: Token$/,
      );
      const c = await sns.confirmSubscription({ TopicArn, Token: token });
      assert.deepEqual(c, { SubscriptionArn: subscription.subscriptionArn });
      assert.deepEqual(await sns.confirmSubscription({ TopicArn, Token: token }), c, "idempotent");
      await sns.createTopic({ Name: "other" });
      await rejectsWith(
        sns.confirmSubscription({ TopicArn: `${ARN}other`, Token: token }),
        "InvalidParameterException",
        /Token/,
      );

      list = await sns.listSubscriptions();
      assert.equal(list.Subscriptions[0].SubscriptionArn, subscription.subscriptionArn);
      attrs = (await sns.getTopicAttributes({ TopicArn })).Attributes;
      assert.equal(attrs.SubscriptionsConfirmed, "1");
      assert.equal(attrs.SubscriptionsPending, "0");
      const sa = (await sns.getSubscriptionAttributes({ SubscriptionArn: c.SubscriptionArn })).Attributes;
      assert.equal(sa.PendingConfirmation, "false");
      assert.equal(sa.ConfirmationWasAuthenticated, "false");
      assert.equal(sa.Protocol, "email");

      // Same endpoint again: the existing subscription.
      const again = await sns.subscribe({ TopicArn, Protocol: "email", Endpoint: "ops@example.com" });
      assert.deepEqual(again, { output: { SubscriptionArn: c.SubscriptionArn } });

      await sns.unsubscribe({ SubscriptionArn: c.SubscriptionArn });
      assert.deepEqual((await sns.listSubscriptions()).Subscriptions, []);
      await rejectsWith(sns.unsubscribe({ SubscriptionArn: c.SubscriptionArn }), "NotFoundException");
    } finally {
      await store.close();
    }
  });

  test("ReturnSubscriptionArn, slack needs no confirmation, checkEndpoint is called", async () => {
    const checked: string[] = [];
    const { store, sns } = await setup(async (url) => {
      checked.push(url);
      if (url.includes("127.0.0.1")) {
        const err = new Error("refused");
        err.name = "InvalidParameterException";
        throw err;
      }
    });
    try {
      const { TopicArn } = await sns.createTopic({ Name: "t" });
      const h = await sns.subscribe({
        TopicArn,
        Protocol: "https",
        Endpoint: "https://example.com/hook",
        ReturnSubscriptionArn: true,
      });
      assert.match(h.output.SubscriptionArn, /^arn:aws:sns:/);
      assert.ok(h.confirmation);
      const s = await sns.subscribe({
        TopicArn,
        Protocol: "slack",
        Endpoint: "https://hooks.slack.com/services/X",
      });
      assert.match(s.output.SubscriptionArn, /^arn:aws:sns:/);
      assert.equal(s.confirmation, undefined);
      assert.deepEqual(checked, ["https://example.com/hook", "https://hooks.slack.com/services/X"]);
      await rejectsWith(
        sns.subscribe({ TopicArn, Protocol: "http", Endpoint: "http://127.0.0.1/x" }),
        "InvalidParameterException",
        /refused/,
      );
    } finally {
      await store.close();
    }
  });

  test("expired token: error after two days, deleted after three; unsubscribe by token", async () => {
    const { store, clock, sns } = await setup();
    try {
      const { TopicArn } = await sns.createTopic({ Name: "t" });
      const r = await sns.subscribe({ TopicArn, Protocol: "email-json", Endpoint: "a@example.org" });
      const token = r.confirmation?.token ?? "";
      clock.set(START + 3 * DAY);
      await rejectsWith(
        sns.confirmSubscription({ TopicArn, Token: token }),
        "InvalidParameterException",
        /Token/,
      );
      clock.set(START + 3 * DAY + 1);
      assert.equal(await sns.deleteExpiredPending(), 1);
      assert.deepEqual((await sns.listSubscriptions()).Subscriptions, []);

      const h = await sns.subscribe({ TopicArn, Protocol: "http", Endpoint: "http://example.com/x" });
      const sub = h.confirmation?.subscription;
      assert.ok(sub);
      await sns.confirmSubscription({
        TopicArn,
        Token: h.confirmation?.token,
        AuthenticateOnUnsubscribe: "true",
      });
      assert.equal(
        (await sns.getSubscriptionAttributes({ SubscriptionArn: sub.subscriptionArn })).Attributes
          .ConfirmationWasAuthenticated,
        "true",
      );
      assert.equal(await sns.deleteExpiredPending(), 0, "confirmed ones stay");
      await rejectsWith(
        sns.unsubscribeByToken(sub.subscriptionArn, "wrong"),
        "InvalidParameterException",
        /Token/,
      );
      const removed = await sns.unsubscribeByToken(sub.subscriptionArn, sub.unsubscribeToken);
      assert.equal(removed.subscriptionArn, sub.subscriptionArn);
      assert.equal(await store.getSubscription(sub.subscriptionArn), undefined);
      await rejectsWith(
        sns.unsubscribeByToken(sub.subscriptionArn, sub.unsubscribeToken),
        "NotFoundException",
      );
    } finally {
      await store.close();
    }
  });

  test("subscription attributes round trip", async () => {
    const { store, sns } = await setup();
    try {
      const { TopicArn } = await sns.createTopic({ Name: "t" });
      const r = await sns.subscribe({
        TopicArn,
        Protocol: "https",
        Endpoint: "https://example.com/",
        Attributes: { RawMessageDelivery: "true" },
        ReturnSubscriptionArn: "true",
      });
      const SubscriptionArn = r.output.SubscriptionArn;
      await sns.setSubscriptionAttributes({
        SubscriptionArn,
        AttributeName: "FilterPolicy",
        AttributeValue: '{"a":["b"]}',
      });
      await sns.setSubscriptionAttributes({
        SubscriptionArn,
        AttributeName: "RawMessageDelivery",
        AttributeValue: "false",
      });
      let a = (await sns.getSubscriptionAttributes({ SubscriptionArn })).Attributes;
      assert.equal(a.FilterPolicy, '{"a":["b"]}');
      assert.equal(a.FilterPolicyScope, "MessageAttributes");
      assert.equal(a.RawMessageDelivery, "false");
      assert.equal(a.TopicArn, TopicArn);
      assert.equal(a.Endpoint, "https://example.com/");
      assert.ok(a.EffectiveDeliveryPolicy);
      await sns.setSubscriptionAttributes({
        SubscriptionArn,
        AttributeName: "FilterPolicy",
        AttributeValue: "",
      });
      a = (await sns.getSubscriptionAttributes({ SubscriptionArn })).Attributes;
      assert.equal(a.FilterPolicy, undefined);
    } finally {
      await store.close();
    }
  });

  test("bad input for every parameter", async () => {
    const { store, sns } = await setup();
    const IP = "InvalidParameterException";
    try {
      const { TopicArn } = await sns.createTopic({ Name: "t" });
      // CreateTopic
      for (const Name of [undefined, "", "a b", "x".repeat(257), "é", 5]) {
        await rejectsWith(sns.createTopic({ Name }), IP, /^Invalid parameter: Topic Name$/);
      }
      await rejectsWith(sns.createTopic({ Name: "q.fifo" }), IP, /FIFO topics are not supported/);
      await rejectsWith(sns.createTopic({ Name: "q", Attributes: { FifoTopic: "true" } }), IP, /FIFO/);
      await rejectsWith(sns.createTopic({ Name: "q", Attributes: { Nope: "1" } }), IP, /Attributes/);
      await rejectsWith(sns.createTopic({ Name: "q", Attributes: { Policy: "[" } }), IP, /Policy/);
      await rejectsWith(sns.createTopic({ Name: "q", Attributes: "x" }), IP, /Attributes/);
      await rejectsWith(sns.createTopic({ Name: "q", Tags: [{ Key: "", Value: "v" }] }), IP, /Tags/);
      await rejectsWith(sns.createTopic({ Name: "q", Tags: { a: "b" } }), IP, /Tags/);
      // Topic ARNs
      for (const bad of [
        undefined,
        "",
        "arn:aws:sqs:us-east-1:123456789012:t",
        "t",
        "arn:aws:sns:us-east-1:1:t",
      ]) {
        await rejectsWith(sns.getTopicAttributes({ TopicArn: bad }), IP, /TopicArn/);
        await rejectsWith(sns.deleteTopic({ TopicArn: bad }), IP, /TopicArn/);
        await rejectsWith(
          sns.subscribe({ TopicArn: bad, Protocol: "email", Endpoint: "a@b.co" }),
          IP,
          /TopicArn/,
        );
      }
      await rejectsWith(
        sns.listSubscriptionsByTopic({ TopicArn: `${ARN}none` }),
        "NotFoundException",
        /Topic does not exist/,
      );
      await rejectsWith(
        sns.subscribe({ TopicArn: `${ARN}none`, Protocol: "email", Endpoint: "a@b.co" }),
        "NotFoundException",
        /Topic does not exist/,
      );
      // SetTopicAttributes
      await rejectsWith(
        sns.setTopicAttributes({ TopicArn, AttributeName: "Owner", AttributeValue: "x" }),
        IP,
        /AttributeName/,
      );
      await rejectsWith(
        sns.setTopicAttributes({ TopicArn, AttributeName: "SignatureVersion", AttributeValue: "3" }),
        IP,
        /SignatureVersion/,
      );
      await rejectsWith(
        sns.setTopicAttributes({ TopicArn, AttributeName: "DisplayName", AttributeValue: "x".repeat(101) }),
        IP,
      );
      await rejectsWith(
        sns.setTopicAttributes({ TopicArn: `${ARN}none`, AttributeName: "DisplayName", AttributeValue: "x" }),
        "NotFoundException",
      );
      // Subscribe
      await rejectsWith(sns.subscribe({ TopicArn, Endpoint: "a@b.co" }), IP, /Protocol/);
      await rejectsWith(sns.subscribe({ TopicArn, Protocol: "pigeon", Endpoint: "a@b.co" }), IP, /protocol/);
      await rejectsWith(sns.subscribe({ TopicArn, Protocol: "sqs", Endpoint: "arn:aws:sqs:x" }), IP, /sqs/);
      for (const Endpoint of [undefined, "", "nobody", "a@", "@b.co", "a b@c.co", "a@b"]) {
        await rejectsWith(
          sns.subscribe({ TopicArn, Protocol: "email", Endpoint }),
          IP,
          /Invalid parameter: (Email address|Endpoint)/,
        );
      }
      for (const [Protocol, Endpoint] of [
        ["http", "https://example.com/"],
        ["https", "http://example.com/"],
        ["https", "not a url"],
        ["slack", "http://hooks.slack.com/x"],
        ["http", "ftp://example.com/"],
      ]) {
        await rejectsWith(sns.subscribe({ TopicArn, Protocol, Endpoint }), IP, /Endpoint/);
      }
      await rejectsWith(
        sns.subscribe({
          TopicArn,
          Protocol: "email",
          Endpoint: "a@b.co",
          Attributes: { RawMessageDelivery: "true" },
        }),
        IP,
        /raw message delivery/,
      );
      await rejectsWith(
        sns.subscribe({
          TopicArn,
          Protocol: "https",
          Endpoint: "https://e.com/",
          Attributes: { RawMessageDelivery: "yes" },
        }),
        IP,
        /RawMessageDelivery/,
      );
      await rejectsWith(
        sns.subscribe({
          TopicArn,
          Protocol: "https",
          Endpoint: "https://e.com/",
          Attributes: { FilterPolicy: "{" },
        }),
        IP,
        /FilterPolicy/,
      );
      await rejectsWith(
        sns.subscribe({
          TopicArn,
          Protocol: "https",
          Endpoint: "https://e.com/",
          ReturnSubscriptionArn: "maybe",
        }),
        IP,
        /ReturnSubscriptionArn/,
      );
      // ConfirmSubscription
      await rejectsWith(sns.confirmSubscription({ TopicArn, Token: "" }), IP, /Token/);
      await rejectsWith(sns.confirmSubscription({ TopicArn, Token: 5 }), IP, /Token/);
      await rejectsWith(sns.confirmSubscription({ TopicArn: "x", Token: "abc" }), IP, /TopicArn/);
      await rejectsWith(
        sns.confirmSubscription({ TopicArn, Token: "abc", AuthenticateOnUnsubscribe: "y" }),
        IP,
        /AuthenticateOnUnsubscribe/,
      );
      // Subscription ARNs
      for (const bad of [
        undefined,
        "pending confirmation",
        "PendingConfirmation",
        `${TopicArn}:nope`,
        TopicArn,
      ]) {
        await rejectsWith(sns.unsubscribe({ SubscriptionArn: bad }), IP, /SubscriptionArn/);
        await rejectsWith(sns.getSubscriptionAttributes({ SubscriptionArn: bad }), IP, /SubscriptionArn/);
        await rejectsWith(sns.unsubscribeByToken(bad, "t"), IP, /SubscriptionArn/);
      }
      const missing = `${TopicArn}:00000000-0000-0000-0000-000000000000`;
      await rejectsWith(sns.getSubscriptionAttributes({ SubscriptionArn: missing }), "NotFoundException");
      // Pending subscriptions cannot be unsubscribed by hand.
      const p = await sns.subscribe({
        TopicArn,
        Protocol: "email",
        Endpoint: "p@example.com",
        ReturnSubscriptionArn: true,
      });
      await rejectsWith(
        sns.unsubscribe({ SubscriptionArn: p.output.SubscriptionArn }),
        IP,
        /pending confirmation/,
      );
      // SetSubscriptionAttributes
      const SubscriptionArn = p.output.SubscriptionArn;
      await rejectsWith(
        sns.setSubscriptionAttributes({ SubscriptionArn, AttributeName: "Endpoint", AttributeValue: "x" }),
        IP,
        /AttributeName/,
      );
      await rejectsWith(
        sns.setSubscriptionAttributes({
          SubscriptionArn,
          AttributeName: "FilterPolicyScope",
          AttributeValue: "All",
        }),
        IP,
        /FilterPolicyScope/,
      );
      await rejectsWith(
        sns.setSubscriptionAttributes({
          SubscriptionArn,
          AttributeName: "DeliveryPolicy",
          AttributeValue: "{}",
        }),
        IP,
        /DeliveryPolicy/,
      );
      await rejectsWith(
        sns.setSubscriptionAttributes({
          SubscriptionArn: missing,
          AttributeName: "FilterPolicy",
          AttributeValue: "{}",
        }),
        "NotFoundException",
      );
      await rejectsWith(sns.listSubscriptions({ NextToken: 7 }), IP, /NextToken/);
    } finally {
      await store.close();
    }
  });
});
