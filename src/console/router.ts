/**
 * How a console page is served. A handler gets the request's form and query as plain strings, the view
 * (language, CSRF token, URLs) and the server context, and answers with an Outcome; the router turns that
 * into a response. Service errors (AWS validation: LogsError, CloudWatchError, SnsError, pattern errors)
 * become a 400 page that shows AWS's message inside a translated sentence; anything else is a 500 that
 * shows nothing internal.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerContext } from "../server/context.js";
import { html, type SafeHtml } from "./html.js";
import { layout } from "./layout.js";
import type { Session } from "./security/sessions.js";
import { href, type View } from "./view.js";

export type Outcome =
  | { page: SafeHtml; status?: number; headers?: Record<string, string> }
  /** A piece of a page, for htmx swaps (no shell). */
  | { fragment: SafeHtml; status?: number }
  /** After a successful POST: 303 to a GET, with a message for the next page. */
  | { redirect: string; flash?: string; session?: "login" | "logout"; cookie?: string };

export interface PageRequest {
  req: FastifyRequest;
  view: View;
  ctx: ServerContext;
  session: Session;
  query: Record<string, string>;
  form: URLSearchParams;
}

export type Handler = (r: PageRequest) => Promise<Outcome>;

/** The security layer's part in serving a page: the view and the session of a request (wired in index.ts). */
export type Prepare = (req: FastifyRequest, reply: FastifyReply) => { view: View; session: Session };

export interface SessionSwitch {
  /** Replaces the session by a new, authenticated one (login); returns it. */
  login(req: FastifyRequest, reply: FastifyReply, old: Session): Session;
  logout(req: FastifyRequest, reply: FastifyReply, old: Session): void;
}

const SERVICE_ERRORS =
  /Exception$|^(InvalidParameter\w*|MissingParameter|LimitExceeded\w*|ResourceNotFound|PackError|InvalidFormat|ValidationError)$/;

/** AWS's message of a service error, or undefined for an internal failure. */
export function serviceMessage(err: unknown): string | undefined {
  if (err instanceof Error && SERVICE_ERRORS.test(err.name)) return err.message;
  return undefined;
}

/** Form bodies arrive as raw bytes (serve's one '*' parser) or as text; either way, URL-encoded pairs. */
export function formOf(body: unknown): URLSearchParams {
  if (Buffer.isBuffer(body)) return new URLSearchParams(body.toString("utf8"));
  if (typeof body === "string") return new URLSearchParams(body);
  return new URLSearchParams();
}

function queryOf(q: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof q !== "object" || q === null) return out;
  for (const [k, v] of Object.entries(q)) if (typeof v === "string") out[k] = v;
  return out;
}

export function errorPage(view: View, message: string): SafeHtml {
  return layout(view, {
    title: view.t("error.title"),
    section: "overview",
    body: html`<p class="error" role="alert">${message}</p><p><a href="${href(view, "/")}">${view.t("nav.overview")}</a></p>`,
  });
}

export class ConsoleRouter {
  constructor(
    private readonly app: FastifyInstance,
    private readonly ctx: ServerContext,
    private readonly prepare: Prepare,
    private readonly sessions: SessionSwitch,
  ) {}

  get(path: string, handler: Handler): void {
    this.app.get(path, (req, reply) => this.#serve(req, reply, handler));
  }

  post(path: string, handler: Handler): void {
    this.app.post(path, (req, reply) => this.#serve(req, reply, handler));
  }

  async #serve(req: FastifyRequest, reply: FastifyReply, handler: Handler): Promise<void> {
    const { view, session } = this.prepare(req, reply);
    const r: PageRequest = {
      req,
      view,
      ctx: this.ctx,
      session,
      query: queryOf(req.query),
      form: req.method === "POST" ? formOf(req.body) : new URLSearchParams(),
    };
    let outcome: Outcome;
    try {
      outcome = await handler(r);
    } catch (err) {
      const message = serviceMessage(err);
      if (message === undefined) {
        this.ctx.logger.error({ err, url: req.url }, "console: request failed");
        outcome = { page: errorPage(view, view.t("error.title")), status: 500 };
      } else {
        const text = view.t("error.rejected", { message });
        outcome = req.headers["hx-request"]
          ? { fragment: html`<p class="error" role="alert">${text}</p>`, status: 400 }
          : { page: errorPage(view, text), status: 400 };
      }
    }
    if ("redirect" in outcome) {
      let next = session;
      if (outcome.session === "login") next = this.sessions.login(req, reply, session);
      if (outcome.session === "logout") this.sessions.logout(req, reply, session);
      if (outcome.flash) next.flash = outcome.flash;
      if (outcome.cookie) reply.header("set-cookie", outcome.cookie);
      reply.code(303).header("location", outcome.redirect).send();
      return;
    }
    const body = "page" in outcome ? outcome.page : outcome.fragment;
    if ("page" in outcome && outcome.headers) reply.headers(outcome.headers);
    reply
      .code(outcome.status ?? 200)
      .type("text/html; charset=utf-8")
      .send(body.text);
  }
}
