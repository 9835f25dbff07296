/**
 * The mailer against a real SMTP server (smtp-server on 127.0.0.1, random port), messages read back with
 * mailparser: what arrives, how each failure is classified, that every wait is bounded, and that a retry after
 * a server restart carries the same Message-ID.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import net from "node:net";
import { after, describe, test } from "node:test";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import {
  classifySmtpError,
  createMailer,
  type Mailer,
  type NotificationMail,
  smtpMessageId,
} from "../../src/notify/email/send.js";
import { loadSmtpSettings, type SmtpConfigInput } from "../../src/notify/email/smtp-config.js";

interface Received {
  raw: string;
  parsed: ParsedMail;
  from: string;
  to: string[];
  user: string | undefined;
}

interface TestServer {
  port: number;
  received: Received[];
  /** Most connections open at once. */
  peakConnections: number;
  close(): Promise<void>;
}

type RejectRule = (address: string) => { code: number; message: string } | undefined;

/** smtp-server as the stack notes verified it: 127.0.0.1, AUTH optional, no STARTTLS. */
async function startServer(
  options: { port?: number; rejectRcpt?: RejectRule; requireAuth?: { user: string; password: string } } = {},
): Promise<TestServer> {
  const received: Received[] = [];
  let open = 0;
  let peak = 0;
  const config: SMTPServerOptions = {
    logger: false,
    disabledCommands: ["STARTTLS"],
    authOptional: !options.requireAuth,
    allowInsecureAuth: true,
    closeTimeout: 100,
    onConnect(_session, cb) {
      open++;
      peak = Math.max(peak, open);
      cb();
    },
    onClose() {
      open--;
    },
    onAuth(auth, _session, cb) {
      const want = options.requireAuth;
      if (want && auth.username === want.user && auth.password === want.password) {
        cb(null, { user: auth.username });
        return;
      }
      cb(new Error("Invalid username or password"));
    },
    onRcptTo(address, _session, cb) {
      const rule = options.rejectRcpt?.(address.address);
      if (rule) {
        const err = Object.assign(new Error(rule.message), { responseCode: rule.code });
        cb(err);
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const envelopeFrom = session.envelope.mailFrom;
            received.push({
              raw: raw.toString("utf8"),
              parsed,
              from: envelopeFrom ? envelopeFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address),
              user: typeof session.user === "string" ? session.user : undefined,
            });
            cb(null, "OK: queued as TEST");
          },
          (err: Error) => cb(err),
        );
      });
    },
  };
  const server = new SMTPServer(config);
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as net.AddressInfo).port;
  return {
    port,
    received,
    get peakConnections() {
      return peak;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nobody listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A TCP server that accepts and then does nothing, or only greets (`greet`). */
async function silentServer(greet = false): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const s = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("error", () => {});
    sock.on("close", () => sockets.delete(sock));
    if (greet) sock.write("220 slow.example ESMTP\r\n");
  });
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  return {
    port: (s.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const sock of sockets) sock.destroy();
        s.close(() => r());
      }),
  };
}

const mailers: Mailer[] = [];
function mailerFor(port: number, config: SmtpConfigInput = {}): Mailer {
  const m = createMailer(
    loadSmtpSettings({
      env: {},
      config: {
        host: "127.0.0.1",
        port,
        starttls: "off",
        from: "trailwatch <alarms@trailwatch.test>",
        ...config,
      },
    }),
  );
  mailers.push(m);
  return m;
}
after(async () => {
  for (const m of mailers) await m.close();
});

const ARN = "arn:aws:sns:us-east-1:123456789012:security-alarms:5f1e2d3c-0000-4000-8000-000000000001";
const UNSUBSCRIBE = `https://trailwatch.example.com/unsubscribe?SubscriptionArn=${encodeURIComponent(ARN)}&Endpoint=${encodeURIComponent("ops@example.com")}`;

