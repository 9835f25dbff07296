/**
 * What every page is rendered with: the language and its `t`, the session's CSRF token, and URLs under the
 * console's base path. Built once per request by the router (src/console/index.ts).
 */
import type { Lang, Translate } from "./i18n/index.js";

export interface View {
  lang: Lang;
  t: Translate;
  /** The session's CSRF token: a hidden field in every form, a header on every htmx request. */
  csrf: string;
  /** Base path of the console without a trailing slash ("" when mounted at /). */
  base: string;
  /** The request's path and query, for the language switch's way back. */
  current: string;
  /** Whether a password protects the console (the logout button is shown only then). */
  passwordRequired: boolean;
  /** Live-update interval, seconds. */
  pollSeconds: number;
  /** A message left by the previous request (after a redirect). */
  flash?: string;
}

/** A console URL: `path` starts with "/"; query values that are undefined or "" are left out. */
export function href(
  view: Pick<View, "base">,
  path: string,
  query: Record<string, string | undefined> = {},
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return `${view.base}${path}${s ? `?${s}` : ""}`;
}
