/**
 * @module The web console of `trailwatch serve`: server-rendered pages (fastify + htmx 2 + uPlot) for the
 * seed's flow — metric filter wizard, alarm form, topics — and for watching alarms live, in English and
 * Korean. Every write goes through the same service methods as the AWS APIs (engine.logs, engine.cloudwatch,
 * ctx.topics, ctx.notifier), so the console can do nothing the API would refuse.
 *
 * Mount it with `await registerConsole(app, ctx, consoleOptionsFromEnv())`. Pages live under
 * `options.basePath` (default /console). See docs/console.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerContext } from "../server/context.js";
import { ASSETS } from "./assets/index.js";
import { html } from "./html.js";
import { negotiate, translator } from "./i18n/index.js";
import { registerAlarmDetail } from "./pages/alarm-detail.js";
import { registerAlarmForm } from "./pages/alarm-form.js";
import { registerAlarms } from "./pages/alarms.js";
import { registerFilterWizard } from "./pages/filter-wizard.js";
import { registerLanguage } from "./pages/language.js";
import { registerLogGroups } from "./pages/log-groups.js";
import { registerLogin } from "./pages/login.js";
import { registerMetricFilters } from "./pages/metric-filters.js";
import { registerOverview } from "./pages/overview.js";
import { registerPacks } from "./pages/packs.js";
import { registerTopics } from "./pages/topics.js";
import { ConsoleRouter, errorPage, formOf } from "./router.js";
import { Gate, isLoopbackHost } from "./security/gate.js";
import { hashConsolePassword, parsePasswordHash } from "./security/password.js";
import type { Session } from "./security/sessions.js";

export { hashConsolePassword } from "./security/password.js";

export interface ConsoleOptions {
  /** The console password (or token), plain; hashed with scrypt at start and not kept. */
  password?: string;
  /** The password's scrypt hash (`scrypt$N$r$p$salt$hash`, see hashConsolePassword); wins over `password`. */
  passwordHash?: string;
  /**
   * Where the pages live; default "/console". GET / itself belongs to the SNS links (`/?Action=...`), whose
   * `fallback` option can send a bare `/` here. "" mounts the pages at the root (then nothing else may own
   * GET /).
   */
  basePath?: string;
  /** Force the Secure flag on cookies; by default set when the request came over https (trustProxy aware). */
  secureCookies?: boolean;
  /** Live-update interval of the state tables, seconds (default 2). */
  pollSeconds?: number;
  /** Clock of sessions and login rate limits (tests). */
  now?: () => number;
}

/** The options from the environment: TRAILWATCH_CONSOLE_PASSWORD, TRAILWATCH_CONSOLE_PASSWORD_HASH. */
export function consoleOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ConsoleOptions {
  const o: ConsoleOptions = {};
  if (env.TRAILWATCH_CONSOLE_PASSWORD) o.password = env.TRAILWATCH_CONSOLE_PASSWORD;
  if (env.TRAILWATCH_CONSOLE_PASSWORD_HASH) o.passwordHash = env.TRAILWATCH_CONSOLE_PASSWORD_HASH;
  return o;
}

export const DEFAULT_BASE_PATH = "/console";

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** Routes a visitor may use before logging in. */
const PUBLIC = new Set(["/login", "/lang/:lang", "/assets/:file"]);

