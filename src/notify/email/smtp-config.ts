/**
 * SMTP settings for the `email` and `email-json` protocols: read from a config object and the environment,
 * checked, and completed with defaults. Nothing here opens a connection (see send.ts).
 *
 * Precedence: environment > config object > defaults, per field. An empty environment variable counts as
 * unset. Every problem is collected, so one error lists all of them (`SmtpConfigError.problems`).
 *
 * | variable                              | config key              | default                                   |
 * | ------------------------------------- | ----------------------- | ----------------------------------------- |
 * | TRAILWATCH_SMTP_HOST                  | host                    | `localhost`                               |
 * | TRAILWATCH_SMTP_PORT                  | port                    | 465 with implicit TLS, else 587           |
 * | TRAILWATCH_SMTP_SECURE                | secure                  | true when the port is 465, else false     |
 * | TRAILWATCH_SMTP_STARTTLS              | starttls                | `opportunistic` (upgrade when offered)    |
 * | TRAILWATCH_SMTP_USER                  | user                    | none (no AUTH)                            |
 * | TRAILWATCH_SMTP_PASSWORD              | password                | none                                      |
 * | TRAILWATCH_SMTP_FROM                  | from                    | `trailwatch <no-reply@localhost>`         |
 * | TRAILWATCH_SMTP_TLS_REJECT_UNAUTHORIZED | tlsRejectUnauthorized | true                                      |
 *
 * Config-only: `name` (EHLO client name), `pool` (`maxConnections` 2, `maxMessages` 100) and `timeouts`
 * (`connectionMs` 10 000, `greetingMs` 10 000, `socketMs` 30 000, `sendMs` 60 000: the last bounds one
 * whole send, queueing in the pool included).
 *
 * The password is kept in a `Secret`: it prints, serializes and inspects as `[redacted]`, so logging the
 * settings object (pino, console, JSON) cannot leak it; `describeSmtpSettings` gives a log-safe summary.
 */
import { inspect } from "node:util";
import addressparser from "nodemailer/lib/addressparser";

export type StartTlsMode = "require" | "opportunistic" | "off";

const STARTTLS_MODES: readonly StartTlsMode[] = ["require", "opportunistic", "off"];

/** What a config file may hold. Strings are accepted where the environment would give one. */
export interface SmtpConfigInput {
  host?: string;
  port?: number | string;
  /** Implicit TLS from the first byte (SMTPS, usually port 465). */
  secure?: boolean | string;
  starttls?: StartTlsMode | string;
  user?: string;
  password?: string;
  from?: string;
  tlsRejectUnauthorized?: boolean | string;
  /** Client host name sent in EHLO; nodemailer's default (the machine's host name) when absent. */
  name?: string;
  pool?: { maxConnections?: number; maxMessages?: number };
  timeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number; sendMs?: number };
}

export interface SmtpTimeouts {
  /** TCP (and implicit TLS) connect. */
  connectionMs: number;
  /** From connect to the server's 220 greeting. */
  greetingMs: number;
  /** Longest silence on an open connection. */
  socketMs: number;
  /** Whole send, from the call to the final reply (pool queueing included). */
  sendMs: number;
}

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS. */
  secure: boolean;
  /** STARTTLS on a plain connection; meaningless (and `off`) with implicit TLS. */
  starttls: StartTlsMode;
  auth?: { user: string; password: Secret };
  /** The From header as configured, e.g. `trailwatch <no-reply@localhost>`. */
  from: string;
  /** The bare address of `from`, used as envelope sender. */
  fromAddress: string;
  tlsRejectUnauthorized: boolean;
  name?: string;
  pool: { maxConnections: number; maxMessages: number };
  timeouts: SmtpTimeouts;
}

export const SMTP_ENV = {
  host: "TRAILWATCH_SMTP_HOST",
  port: "TRAILWATCH_SMTP_PORT",
  secure: "TRAILWATCH_SMTP_SECURE",
  starttls: "TRAILWATCH_SMTP_STARTTLS",
  user: "TRAILWATCH_SMTP_USER",
  password: "TRAILWATCH_SMTP_PASSWORD",
  from: "TRAILWATCH_SMTP_FROM",
  tlsRejectUnauthorized: "TRAILWATCH_SMTP_TLS_REJECT_UNAUTHORIZED",
} as const;

