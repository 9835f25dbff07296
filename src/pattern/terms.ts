import type { Term, TermsPattern } from "./ast.js";
import { INVALID_PATTERN, InvalidParameterException, invalidCharacters } from "./errors.js";
import { readQuoted } from "./values.js";

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Letters, digits, `_` and `.` make up an unquoted term (recorded: `a.b`, `a_b`, `café`). `-` and `?`
 * start a new term (`a-b` is `a -b`). Other ASCII symbols are rejected; AWS names the character.
 */
function isTermChar(c: number, ch: string): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46)
    return true;
  return c > 127 && /[\p{L}\p{N}\p{M}]/u.test(ch);
}

export function parseTermsPattern(src: string): TermsPattern {
  const required: Term[] = [];
  const excluded: Term[] = [];
  const optional: Term[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (isBlank(c)) {
      i++;
      continue;
    }
    const start = i;
    let list = required;
    if (c === 45 /* - */ || c === 63 /* ? */) {
      list = c === 45 ? excluded : optional;
      i++;
      const n = src.charCodeAt(i);
      if (i >= src.length || isBlank(n) || n === 45 || n === 63) {
        throw new InvalidParameterException(INVALID_PATTERN, start);
      }
    }
    let text: string;
    if (src.charCodeAt(i) === 34 /* " */) {
      const q = readQuoted(src, i);
      if (q === null) throw invalidCharacters(src.slice(i), i);
      if (q.text.length === 0) throw invalidCharacters(src.slice(i, q.end), i);
      // A quoted phrase must stand alone: `"x"y` is rejected.
      if (q.end < src.length && !isBlank(src.charCodeAt(q.end))) {
        throw new InvalidParameterException(INVALID_PATTERN, q.end);
      }
      text = q.text;
      i = q.end;
    } else {
      const wordStart = i;
      while (i < src.length) {
        const cp = src.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        if (isTermChar(cp, ch)) {
          i += ch.length;
          continue;
        }
        if (isBlank(cp) || cp === 45 || cp === 63) break;
        if (cp === 34) throw new InvalidParameterException(INVALID_PATTERN, i);
        throw invalidCharacters(ch, i);
      }
      text = src.slice(wordStart, i);
    }
    list.push({ text, span: { start, end: i } });
  }
  return { kind: "terms", required, excluded, optional };
}

/** AWS: `?` terms count only when the pattern has no plain and no `-` terms (`?ERROR -timeout` = `-timeout`). */
export function matchTerms(p: TermsPattern, message: string): boolean {
  for (const t of p.required) if (!message.includes(t.text)) return false;
  for (const t of p.excluded) if (message.includes(t.text)) return false;
  if (p.required.length === 0 && p.excluded.length === 0 && p.optional.length > 0) {
    for (const t of p.optional) if (message.includes(t.text)) return true;
    return false;
  }
  return true;
}
