// SNS's HTTP/S messages as built by trailwatch, delivered by postDelivery to real subscribers on 127.0.0.1,
// and checked the way subscribers check them: AWS's own sns-validator (over HTTPS, which it insists on) and an
// independent node:crypto verification written here from AWS's documentation.
import assert from "node:assert/strict";
import { generateKeyPairSync, verify as rsaVerify, X509Certificate } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import MessageValidator from "sns-validator";
import {
  formatSnsBody,
  type HttpDelivery,
  notification,
  postDelivery,
  SNS_CONTENT_TYPE,
  SNS_USER_AGENT,
  type SnsHttpMessage,
  subscriptionConfirmation,
  unsubscribeConfirmation,
} from "../../src/notify/http/index.js";
import {
  createSelfSignedCertificate,
  createSigningIdentity,
  type SigningIdentity,
  signingCertPath,
  verify,
} from "../../src/notify/signing/index.js";
import { makeDestinationGuard } from "../../src/notify/ssrf.js";

const TOPIC = "arn:aws:sns:us-west-2:123456789012:MyTopic";
const SUBSCRIPTION = `${TOPIC}:c9135db0-26c4-47ec-8998-413945fb5a96`;
const TOKEN =
  "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad0";

const identity: SigningIdentity = createSigningIdentity();
const loopbackGuard = makeDestinationGuard({ serverBoundToLoopback: true, allowPrivate: false });

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The string to sign, written from SNS-SIG independently of src/notify/signing. */
function awsStringToSign(m: Record<string, unknown>): string {
  const keys =
    m.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  return keys
    .filter((k) => m[k] !== undefined)
    .map((k) => `${k}\n${m[k]}\n`)
    .join("");
}

/** A subscriber's own check: fetch SigningCertURL, verify with the certificate's public key. */
async function subscriberVerifies(m: Record<string, string>): Promise<boolean> {
  const res = await fetch(m.SigningCertURL);
  assert.equal(res.status, 200);
  const cert = new X509Certificate(await res.text());
  const digest = m.SignatureVersion === "1" ? "sha1" : "sha256";
  return rsaVerify(
    digest,
    Buffer.from(awsStringToSign(m), "utf8"),
    cert.publicKey,
    Buffer.from(m.Signature, "base64"),
  );
}

/** A local server: records every request and answers by path. */
function subscriberServer(handler?: (req: Received, res: http.ServerResponse) => boolean) {
  const received: Received[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(r);
      if (handler?.(r, res)) return;
      if (r.method === "GET" && r.path === signingCertPath(identity)) {
        res.writeHead(200, { "content-type": "application/x-x509-ca-cert" });
        res.end(identity.certificatePem);
        return;
      }
      res.writeHead(r.path.startsWith("/hook") ? 200 : 404);
      res.end();
    });
  };
  return { received, onRequest };
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function stop(server: http.Server | https.Server) {
  server.closeAllConnections();
  server.close();
}

// ---------------------------------------------------------------------------------------------------------------

