import type { SelectorStep, Span } from "../ast.js";
import { type CommonToken, failAt, lexCommonToken } from "../lex-common.js";

export type JsonToken =
  | CommonToken
  | { type: "{" | "}" | "(" | ")" | "eof"; span: Span; text: string }
  | { type: "selector"; steps: SelectorStep[]; wildcards: number; span: Span; text: string };

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/**
 * Lexes a selector: `$` then steps `.name`, `.*`, `.['key']`, `[n]`, `[*]`. A bracket step is its own
 * token in AWS's lexer (an error inside it is reported from the `[`: `{ $.a[-1] = 2 }` -> `[-`).
 */
export function lexSelector(
  src: string,
  start: number,
): { end: number; steps: SelectorStep[]; wildcards: number } {
  const steps: SelectorStep[] = [];
  let wildcards = 0;
  let i = start + 1;
  if (src.charCodeAt(i) !== 46 /* . */) failAt(src, start, i);
  for (;;) {
    const c = src.charCodeAt(i);
    if (c === 46 /* . */) {
      const tokenStart = steps.length === 0 ? start : i;
      i++;
      const n = src.charCodeAt(i);
      if (n === 42 /* * */) {
        steps.push({ type: "wildcard" });
        wildcards++;
        i++;
      } else if (n === 91 /* [ */) {
        if (src.charCodeAt(i + 1) !== 39 /* ' */) failAt(src, tokenStart, i + 1);
        const close = src.indexOf("']", i + 2);
        if (close < 0) failAt(src, tokenStart, src.length);
        const key = src.slice(i + 2, close);
        if (key.length === 0 || key.includes("'")) failAt(src, tokenStart, i + 2);
        steps.push({ type: "property", name: key });
        i = close + 2;
      } else if (isNameChar(n)) {
        let j = i;
        while (j < src.length && isNameChar(src.charCodeAt(j))) j++;
        steps.push({ type: "property", name: src.slice(i, j) });
        i = j;
      } else {
        failAt(src, tokenStart, i);
      }
    } else if (c === 91 /* [ */) {
      const tokenStart = i;
      i++;
      if (src.charCodeAt(i) === 42 /* * */) {
        i++;
        steps.push({ type: "wildcard" });
        wildcards++;
      } else {
        let j = i;
        while (j < src.length && src.charCodeAt(j) >= 48 && src.charCodeAt(j) <= 57) j++;
        if (j === i) failAt(src, tokenStart, i);
        steps.push({ type: "index", index: Number(src.slice(i, j)) });
        i = j;
      }
      if (src.charCodeAt(i) !== 93 /* ] */) failAt(src, tokenStart, i);
      i++;
    } else {
      return { end: i, steps, wildcards };
    }
  }
}

export function lexJson(src: string, from: number, to: number): JsonToken[] {
  const out: JsonToken[] = [];
  let i = from;
  while (i < to) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    const ch = src[i];
    if (ch === "{" || ch === "}" || ch === "(" || ch === ")") {
      out.push({ type: ch, span: { start, end: i + 1 }, text: ch });
      i++;
    } else if (ch === "$") {
      const sel = lexSelector(src, start);
      if (sel.end > to) failAt(src, start, to);
      out.push({
        type: "selector",
        steps: sel.steps,
        wildcards: sel.wildcards,
        span: { start, end: sel.end },
        text: src.slice(start, sel.end),
      });
      i = sel.end;
    } else {
      const t = lexCommonToken(src, start, to);
      if (t === null) failAt(src, start, i);
      out.push(t);
      i = t.span.end;
    }
  }
  out.push({ type: "eof", span: { start: to, end: to }, text: "" });
  return out;
}