function notification(overrides: Partial<NotificationMail> = {}): NotificationMail {
  return {
    to: "ops@example.com",
    subject: 'ALARM: "RootAccountUsage" in US East (N. Virginia)',
    text: [
      'You are receiving this email because your Amazon CloudWatch Alarm "RootAccountUsage" has entered the ALARM state.',
      "",
      "--",
      "If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:",
      UNSUBSCRIBE,
    ].join("\n"),
    html: `<p>Alarm <b>RootAccountUsage</b> is in ALARM.</p><p><a href="${UNSUBSCRIBE}">Unsubscribe</a></p>`,
    messageId: smtpMessageId(randomUUID()),
    unsubscribeUrl: UNSUBSCRIBE,
    ...overrides,
  };
}

function headerLines(raw: string, name: string): string[] {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  return unfolded
    .split(/\r?\n/)
    .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((l) => l.slice(name.length + 1).trim());
}

describe("smtpMessageId", () => {
  test("wraps an id as <id@trailwatch>", () => {
    assert.equal(
      smtpMessageId("3f2c0e3a-1b2c-4d5e-8f90-123456789abc"),
      "<3f2c0e3a-1b2c-4d5e-8f90-123456789abc@trailwatch>",
    );
  });
  test("refuses characters that do not belong in a Message-ID", () => {
    assert.throws(() => smtpMessageId("a b"), TypeError);
    assert.throws(() => smtpMessageId("x>y"), TypeError);
    assert.throws(() => smtpMessageId(""), TypeError);
  });
});

