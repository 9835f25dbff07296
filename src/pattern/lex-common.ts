import type { ComparisonOp, Span } from "./ast.js";
import { invalidCharacters } from "./errors.js";
import { isBareValueChar, lexRegex, readQuoted } from "./values.js";

/** The tokens JSON and space-delimited patterns share: connectives, operators and values. */
export type CommonToken =
  | { type: "&&" | "||"; span: Span; text: string }
  | { type: "op"; op: ComparisonOp; span: Span; text: string }
  | { type: "string"; value: string; span: Span; text: string }
  | { type: "regex"; body: string; span: Span; text: string }
  | { type: "word"; span: Span; text: string };

/** AWS's lexer error: the text from the token's start through the offending character (a whole code point). */
export function failAt(src: string, start: number, at: number): never {
  if (at >= src.length) throw invalidCharacters(src.slice(start), start);
  const cp = src.codePointAt(at)!;
  throw invalidCharacters(src.slice(start, at + (cp > 0xffff ? 2 : 1)), start);
}

/** Lexes a shared token at `start` (not blank); null when no shared token starts there. */
export function lexCommonToken(src: string, start: number, to: number): CommonToken | null {
  const ch = src[start];
  if (ch === "&" || ch === "|") {
    if (src[start + 1] !== ch) failAt(src, start, start + 1);
    return { type: ch === "&" ? "&&" : "||", span: { start, end: start + 2 }, text: ch + ch };
  }
  if (ch === "=" || ch === "<" || ch === ">" || ch === "!") {
    const eq = src[start + 1] === "=";
    if (ch === "!" && !eq) failAt(src, start, start + 1);
    const op = (ch === "=" ? "=" : eq ? `${ch}=` : ch) as ComparisonOp;
    const end = start + (ch !== "=" && eq ? 2 : 1);
    return { type: "op", op, span: { start, end }, text: op };
  }
  if (ch === '"') {
    const q = readQuoted(src, start);
    if (!q || q.end > to) failAt(src, start, to);
    return { type: "string", value: q.text, span: { start, end: q.end }, text: src.slice(start, q.end) };
  }
  if (ch === "%") {
    const r = lexRegex(src, start);
    return { type: "regex", body: r.body, span: { start, end: r.end }, text: src.slice(start, r.end) };
  }
  if (isBareValueChar(src.charCodeAt(start))) {
    let j = start;
    while (j < to && isBareValueChar(src.charCodeAt(j))) j++;
    return { type: "word", span: { start, end: j }, text: src.slice(start, j) };
  }
  return null;
}
