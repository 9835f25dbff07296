/**
 * One SMTP delivery attempt per `send()`, through a nodemailer connection pool. The outbox owns retries
 * (src/notify/retry-policy.ts); this module only says how an attempt ended and whether another could help.
 *
 * - The caller gives the Message-ID (`<uuid@trailwatch>`, see `smtpMessageId`) and passes the same one on every
 *   retry, so a receiver that saw an earlier attempt can tell the copies apart.
 * - Every wait is bounded: connect, greeting, socket silence (nodemailer's timeouts) and the whole send
 *   (`timeouts.sendMs`, through an AbortSignal that the pool honours by dropping the connection).
 * - The pool does not retry on its own beyond one requeue of a message whose pooled connection turned out to be
 *   closed (a server restart between sends); everything else is reported to the caller.
 * - `send()` does not throw: a bad input is a permanent failure with reason `invalid`.
 *
 * Classification (RFC 5321 §4.2.1: 5yz is a permanent negative reply, 4yz a transient one; 503 "bad sequence"
 * is a session problem, treated as transient as nodemailer does): a reply code decides; without one, a
 * connection failure, timeout, TLS failure or protocol confusion is transient, and missing or refused
 * credentials or a malformed envelope are permanent. Unknown errors are transient, so the retry policy,
 * not this guess, decides when to give up.
 *
 * `reason` says what failed. `auth` and `tls` failures are about the SMTP set-up rather than the message: an
 * outbox may prefer to hold the queue and alert rather than dead-letter each message.
 */
import nodemailer, { type NodemailerError, type SendMailOptions } from "nodemailer";
import { parseMailbox, type SmtpSettings } from "./smtp-config.js";

export interface NotificationMail {
  /** One recipient: an e-mail subscription has one endpoint. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<id@domain>`, the same on every attempt of one message (see `smtpMessageId`). */
  messageId: string;
  /** Extra headers (e.g. `X-Trailwatch-Alarm`); may not replace the ones this module sets. */
  headers?: Record<string, string>;
  /** Unsubscribe link, sent as `List-Unsubscribe: <url>` (RFC 2369). http(s) or mailto. */
  unsubscribeUrl?: string;
  /**
   * The URL takes RFC 8058 one-click POSTs (`List-Unsubscribe=One-Click`): adds `List-Unsubscribe-Post`.
   * RFC 8058 requires an https URL, so for any other URL the header is left out.
   */
  unsubscribeOneClick?: boolean;
  /** The Date header; keep it across retries to send byte-identical copies. Defaults to now. */
  date?: Date;
}

export type SmtpFailureReason =
  | "invalid"
  | "auth"
  | "tls"
  | "sender"
  | "recipient"
  | "message"
  | "rejected"
  | "connection"
  | "timeout"
  | "protocol"
  | "unknown";

export interface SendResult {
  /** The server took the message (250 after DATA). */
  accepted: boolean;
  /** Failed for good: do not retry (dead-letter). Always false when accepted. */
  permanent: boolean;
  /** The Message-ID sent, as given. */
  messageId: string;
  /** The server's last reply, e.g. `250 OK: message queued` or `550 5.1.1 mailbox unavailable`. */
  response?: string;
  /** The SMTP reply code of `response`. */
  code?: number;
  /** Why it failed, one line, for the delivery log. Never contains the password. */
  error?: string;
  reason?: SmtpFailureReason;
}

export interface VerifyResult {
  ok: boolean;
  permanent: boolean;
  error?: string;
  reason?: SmtpFailureReason;
  code?: number;
}

export interface Mailer {
  send(mail: NotificationMail): Promise<SendResult>;
  /** Connects, says EHLO, authenticates if configured, and disconnects. */
  verify(): Promise<VerifyResult>;
  /** Closes the pool; idle connections at once, busy ones after their message. */
  close(): Promise<void>;
}

/** The host part of every Message-ID trailwatch makes. */
export const MESSAGE_ID_DOMAIN = "trailwatch";

