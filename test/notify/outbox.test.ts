/**
 * The outbox against real components: a SQLite store in a temp dir, a real smtp-server on 127.0.0.1 behind a
 * mailer from createMailer, a real node:http server behind postDelivery. Time is a manual clock.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { createMailer, type Mailer, smtpMessageId } from "../../src/notify/email/send.js";
import { loadSmtpSettings } from "../../src/notify/email/smtp-config.js";
import { notification } from "../../src/notify/http/index.js";
import { emailSender, httpSender, Outbox } from "../../src/notify/outbox.js";
import { loadOrCreateSigningIdentity } from "../../src/notify/signing/index.js";
import { makeDestinationGuard } from "../../src/notify/ssrf.js";
import { openSqliteStore as openSqlite } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/store.js";
import type { OutboxItem } from "../../src/store/types.js";
import { freePort } from "../helpers/server.js";

/** The outbox touches no metric sketches; the store requires a merge function all the same. */
const openSqliteStore = (o: { path: string }) => openSqlite({ ...o, mergeSketch: (a) => a });

const dir = mkdtempSync(join(tmpdir(), "trailwatch-outbox-"));
const stores: Store[] = [];
const mailers: Mailer[] = [];
after(async () => {
  for (const m of mailers) await m.close();
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openStore(name: string): Promise<Store> {
  const s = await openSqliteStore({ path: join(dir, `${name}.sqlite`) });
  stores.push(s);
  return s;
}

const T0 = Date.UTC(2024, 0, 1);
function manualClock(start = T0) {
  return {
    t: start,
    now() {
      return this.t;
    },
  };
}

const SUB = "arn:aws:sns:us-east-1:123456789012:alarms:5f1e2d3c-0000-4000-8000-000000000001";

interface SmtpTest {
  received: ParsedMail[];
  close(): Promise<void>;
}

async function startSmtp(port: number, rejectRcpt?: (a: string) => boolean): Promise<SmtpTest> {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    closeTimeout: 100,
    onRcptTo(address, _session, cb) {
      if (rejectRcpt?.(address.address)) {
        cb(Object.assign(new Error("5.1.1 mailbox unavailable"), { responseCode: 550 }));
        return;
      }
      cb();
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        simpleParser(Buffer.concat(chunks)).then(
          (p) => {
            received.push(p);
            cb(null, "OK: queued");
          },
          (err: Error) => cb(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return { received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function mailerFor(port: number): Mailer {
  const m = createMailer(
    loadSmtpSettings({
      env: {},
      config: { host: "127.0.0.1", port, starttls: "off", from: "trailwatch <alarms@trailwatch.test>" },
    }),
  );
  mailers.push(m);
  return m;
}

function emailItem(to = "ops@example.com") {
  return {
    id: randomUUID(),
    subscriptionArn: SUB,
    protocol: "email" as const,
    endpoint: to,
    payload: JSON.stringify({
      subject: "ALARM: RootAccountUsage",
      text: "in ALARM",
      html: "<p>in ALARM</p>",
    }),
  };
}

describe("Outbox: e-mail", () => {
  test("SMTP down: attempts logged, item stays pending with growing delays; server up: delivered once, same Message-ID", async () => {
    const store = await openStore("smtp-down");
    const clock = manualClock();
    const port = await freePort();
    const outbox = new Outbox({
      store,
      clock,
      random: () => 0.5,
      senders: { email: emailSender(mailerFor(port)) },
    });
    const item = emailItem();
    assert.equal(await outbox.enqueue([item]), 1);
    assert.equal(await outbox.enqueue([item]), 0);

    const waits: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const before = clock.t;
      assert.deepEqual(await outbox.runDue(), { delivered: 0, retried: 1, dead: 0 });
      const stored = (await store.getDelivery(item.id)) as OutboxItem;
      assert.equal(stored.status, "pending");
      assert.equal(stored.attempts, i);
      assert.ok(stored.lastError);
      assert.ok(stored.nextAttemptAt > before);
      waits.push(stored.nextAttemptAt - before);
      // Not due before its time.
      clock.t = stored.nextAttemptAt - 1;
      assert.deepEqual(await outbox.runDue(), { delivered: 0, retried: 0, dead: 0 });
      clock.t = stored.nextAttemptAt;
    }
    // SNS's SMTP policy: 2 retries 10 s apart, then exponential backoff (equal jitter at r = 0.5: 75%).
    assert.deepEqual(waits.slice(0, 2), [7500, 7500]);
    assert.ok(waits[3] > waits[2] && waits[2] >= waits[1], `waits ${waits}`);
    const log = await store.deliveryAttempts(item.id);
    assert.equal(log.length, 4);
    assert.ok(log.every((a) => !a.ok && a.error));

    const smtp = await startSmtp(port);
    try {
      assert.deepEqual(await outbox.runDue(), { delivered: 1, retried: 0, dead: 0 });
      clock.t += 24 * 3600_000;
      assert.deepEqual(await outbox.runDue(), { delivered: 0, retried: 0, dead: 0 });
      assert.equal(smtp.received.length, 1);
      assert.equal(smtp.received[0].messageId, smtpMessageId(item.id));
      assert.equal(smtp.received[0].messageId, `<${item.id}@trailwatch>`);
      const stored = (await store.getDelivery(item.id)) as OutboxItem;
      assert.equal(stored.status, "delivered");
      assert.equal(stored.attempts, 5);
      assert.equal(stored.lastError, undefined);
      assert.equal((await store.deliveryAttempts(item.id)).at(-1)?.ok, true);
      assert.equal(await store.countDeliveries("delivered"), 1);
    } finally {
      await smtp.close();
    }
  });

  test("a 550 rejection is dead-lettered at once and onDeadLetter is called", async () => {
    const store = await openStore("smtp-550");
    const port = await freePort();
    const smtp = await startSmtp(port, (a) => a.startsWith("nobody@"));
    const dead: OutboxItem[] = [];
    try {
      const outbox = new Outbox({
        store,
        clock: manualClock(),
        senders: { email: emailSender(mailerFor(port)) },
        onDeadLetter: (i) => {
          dead.push(i);
        },
      });
      const item = emailItem("nobody@example.com");
      await outbox.enqueue([item]);
      assert.deepEqual(await outbox.runDue(), { delivered: 0, retried: 0, dead: 1 });
      assert.equal(dead.length, 1);
      assert.equal(dead[0].id, item.id);
      assert.equal(dead[0].status, "dead");
      assert.match(dead[0].lastError ?? "", /550/);
      assert.deepEqual(
        (await store.listDeliveries({ status: "dead", limit: 10 })).map((i) => i.id),
        [item.id],
      );
      assert.equal(smtp.received.length, 0);
    } finally {
      await smtp.close();
    }
  });
});

describe("Outbox: HTTP", () => {
  test("500, 500, then 200: delivered on the third attempt, same x-amz-sns-message-id each time", async () => {
    const store = await openStore("http");
    const identity = await loadOrCreateSigningIdentity(join(dir, "signing"));
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        seen.push(req.headers["x-amz-sns-message-id"] as string | undefined);
        res.statusCode = seen.length <= 2 ? 500 : 200;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const clock = manualClock();
      const outbox = new Outbox({
        store,
        clock,
        random: () => 0,
        senders: {
          http: httpSender({
            guard: makeDestinationGuard({ serverBoundToLoopback: true, allowPrivate: false }),
            timeoutMs: 5000,
          }),
        },
      });
      const id = randomUUID();
      const delivery = notification({
        topicArn: "arn:aws:sns:us-east-1:123456789012:alarms",
        subscriptionArn: SUB,
        messageId: id,
        timestamp: T0,
        baseUrl: "http://127.0.0.1:4566",
        identity,
        message: "ALARM",
        subject: "ALARM",
      });
      await outbox.enqueue([
        {
          id,
          subscriptionArn: SUB,
          protocol: "http",
          endpoint: `http://127.0.0.1:${port}/hook`,
          payload: JSON.stringify({ headers: delivery.headers, body: delivery.body }),
        },
      ]);
      assert.deepEqual(await outbox.runDue(), { delivered: 0, retried: 1, dead: 0 });
      let stored = (await store.getDelivery(id)) as OutboxItem;
      // SNS's default HTTP policy: 20 s (jitter only shortens; r = 0 leaves it).
      assert.equal(stored.nextAttemptAt, T0 + 20_000);
      assert.match(stored.lastError ?? "", /500/);
      clock.t = stored.nextAttemptAt;
      assert.deepEqual(await outbox.runDue(), { delivered: 0, retried: 1, dead: 0 });
      stored = (await store.getDelivery(id)) as OutboxItem;
      clock.t = stored.nextAttemptAt;
      assert.deepEqual(await outbox.runDue(), { delivered: 1, retried: 0, dead: 0 });
      assert.deepEqual(seen, [id, id, id]);
      stored = (await store.getDelivery(id)) as OutboxItem;
      assert.equal(stored.status, "delivered");
      assert.equal(stored.attempts, 3);
      assert.deepEqual(
        (await store.deliveryAttempts(id)).map((a) => a.ok),
        [false, false, true],
      );
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test("retries exhausted: dead after 1 + numRetries attempts", async () => {
    const store = await openStore("http-exhausted");
    const clock = manualClock();
    const dead: string[] = [];
    let calls = 0;
    const outbox = new Outbox({
      store,
      clock,
      senders: {
        https: async () => {
          calls++;
          return { ok: false, error: "HTTP 503" };
        },
      },
      onDeadLetter: (i) => {
        dead.push(i.id);
      },
    });
    await outbox.enqueue([{ ...emailItem(), protocol: "https", endpoint: "https://example.com/hook" }]);
    for (let i = 0; i < 10; i++) {
      await outbox.runDue();
      clock.t += 3600_000;
    }
    assert.equal(calls, 4);
    assert.equal(dead.length, 1);
    assert.equal(await store.countDeliveries("dead"), 1);
  });
});

describe("Outbox: restart safety", () => {
  test("an item enqueued before a crash is delivered by a new Outbox on the same SQLite file", async () => {
    const path = join(dir, "restart.sqlite");
    const first = await openSqliteStore({ path });
    const clock = manualClock();
    const item = emailItem();
    await new Outbox({ store: first, clock, senders: {} }).enqueue([item]);
    await first.close(); // the "crash": nothing ran

    const second = await openSqliteStore({ path });
    stores.push(second);
    const sent: string[] = [];
    const outbox = new Outbox({
      store: second,
      clock,
      senders: {
        email: async (i) => {
          sent.push(i.id);
          return { ok: true };
        },
      },
    });
    assert.deepEqual(
      (await second.dueDeliveries(clock.t, 10)).map((i) => i.id),
      [item.id],
    );
    assert.deepEqual(await outbox.runDue(), { delivered: 1, retried: 0, dead: 0 });
    assert.deepEqual(await outbox.runDue(), { delivered: 0, retried: 0, dead: 0 });
    assert.deepEqual(sent, [item.id]);
  });

  test("an item leased by a runner that died mid-send is retried after the lease, not before", async () => {
    const store = await openStore("lease");
    const clock = manualClock();
    const sent: string[] = [];
    const outbox = new Outbox({
      store,
      clock,
      leaseMs: 60_000,
      senders: {
        email: async (i) => {
          sent.push(i.id);
          return { ok: true };
        },
      },
    });
    const item = emailItem();
    await outbox.enqueue([item]);
    // The dead runner took it (marked in flight) and never recorded an outcome.
    assert.equal((await store.claimDueDeliveries(clock.t, clock.t + 60_000, 10)).length, 1);
    assert.deepEqual(await outbox.runDue(), { delivered: 0, retried: 0, dead: 0 });
    clock.t += 59_999;
    assert.deepEqual(await outbox.runDue(), { delivered: 0, retried: 0, dead: 0 });
    clock.t += 1;
    assert.deepEqual(await outbox.runDue(), { delivered: 1, retried: 0, dead: 0 });
    assert.deepEqual(sent, [item.id]);
    const stored = (await store.getDelivery(item.id)) as OutboxItem;
    assert.equal(stored.attempts, 1);
    assert.equal(stored.status, "delivered");
  });

  test("a sender that throws counts as a transient failure; no sender is permanent", async () => {
    const store = await openStore("throws");
    const outbox = new Outbox({
      store,
      clock: manualClock(),
      senders: {
        email: async () => {
          throw new Error("boom");
        },
      },
    });
    const a = emailItem();
    const b = { ...emailItem(), protocol: "slack" as const, endpoint: "https://hooks.slack.com/x" };
    await outbox.enqueue([a, b]);
    assert.deepEqual(await outbox.runDue(), { delivered: 0, retried: 1, dead: 1 });
    assert.match((await store.getDelivery(a.id))?.lastError ?? "", /boom/);
    assert.match((await store.getDelivery(b.id))?.lastError ?? "", /no sender/);
  });
});