describe("the messages, as SNS builds them", () => {
  const base = "http://127.0.0.1:4566";
  const certUrl = `${base}/SimpleNotificationService-${identity.certificateId}.pem`;

  test("SubscriptionConfirmation: headers, body layout and URLs", () => {
    const d = subscriptionConfirmation({
      topicArn: TOPIC,
      token: TOKEN,
      messageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
      timestamp: new Date("2012-04-26T20:45:04.751Z"),
      baseUrl: `${base}/`,
      identity,
    });
    assert.deepEqual(d.headers, {
      "x-amz-sns-message-type": "SubscriptionConfirmation",
      "x-amz-sns-message-id": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
      "x-amz-sns-topic-arn": TOPIC,
      "Content-Type": "text/plain; charset=UTF-8",
      "User-Agent": "Amazon Simple Notification Service Agent",
    });
    const sig = d.message?.Signature ?? "";
    assert.equal(
      d.body,
      `{
  "Type" : "SubscriptionConfirmation",
  "MessageId" : "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
  "Token" : "${TOKEN}",
  "TopicArn" : "${TOPIC}",
  "Message" : "You have chosen to subscribe to the topic ${TOPIC}.\\nTo confirm the subscription, visit the SubscribeURL included in this message.",
  "SubscribeURL" : "${base}/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=${TOKEN}",
  "Timestamp" : "2012-04-26T20:45:04.751Z",
  "SignatureVersion" : "2",
  "Signature" : "${sig}",
  "SigningCertURL" : "${certUrl}"
}`,
    );
    assert.ok(d.message);
    const parsed = JSON.parse(d.body);
    assert.deepEqual(parsed, d.message);
    assert.equal(verify(parsed, identity.certificatePem), true);
  });

  test("Notification: subject, attributes, UnsubscribeURL; field order is SNS's", () => {
    const d = notification({
      topicArn: TOPIC,
      subscriptionArn: SUBSCRIPTION,
      messageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
      subject: "My First Message",
      message: "Hello world!",
      timestamp: Date.parse("2012-05-02T00:54:06.655Z"),
      baseUrl: base,
      identity,
      signatureVersion: "1",
      messageAttributes: {
        Command: { Type: "String", Value: "process" },
        Count: { Type: "Number", Value: "3" },
      },
    });
    assert.deepEqual(d.headers, {
      "x-amz-sns-message-type": "Notification",
      "x-amz-sns-message-id": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
      "x-amz-sns-topic-arn": TOPIC,
      "x-amz-sns-subscription-arn": SUBSCRIPTION,
      "Content-Type": SNS_CONTENT_TYPE,
      "User-Agent": SNS_USER_AGENT,
    });
    assert.equal(
      d.body,
      `{
  "Type" : "Notification",
  "MessageId" : "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  "TopicArn" : "${TOPIC}",
  "Subject" : "My First Message",
  "Message" : "Hello world!",
  "Timestamp" : "2012-05-02T00:54:06.655Z",
  "SignatureVersion" : "1",
  "Signature" : "${d.message?.Signature}",
  "SigningCertURL" : "${certUrl}",
  "UnsubscribeURL" : "${base}/?Action=Unsubscribe&SubscriptionArn=${SUBSCRIPTION}",
  "MessageAttributes" : {
    "Command" : {"Type":"String","Value":"process"},
    "Count" : {"Type":"Number","Value":"3"}
  }
}`,
    );
    assert.equal(verify(JSON.parse(d.body), identity.certificatePem), true);
  });

  test("Notification without a subject or attributes leaves the keys out", () => {
    const d = notification({
      topicArn: TOPIC,
      subscriptionArn: SUBSCRIPTION,
      messageId: "m-1",
      message: '{"AlarmName":"x"}\n"quoted" \\ é 𝄞',
      timestamp: "2026-11-28T02:30:55.297Z",
      baseUrl: base,
      identity,
      messageAttributes: {},
    });
    const parsed = JSON.parse(d.body);
    assert.deepEqual(Object.keys(parsed), [
      "Type",
      "MessageId",
      "TopicArn",
      "Message",
      "Timestamp",
      "SignatureVersion",
      "Signature",
      "SigningCertURL",
      "UnsubscribeURL",
    ]);
    assert.equal(parsed.Message, '{"AlarmName":"x"}\n"quoted" \\ é 𝄞');
    assert.equal(verify(parsed, identity.certificatePem), true);
  });

  test("UnsubscribeConfirmation carries the subscription header and a SubscribeURL to restore it", () => {
    const d = unsubscribeConfirmation({
      topicArn: TOPIC,
      subscriptionArn: SUBSCRIPTION,
      token: TOKEN,
      messageId: "47138184-6831-46b8-8f7c-afc488602d7d",
      timestamp: "2012-04-26T20:06:41.581Z",
      baseUrl: base,
      identity,
    });
    assert.equal(d.headers["x-amz-sns-message-type"], "UnsubscribeConfirmation");
    assert.equal(d.headers["x-amz-sns-subscription-arn"], SUBSCRIPTION);
    const parsed = JSON.parse(d.body);
    assert.deepEqual(Object.keys(parsed), [
      "Type",
      "MessageId",
      "Token",
      "TopicArn",
      "Message",
      "SubscribeURL",
      "Timestamp",
      "SignatureVersion",
      "Signature",
      "SigningCertURL",
    ]);
    assert.equal(
      parsed.Message,
      `You have chosen to deactivate subscription ${SUBSCRIPTION}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
    );
    assert.equal(parsed.SubscribeURL, `${base}/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=${TOKEN}`);
    assert.equal(verify(parsed, identity.certificatePem), true);
  });

  test("raw message delivery sends the message alone", () => {
    const d = notification({
      topicArn: TOPIC,
      subscriptionArn: SUBSCRIPTION,
      messageId: "m-2",
      message: "plain text",
      timestamp: 0,
      baseUrl: base,
      identity,
      rawMessageDelivery: true,
    });
    assert.equal(d.body, "plain text");
    assert.equal(d.headers["x-amz-sns-rawdelivery"], "true");
    assert.equal(d.headers["x-amz-sns-subscription-arn"], SUBSCRIPTION);
    assert.equal(d.message, undefined);
  });

  test("URL values are percent-encoded except for ':'; a base path is kept", () => {
    const d = subscriptionConfirmation({
      topicArn: TOPIC,
      token: "a+b/c=d&e",
      messageId: "m",
      timestamp: 0,
      baseUrl: "https://alerts.example/trailwatch/",
      identity,
    });
    const url = new URL(d.message?.SubscribeURL ?? "");
    assert.equal(url.pathname, "/trailwatch/");
    assert.equal(url.searchParams.get("Token"), "a+b/c=d&e");
    assert.equal(url.searchParams.get("TopicArn"), TOPIC);
    assert.equal(
      d.message?.SigningCertURL,
      `https://alerts.example/trailwatch/SimpleNotificationService-${identity.certificateId}.pem`,
    );
    assert.equal(d.message?.Timestamp, "1970-01-01T00:00:00.000Z");
  });

  test("formatSnsBody escapes like JSON and stays parseable", () => {
    const m = { Type: "Notification", Message: '\u0001\t"</script>' } as unknown as SnsHttpMessage;
    assert.equal(
      formatSnsBody(m),
      '{\n  "Type" : "Notification",\n  "Message" : "\\u0001\\t\\"</script>"\n}',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("delivery to a subscriber over HTTP", () => {
  const sub = subscriberServer();
  const server = http.createServer(sub.onRequest);
  let base = "";
  before(async () => {
    base = `http://127.0.0.1:${await listen(server)}`;
  });
  after(() => stop(server));

  test("SubscriptionConfirmation then Notification arrive with SNS's headers and verify", async () => {
    const confirmation = subscriptionConfirmation({
      topicArn: TOPIC,
      token: TOKEN,
      messageId: "c-1",
      timestamp: new Date(),
      baseUrl: base,
      identity,
    });
    const first = await postDelivery(`${base}/hook`, confirmation, { guard: loopbackGuard });
    assert.deepEqual(first, { ok: true, status: 200, retryable: false, redirects: 0 });

    const note = notification({
      topicArn: TOPIC,
      subscriptionArn: SUBSCRIPTION,
      messageId: "n-1",
      subject: 'ALARM: "root-login" in US West (Oregon)',
      message: JSON.stringify({
        AlarmName: "root-login",
        NewStateValue: "ALARM",
        NewStateReason: "Threshold Crossed ✓",
      }),
      timestamp: new Date(),
      baseUrl: base,
      identity,
      messageAttributes: { severity: { Type: "String", Value: "high" } },
    });
    const second = await postDelivery(`${base}/hook?source=tw`, note, { guard: loopbackGuard });
    assert.equal(second.ok, true);

    const posts = sub.received.filter((r) => r.method === "POST");
    assert.equal(posts.length, 2);
    const [c, n] = posts;

    for (const [r, d, type] of [
      [c, confirmation, "SubscriptionConfirmation"],
      [n, note, "Notification"],
    ] as const) {
      assert.equal(r.headers["content-type"], "text/plain; charset=UTF-8");
      assert.equal(r.headers["user-agent"], "Amazon Simple Notification Service Agent");
      assert.equal(r.headers["x-amz-sns-message-type"], type);
      assert.equal(r.headers["x-amz-sns-message-id"], d.message?.MessageId);
      assert.equal(r.headers["x-amz-sns-topic-arn"], TOPIC);
      assert.equal(r.headers["content-length"], String(Buffer.byteLength(d.body)));
      assert.equal(r.body, d.body);
    }
    assert.equal(c.headers["x-amz-sns-subscription-arn"], undefined);
    assert.equal(n.headers["x-amz-sns-subscription-arn"], SUBSCRIPTION);
    assert.equal(n.path, "/hook?source=tw");

    const cm = JSON.parse(c.body);
    assert.equal(cm.Type, "SubscriptionConfirmation");
    assert.equal(cm.Token, TOKEN);
    const subscribe = new URL(cm.SubscribeURL);
    assert.equal(subscribe.origin, base);
    assert.equal(subscribe.searchParams.get("Action"), "ConfirmSubscription");
    assert.equal(subscribe.searchParams.get("TopicArn"), TOPIC);
    assert.equal(subscribe.searchParams.get("Token"), TOKEN);
    assert.match(cm.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const nm = JSON.parse(n.body);
    assert.equal(nm.Subject, 'ALARM: "root-login" in US West (Oregon)');
    assert.equal(new URL(nm.UnsubscribeURL).searchParams.get("SubscriptionArn"), SUBSCRIPTION);
    assert.deepEqual(nm.MessageAttributes, { severity: { Type: "String", Value: "high" } });

    // The subscriber fetches the certificate from SigningCertURL (this server) and checks both signatures.
    assert.equal(cm.SigningCertURL, `${base}/SimpleNotificationService-${identity.certificateId}.pem`);
    assert.equal(await subscriberVerifies(cm), true);
    assert.equal(await subscriberVerifies(nm), true);
    assert.equal(await subscriberVerifies({ ...nm, Message: nm.Message.replace("ALARM", "OK") }), false);
    assert.equal(await subscriberVerifies({ ...cm, Token: `${TOKEN}0` }), false);
  });

  test("outcomes: 2xx delivered; 5xx and 429 retryable; other 4xx permanent", async () => {
    const statusServer = http.createServer((req, res) => {
      req.resume();
      const code = Number((req.url ?? "").slice(1));
      res.writeHead(code, code === 302 ? {} : undefined);
      res.end("x".repeat(100_000)); // a long error page is read at most in part
    });
    const port = await listen(statusServer);
    const d = deliveryFor(`http://127.0.0.1:${port}`);
    try {
      const cases: [number, boolean, boolean][] = [
        [200, true, false],
        [204, true, false],
        [299, true, false],
        [500, false, true],
        [503, false, true],
        [429, false, true],
        [400, false, false],
        [403, false, false],
        [404, false, false],
        [302, false, false], // a redirect without Location
      ];
      for (const [code, ok, retryable] of cases) {
        const r = await postDelivery(`http://127.0.0.1:${port}/${code}`, d, { guard: loopbackGuard });
        assert.equal(r.status, code);
        assert.equal(r.ok, ok, String(code));
        assert.equal(r.retryable, retryable, String(code));
        assert.equal(r.failure, ok ? undefined : "http-status");
        if (!ok) assert.equal(r.error, `http://127.0.0.1:${port} answered HTTP ${code}`);
      }
    } finally {
      stop(statusServer);
    }
  });

  test("a subscriber that never answers times out (retryable)", async () => {
    const hanging = http.createServer(() => {});
    const port = await listen(hanging);
    try {
      const started = Date.now();
      const r = await postDelivery(`http://127.0.0.1:${port}/`, deliveryFor(base), {
        guard: loopbackGuard,
        timeoutMs: 300,
      });
      assert.ok(Date.now() - started < 2000);
      assert.deepEqual(r, {
        ok: false,
        status: 0,
        failure: "timeout",
        retryable: true,
        error: `http://127.0.0.1:${port}: no answer before the deadline`,
        redirects: 0,
      });
    } finally {
      stop(hanging);
    }
  });

  test("a refused connection is a retryable connection failure; errors never show credentials or paths", async () => {
    const closed = http.createServer();
    const port = await listen(closed);
    closed.close();
    const r = await postDelivery(
      `http://user:s3cret@127.0.0.1:${port}/hook/t0ken?key=k3y`,
      deliveryFor(base),
      {
        guard: loopbackGuard,
      },
    );
    assert.equal(r.ok, false);
    assert.equal(r.failure, "connection");
    assert.equal(r.retryable, true);
    assert.match(r.error ?? "", new RegExp(`^http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    assert.doesNotMatch(r.error ?? "", /s3cret|t0ken|k3y|user/);
  });

  test("a refused destination is never contacted", async () => {
    const publicGuard = makeDestinationGuard({ serverBoundToLoopback: false, allowPrivate: false });
    const before = sub.received.length;
    const r = await postDelivery(`${base}/hook`, deliveryFor(base), { guard: publicGuard });
    assert.equal(r.failure, "refused-destination");
    assert.equal(r.retryable, false);
    assert.match(
      r.error ?? "",
      /Invalid parameter: Unreachable Endpoint: 127\.0\.0\.1 is a loopback address/,
    );
    const viaName = await postDelivery(`${base.replace("127.0.0.1", "localhost")}/hook`, deliveryFor(base), {
      guard: publicGuard,
    });
    assert.equal(viaName.failure, "refused-destination");
    const bad = await postDelivery("file:///etc/passwd", deliveryFor(base), { guard: publicGuard });
    assert.equal(bad.failure, "refused-destination");
    assert.equal(sub.received.length, before);
  });
});

function deliveryFor(base: string): HttpDelivery {
  return notification({
    topicArn: TOPIC,
    subscriptionArn: SUBSCRIPTION,
    messageId: "n-x",
    message: "hello",
    timestamp: new Date(),
    baseUrl: base,
    identity,
  });
}

// ---------------------------------------------------------------------------------------------------------------

describe("delivery over HTTPS, verified by AWS's sns-validator", () => {
  // The subscriber's TLS certificate (this is the test's HTTPS server, not the SNS signing certificate).
  const tlsKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const tlsCert = createSelfSignedCertificate({
    ...tlsKeys,
    commonName: "127.0.0.1",
    keyUsage: ["digitalSignature", "keyEncipherment"],
    extendedKeyUsage: ["serverAuth"],
    subjectAltNames: { ip: ["127.0.0.1"], dns: ["localhost"] },
  }).pem;
  const sub = subscriberServer((r, res) => {
    if (r.path === "/downgrade") {
      res.writeHead(302, { location: `http://127.0.0.1:${new URL(base).port}/hook` });
      res.end();
      return true;
    }
    return false;
  });
  const server = https.createServer(
    { key: tlsKeys.privateKey.export({ type: "pkcs8", format: "pem" }), cert: tlsCert },
    sub.onRequest,
  );
  let base = "";
  const savedCa = https.globalAgent.options.ca;
  before(async () => {
    base = `https://127.0.0.1:${await listen(server)}`;
    // sns-validator fetches SigningCertURL with https.get and the global agent: trust the test server's cert
    // there, as a subscriber would trust trailwatch's TLS certificate (or its CA).
    https.globalAgent.options.ca = [tlsCert];
  });
  after(() => {
    https.globalAgent.options.ca = savedCa;
    https.globalAgent.destroy();
    stop(server);
  });

  // sns-validator only accepts https certificate URLs ending in .pem on a host matching `hostPattern` (checked
  // against host:port); the default pattern is SNS's own hosts, so the subscriber names trailwatch's host.
  const trailwatchHost = /^127\.0\.0\.1:\d+$/;
  const validate = (body: string, validator = new MessageValidator(trailwatchHost)) =>
    new Promise<Record<string, unknown>>((resolve, reject) =>
      validator.validate(body, (err, message) => (err ? reject(err) : resolve(message ?? {}))),
    );

  async function deliver(d: HttpDelivery): Promise<Received> {
    const before = sub.received.length;
    const r = await postDelivery(`${base}/hook`, d, { guard: loopbackGuard, ca: tlsCert });
    assert.deepEqual(r, { ok: true, status: 200, retryable: false, redirects: 0 });
    const got = sub.received.slice(before).filter((x) => x.method === "POST");
    assert.equal(got.length, 1);
    return got[0];
  }

  test("SubscriptionConfirmation and Notification (v2 and v1) pass sns-validator", async () => {
    const confirmation = await deliver(
      subscriptionConfirmation({
        topicArn: TOPIC,
        token: TOKEN,
        messageId: "c-https",
        timestamp: new Date(),
        baseUrl: base,
        identity,
      }),
    );
    assert.equal(confirmation.headers["x-amz-sns-message-type"], "SubscriptionConfirmation");
    const valid = await validate(confirmation.body);
    assert.equal(valid.Token, TOKEN);

    for (const signatureVersion of ["2", "1"] as const) {
      const n = await deliver(
        notification({
          topicArn: TOPIC,
          subscriptionArn: SUBSCRIPTION,
          messageId: `n-https-${signatureVersion}`,
          subject: 'ALARM: "root-login"',
          message: JSON.stringify({ AlarmName: "root-login", reason: 'é ✓ 𝄞\n"q"' }),
          timestamp: new Date(),
          baseUrl: base,
          identity,
          signatureVersion,
          messageAttributes: { severity: { Type: "String", Value: "high" } },
        }),
      );
      const ok = await validate(n.body);
      assert.equal(ok.SignatureVersion, signatureVersion);
      // The parsed object is accepted too, as subscribers often pass req.body.
      await validate(JSON.parse(n.body));
    }
    // The certificate was fetched from this server at SigningCertURL (once: sns-validator caches by URL).
    const certGets = sub.received.filter((r) => r.method === "GET" && r.path === signingCertPath(identity));
    assert.equal(certGets.length, 1);
  });

  test("a tampered message fails sns-validator and node's verification", async () => {
    const n = await deliver(
      notification({
        topicArn: TOPIC,
        subscriptionArn: SUBSCRIPTION,
        messageId: "n-tamper",
        message: '{"NewStateValue":"ALARM"}',
        timestamp: new Date(),
        baseUrl: base,
        identity,
      }),
    );
    const parsed = JSON.parse(n.body);
    const tampered = { ...parsed, Message: '{"NewStateValue":"OK"}' };
    await assert.rejects(validate(JSON.stringify(tampered)), {
      message: "The message signature is invalid.",
    });
    await assert.rejects(validate({ ...parsed, TopicArn: `${TOPIC}2` } as unknown as string), {
      message: "The message signature is invalid.",
    });
    assert.equal(verify(tampered, identity.certificatePem), false);
    const cert = new X509Certificate(identity.certificatePem);
    assert.equal(
      rsaVerify(
        "sha256",
        Buffer.from(awsStringToSign(tampered)),
        cert.publicKey,
        Buffer.from(parsed.Signature, "base64"),
      ),
      false,
    );
    assert.equal(
      rsaVerify(
        "sha256",
        Buffer.from(awsStringToSign(parsed)),
        cert.publicKey,
        Buffer.from(parsed.Signature, "base64"),
      ),
      true,
    );
  });

  test("without trailwatch's host pattern sns-validator refuses the certificate URL, as it should", async () => {
    const n = deliveryFor(base);
    await assert.rejects(validate(n.body, new MessageValidator()), {
      message: "The certificate is located on an invalid domain.",
    });
    const plain = deliveryFor("http://127.0.0.1:4566");
    await assert.rejects(validate(plain.body), {
      message: "The certificate is located on an invalid domain.",
    });
  });

  test("UnsubscribeConfirmation: signed as AWS documents (with Token); sns-validator 0.3.5 leaves Token out", async () => {
    const u = await deliver(
      unsubscribeConfirmation({
        topicArn: TOPIC,
        subscriptionArn: SUBSCRIPTION,
        token: TOKEN,
        messageId: "u-https",
        timestamp: new Date(),
        baseUrl: base,
        identity,
      }),
    );
    const parsed = JSON.parse(u.body);
    assert.equal(verify(parsed, identity.certificatePem), true);
    const cert = new X509Certificate(identity.certificatePem);
    assert.equal(
      rsaVerify(
        "sha256",
        Buffer.from(awsStringToSign(parsed)),
        cert.publicKey,
        Buffer.from(parsed.Signature, "base64"),
      ),
      true,
    );
    // sns-validator signs UnsubscribeConfirmation with the Notification key list (no Token), unlike SNS-SIG:
    // it would reject AWS's own UnsubscribeConfirmations the same way. Recorded so that a change shows.
    await assert.rejects(validate(u.body), { message: "The message signature is invalid." });
  });

  test("an https endpoint may not redirect to http", async () => {
    const r = await postDelivery(`${base}/downgrade`, deliveryFor(base), {
      guard: loopbackGuard,
      ca: tlsCert,
    });
    assert.equal(r.failure, "redirect");
    assert.equal(r.status, 302);
    assert.match(r.error ?? "", /refused redirect from https to http/);
  });

  test("an untrusted TLS certificate is a connection failure", async () => {
    const r = await postDelivery(`${base}/hook`, deliveryFor(base), { guard: loopbackGuard });
    assert.equal(r.failure, "connection");
    assert.equal(r.retryable, true);
    assert.match(r.error ?? "", /SELF_SIGNED|self.signed|unable to verify/i);
  });
});