/** `<id@trailwatch>` for a stable message id (a UUID, the SNS MessageId of the notification). */
export function smtpMessageId(id: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(id))
    throw new TypeError(`message id must be letters, digits, ".", "_" or "-": ${id}`);
  return `<${id}@${MESSAGE_ID_DOMAIN}>`;
}

const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;

/** Header names this module writes, or that structure the message; `headers` may not set them. */
const RESERVED_HEADERS = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "subject",
  "date",
  "message-id",
  "list-unsubscribe",
  "list-unsubscribe-post",
  "auto-submitted",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
]);

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function createMailer(settings: SmtpSettings): Mailer {
  const t = settings.timeouts;
  const transporter = nodemailer.createTransport({
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.starttls === "require",
    ignoreTLS: settings.starttls === "off",
    ...(settings.auth ? { auth: { user: settings.auth.user, pass: settings.auth.password.reveal() } } : {}),
    ...(settings.name !== undefined ? { name: settings.name } : {}),
    tls: { rejectUnauthorized: settings.tlsRejectUnauthorized },
    maxConnections: settings.pool.maxConnections,
    maxMessages: settings.pool.maxMessages,
    maxRequeues: 1,
    connectionTimeout: t.connectionMs,
    greetingTimeout: t.greetingMs,
    socketTimeout: t.socketMs,
    dnsTimeout: t.connectionMs,
    // nodemailer's debug log carries the AUTH exchange; it stays off.
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  async function send(mail: NotificationMail): Promise<SendResult> {
    const messageId = typeof mail?.messageId === "string" ? mail.messageId : "";
    const problem = checkMail(mail);
    if (problem) return { accepted: false, permanent: true, messageId, error: problem, reason: "invalid" };

    const headers: Record<string, string> = { ...mail.headers, "Auto-Submitted": "auto-generated" };
    if (mail.unsubscribeUrl !== undefined) {
      headers["List-Unsubscribe"] = `<${mail.unsubscribeUrl}>`;
      if (mail.unsubscribeOneClick && mail.unsubscribeUrl.startsWith("https:")) {
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
      }
    }
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), t.sendMs);
    const options: SendMailOptions = {
      from: settings.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      headers,
      signal: ac.signal,
      ...(mail.date ? { date: mail.date } : {}),
    };
    try {
      const info = await transporter.sendMail(options);
      if (info.accepted.length === 0) {
        // nodemailer fails the send when every recipient is refused; this only guards the impossible case.
        return { accepted: false, permanent: false, messageId, response: info.response, reason: "recipient" };
      }
      const result: SendResult = { accepted: true, permanent: false, messageId, response: info.response };
      const code = replyCode(info.response);
      if (code !== undefined) result.code = code;
      return result;
    } catch (err) {
      return { accepted: false, messageId, ...classifySmtpError(err, t.sendMs) };
    } finally {
      clearTimeout(timer);
    }
  }

  async function verify(): Promise<VerifyResult> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const e: NodemailerError = new Error("verify did not finish in time");
        e.code = "EABORT";
        reject(e);
      }, t.sendMs);
    });
    try {
      await Promise.race([transporter.verify(), deadline]);
      return { ok: true, permanent: false };
    } catch (err) {
      const c = classifySmtpError(err, t.sendMs);
      const out: VerifyResult = { ok: false, permanent: c.permanent };
      if (c.error !== undefined) out.error = c.error;
      if (c.reason !== undefined) out.reason = c.reason;
      if (c.code !== undefined) out.code = c.code;
      return out;
    } finally {
      clearTimeout(timer);
    }
  }

  async function close(): Promise<void> {
    transporter.close();
  }

  return { send, verify, close };
}

