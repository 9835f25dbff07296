/**
 * The language switch: `/lang/ko?next=/alarms` sets the language cookie and goes back. A GET because it
 * only records a display preference (no data changes), so it also works before login; `next` must be a
 * path of this console.
 */
import { isLang } from "../i18n/index.js";
import type { ConsoleRouter } from "../router.js";
import type { Gate } from "../security/gate.js";
import { safeNext } from "./login.js";

export function registerLanguage(router: ConsoleRouter, gate: Gate): void {
  router.get("/lang/:lang", async ({ req, view, query }) => {
    const lang = (req.params as { lang: string }).lang;
    const next = safeNext(view, query.next);
    if (!isLang(lang)) return { redirect: next };
    return { redirect: next, cookie: gate.langCookie(req, lang) };
  });
}