export const SMTP_DEFAULTS = {
  host: "localhost",
  port: 587,
  securePort: 465,
  from: "trailwatch <no-reply@localhost>",
  pool: { maxConnections: 2, maxMessages: 100 },
  timeouts: { connectionMs: 10_000, greetingMs: 10_000, socketMs: 30_000, sendMs: 60_000 },
} as const;

const REDACTED = "[redacted]";

/** A string that does not show itself: `String()`, JSON and `util.inspect` all give `[redacted]`. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The real value, for the one place that needs it (the SMTP AUTH exchange). */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export class SmtpConfigError extends Error {
  override readonly name = "SmtpConfigError";
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid SMTP settings: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export interface LoadSmtpSettingsOptions {
  config?: SmtpConfigInput;
  /** Defaults to `process.env`; pass `{}` to ignore the environment. */
  env?: Env;
}

/** Reads, checks and completes the SMTP settings; throws `SmtpConfigError` listing every problem. */
export function loadSmtpSettings(options: LoadSmtpSettingsOptions = {}): SmtpSettings {
  const config = options.config ?? {};
  const env = options.env ?? process.env;
  const problems: string[] = [];

  // One raw value per field, with a label naming where it came from for the error text.
  const pick = <K extends keyof typeof SMTP_ENV>(key: K): { value: unknown; label: string } | undefined => {
    const fromEnv = env[SMTP_ENV[key]];
    if (fromEnv !== undefined && fromEnv.trim() !== "") return { value: fromEnv, label: SMTP_ENV[key] };
    const fromConfig = config[key];
    if (fromConfig !== undefined && fromConfig !== null && fromConfig !== "") {
      return { value: fromConfig, label: `config.${key}` };
    }
    return undefined;
  };

  const hostRaw = pick("host");
  let host: string = SMTP_DEFAULTS.host;
  if (hostRaw) {
    const h = typeof hostRaw.value === "string" ? hostRaw.value.trim() : "";
    if (h === "" || /[\s/]/.test(h)) problems.push(`${hostRaw.label} must be a host name or IP address`);
    else host = h;
  }

  const secureRaw = pick("secure");
  const secureGiven = secureRaw ? readBoolean(secureRaw, problems) : undefined;

  const portRaw = pick("port");
  let port: number | undefined;
  if (portRaw) port = readPort(portRaw, problems);
  const secure = secureGiven ?? port === SMTP_DEFAULTS.securePort;
  port ??= secure ? SMTP_DEFAULTS.securePort : SMTP_DEFAULTS.port;

  const starttlsRaw = pick("starttls");
  let starttls: StartTlsMode = secure ? "off" : "opportunistic";
  if (starttlsRaw) {
    const mode = typeof starttlsRaw.value === "string" ? starttlsRaw.value.trim().toLowerCase() : "";
    if (!(STARTTLS_MODES as readonly string[]).includes(mode)) {
      problems.push(
        `${starttlsRaw.label} must be one of ${STARTTLS_MODES.join(", ")}, got ${show(starttlsRaw.value)}`,
      );
    } else if (secure) {
      // STARTTLS upgrades a plain connection; with implicit TLS there is none. Saying both is a mistake.
      problems.push(
        `${starttlsRaw.label} applies only to plain connections; implicit TLS is on (secure, or port 465)`,
      );
    } else {
      starttls = mode as StartTlsMode;
    }
  }

  const userRaw = pick("user");
  const passwordRaw = pick("password");
  let auth: SmtpSettings["auth"];
  if (userRaw && typeof userRaw.value !== "string") problems.push(`${userRaw.label} must be a string`);
  // The password's value never appears in an error, only where it came from.
  if (passwordRaw && typeof passwordRaw.value !== "string")
    problems.push(`${passwordRaw.label} must be a string`);
  if (userRaw && !passwordRaw) {
    problems.push(`${userRaw.label} is set but no password is (${SMTP_ENV.password} or config.password)`);
  } else if (passwordRaw && !userRaw) {
    problems.push(`${passwordRaw.label} is set but no user is (${SMTP_ENV.user} or config.user)`);
  } else if (
    userRaw &&
    passwordRaw &&
    typeof userRaw.value === "string" &&
    typeof passwordRaw.value === "string"
  ) {
    auth = { user: userRaw.value, password: new Secret(passwordRaw.value) };
  }

  const fromRaw = pick("from");
  let from: string = SMTP_DEFAULTS.from;
  let fromAddress = "no-reply@localhost";
  if (fromRaw) {
    const parsed = typeof fromRaw.value === "string" ? parseMailbox(fromRaw.value) : undefined;
    if (!parsed) {
      problems.push(
        `${fromRaw.label} must be one mailbox such as "trailwatch <alerts@example.com>", got ${show(fromRaw.value)}`,
      );
    } else {
      from = (fromRaw.value as string).trim();
      fromAddress = parsed.address;
    }
  }

  const rejectRaw = pick("tlsRejectUnauthorized");
  const tlsRejectUnauthorized = rejectRaw ? (readBoolean(rejectRaw, problems) ?? true) : true;

  let name: string | undefined;
  if (config.name !== undefined) {
    if (typeof config.name !== "string" || !/^[A-Za-z0-9.-]+$/.test(config.name)) {
      problems.push(`config.name must be a host name, got ${show(config.name)}`);
    } else {
      name = config.name;
    }
  }

  const pool = {
    maxConnections:
      readCount(config.pool?.maxConnections, "config.pool.maxConnections", 1, 100, problems) ??
      SMTP_DEFAULTS.pool.maxConnections,
    maxMessages:
      readCount(config.pool?.maxMessages, "config.pool.maxMessages", 1, 100_000, problems) ??
      SMTP_DEFAULTS.pool.maxMessages,
  };
  const t = config.timeouts ?? {};
  const d = SMTP_DEFAULTS.timeouts;
  const timeouts: SmtpTimeouts = {
    connectionMs:
      readCount(t.connectionMs, "config.timeouts.connectionMs", 1, 600_000, problems) ?? d.connectionMs,
    greetingMs: readCount(t.greetingMs, "config.timeouts.greetingMs", 1, 600_000, problems) ?? d.greetingMs,
    socketMs: readCount(t.socketMs, "config.timeouts.socketMs", 1, 3_600_000, problems) ?? d.socketMs,
    sendMs: readCount(t.sendMs, "config.timeouts.sendMs", 1, 3_600_000, problems) ?? d.sendMs,
  };

  if (problems.length > 0) throw new SmtpConfigError(problems);
  const settings: SmtpSettings = {
    host,
    port,
    secure,
    starttls,
    from,
    fromAddress,
    tlsRejectUnauthorized,
    pool,
    timeouts,
  };
  if (auth) settings.auth = auth;
  if (name !== undefined) settings.name = name;
  return settings;
}

/** A log-safe summary: everything but the password, which shows only whether it is set. */
export function describeSmtpSettings(s: SmtpSettings): Record<string, unknown> {
  return {
    host: s.host,
    port: s.port,
    secure: s.secure,
    starttls: s.starttls,
    user: s.auth?.user ?? null,
    password: s.auth ? REDACTED : null,
    from: s.from,
    tlsRejectUnauthorized: s.tlsRejectUnauthorized,
    ...(s.name !== undefined ? { name: s.name } : {}),
    pool: { ...s.pool },
    timeouts: { ...s.timeouts },
  };
}

/** One mailbox (`addr@host` or `Name <addr@host>`), or undefined. */
export function parseMailbox(value: string): { name: string; address: string } | undefined {
  if (/[\r\n]/.test(value)) return undefined;
  const list = addressparser(value.trim());
  if (list.length !== 1) return undefined;
  const one = list[0];
  if (!one || one.group || !one.address) return undefined;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(one.address)) return undefined;
  return { name: one.name, address: one.address };
}

function readBoolean(raw: { value: unknown; label: string }, problems: string[]): boolean | undefined {
  if (typeof raw.value === "boolean") return raw.value;
  if (typeof raw.value === "string") {
    const v = raw.value.trim().toLowerCase();
    if (["true", "1", "yes", "on"].includes(v)) return true;
    if (["false", "0", "no", "off"].includes(v)) return false;
  }
  problems.push(`${raw.label} must be true or false, got ${show(raw.value)}`);
  return undefined;
}

function readPort(raw: { value: unknown; label: string }, problems: string[]): number | undefined {
  const text =
    typeof raw.value === "number" ? String(raw.value) : typeof raw.value === "string" ? raw.value : "";
  const trimmed = text.trim();
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    problems.push(`${raw.label} must be a whole number from 1 to 65535, got ${show(raw.value)}`);
    return undefined;
  }
  return n;
}

function readCount(
  v: unknown,
  label: string,
  min: number,
  max: number,
  problems: string[],
): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    problems.push(`${label} must be a whole number from ${min} to ${max}, got ${show(v)}`);
    return undefined;
  }
  return v;
}

function show(v: unknown): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}
