/**
 * The console's door, over HTTP against the real server (app.inject): who gets in, with which cookies, how
 * login failures are limited, that every POST needs the CSRF token, that the console is not served on a
 * network address without a password, and that what users and events write is escaped.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { registerConsole } from "../../src/console/index.js";
import { hashConsolePassword, verifyConsolePassword } from "../../src/console/security/password.js";
import { type ConsoleServer, GROUP, PASSWORD, setCookies, startConsole } from "./helpers.js";

/** A browser-like client: keeps the cookies it is given, sends Host like a browser at 127.0.0.1 would. */
class Client {
  readonly jar = new Map<string, string>();
  constructor(
    private readonly c: ConsoleServer,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request(o: InjectOptions & { url: string }): Promise<LightMyRequestResponse> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await this.c.server.app.inject({
      ...o,
      headers: {
        host: new URL(this.c.server.url).host,
        ...this.headers,
        ...(cookie ? { cookie } : {}),
        ...(o.headers as Record<string, string>),
      },
    });
    for (const [name, line] of setCookies(res.headers["set-cookie"])) {
      const value = line.slice(name.length + 1).split(";")[0];
      if (/Max-Age=0/.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request({ method: "GET", url, headers });
  }

  post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request({
      method: "POST",
      url,
      payload: new URLSearchParams(form).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    });
  }

  /** The CSRF token of the page (every form carries it). */
  async csrf(url = "/console/login"): Promise<string> {
    const body = (await this.get(url)).body;
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    assert.ok(token, `a CSRF field on ${url}`);
    return token;
  }

  async login(password = PASSWORD): Promise<LightMyRequestResponse> {
    const token = await this.csrf();
    return this.post("/console/login", { _csrf: token, password, next: "/console/alarms" });
  }
}

describe("with a password", () => {
  let c: ConsoleServer;
  let clock = Date.now();
  before(async () => {
    c = await startConsole({ console: { password: PASSWORD, now: () => clock } });
  });
  after(() => c.close());

  test("pages need a login; the session cookie is HttpOnly, SameSite=Strict, scoped to the console", async () => {
    const client = new Client(c);
    const res = await client.get("/console/alarms?state=ALARM");
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/console/login?next=%2Fconsole%2Falarms%3Fstate%3DALARM");
    const cookie = setCookies(res.headers["set-cookie"]).get("tw_session");
    assert.ok(cookie);
    assert.match(cookie, /; Path=\/console; HttpOnly; SameSite=Strict$/, "no Secure over plain http");
    // htmx polls get a redirect header instead of a page.
    const poll = await client.get("/console/fragments/overview", { "hx-request": "true" });
    assert.equal(poll.statusCode, 401);
    assert.match(String(poll.headers["hx-redirect"]), /^\/console\/login/);
    // Static files and the login page are public.
    assert.equal((await client.get("/console/assets/console.css")).statusCode, 200);
    const login = await client.get("/console/login");
    assert.equal(login.statusCode, 200);
    assert.match(String(login.headers["content-security-policy"]), /script-src 'self'/);
    assert.equal(login.headers["x-frame-options"], "DENY");
  });

  test("a wrong password is refused; the right one starts a new session and goes where the visitor was headed", async () => {
    const client = new Client(c);
    const wrong = await client.login("guess");
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /Wrong password or token\./);
    const before = client.jar.get("tw_session");
    const ok = await client.login();
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, "/console/alarms");
    const after = client.jar.get("tw_session");
    assert.ok(after && after !== before, "login renews the session id");
    assert.equal((await client.get("/console/alarms")).statusCode, 200);
    // The pre-login session id is worth nothing.
    const planted = new Client(c);
    planted.jar.set("tw_session", before as string);
    assert.equal((await planted.get("/console/alarms")).statusCode, 303);
    // Logout ends it.
    const token = await client.csrf("/console/alarms");
    assert.equal((await client.post("/console/logout", { _csrf: token })).statusCode, 303);
    assert.equal((await client.get("/console/alarms")).statusCode, 303);
  });