export async function registerConsole(
  app: FastifyInstance,
  ctx: ServerContext,
  options: ConsoleOptions = {},
): Promise<void> {
  const base = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, "");
  const passwordHash =
    options.passwordHash ?? (options.password ? await hashConsolePassword(options.password) : undefined);
  if (passwordHash) parsePasswordHash(passwordHash);
  const enabled = passwordHash !== undefined || ctx.loopbackOnly;
  if (!enabled) {
    ctx.logger.warn(
      "console disabled: the server is not loopback-only and no TRAILWATCH_CONSOLE_PASSWORD is configured",
    );
  }
  const gate = new Gate({
    base,
    passwordRequired: passwordHash !== undefined,
    secureCookies: options.secureCookies,
    pollSeconds: options.pollSeconds ?? 2,
    now: options.now ?? Date.now,
  });
  const sessionOf = new WeakMap<FastifyRequest, Session>();

  await app.register(
    async (scope) => {
      // serve's app takes every body raw through one '*' parser; a bare fastify needs one for forms.
      if (!scope.hasContentTypeParser("application/x-www-form-urlencoded")) {
        scope.addContentTypeParser(
          "application/x-www-form-urlencoded",
          { parseAs: "buffer", bodyLimit: 1024 * 1024 },
          (_req, body, done) => done(null, body),
        );
      }

      scope.addHook("onRequest", async (req, reply) => {
        reply.header("x-content-type-options", "nosniff");
        reply.header("referrer-policy", "same-origin");
        reply.header("x-frame-options", "DENY");
        reply.header("content-security-policy", CSP);
        if (!enabled) {
          const t = translator(negotiate(req.headers["accept-language"]));
          reply
            .code(403)
            .type("text/html; charset=utf-8")
            .send(
              html`<!doctype html><html><head><meta charset="utf-8"><title>${t("login.disabled.title")}</title></head><body><main><h1>${t("login.disabled.title")}</h1><p>${t("login.disabled.text")}</p></main></body></html>`
                .text,
            );
          return reply;
        }
        if (!gate.passwordRequired && !isLoopbackHost(req.headers.host)) {
          reply.code(403).type("text/plain; charset=utf-8").send(translator("en")("error.host"));
          return reply;
        }
      });

      scope.get("/assets/:file", async (req, reply) => {
        const asset = ASSETS[(req.params as { file: string }).file];
        if (!asset) return reply.code(404).send();
        return reply.header("cache-control", "public, max-age=86400").type(asset.type).send(asset.body());
      });
      if (!enabled) {
        // Routes only so that the onRequest hook above answers; a wildcard only under a prefix of our own.
        scope.get("/", async () => undefined);
        if (base !== "") scope.get("/*", async () => undefined);
        return;
      }

      scope.addHook("preHandler", async (req: FastifyRequest, reply: FastifyReply) => {
        const route = (req.routeOptions.url ?? "").slice(base.length) || "/";
        if (route === "/assets/:file") return;
        reply.header("cache-control", "no-store");
        const session = gate.session(req, reply);
        sessionOf.set(req, session);
        if (req.method === "POST" && !gate.csrfOk(req, session, formOf(req.body))) {
          const view = gate.view(req, session);
          reply
            .code(403)
            .type("text/html; charset=utf-8")
            .send(errorPage(view, view.t("error.csrf")).text);
          return reply;
        }
        if (gate.passwordRequired && !session.authenticated && !PUBLIC.has(route)) {
          const login = `${base}/login?next=${encodeURIComponent(req.url)}`;
          if (req.headers["hx-request"]) reply.code(401).header("hx-redirect", login).send();
          else reply.code(303).header("location", login).send();
          return reply;
        }
      });

      const router = new ConsoleRouter(
        scope,
        ctx,
        (req, reply) => {
          const session = sessionOf.get(req) ?? gate.session(req, reply);
          return { session, view: gate.view(req, session) };
        },
        {
          login: (req, reply, old) => {
            gate.sessions.destroy(old.id);
            return gate.start(req, reply, true);
          },
          logout: (req, reply, old) => gate.end(req, reply, old),
        },
      );
      registerLogin(router, gate, passwordHash);
      registerLanguage(router, gate);
      registerOverview(router);
      registerLogGroups(router);
      registerMetricFilters(router);
      registerFilterWizard(router);
      registerAlarms(router);
      registerAlarmForm(router);
      registerAlarmDetail(router);
      registerTopics(router);
      registerPacks(router);
    },
    { prefix: base },
  );
}
