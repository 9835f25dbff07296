/** SMTP settings: defaults, environment over config, validation text, and a password that never shows. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import {
  describeSmtpSettings,
  loadSmtpSettings,
  parseMailbox,
  Secret,
  SMTP_DEFAULTS,
  SmtpConfigError,
  type SmtpConfigInput,
} from "../../src/notify/email/smtp-config.js";

function problemsOf(config: SmtpConfigInput, env: Record<string, string> = {}): readonly string[] {
  try {
    loadSmtpSettings({ config, env });
  } catch (e) {
    assert.ok(e instanceof SmtpConfigError);
    assert.equal(e.name, "SmtpConfigError");
    return e.problems;
  }
  assert.fail("expected SmtpConfigError");
}

describe("defaults", () => {
  test("nothing configured: localhost:587, opportunistic STARTTLS, no AUTH, trailwatch <no-reply@localhost>", () => {
    const s = loadSmtpSettings({ env: {} });
    assert.deepEqual(s, {
      host: "localhost",
      port: 587,
      secure: false,
      starttls: "opportunistic",
      from: "trailwatch <no-reply@localhost>",
      fromAddress: "no-reply@localhost",
      tlsRejectUnauthorized: true,
      pool: { maxConnections: 2, maxMessages: 100 },
      timeouts: { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000, sendMs: 60_000 },
    });
    assert.equal(s.auth, undefined);
  });

  test("implicit TLS defaults the port to 465, and port 465 implies implicit TLS", () => {
    const a = loadSmtpSettings({ env: { TRAILWATCH_SMTP_SECURE: "true" } });
    assert.equal(a.port, 465);
    assert.equal(a.secure, true);
    assert.equal(a.starttls, "off");
    const b = loadSmtpSettings({ env: { TRAILWATCH_SMTP_PORT: "465" } });
    assert.equal(b.secure, true);
    const c = loadSmtpSettings({ env: { TRAILWATCH_SMTP_PORT: "465", TRAILWATCH_SMTP_SECURE: "false" } });
    assert.equal(c.secure, false, "an explicit secure=false wins");
    assert.equal(c.starttls, "opportunistic");
  });

  test("loadSmtpSettings() without options reads process.env", () => {
    const saved = process.env.TRAILWATCH_SMTP_HOST;
    process.env.TRAILWATCH_SMTP_HOST = "mail.from-process-env.test";
    try {
      assert.equal(loadSmtpSettings().host, "mail.from-process-env.test");
    } finally {
      if (saved === undefined) delete process.env.TRAILWATCH_SMTP_HOST;
      else process.env.TRAILWATCH_SMTP_HOST = saved;
    }
  });
});

describe("environment and config", () => {
  test("every variable is read", () => {
    const s = loadSmtpSettings({
      env: {
        TRAILWATCH_SMTP_HOST: "smtp.example.com",
        TRAILWATCH_SMTP_PORT: "2525",
        TRAILWATCH_SMTP_SECURE: "no",
        TRAILWATCH_SMTP_STARTTLS: "REQUIRE",
        TRAILWATCH_SMTP_USER: "alarms",
        TRAILWATCH_SMTP_PASSWORD: "pa55",
        TRAILWATCH_SMTP_FROM: "Security Alarms <alarms@example.com>",
        TRAILWATCH_SMTP_TLS_REJECT_UNAUTHORIZED: "0",
      },
    });
    assert.equal(s.host, "smtp.example.com");
    assert.equal(s.port, 2525);
    assert.equal(s.secure, false);
    assert.equal(s.starttls, "require");
    assert.equal(s.auth?.user, "alarms");
    assert.equal(s.auth?.password.reveal(), "pa55");
    assert.equal(s.from, "Security Alarms <alarms@example.com>");
    assert.equal(s.fromAddress, "alarms@example.com");
    assert.equal(s.tlsRejectUnauthorized, false);
  });

  test("the environment wins over the config, field by field; an empty variable counts as unset", () => {
    const s = loadSmtpSettings({
      config: { host: "config.example.com", port: 25, starttls: "off", from: "config@example.com" },
      env: { TRAILWATCH_SMTP_HOST: "env.example.com", TRAILWATCH_SMTP_PORT: "", TRAILWATCH_SMTP_FROM: "  " },
    });
    assert.equal(s.host, "env.example.com");
    assert.equal(s.port, 25);
    assert.equal(s.starttls, "off");
    assert.equal(s.from, "config@example.com");
  });

  test("config-only settings: name, pool, timeouts", () => {
    const s = loadSmtpSettings({
      env: {},
      config: {
        port: "587",
        secure: "false",
        name: "trailwatch.example.com",
        pool: { maxConnections: 1, maxMessages: 10 },
        timeouts: { connectionMs: 500, sendMs: 5000 },
      },
    });
    assert.equal(s.port, 587);
    assert.equal(s.name, "trailwatch.example.com");
    assert.deepEqual(s.pool, { maxConnections: 1, maxMessages: 10 });
    assert.deepEqual(s.timeouts, {
      connectionMs: 500,
      greetingMs: SMTP_DEFAULTS.timeouts.greetingMs,
      socketMs: SMTP_DEFAULTS.timeouts.socketMs,
      sendMs: 5000,
    });
  });
});

describe("validation", () => {
  test("a port that is not a number, or out of range", () => {
    assert.deepEqual(problemsOf({}, { TRAILWATCH_SMTP_PORT: "abc" }), [
      'TRAILWATCH_SMTP_PORT must be a whole number from 1 to 65535, got "abc"',
    ]);
    for (const bad of ["0", "65536", "25.5", "-1", "0x19"]) {
      assert.equal(problemsOf({}, { TRAILWATCH_SMTP_PORT: bad }).length, 1, bad);
    }
    assert.deepEqual(problemsOf({ port: 70000 }), [
      "config.port must be a whole number from 1 to 65535, got 70000",
    ]);
  });

  test("booleans, STARTTLS mode, host", () => {
    assert.deepEqual(problemsOf({}, { TRAILWATCH_SMTP_SECURE: "maybe" }), [
      'TRAILWATCH_SMTP_SECURE must be true or false, got "maybe"',
    ]);
    assert.deepEqual(problemsOf({}, { TRAILWATCH_SMTP_TLS_REJECT_UNAUTHORIZED: "nope" }), [
      'TRAILWATCH_SMTP_TLS_REJECT_UNAUTHORIZED must be true or false, got "nope"',
    ]);
    assert.deepEqual(problemsOf({}, { TRAILWATCH_SMTP_STARTTLS: "sometimes" }), [
      'TRAILWATCH_SMTP_STARTTLS must be one of require, opportunistic, off, got "sometimes"',
    ]);
    assert.deepEqual(problemsOf({ secure: true, starttls: "require" }), [
      "config.starttls applies only to plain connections; implicit TLS is on (secure, or port 465)",
    ]);
    assert.deepEqual(problemsOf({ host: "smtp example.com" }), [
      "config.host must be a host name or IP address",
    ]);
  });

  test("user and password come together", () => {
    assert.deepEqual(problemsOf({}, { TRAILWATCH_SMTP_USER: "alarms" }), [
      "TRAILWATCH_SMTP_USER is set but no password is (TRAILWATCH_SMTP_PASSWORD or config.password)",
    ]);
    assert.deepEqual(problemsOf({ password: "s3cret-value" }), [
      "config.password is set but no user is (TRAILWATCH_SMTP_USER or config.user)",
    ]);
  });

  test("From must be one mailbox", () => {
    assert.deepEqual(problemsOf({ from: "not an address" }), [
      'config.from must be one mailbox such as "trailwatch <alerts@example.com>", got "not an address"',
    ]);
    assert.equal(problemsOf({ from: "a@example.com, b@example.com" }).length, 1);
    assert.equal(problemsOf({ from: "x@example.com\r\nBcc: y@example.com" }).length, 1);
  });

  test("config-only ranges", () => {
    assert.deepEqual(
      problemsOf({ pool: { maxConnections: 0 }, timeouts: { greetingMs: 1.5 }, name: "bad name" }),
      [
        'config.name must be a host name, got "bad name"',
        "config.pool.maxConnections must be a whole number from 1 to 100, got 0",
        "config.timeouts.greetingMs must be a whole number from 1 to 600000, got 1.5",
      ],
    );
  });

  test("every problem is reported at once, in one message", () => {
    try {
      loadSmtpSettings({
        env: { TRAILWATCH_SMTP_PORT: "x", TRAILWATCH_SMTP_SECURE: "y", TRAILWATCH_SMTP_FROM: "z" },
      });
      assert.fail("expected an error");
    } catch (e) {
      assert.ok(e instanceof SmtpConfigError);
      assert.equal(e.problems.length, 3);
      assert.equal(e.message, `Invalid SMTP settings: ${e.problems.join("; ")}`);
    }
  });

  test("a bad password setting is reported without its value", () => {
    const secret = "do-not-print-me";
    const problems = problemsOf({ password: secret, port: "bad" });
    assert.ok(problems.length > 0);
    assert.ok(!problems.join("\n").includes(secret));
  });
});

describe("the password never shows", () => {
  const password = "correct horse battery staple";
  const settings = loadSmtpSettings({
    env: { TRAILWATCH_SMTP_USER: "alarms", TRAILWATCH_SMTP_PASSWORD: password },
  });

  test("not in JSON, util.inspect, String(), or a template", () => {
    assert.ok(!JSON.stringify(settings).includes(password));
    assert.ok(!inspect(settings, { depth: 10 }).includes(password));
    assert.ok(!inspect(settings, { depth: 10, showHidden: true }).includes(password));
    assert.equal(String(settings.auth?.password), "[redacted]");
    assert.equal(`${settings.auth?.password}`, "[redacted]");
    assert.match(JSON.stringify(settings), /"password":"\[redacted\]"/);
  });

  test("describeSmtpSettings is log-safe and says whether a password is set", () => {
    const d = describeSmtpSettings(settings);
    assert.equal(d.user, "alarms");
    assert.equal(d.password, "[redacted]");
    assert.ok(!JSON.stringify(d).includes(password));
    assert.equal(describeSmtpSettings(loadSmtpSettings({ env: {} })).password, null);
  });

  test("reveal() gives the value to the one caller that needs it", () => {
    assert.equal(settings.auth?.password.reveal(), password);
    assert.equal(new Secret("x").reveal(), "x");
  });
});

describe("parseMailbox", () => {
  test("bare and named addresses", () => {
    assert.deepEqual(parseMailbox("ops@example.com"), { name: "", address: "ops@example.com" });
    assert.deepEqual(parseMailbox('"Ops, Team" <ops@example.com>'), {
      name: "Ops, Team",
      address: "ops@example.com",
    });
    assert.equal(parseMailbox("nobody"), undefined);
    assert.equal(parseMailbox("Group: a@example.com, b@example.com;"), undefined);
  });
});