  test("login attempts are rate-limited per address, and the limit passes with time", async () => {
    const client = new Client(c);
    // inject's remote address is 127.0.0.1 for every client: this test owns the limiter's state for it.
    for (let i = 0; i < 5; i++) assert.equal((await client.login(`wrong ${i}`)).statusCode, 401);
    const blocked = await client.login();
    assert.equal(blocked.statusCode, 429, "even the right password waits");
    const wait = Number(blocked.headers["retry-after"]);
    assert.ok(wait > 0 && wait <= 900, `Retry-After ${wait}`);
    assert.match(blocked.body, /Too many attempts/);
    clock += 15 * 60_000 + 1000;
    assert.equal((await client.login()).statusCode, 303);
  });

  test("every POST needs the session's CSRF token, from this origin", async () => {
    const client = new Client(c);
    await client.login();
    const none = await client.post("/console/log-groups", { logGroupName: "no-token" });
    assert.equal(none.statusCode, 403);
    const token = await client.csrf("/console/log-groups");
    const forged = await client.post("/console/log-groups", { logGroupName: "forged", _csrf: `${token}x` });
    assert.equal(forged.statusCode, 403);
    const foreign = await client.post(
      "/console/log-groups",
      { logGroupName: "foreign", _csrf: token },
      { origin: "https://evil.example" },
    );
    assert.equal(foreign.statusCode, 403);
    for (const name of ["no-token", "forged", "foreign"]) {
      assert.equal(await c.server.ctx.engine.store.getLogGroup(name), undefined, name);
    }
    const ok = await client.post("/console/log-groups", { logGroupName: GROUP, _csrf: token });
    assert.equal(ok.statusCode, 303);
    assert.ok(await c.server.ctx.engine.store.getLogGroup(GROUP));
    // htmx sends it as a header.
    const viaHeader = await client.post(
      "/console/metric-filters/test",
      { filterPattern: "ERROR", samples: "ERROR x" },
      { "x-csrf-token": token, "hx-request": "true" },
    );
    assert.equal(viaHeader.statusCode, 200);
  });

  test("what users and events wrote is escaped on every page", async () => {
    const client = new Client(c);
    await client.login();
    const evil = `<script>alert("x")</script>`;
    await c.server.ctx.engine.cloudwatch.putMetricAlarm({
      AlarmName: evil,
      AlarmDescription: `"><img src=x onerror=alert(1)>`,
      MetricName: "M",
      Namespace: "N",
      Statistic: "Sum",
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
    await c.server.ctx.engine.ingest(GROUP, "s", [{ timestamp: Date.now(), message: `<b>${evil}</b>` }]);
    const pages = [
      "/console/",
      "/console/alarms",
      `/console/alarms/detail?name=${encodeURIComponent(evil)}`,
      `/console/log-groups/detail?name=${encodeURIComponent(GROUP)}&search=1&pattern=script`,
    ];
    for (const url of pages) {
      const body = (await client.get(url)).body;
      assert.ok(!body.includes("<script>alert"), url);
      assert.ok(!body.includes("<img src=x"), url);
      assert.ok(body.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), url);
    }
    await c.server.ctx.engine.cloudwatch.deleteAlarms({ AlarmNames: [evil] });
  });

  test("writes go through the services' validation: a rejected filter is shown, nothing is stored", async () => {
    const client = new Client(c);
    await client.login();
    const token = await client.csrf("/console/metric-filters");
    const res = await client.post("/console/metric-filters", {
      _csrf: token,
      logGroupName: GROUP,
      filterPattern: "ERROR",
      filterName: "Bad",
      metricNamespace: "CloudTrailMetrics",
      metricName: "has:colon",
      metricValue: "1",
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /The request was rejected: 1 validation error detected/);
    assert.match(res.body, /failed to satisfy constraint/);
    assert.deepEqual(await c.server.ctx.engine.logs.describeMetricFilters({ logGroupName: GROUP }), []);
  });

  test("packs install by built-in name only", async () => {
    const client = new Client(c);
    await client.login();
    const token = await client.csrf("/console/packs");
    const odd = await client.post("/console/packs/install", { _csrf: token, name: "../package.json" });
    assert.equal(odd.statusCode, 303);
    assert.equal(c.server.ctx.engine.alarms.get("Root account usage"), undefined);
    const seed = await client.post("/console/packs/install", { _csrf: token, name: "seed" });
    assert.equal(seed.statusCode, 303);
    const page = await client.get("/console/packs");
    assert.match(page.body, /Pack seed installed: \d+ created, \d+ already present\./);
    assert.equal(c.server.ctx.engine.alarms.get("Root account usage")?.alarmType, "MetricAlarm");
    assert.equal((await c.server.ctx.engine.logs.describeMetricFilters({ logGroupName: GROUP })).length, 3);
  });
});

describe("the language switch", () => {
  test("sets a cookie that wins over Accept-Language, and only ever goes back into the console", async () => {
    const c = await startConsole();
    try {
      const client = new Client(c, { "accept-language": "en-US" });
      const sw = await client.get("/console/lang/ko?next=%2Fconsole%2Falarms");
      assert.equal(sw.statusCode, 303);
      assert.equal(sw.headers.location, "/console/alarms");
      assert.match(
        String(setCookies(sw.headers["set-cookie"]).get("tw_lang")),
        /^tw_lang=ko; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=31536000$/,
      );
      assert.match((await client.get("/console/alarms")).body, /<html lang="ko">[\s\S]*<h1>경보<\/h1>/);
      for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example", "/other"]) {
        const res = await client.get(`/console/lang/en?next=${encodeURIComponent(next)}`);
        assert.equal(res.headers.location, "/console/", next);
      }
    } finally {
      await c.close();
    }
  });
});