describe("a notification mail through a real SMTP server", () => {
  test("arrives with subject, from, to, text and html parts, the given Message-ID and the list headers", async () => {
    const server = await startServer();
    try {
      const mailer = mailerFor(server.port);
      const mail = notification({ headers: { "X-Trailwatch-Alarm": "RootAccountUsage" } });
      const result = await mailer.send(mail);
      assert.equal(result.accepted, true, result.error);
      assert.equal(result.permanent, false);
      assert.equal(result.messageId, mail.messageId);
      assert.equal(result.code, 250);
      assert.match(result.response ?? "", /^250 OK: queued as TEST/);

      assert.equal(server.received.length, 1);
      const got = server.received[0]!;
      const p = got.parsed;
      assert.equal(p.subject, mail.subject);
      assert.deepEqual(
        p.from?.value.map((a) => [a.name, a.address]),
        [["trailwatch", "alarms@trailwatch.test"]],
      );
      const to = Array.isArray(p.to) ? p.to : [p.to];
      assert.deepEqual(
        to.flatMap((t) => t?.value.map((a) => a.address) ?? []),
        ["ops@example.com"],
      );
      assert.equal(got.from, "alarms@trailwatch.test", "envelope sender is the From address");
      assert.deepEqual(got.to, ["ops@example.com"]);
      assert.equal(p.text?.trim(), mail.text);
      assert.equal(p.html, mail.html);
      assert.match(headerLines(got.raw, "Content-Type")[0] ?? "", /^multipart\/alternative;/);

      // Exactly the Message-ID given, not one nodemailer made up.
      assert.equal(p.messageId, mail.messageId);
      assert.deepEqual(headerLines(got.raw, "Message-ID"), [mail.messageId]);

      assert.deepEqual(headerLines(got.raw, "List-Unsubscribe"), [`<${UNSUBSCRIBE}>`]);
      assert.deepEqual(headerLines(got.raw, "List-Unsubscribe-Post"), [], "one-click only when asked for");
      assert.deepEqual(headerLines(got.raw, "Auto-Submitted"), ["auto-generated"]);
      assert.equal(p.headers.get("auto-submitted"), "auto-generated");
      assert.deepEqual(headerLines(got.raw, "X-Trailwatch-Alarm"), ["RootAccountUsage"]);
      const list = p.headers.get("list") as { unsubscribe?: { url?: string } } | undefined;
      assert.equal(list?.unsubscribe?.url, UNSUBSCRIBE);
    } finally {
      await server.close();
    }
  });

  test("List-Unsubscribe-Post is added for a one-click https URL only", async () => {
    const server = await startServer();
    try {
      const mailer = mailerFor(server.port);
      assert.equal((await mailer.send(notification({ unsubscribeOneClick: true }))).accepted, true);
      const httpUrl = "http://localhost:8080/unsubscribe?token=abc";
      assert.equal(
        (await mailer.send(notification({ unsubscribeUrl: httpUrl, unsubscribeOneClick: true }))).accepted,
        true,
      );
      const noLink = notification();
      delete noLink.unsubscribeUrl;
      assert.equal((await mailer.send(noLink)).accepted, true);

      const [oneClick, plainHttp, none] = server.received;
      assert.deepEqual(headerLines(oneClick!.raw, "List-Unsubscribe-Post"), ["List-Unsubscribe=One-Click"]);
      assert.deepEqual(headerLines(plainHttp!.raw, "List-Unsubscribe"), [`<${httpUrl}>`]);
      assert.deepEqual(headerLines(plainHttp!.raw, "List-Unsubscribe-Post"), []);
      assert.deepEqual(headerLines(none!.raw, "List-Unsubscribe"), []);
      assert.deepEqual(headerLines(none!.raw, "Auto-Submitted"), ["auto-generated"]);
    } finally {
      await server.close();
    }
  });

  test("a given Date is kept, so a retried copy is the same message", async () => {
    const server = await startServer();
    try {
      const mailer = mailerFor(server.port);
      const date = new Date("2026-11-28T10:15:00.000Z");
      const mail = notification({ date });
      assert.equal((await mailer.send(mail)).accepted, true);
      assert.equal((await mailer.send(mail)).accepted, true);
      const [a, b] = server.received;
      assert.equal(a!.parsed.date?.toISOString(), date.toISOString());
      assert.equal(b!.parsed.messageId, a!.parsed.messageId);
      assert.equal(b!.parsed.date?.toISOString(), date.toISOString());
    } finally {
      await server.close();
    }
  });

  test("the pool stays within maxConnections when sends overlap", async () => {
    const server = await startServer();
    try {
      const mailer = mailerFor(server.port, { pool: { maxConnections: 1 } });
      const results = await Promise.all([1, 2, 3, 4].map(() => mailer.send(notification())));
      assert.ok(results.every((r) => r.accepted));
      assert.equal(server.received.length, 4);
      assert.equal(server.peakConnections, 1);
      assert.equal(new Set(server.received.map((r) => r.parsed.messageId)).size, 4);
    } finally {
      await server.close();
    }
  });

  test("bad input is a permanent 'invalid' failure and nothing is sent", async () => {
    const server = await startServer();
    try {
      const mailer = mailerFor(server.port);
      const cases: Partial<NotificationMail>[] = [
        { messageId: "3f2c0e3a" },
        { messageId: "<no-at-sign>" },
        { to: "not an address" },
        { to: "a@example.com, b@example.com" },
        { subject: "two\r\nlines" },
        { headers: { "Message-ID": "<other@x>" } },
        { headers: { "X-Ok": "evil\r\nBcc: victim@example.com" } },
        { headers: { "Bad Name": "x" } },
        { unsubscribeUrl: "javascript:alert(1)" },
        { unsubscribeUrl: "https://x.example/<u>" },
      ];
      for (const c of cases) {
        const r = await mailer.send(notification(c));
        assert.equal(r.accepted, false, JSON.stringify(c));
        assert.equal(r.permanent, true, JSON.stringify(c));
        assert.equal(r.reason, "invalid", JSON.stringify(c));
      }
      assert.equal(server.received.length, 0);
    } finally {
      await server.close();
    }
  });
});

describe("authentication", () => {
  const creds = { user: "alice", password: "correct horse battery staple" };

  test("AUTH with the configured user and password", async () => {
    const server = await startServer({ requireAuth: creds });
    try {
      const mailer = mailerFor(server.port, creds);
      const r = await mailer.send(notification());
      assert.equal(r.accepted, true, r.error);
      assert.equal(server.received[0]?.user, "alice");
      assert.deepEqual(await mailer.verify(), { ok: true, permanent: false });
    } finally {
      await server.close();
    }
  });

  test("a wrong password is a permanent auth failure, and its text does not carry the password", async () => {
    const server = await startServer({ requireAuth: creds });
    try {
      const wrong = "hunter2-not-it";
      const mailer = mailerFor(server.port, { user: "alice", password: wrong });
      const r = await mailer.send(notification());
      assert.equal(r.accepted, false);
      assert.equal(r.permanent, true);
      assert.equal(r.reason, "auth");
      assert.equal(r.code, 535);
      assert.ok(!JSON.stringify(r).includes(wrong));
      const v = await mailer.verify();
      assert.equal(v.ok, false);
      assert.equal(v.reason, "auth");
      assert.equal(v.permanent, true);
      assert.equal(server.received.length, 0);
    } finally {
      await server.close();
    }
  });

  test("no credentials where the server requires them: 530 to MAIL FROM, a permanent auth failure", async () => {
    const server = await startServer({ requireAuth: creds });
    try {
      const r = await mailerFor(server.port).send(notification());
      assert.equal(r.accepted, false);
      assert.equal(r.permanent, true);
      assert.equal(r.reason, "auth");
      assert.equal(r.code, 530);
    } finally {
      await server.close();
    }
  });
});

