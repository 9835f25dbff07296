import type { AnyValue, NumberValue, RegexValue, StringValue, Value } from "./ast.js";
import { exponentFitsJavaInt, parseDecimal } from "./decimal.js";
import { INVALID_PATTERN, InvalidParameterException, invalidCharacters } from "./errors.js";
import { compileRegex } from "./regex/index.js";

/**
 * Characters AWS accepts between `%` and `%`. Anything else is a lexer error reported from the opening
 * `%` up to and including the offending character (`%(`, `%café`, `%[a&`), as AWS does.
 */
function isRegexChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 32 || // " " (AWS's own example `%^shutting down%`)
    ":_#=@/;,-^$?[]{}|\\*+.".includes(String.fromCharCode(c))
  );
}

/** Lexes `%...%` starting at `start` (which holds `%`); returns the index after the closing `%`. */
export function lexRegex(src: string, start: number): { end: number; body: string } {
  let i = start + 1;
  for (;;) {
    if (i >= src.length) throw invalidCharacters(src.slice(start), start);
    const c = src.charCodeAt(i);
    if (c === 37 /* % */) {
      if (i === start + 1) throw invalidCharacters(src.slice(start, i + 1), start);
      return { end: i + 1, body: src.slice(start + 1, i) };
    }
    if (!isRegexChar(c)) {
      // Report the whole code point, not half a surrogate pair.
      const cp = src.codePointAt(i)!;
      throw invalidCharacters(src.slice(start, i + (cp > 0xffff ? 2 : 1)), start);
    }
    i++;
  }
}

export function regexValue(body: string, position: number): RegexValue {
  try {
    return { type: "regex", source: body, regex: compileRegex(body) };
  } catch (e) {
    if (e instanceof InvalidParameterException) throw new InvalidParameterException(e.message, position);
    throw e;
  }
}

/** Characters of an unquoted value (`Root`, `123.123.*`, `*UnauthorizedOperation`, `-1.5e3`). */
export function isBareValueChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 || // _
    c === 46 || // .
    c === 42 || // *
    c === 45 || // -
    c === 43 || // +
    (c > 127 && /[\p{L}\p{N}\p{M}]/u.test(String.fromCharCode(c)))
  );
}

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function isNumericText(text: string): boolean {
  return NUMERIC.test(text);
}

/** An unquoted value: a number, `*`, or a string with optional edge wildcards. */
export function bareValue(text: string, position: number): Value {
  if (NUMERIC.test(text)) {
    if (!exponentFitsJavaInt(text)) throw new InvalidParameterException(INVALID_PATTERN, position);
    return { type: "number", text, decimal: parseDecimal(text)! } satisfies NumberValue;
  }
  return stringValue(text);
}

/** A quoted or unquoted string value; `*` alone means "any string or number". */
export function stringValue(text: string): StringValue | AnyValue {
  if (text === "*") return { type: "any" };
  let core = text;
  let prefixWildcard = false;
  let suffixWildcard = false;
  if (core.length > 0 && core.charCodeAt(0) === 42) {
    prefixWildcard = true;
    core = core.slice(1);
  }
  if (core.length > 0 && core.charCodeAt(core.length - 1) === 42) {
    suffixWildcard = true;
    core = core.slice(0, -1);
  }
  return { type: "string", text, core, prefixWildcard, suffixWildcard };
}

/** Does `s` match a string value? A `*` inside the value is a literal character. */
export function globMatches(v: StringValue, s: string): boolean {
  if (v.prefixWildcard) {
    return v.suffixWildcard ? s.includes(v.core) : s.endsWith(v.core);
  }
  return v.suffixWildcard ? s.startsWith(v.core) : s === v.core;
}

/**
 * Reads a double-quoted string starting at `start` (which holds `"`). `\"` and `\\` are escapes (the
 * AWS CDK emits them); any other backslash is kept as written. Returns null when the quote is unclosed.
 */
export function readQuoted(src: string, start: number): { end: number; text: string } | null {
  let text = "";
  let i = start + 1;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 34) return { end: i + 1, text };
    if (c === 92 && i + 1 < src.length) {
      const n = src.charCodeAt(i + 1);
      if (n === 34 || n === 92) {
        text += src[i + 1];
        i += 2;
        continue;
      }
    }
    text += src[i];
    i++;
  }
  return null;
}