describe("without a password", () => {
  test("on loopback: served to loopback names only (no DNS rebinding)", async () => {
    const c = await startConsole();
    try {
      const local = new Client(c);
      assert.equal((await local.get("/console/")).statusCode, 200);
      const rebound = new Client(c, { host: "attacker.example:4566" });
      const res = await rebound.get("/console/");
      assert.equal(res.statusCode, 403);
      assert.doesNotMatch(res.body, /Overview/);
      // Still a CSRF token on every form.
      const token = await local.csrf("/console/log-groups");
      assert.equal((await local.post("/console/log-groups", { logGroupName: "x" })).statusCode, 403);
      assert.equal(
        (await local.post("/console/log-groups", { logGroupName: "x", _csrf: token })).statusCode,
        303,
      );
    } finally {
      await c.close();
    }
  });

  test("on a network address: not served at all, and the page says why, in the visitor's language", async () => {
    const c = await startConsole({ loopbackOnly: false });
    try {
      const en = await new Client(c).get("/console/");
      assert.equal(en.statusCode, 403);
      assert.match(en.body, /TRAILWATCH_CONSOLE_PASSWORD/);
      const ko = await new Client(c, { "accept-language": "ko-KR,ko;q=0.9" }).get("/console/alarms");
      assert.equal(ko.statusCode, 403);
      assert.match(ko.body, /콘솔이 비활성화됨/);
    } finally {
      await c.close();
    }
  });
});

describe("password hashes", () => {
  test("scrypt: the hash verifies its password only; a configured hash is used as given", async () => {
    const h = await hashConsolePassword("s3cret");
    assert.match(h, /^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    assert.equal(await verifyConsolePassword("s3cret", h), true);
    assert.equal(await verifyConsolePassword("s3cret ", h), false);
    const c = await startConsole({ console: { passwordHash: h } });
    try {
      const client = new Client(c);
      assert.equal((await client.login("s3cret")).statusCode, 303);
    } finally {
      await c.close();
    }
  });

  test("a malformed hash stops the start, not the first login", async () => {
    const c = await startConsole();
    try {
      await assert.rejects(
        registerConsole(c.server.app, c.server.ctx, { passwordHash: "sha1$abc", basePath: "/other" }),
        /expected scrypt\$N\$r\$p\$salt\$hash/,
      );
    } finally {
      await c.close();
    }
  });
});
