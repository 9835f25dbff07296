/**
 * Login and logout. The password is checked against its scrypt hash; failures are counted per client
 * address (LoginLimiter) and a blocked address is told how long to wait (429 + Retry-After) without the
 * password being checked at all. A successful login starts a new session and goes back to where the
 * visitor was headed (a path inside the console only, never another site).
 */
import { csrfField } from "../format.js";
import { html } from "../html.js";
import { layout } from "../layout.js";
import type { ConsoleRouter, PageRequest } from "../router.js";
import type { Gate } from "../security/gate.js";
import { verifyConsolePassword } from "../security/password.js";
import { href, type View } from "../view.js";

/** Only a path of this console: "/x" but not "//host" or "/\\host". */
export function safeNext(view: Pick<View, "base">, next: string | null | undefined): string {
  const fallback = `${view.base}/`;
  if (!next?.startsWith(`${view.base}/`) || /^\/[/\\]/.test(next)) return fallback;
  return next;
}

function loginPage(view: View, next: string, error?: string) {
  const { t } = view;
  return layout(view, {
    title: t("login.title"),
    section: "login",
    body: html`${error ? html`<p class="error" role="alert" id="login-error">${error}</p>` : ""}
      <form method="post" action="${href(view, "/login")}" class="stack">
        ${csrfField(view)}
        <input type="hidden" name="next" value="${next}">
        <label for="password">${t("login.password")}</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required autofocus
          ${error ? html`aria-describedby="login-error" aria-invalid="true"` : ""}>
        <p><button type="submit">${t("login.submit")}</button></p>
      </form>`,
  });
}

export function registerLogin(router: ConsoleRouter, gate: Gate, passwordHash: string | undefined): void {
  router.get("/login", async ({ view, query }) => ({ page: loginPage(view, safeNext(view, query.next)) }));

  router.post("/login", async (r: PageRequest) => {
    const { view, form, req } = r;
    const next = safeNext(view, form.get("next"));
    if (!passwordHash) return { redirect: next };
    const address = req.ip;
    const wait = gate.limiter.retryAfter(address);
    if (wait > 0) {
      return {
        page: loginPage(view, next, view.t("login.tooMany", { seconds: wait })),
        status: 429,
        headers: { "retry-after": String(wait) },
      };
    }
    const password = form.get("password") ?? "";
    if (!(await verifyConsolePassword(password, passwordHash))) {
      gate.limiter.fail(address);
      return { page: loginPage(view, next, view.t("login.failed")), status: 401 };
    }
    gate.limiter.succeed(address);
    return { redirect: next, session: "login" };
  });

  router.post("/logout", async ({ view }) => ({ redirect: href(view, "/login"), session: "logout" }));
}