describe("failures and their classification", () => {
  test("550 to RCPT TO is permanent", async () => {
    const server = await startServer({
      rejectRcpt: (a) =>
        a === "gone@example.com" ? { code: 550, message: "5.1.1 Mailbox unavailable" } : undefined,
    });
    try {
      const r = await mailerFor(server.port).send(notification({ to: "gone@example.com" }));
      assert.equal(r.accepted, false);
      assert.equal(r.permanent, true);
      assert.equal(r.reason, "recipient");
      assert.equal(r.code, 550);
      assert.match(r.response ?? "", /^550 5\.1\.1 Mailbox unavailable/);
      assert.equal(server.received.length, 0);
    } finally {
      await server.close();
    }
  });

  test("451 to RCPT TO is transient", async () => {
    const server = await startServer({
      rejectRcpt: () => ({ code: 451, message: "4.3.0 Try again later" }),
    });
    try {
      const r = await mailerFor(server.port).send(notification());
      assert.equal(r.accepted, false);
      assert.equal(r.permanent, false);
      assert.equal(r.reason, "recipient");
      assert.equal(r.code, 451);
    } finally {
      await server.close();
    }
  });

  test("a closed port is transient and the call returns within the connection timeout", async () => {
    const port = await closedPort();
    const timeoutMs = 1000;
    const mailer = mailerFor(port, { timeouts: { connectionMs: timeoutMs } });
    const started = performance.now();
    const r = await mailer.send(notification());
    const elapsed = performance.now() - started;
    assert.equal(r.accepted, false);
    assert.equal(r.permanent, false);
    assert.equal(r.reason, "connection");
    assert.match(r.error ?? "", /ECONNREFUSED/);
    assert.ok(elapsed < timeoutMs + 1000, `took ${elapsed} ms`);
    const v = await mailer.verify();
    assert.equal(v.ok, false);
    assert.equal(v.permanent, false);
  });

  test("a server that accepts but never greets is transient within the greeting timeout", async () => {
    const silent = await silentServer();
    try {
      const greetingMs = 400;
      const mailer = mailerFor(silent.port, { timeouts: { greetingMs } });
      const started = performance.now();
      const r = await mailer.send(notification());
      const elapsed = performance.now() - started;
      assert.equal(r.accepted, false);
      assert.equal(r.permanent, false);
      assert.equal(r.reason, "timeout");
      assert.match(r.error ?? "", /greeting/i);
      assert.ok(elapsed >= greetingMs - 50, `took ${elapsed} ms`);
      assert.ok(elapsed < greetingMs + 1000, `took ${elapsed} ms`);
    } finally {
      await silent.close();
    }
  });

  test("a server that greets and then goes quiet is transient within the socket timeout", async () => {
    const quiet = await silentServer(true);
    try {
      const socketMs = 400;
      const mailer = mailerFor(quiet.port, { timeouts: { socketMs } });
      const started = performance.now();
      const r = await mailer.send(notification());
      const elapsed = performance.now() - started;
      assert.equal(r.permanent, false);
      assert.equal(r.reason, "timeout");
      assert.ok(elapsed < socketMs + 1000, `took ${elapsed} ms`);
    } finally {
      await quiet.close();
    }
  });

  test("the whole-send deadline cuts a send short even when the socket timeout is long", async () => {
    const quiet = await silentServer(true);
    try {
      const sendMs = 300;
      const mailer = mailerFor(quiet.port, { timeouts: { socketMs: 60_000, sendMs } });
      const started = performance.now();
      const r = await mailer.send(notification());
      const elapsed = performance.now() - started;
      assert.equal(r.accepted, false);
      assert.equal(r.permanent, false);
      assert.equal(r.reason, "timeout");
      assert.match(r.error ?? "", /within 300 ms/);
      assert.ok(elapsed < sendMs + 1000, `took ${elapsed} ms`);
    } finally {
      await quiet.close();
    }
  });

  test("requiring STARTTLS from a server without it fails, as a TLS problem", async () => {
    const server = await startServer();
    try {
      const r = await mailerFor(server.port, { starttls: "require" }).send(notification());
      assert.equal(r.accepted, false);
      assert.equal(r.reason, "tls");
      assert.equal(r.code, 500, "smtp-server answers STARTTLS with 500 command not recognized");
      assert.equal(r.permanent, true);
      assert.equal(server.received.length, 0);
    } finally {
      await server.close();
    }
  });

  test("classifySmtpError on errors without a reply", () => {
    const mk = (code: string, message = "x") => Object.assign(new Error(message), { code });
    assert.deepEqual(
      [
        "ECONNECTION",
        "ESOCKET",
        "EDNS",
        "ETIMEDOUT",
        "ETLS",
        "EPROTOCOL",
        "EAUTH",
        "ENOAUTH",
        "EENVELOPE",
        "EMESSAGE",
        "WHATEVER",
      ].map((c) => {
        const r = classifySmtpError(mk(c));
        return [c, r.permanent, r.reason];
      }),
      [
        ["ECONNECTION", false, "connection"],
        ["ESOCKET", false, "connection"],
        ["EDNS", false, "connection"],
        ["ETIMEDOUT", false, "timeout"],
        ["ETLS", false, "tls"],
        ["EPROTOCOL", false, "protocol"],
        ["EAUTH", true, "auth"],
        ["ENOAUTH", true, "auth"],
        ["EENVELOPE", true, "invalid"],
        ["EMESSAGE", true, "invalid"],
        ["WHATEVER", false, "unknown"],
      ],
    );
    const reply = (responseCode: number, command: string) =>
      classifySmtpError(Object.assign(new Error("m"), { code: "EENVELOPE", responseCode, command }));
    assert.equal(reply(503, "RCPT TO").permanent, false, "503 is a session problem, not a refusal");
    assert.equal(reply(552, "DATA").permanent, true);
    assert.equal(reply(552, "DATA").reason, "message");
    assert.equal(reply(421, "CONN").permanent, false);
    assert.equal(reply(421, "CONN").reason, "connection");
    assert.equal(reply(554, "CONN").reason, "rejected");
    assert.equal(classifySmtpError("boom").reason, "unknown");
  });
});