/** What went wrong in a nodemailer error, and whether trying again could help. */
export function classifySmtpError(
  err: unknown,
  sendTimeoutMs?: number,
): { permanent: boolean; reason: SmtpFailureReason; error: string; response?: string; code?: number } {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as NodemailerError;
  const message = oneLine(e.message ?? String(err));
  const out = (permanent: boolean, reason: SmtpFailureReason, error = message) => {
    const r: {
      permanent: boolean;
      reason: SmtpFailureReason;
      error: string;
      response?: string;
      code?: number;
    } = {
      permanent,
      reason,
      error,
    };
    if (typeof e.response === "string") r.response = oneLine(e.response);
    if (typeof e.responseCode === "number") r.code = e.responseCode;
    return r;
  };

  if (e.code === "EABORT") {
    const within = sendTimeoutMs !== undefined ? ` within ${sendTimeoutMs} ms` : "";
    return out(false, "timeout", `SMTP send did not finish${within}`);
  }
  const command = typeof e.command === "string" ? e.command.toUpperCase() : "";
  if (typeof e.responseCode === "number") {
    const c = e.responseCode;
    const permanent = typeof e.permanent === "boolean" ? e.permanent : c >= 500 && c < 600 && c !== 503;
    let reason: SmtpFailureReason;
    // 530: "Authentication required" (RFC 4954 §6), whatever command drew it.
    if (command.startsWith("AUTH") || c === 530) reason = "auth";
    else if (command === "STARTTLS") reason = "tls";
    else if (command === "MAIL FROM") reason = "sender";
    else if (command === "RCPT TO") reason = "recipient";
    else if (command === "DATA") reason = "message";
    else if (c >= 500) reason = "rejected";
    else reason = "connection";
    return out(permanent, reason);
  }
  switch (e.code) {
    case "EAUTH":
    case "ENOAUTH":
      return out(true, "auth");
    case "ETIMEDOUT":
      return out(false, "timeout");
    case "ECONNECTION":
    case "ESOCKET":
    case "EDNS":
    case "EPROXY":
      return out(false, "connection");
    case "ETLS":
    case "EREQUIRETLS":
      return out(false, "tls");
    case "EPROTOCOL":
      return out(false, "protocol");
    case "EENVELOPE":
    case "EMESSAGE":
    case "EMAXRECIPIENTS":
    case "ECONFIG":
      return out(true, "invalid");
    default:
      return out(false, "unknown");
  }
}

/** Why `mail` cannot be sent, or undefined. */
function checkMail(mail: NotificationMail): string | undefined {
  if (typeof mail !== "object" || mail === null) return "mail must be an object";
  if (typeof mail.messageId !== "string" || !MESSAGE_ID.test(mail.messageId)) {
    return `messageId must look like <id@domain>, got ${JSON.stringify(mail.messageId)}`;
  }
  if (typeof mail.to !== "string" || !parseMailbox(mail.to)) return `to must be one e-mail address`;
  if (typeof mail.subject !== "string" || /[\r\n]/.test(mail.subject))
    return "subject must be one line of text";
  if (typeof mail.text !== "string" || typeof mail.html !== "string")
    return "text and html must both be strings";
  if (mail.unsubscribeUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(mail.unsubscribeUrl);
    } catch {
      url = undefined;
    }
    if (
      !url ||
      !["http:", "https:", "mailto:"].includes(url.protocol) ||
      /[\s<>]/.test(mail.unsubscribeUrl)
    ) {
      return "unsubscribeUrl must be an http, https or mailto URL";
    }
  }
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    if (!HEADER_NAME.test(name)) return `header name ${JSON.stringify(name)} is not a valid field name`;
    if (RESERVED_HEADERS.has(name.toLowerCase())) return `header ${name} is set by the mailer`;
    if (typeof value !== "string" || /[\r\n\0]/.test(value)) return `header ${name} must be one line of text`;
  }
  if (mail.date !== undefined && (!(mail.date instanceof Date) || Number.isNaN(mail.date.getTime()))) {
    return "date must be a valid Date";
  }
  return undefined;
}

function replyCode(response: string | undefined): number | undefined {
  const m = /^(\d{3})/.exec(response ?? "");
  return m ? Number(m[1]) : undefined;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
