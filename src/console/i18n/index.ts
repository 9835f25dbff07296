/**
 * Languages of the console: the catalogues, the choice (a cookie set by the language switch wins, then the
 * browser's Accept-Language, then English) and `t()`, which fills `{name}` placeholders. Catalogue texts are
 * plain text: pages pass them through the escaping `html` template like any other value.
 */
import { en, type MessageKey } from "./en.js";
import { ko } from "./ko.js";

export type { MessageKey };
export const LANGUAGES = ["en", "ko"] as const;
export type Lang = (typeof LANGUAGES)[number];

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en, ko };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const catalogue = CATALOGUES[lang];
  return (key, params) => {
    const text = catalogue[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
  };
}

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The best of our languages for an Accept-Language header (RFC 9110 §12.5.4): highest q first, a range
 * matching by primary tag (`ko-KR` → ko), `*` meaning any; English when nothing matches.
 */
export function negotiate(header: string | undefined): Lang {
  if (!header) return "en";
  const ranges = header
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag !== "" && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (r.tag === "*") return "en";
    const primary = r.tag.split("-")[0];
    if (isLang(primary)) return primary;
  }
  return "en";
}
