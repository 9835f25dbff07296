/**
 * The console's door: sessions by cookie, the password check, CSRF on every POST, and the loopback rule.
 *
 * - Every visitor gets a session cookie (HttpOnly, SameSite=Strict, Path=the console, Secure when the request
 *   came over TLS — directly or as reported by a trusted proxy — or when `secureCookies` is set). The session
 *   holds the CSRF token; without a password it is marked authenticated at once.
 * - With a password, every page except login, the language switch and the static files needs an
 *   authenticated session. Login renews the session id (no fixation) and is rate-limited per address.
 * - Every POST must carry the session's CSRF token (form field `_csrf` or header `X-CSRF-Token`) and, when
 *   the browser sends an Origin, come from this very host.
 * - Without a password the console is served only when the server listens on loopback, and then only to
 *   requests addressed to a loopback name: a web page elsewhere cannot reach it through DNS rebinding.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { isLang, negotiate, translator } from "../i18n/index.js";
import type { View } from "../view.js";
import { LoginLimiter } from "./login-limiter.js";
import { type Session, Sessions, sameToken } from "./sessions.js";

export const SESSION_COOKIE = "tw_session";
export const LANG_COOKIE = "tw_lang";

export interface GateOptions {
  base: string;
  passwordRequired: boolean;
  secureCookies?: boolean;
  pollSeconds: number;
  now: () => number;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // A cookie we did not write; ignore it.
    }
  }
  return out;
}

const LOOPBACK_NAMES = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|[a-z0-9-]+\.localhost)$/i;

export function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.startsWith("[")
    ? hostHeader.slice(0, hostHeader.indexOf("]") + 1)
    : hostHeader.split(":")[0];
  return LOOPBACK_NAMES.test(host);
}

export class Gate {
  readonly sessions: Sessions;
  readonly limiter: LoginLimiter;

  constructor(private readonly o: GateOptions) {
    this.sessions = new Sessions(o.now);
    this.limiter = new LoginLimiter(o.now);
  }

  get passwordRequired(): boolean {
    return this.o.passwordRequired;
  }

  /** The session of the request, created (and its cookie set) when there is none. */
  session(req: FastifyRequest, reply: FastifyReply): Session {
    const cookies = parseCookies(req.headers.cookie);
    const existing = this.sessions.get(cookies[SESSION_COOKIE]);
    if (existing) return existing;
    return this.start(req, reply, !this.o.passwordRequired);
  }

  /** A new session (login: a new id, so that a planted cookie is worth nothing). */
  start(req: FastifyRequest, reply: FastifyReply, authenticated: boolean): Session {
    const s = this.sessions.create(authenticated);
    reply.header("set-cookie", this.#cookie(req, SESSION_COOKIE, s.id));
    return s;
  }

  end(req: FastifyRequest, reply: FastifyReply, session: Session): void {
    this.sessions.destroy(session.id);
    reply.header("set-cookie", `${this.#cookie(req, SESSION_COOKIE, "")}; Max-Age=0`);
  }

  langCookie(req: FastifyRequest, lang: string): string {
    // A preference, not a secret, but scoped and flagged like the session all the same; kept for a year.
    return `${this.#cookie(req, LANG_COOKIE, lang)}; Max-Age=31536000`;
  }

  #cookie(req: FastifyRequest, name: string, value: string): string {
    const secure = this.o.secureCookies ?? req.protocol === "https";
    return `${name}=${encodeURIComponent(value)}; Path=${this.o.base || "/"}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
  }

  view(req: FastifyRequest, session: Session): View {
    const cookies = parseCookies(req.headers.cookie);
    const chosen = cookies[LANG_COOKIE];
    const lang = isLang(chosen) ? chosen : negotiate(req.headers["accept-language"]);
    // The flash belongs to the next full page, not to a background poll.
    const isPage = req.method === "GET" && !req.headers["hx-request"];
    const flash = isPage ? session.flash : undefined;
    if (isPage) session.flash = undefined;
    return {
      lang,
      t: translator(lang),
      csrf: session.csrf,
      base: this.o.base,
      current: req.url,
      passwordRequired: this.o.passwordRequired,
      pollSeconds: this.o.pollSeconds,
      ...(flash ? { flash } : {}),
    };
  }

  /** Whether a POST carries the session's CSRF token and, if the browser says where it comes from, our origin. */
  csrfOk(req: FastifyRequest, session: Session, form: URLSearchParams): boolean {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== "null") {
      let host: string;
      try {
        host = new URL(origin).host;
      } catch {
        return false;
      }
      if (host !== req.headers.host) return false;
    } else if (origin === "null") {
      return false;
    }
    const header = req.headers["x-csrf-token"];
    const token = typeof header === "string" ? header : (form.get("_csrf") ?? undefined);
    return sameToken(token, session.csrf);
  }
}
