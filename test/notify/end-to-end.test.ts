/**
 * The notification stage end to end, on the real pieces: the server context of `serve` (engine, topics,
 * notifications, outbox) behind a listening HTTP server, a real SMTP server (smtp-server, read back with
 * mailparser), real HTTP subscribers that verify SNS signatures with their own code, and a Slack-shaped
 * webhook receiver. Times run on a manual clock so that retries and the end of an alarm's window come when
 * the test says; sends are real.
 */
import assert from "node:assert/strict";
import { createVerify, generateKeyPairSync, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/engine/clock.js";
import { installPack } from "../../src/engine/install-pack.js";
import { createSelfSignedCertificate } from "../../src/notify/signing/index.js";
import { loadPack } from "../../src/packs/pack.js";
import { ensureNotificationList } from "../../src/server/notification-list.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { ROOT } from "../helpers/shared.js";
import { startSmtp, type TestSmtp } from "../helpers/smtp.js";

const GROUP = "CloudTrail/DefaultLogGroup";
const STREAM = "493859302102_CloudTrail_us-east-1";
const ROOT_ALARM = "Root account usage";

/** The Slack-shaped receiver's TLS identity (Slack webhooks are https; the sender is told to trust it). */
const receiverKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const receiverTls = {
  key: receiverKeys.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  cert: createSelfSignedCertificate({
    ...receiverKeys,
    commonName: "127.0.0.1",
    keyUsage: ["digitalSignature", "keyEncipherment"],
    extendedKeyUsage: ["serverAuth"],
    subjectAltNames: { ip: ["127.0.0.1"], dns: ["localhost"] },
  }).pem,
};

/** The bundled sample's root console sign-in without MFA (a real record's shape), re-timed to `t`. */
function rootSignIn(t: number, eventID = "root-1"): { timestamp: number; message: string } {
  const records = JSON.parse(readFileSync(`${ROOT}/fixtures/sample/compromised-root.json`, "utf8")).Records;
  const record = { ...records[0], eventTime: new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z"), eventID };
  return { timestamp: t, message: JSON.stringify(record) };
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An HTTP endpoint that records what it receives and answers with the next status of `statuses` (then 200). */
async function startReceiver(
  statuses: number[] = [],
  tls?: { key: string; cert: string },
): Promise<{
  url: string;
  received: Received[];
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}/hook`,
    received,
    async waitFor(n, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > end) throw new Error(`expected ${n} requests, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * SNS signature verification as a subscriber writes it from AWS's documentation, independently of
 * trailwatch's signing code: fetch SigningCertURL, build the string to sign from the message's fields, check
 * SHA256withRSA (SignatureVersion 2) against the certificate's key.
 */
async function verifySnsSignature(message: Record<string, string>): Promise<boolean> {
  const keys =
    message.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  let text = "";
  for (const k of keys) if (message[k] !== undefined) text += `${k}\n${message[k]}\n`;
  const pem = await (await fetch(message.SigningCertURL)).text();
  const cert = new X509Certificate(pem);
  const verifier = createVerify(message.SignatureVersion === "2" ? "RSA-SHA256" : "RSA-SHA1");
  verifier.update(text, "utf8");
  return verifier.verify(cert.publicKey, message.Signature, "base64");
}

describe("notifications end to end", () => {
  let smtp: TestSmtp;
  let server: TestServer;
  let clock: ManualClock;
  const start = Math.floor(Date.now() / 60_000) * 60_000 + 5_000;

  before(async () => {
    smtp = await startSmtp();
    clock = new ManualClock(start);
    server = await startTestServer({ smtp: smtp.settings, clock, random: () => 0.5, ca: [receiverTls.cert] });
    await installPack(server.ctx.engine, await loadPack("seed"));
  });
  after(async () => {
    await server.close();
    await smtp.stop();
  });

  /** Lets every alarm's window pass without events, so that each test starts from quiet alarms. */
  async function quiet(): Promise<void> {
    clock.set(clock.now() + 16 * 60_000);
    await server.ctx.engine.tick(clock.now());
    await server.ctx.outbox.runDue();
  }

  test("the seed flow: subscribe, confirm from the mail, a root sign-in, the ALARM mail names who and from where", async () => {
    const pack = await loadPack("seed");
    const list = await ensureNotificationList(server.ctx, {
      topicName: "seed-alarms",
      emails: ["secops@example.test"],
      alarmNames: pack.alarms.map((a) => String(a.AlarmName)),
      onRecovery: true,
    });
    assert.deepEqual(list.invited, ["secops@example.test"]);
    assert.equal(list.alarmsUpdated.length, 3);

    // The confirmation mail, and its link served by trailwatch.
    const confirmation = await smtp.waitFor(
      (m) => m.parsed.subject === "AWS Notification - Subscription Confirmation",
    );
    assert.deepEqual(confirmation.to, ["secops@example.test"]);
    assert.ok(confirmation.parsed.html, "the mail has an HTML part");
    const link = /http:\/\/127\.0\.0\.1:\d+\/\?Action=ConfirmSubscription\S+/.exec(
      confirmation.parsed.text ?? "",
    )?.[0];
    assert.ok(link, "the confirmation link is in the text part");
    const pendingList = await server.ctx.topics.listSubscriptionsByTopic({ TopicArn: list.topicArn });
    assert.equal(pendingList.Subscriptions[0].SubscriptionArn, "PendingConfirmation");
    const page = await fetch(link, { headers: { accept: "text/html" } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Subscription confirmed!/);
    const confirmed = await server.ctx.topics.listSubscriptionsByTopic({ TopicArn: list.topicArn });
    assert.match(
      confirmed.Subscriptions[0].SubscriptionArn,
      /^arn:aws:sns:us-east-1:123456789012:seed-alarms:/,
    );
    // A second use of the same link is harmless (SNS answers with the subscription again).
    assert.equal((await fetch(link)).status, 200);

    // A root sign-in arrives: the alarm fires on arrival and the mail names the root identity and its IP.
    clock.set(start + 20_000);
    await server.ctx.engine.ingest(GROUP, STREAM, [rootSignIn(start + 15_000)]);
    const mail = await smtp.waitFor((m) => /^ALARM: "Root account usage"/.test(m.parsed.subject ?? ""));
    assert.equal(mail.parsed.subject, 'ALARM: "Root account usage" in US East (N. Virginia)');
    const text = mail.parsed.text ?? "";
    for (const expected of ["arn:aws:iam::493859302102:root", "71.253.251.71", "ConsoleLogin"])
      assert.ok(text.includes(expected), `the text part names ${expected}`);
    assert.ok(String(mail.parsed.html).includes("71.253.251.71"), "the HTML part too");
    assert.match(mail.parsed.messageId ?? "", /@trailwatch>$/);
    const unsubscribe = /http:\/\/127\.0\.0\.1:\d+\/\?Action=Unsubscribe&SubscriptionArn=\S+&Token=\S+/.exec(
      text,
    )?.[0];
    assert.ok(unsubscribe, "every notification mail has an unsubscribe link");
    assert.ok(JSON.stringify(mail.parsed.headers.get("list") ?? "").includes("Action=Unsubscribe"));

    // CloudWatch's own record of the action.
    const history = await server.ctx.engine.store.queryAlarmHistory({
      alarmName: ROOT_ALARM,
      historyItemType: "Action",
      limit: 10,
    });
    assert.equal(history[0]?.historySummary, `Successfully executed action ${list.topicArn}`);

    // The evaluation range (three 5-minute periods) passes without events: the return is notified too.
    clock.set(start + 16 * 60_000);
    await server.ctx.engine.tick(clock.now());
    const back = await smtp.waitFor((m) =>
      /^(OK|INSUFFICIENT_DATA): "Root account usage"/.test(m.parsed.subject ?? ""),
    );
    assert.ok(back.parsed.subject);

    // The unsubscribe link ends the subscription.
    const gone = await fetch(unsubscribe, { headers: { accept: "text/html" } });
    assert.equal(gone.status, 200);
    const after = await server.ctx.topics.listSubscriptionsByTopic({ TopicArn: list.topicArn });
    assert.equal(after.Subscriptions.length, 0);
    // And a forged token does nothing.
    const forged = await fetch(unsubscribe.replace(/Token=\w/, "Token=0"));
    assert.notEqual(forged.status, 200);
  });

  test("an HTTP subscriber verifies SNS signatures, confirms via SubscribeURL and gets the alarm message with the events", async () => {
    await quiet();
    const receiver = await startReceiver();
    try {
      const { TopicArn } = await server.ctx.topics.createTopic({ Name: "http-alarms" });
      await server.ctx.notifier.subscribe({ TopicArn, Protocol: "http", Endpoint: receiver.url });
      const [confirmation] = await receiver.waitFor(1);
      assert.equal(confirmation.headers["x-amz-sns-message-type"], "SubscriptionConfirmation");
      const body = JSON.parse(confirmation.body);
      assert.equal(await verifySnsSignature(body), true, "the confirmation's signature verifies");
      assert.equal(
        await verifySnsSignature({ ...body, Token: `${body.Token}x` }),
        false,
        "a changed field does not",
      );
      const confirmed = await fetch(body.SubscribeURL);
      assert.equal(confirmed.status, 200);
      assert.match(
        await confirmed.text(),
        /<ConfirmSubscriptionResponse[\s\S]*<SubscriptionArn>arn:aws:sns:/,
      );

      const alarm = server.ctx.engine.alarms.get("Console sign-in without MFA");
      assert.ok(alarm);
      await server.ctx.engine.alarms.replace({ ...alarm, alarmActions: [TopicArn] });
      const t = clock.now() + 60_000;
      clock.set(t + 1000);
      await server.ctx.engine.ingest(GROUP, STREAM, [rootSignIn(t, "console-1")]);
      const received = await receiver.waitFor(2);
      const note = received[1];
      assert.equal(note.headers["x-amz-sns-message-type"], "Notification");
      assert.equal(note.headers["content-type"], "text/plain; charset=UTF-8");
      const envelope = JSON.parse(note.body);
      assert.equal(await verifySnsSignature(envelope), true, "the notification's signature verifies");
      assert.equal(note.headers["x-amz-sns-message-id"], envelope.MessageId);
      const message = JSON.parse(envelope.Message);
      assert.equal(message.AlarmName, "Console sign-in without MFA");
      assert.equal(message.NewStateValue, "ALARM");
      assert.equal(message.AWSAccountId, "123456789012");
      assert.equal(message.Trigger.MetricName, "ConsoleSignInWithoutMfaCount");
      assert.equal(message.TrailwatchEvents.Total, 1);
      assert.equal(message.TrailwatchEvents.Events[0].userIdentity.arn, "arn:aws:iam::493859302102:root");
      assert.equal(message.TrailwatchEvents.Events[0].sourceIPAddress, "71.253.251.71");
      assert.equal(message.TrailwatchEvents.Events[0].eventID, "console-1");
    } finally {
      await receiver.close();
    }
  });

  test("a Slack webhook gets a readable message with the events; a subscriber answering 500 gets it again", async () => {
    await quiet();
    const slack = await startReceiver([500, 500], receiverTls);
    try {
      const { TopicArn } = await server.ctx.topics.createTopic({
        Name: "slack-alarms",
        Attributes: {
          DeliveryPolicy: JSON.stringify({
            http: { defaultHealthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 3 } },
          }),
        },
      });
      const sub = await server.ctx.notifier.subscribe({ TopicArn, Protocol: "slack", Endpoint: slack.url });
      assert.match(sub.SubscriptionArn, /^arn:aws:sns:/, "a webhook needs no confirmation");
      const alarm = server.ctx.engine.alarms.get("API activity without MFA");
      assert.ok(alarm);
      await server.ctx.engine.alarms.replace({ ...alarm, alarmActions: [TopicArn] });
      const t = clock.now() + 60_000;
      clock.set(t + 1000);
      const record = JSON.parse(rootSignIn(t, "api-1").message);
      record.eventName = "DeleteTrail";
      record.eventSource = "cloudtrail.amazonaws.com";
      record.userIdentity = {
        type: "IAMUser",
        arn: "arn:aws:iam::493859302102:user/mallory",
        sessionContext: { attributes: { mfaAuthenticated: "false" } },
      };
      await server.ctx.engine.ingest(GROUP, STREAM, [{ timestamp: t, message: JSON.stringify(record) }]);
      await slack.waitFor(1);
      const [item] = await server.ctx.engine.store.listDeliveries({
        subscriptionArn: sub.SubscriptionArn,
        limit: 10,
      });
      assert.equal(item.status, "pending", "the first attempt got a 500");
      for (let i = 0; i < 2; i++) {
        clock.set(clock.now() + 1_500);
        await server.ctx.outbox.runDue();
      }
      const received = await slack.waitFor(3);
      assert.equal(received[0].body, received[2].body, "each attempt sends the same message");
      const payload = JSON.parse(received[2].body);
      const shown = JSON.stringify(payload);
      assert.match(payload.text, /ALARM/);
      assert.ok(shown.includes("API activity without MFA"));
      assert.ok(
        shown.includes("user/mallory") && shown.includes("DeleteTrail"),
        "the events table names who and what",
      );
      const done = await server.ctx.engine.store.getDelivery(item.id);
      assert.equal(done?.status, "delivered");
      const attempts = await server.ctx.engine.store.deliveryAttempts(item.id);
      assert.deepEqual(
        attempts.map((a) => a.ok),
        [false, false, true],
      );
      assert.match(attempts[0].error ?? "", /500/);
    } finally {
      await slack.close();
    }
  });

  test("SMTP down for ten minutes, then up: the alarm mail arrives once, with the Message-ID it was first sent with", async () => {
    await quiet();
    const { TopicArn } = await server.ctx.topics.createTopic({ Name: "mail-outage" });
    await server.ctx.notifier.subscribe({ TopicArn, Protocol: "email", Endpoint: "oncall@example.test" });
    const invite = await smtp.waitFor((m) => m.to.includes("oncall@example.test"));
    const link = /http:\/\/\S+Action=ConfirmSubscription\S+/.exec(invite.parsed.text ?? "")?.[0];
    assert.ok(link);
    assert.equal((await fetch(link)).status, 200);
    const alarm = server.ctx.engine.alarms.get(ROOT_ALARM);
    assert.ok(alarm);
    await server.ctx.engine.alarms.replace({
      ...alarm,
      alarmActions: [TopicArn],
      okActions: [],
      insufficientDataActions: [],
    });

    await smtp.stop();
    const t = clock.now() + 10 * 60_000;
    clock.set(t + 1000);
    await server.ctx.engine.ingest(GROUP, STREAM, [rootSignIn(t, "outage-1")]);
    const deadline = Date.now() + 15_000;
    let item = (await server.ctx.engine.store.listDeliveries({ limit: 1000 })).find(
      (d) => d.endpoint === "oncall@example.test" && d.attempts > 0 && d.status === "pending",
    );
    while (!item && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      item = (await server.ctx.engine.store.listDeliveries({ limit: 1000 })).find(
        (d) => d.endpoint === "oncall@example.test" && d.attempts > 0 && d.status === "pending",
      );
    }
    assert.ok(item, "the first attempt failed and the mail stays queued");
    // Ten minutes of outage: every retry that falls due fails and is recorded.
    for (let minute = 0; minute < 10; minute++) {
      clock.set(clock.now() + 60_000);
      await server.ctx.outbox.runDue();
    }
    const failed = await server.ctx.engine.store.getDelivery(item.id);
    assert.equal(failed?.status, "pending");
    assert.ok((failed?.attempts ?? 0) >= 2, "retried during the outage");

    await smtp.start();
    clock.set(clock.now() + 11 * 60_000);
    await server.ctx.outbox.runDue();
    const mails = smtp.received.filter(
      (m) => m.to.includes("oncall@example.test") && /^ALARM/.test(m.parsed.subject ?? ""),
    );
    assert.equal(mails.length, 1);
    assert.equal(mails[0].parsed.messageId, `<${item.id}@trailwatch>`);
    const log = await server.ctx.engine.store.deliveryAttempts(item.id);
    assert.equal(log.at(-1)?.ok, true);
    // What an SRE sees of it on /metrics.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /trailwatch_delivery_attempts_total\{protocol="email",outcome="retried"\} [1-9]/);
    assert.match(metrics, /trailwatch_delivery_attempts_total\{protocol="email",outcome="delivered"\} [1-9]/);
    assert.match(metrics, /trailwatch_events_ingested_total [1-9]/);
    assert.match(metrics, /trailwatch_alarms\{state="ALARM"\} [1-9]/);
    assert.match(metrics, /trailwatch_evaluator_leader 1/);
    assert.ok(
      log.slice(0, -1).every((a) => !a.ok && a.error),
      "each failed attempt has its error",
    );
  });

  test("email-json: the confirmation and a published message arrive as SNS's JSON envelope", async () => {
    const { TopicArn } = await server.ctx.topics.createTopic({ Name: "json-mail" });
    await server.ctx.notifier.subscribe({ TopicArn, Protocol: "email-json", Endpoint: "siem@example.test" });
    const invite = await smtp.waitFor((m) => m.to.includes("siem@example.test"));
    const envelope = JSON.parse(invite.parsed.text ?? "{}");
    assert.equal(envelope.Type, "SubscriptionConfirmation");
    assert.equal(envelope.TopicArn, TopicArn);
    assert.equal(await verifySnsSignature(envelope), true);
    assert.equal((await fetch(envelope.SubscribeURL)).status, 200);
    const { MessageId } = await server.ctx.notifier.publish({
      TopicArn,
      Subject: "drill",
      Message: JSON.stringify({ default: "plain text for everyone", "email-json": "for the SIEM" }),
      MessageStructure: "json",
    });
    const mail = await smtp.waitFor(
      (m) => m.to.includes("siem@example.test") && m.parsed.subject === "drill",
    );
    const note = JSON.parse(mail.parsed.text ?? "{}");
    assert.equal(note.Type, "Notification");
    assert.equal(note.MessageId, MessageId);
    assert.equal(note.Message, "for the SIEM", "the protocol's own text of a MessageStructure=json message");
    assert.equal(await verifySnsSignature(note), true);
    await assert.rejects(
      server.ctx.notifier.publish({ TopicArn, Message: "{}", MessageStructure: "json" }),
      /No default entry in JSON message body/,
    );
    await assert.rejects(server.ctx.notifier.publish({ TopicArn, Message: "" }), /Empty message/);
  });

  test("reachable beyond loopback, webhooks to loopback and private addresses are refused at Subscribe", async () => {
    const { openServerContext } = await import("../../src/server/open-context.js");
    const { openSqliteStore } = await import("../../src/store/sqlite/index.js");
    const { mergeSketch } = await import("../../src/metrics/sketch-codec.js");
    const pino = (await import("pino")).default;
    const store = await openSqliteStore({ path: ":memory:", mergeSketch });
    const wide = await openServerContext({
      store,
      clock,
      identity: { account: "123456789012", region: "us-east-1" },
      logger: pino({ level: "silent" }),
      publicUrl: "https://trailwatch.example.test",
      loopbackOnly: false,
      signingDir: server.dir,
      mailer: server.mailer,
    });
    try {
      const { TopicArn } = await wide.topics.createTopic({ Name: "guarded" });
      for (const endpoint of [
        "http://127.0.0.1:8080/hook",
        "http://10.0.0.7/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/hook",
        "http://2130706433/hook",
      ]) {
        await assert.rejects(
          wide.notifier.subscribe({ TopicArn, Protocol: "http", Endpoint: endpoint }),
          (e: Error) => e.name === "InvalidParameterException",
          endpoint,
        );
      }
      assert.equal((await store.listSubscriptions({ limit: 10 })).length, 0);
    } finally {
      await wide.close();
    }
  });
});
