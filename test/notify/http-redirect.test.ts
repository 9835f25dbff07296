// Redirects during delivery: followed by hand, each target re-checked by the SSRF guard before any connection.
// Every HTTP request this process starts is recorded through diagnostics_channel, so "nothing was sent to
// 169.254.169.254" is observed rather than assumed. Only 127.0.0.1 is ever contacted.
import assert from "node:assert/strict";
import diagnostics_channel from "node:diagnostics_channel";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { type HttpDelivery, notification, postDelivery } from "../../src/notify/http/index.js";
import { createSigningIdentity } from "../../src/notify/signing/index.js";
import { makeDestinationGuard } from "../../src/notify/ssrf.js";

const identity = createSigningIdentity();
const METADATA = "http://169.254.169.254/latest/meta-data/";

interface Hit {
  method: string;
  path: string;
  body: string;
  type?: string;
}

const started: string[] = [];
const onRequestStart = (message: unknown) => {
  const { request } = message as { request: http.ClientRequest };
  started.push(`${request.host}${request.path}`);
};

describe("redirects", () => {
  const hits: Hit[] = [];
  let port = 0;
  let base = "";
  let delivery: HttpDelivery;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      hits.push({
        method: req.method ?? "",
        path,
        body: Buffer.concat(chunks).toString("utf8"),
        type: req.headers["x-amz-sns-message-type"] as string | undefined,
      });
      const redirect = (status: number, location: string) => {
        res.writeHead(status, { location });
        res.end();
      };
      if (path === "/to-metadata") return redirect(302, METADATA);
      if (path === "/to-metadata-decimal") return redirect(307, "http://2852039166/latest/meta-data/");
      if (path === "/to-private") return redirect(301, "http://10.0.0.1/admin");
      if (path === "/to-file") return redirect(302, "file:///etc/passwd");
      if (path === "/to-final") return redirect(302, "/final?x=1");
      if (path === "/to-localhost") return redirect(308, `http://localhost:${port}/final`);
      if (path === "/hop1") return redirect(303, "/hop2");
      if (path === "/hop2") return redirect(307, "/hop3");
      if (path === "/hop3") return redirect(302, "/final");
      if (path === "/loop") return redirect(302, "/loop");
      if (path === "/bad-location") return redirect(302, "http://[not-an-ip/");
      res.writeHead(path.startsWith("/final") ? 200 : 404);
      res.end();
    });
  });

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    delivery = notification({
      topicArn: "arn:aws:sns:us-east-1:123456789012:alarms",
      subscriptionArn: "arn:aws:sns:us-east-1:123456789012:alarms:0f4e6b0c-8c43-4b8f-9f63-2b1c5e0e2a11",
      messageId: "n-redirect",
      message: '{"AlarmName":"root-login"}',
      timestamp: new Date(),
      baseUrl: base,
      identity,
    });
    diagnostics_channel.subscribe("http.client.request.start", onRequestStart);
  });
  after(() => {
    diagnostics_channel.unsubscribe("http.client.request.start", onRequestStart);
    server.closeAllConnections();
    server.close();
    // The whole file never started a request to anything but loopback.
    assert.ok(started.length > 0);
    for (const s of started) assert.match(s, /^(127\.0\.0\.1|localhost)\//, s);
  });

  const loopbackOnly = makeDestinationGuard({ serverBoundToLoopback: true, allowPrivate: false });

  function take(): Hit[] {
    return hits.splice(0, hits.length);
  }

  test("a 302 to the metadata address is not followed when private addresses are refused", async () => {
    take();
    started.length = 0;
    const r = await postDelivery(`${base}/to-metadata`, delivery, { guard: loopbackOnly });
    assert.deepEqual(r, {
      ok: false,
      status: 0,
      failure: "refused-destination",
      retryable: false,
      error:
        "http://169.254.169.254: Invalid parameter: Unreachable Endpoint: 169.254.169.254 is a link-local address (not allowed by the server's webhook destination policy)",
      redirects: 1,
    });
    assert.deepEqual(
      take().map((h) => h.path),
      ["/to-metadata"],
    );
    // The guard threw before any request to the redirect target was started.
    assert.deepEqual(started, [`127.0.0.1/to-metadata`]);
  });

  test("nor are disguised, private or non-http targets", async () => {
    for (const [path, reason] of [
      ["/to-metadata-decimal", /169\.254\.169\.254 is a link-local address/],
      ["/to-private", /10\.0\.0\.1 is a private address/],
      ["/to-file", /the scheme file is not http or https/],
    ] as const) {
      started.length = 0;
      const r = await postDelivery(`${base}${path}`, delivery, { guard: loopbackOnly });
      assert.equal(r.failure, "refused-destination", path);
      assert.match(r.error ?? "", reason);
      assert.deepEqual(started, [`127.0.0.1${path}`]);
    }
    take();
  });

  test("a 302 to another loopback path is followed when loopback is allowed, re-POSTing the message", async () => {
    take();
    const r = await postDelivery(`${base}/to-final`, delivery, { guard: loopbackOnly });
    assert.deepEqual(r, { ok: true, status: 200, retryable: false, redirects: 1 });
    const seen = take();
    assert.deepEqual(
      seen.map((h) => [h.method, h.path]),
      [
        ["POST", "/to-final"],
        ["POST", "/final?x=1"],
      ],
    );
    assert.equal(seen[1].body, delivery.body);
    assert.equal(seen[1].type, "Notification");

    const viaName = await postDelivery(`${base}/to-localhost`, delivery, { guard: loopbackOnly });
    assert.equal(viaName.ok, true);
    assert.deepEqual(
      take().map((h) => h.path),
      ["/to-localhost", "/final"],
    );
  });

  test("up to three redirects are followed (303, 307, 302 alike), not a fourth", async () => {
    take();
    const r = await postDelivery(`${base}/hop1`, delivery, { guard: loopbackOnly });
    assert.deepEqual(r, { ok: true, status: 200, retryable: false, redirects: 3 });
    assert.deepEqual(
      take().map((h) => `${h.method} ${h.path}`),
      ["POST /hop1", "POST /hop2", "POST /hop3", "POST /final"],
    );

    const loop = await postDelivery(`${base}/loop`, delivery, { guard: loopbackOnly });
    assert.equal(loop.failure, "redirect");
    assert.equal(loop.status, 302);
    assert.equal(loop.retryable, false);
    assert.equal(loop.redirects, 3);
    assert.equal(take().length, 4);

    const none = await postDelivery(`${base}/hop1`, delivery, { guard: loopbackOnly, maxRedirects: 0 });
    assert.equal(none.failure, "redirect");
    assert.equal(take().length, 1);
  });

  test("an unparsable Location is a redirect failure", async () => {
    const r = await postDelivery(`${base}/bad-location`, delivery, { guard: loopbackOnly });
    assert.equal(r.failure, "redirect");
    assert.match(r.error ?? "", /unparsable Location/);
    take();
  });

  test("with allowPrivate the guard lets the metadata redirect through (so the operator must mean it)", async () => {
    // Judged only: check() passes, no request is made here.
    const permissive = makeDestinationGuard({ serverBoundToLoopback: false, allowPrivate: true });
    const checked = await permissive.check(METADATA);
    assert.deepEqual(checked.addresses, ["169.254.169.254"]);
  });
});
