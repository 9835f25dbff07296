import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { loadSmtpSettings, type SmtpSettings } from "../../src/notify/email/smtp-config.js";

export interface ReceivedMail {
  to: string[];
  parsed: ParsedMail;
}

export interface TestSmtp {
  port: number;
  received: ReceivedMail[];
  /** Settings that point nodemailer at this server. */
  settings: SmtpSettings;
  /** Waits for the first mail (received so far or later) that `match` accepts. */
  waitFor(match: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Stops listening (mail then fails to send until `start` again on the same port). */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A real SMTP server (smtp-server) on 127.0.0.1; what arrives is parsed with mailparser. */
export async function startSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const waiters: { match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] = [];
  const make = () =>
    new SMTPServer({
      logger: false,
      disabledCommands: ["STARTTLS"],
      authOptional: true,
      closeTimeout: 100,
      onData(stream, session, cb) {
        simpleParser(stream)
          .then((parsed) => {
            const mail = { to: (session.envelope.rcptTo || []).map((r) => r.address), parsed };
            received.push(mail);
            for (const w of [...waiters]) {
              if (w.match(mail)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(mail);
              }
            }
            cb();
          })
          .catch(cb);
      },
    });
  let server = make();
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server.server.address() as { port: number }).port;
        resolve();
      });
    });
  await listen();
  const settings = loadSmtpSettings({
    env: {},
    config: { host: "127.0.0.1", port, starttls: "off", from: "trailwatch <alarms@example.test>" },
  });
  return {
    get port() {
      return port;
    },
    received,
    settings,
    waitFor(match, timeoutMs = 10_000) {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching mail within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async start() {
      server = make();
      await listen();
    },
  };
}