describe("the outbox's retry after an outage", () => {
  test("the server goes away, comes back on the same port, and the retry delivers the same Message-ID", async () => {
    const first = await startServer();
    const port = first.port;
    const mailer = mailerFor(port, { timeouts: { connectionMs: 1000 } });

    // A pooled connection exists before the outage.
    assert.equal((await mailer.send(notification())).accepted, true);
    await first.close();

    const mail = notification({ date: new Date("2026-11-28T12:00:00.000Z") });
    const down = await mailer.send(mail);
    assert.equal(down.accepted, false);
    assert.equal(down.permanent, false, "an outage is worth retrying");

    const second = await startServer({ port });
    try {
      const retry = await mailer.send(mail);
      assert.equal(retry.accepted, true, retry.error);
      assert.equal(retry.messageId, mail.messageId);
      assert.equal(second.received.length, 1);
      assert.equal(second.received[0]!.parsed.messageId, mail.messageId);
      assert.deepEqual(headerLines(second.received[0]!.raw, "Message-ID"), [mail.messageId]);
    } finally {
      await second.close();
    }
  });

  test("a restart between two sends: the stale pooled connection does not lose the next message", async () => {
    const first = await startServer();
    const port = first.port;
    const mailer = mailerFor(port);
    assert.equal((await mailer.send(notification())).accepted, true);
    await first.close();
    const second = await startServer({ port });
    try {
      const mail = notification();
      const r = await mailer.send(mail);
      assert.equal(r.accepted, true, r.error);
      assert.equal(second.received[0]?.parsed.messageId, mail.messageId);
    } finally {
      await second.close();
    }
  });
});
