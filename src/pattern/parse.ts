import type { PatternAst } from "./ast.js";
import { InvalidParameterException, invalidCharacters } from "./errors.js";
import { parseJsonPattern } from "./json/parser.js";
import { parseSpacePattern } from "./space/parser.js";
import { parseTermsPattern } from "./terms.js";
import { lexRegex, regexValue } from "./values.js";

export const MAX_PATTERN_LENGTH = 1024;

export interface ParsedPattern {
  ast: PatternAst;
  regexCount: number;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Parses a filter pattern. Its language is decided by its first non-blank character: `{` JSON,
 * `[` space-delimited, `%` regular expression, anything else terms; empty or blank matches everything.
 */
export function parsePattern(pattern: string): ParsedPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new InvalidParameterException(
      `1 validation error detected: Value '${pattern}' at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PATTERN_LENGTH}`,
    );
  }
  let from = 0;
  let to = pattern.length;
  while (from < to && isBlank(pattern.charCodeAt(from))) from++;
  while (to > from && isBlank(pattern.charCodeAt(to - 1))) to--;
  if (from === to) return { ast: { kind: "all" }, regexCount: 0 };
  const first = pattern[from];
  const last = pattern[to - 1];
  if (first === "{") {
    if (last !== "}")
      throw new InvalidParameterException("If a filter pattern starts with '{' it must end with '}'");
    return parseJsonPattern(pattern, from, to);
  }
  if (first === "[") {
    if (last !== "]")
      throw new InvalidParameterException("If a filter pattern starts with '[' it must end with ']'");
    return parseSpacePattern(pattern, from, to);
  }
  if (first === "%") {
    if (last !== "%" || to - from < 2) {
      throw new InvalidParameterException("If a filter pattern starts with '%' it must end with '%'");
    }
    const r = lexRegex(pattern, from);
    // One regular expression is the whole pattern: `%ERROR% %WARN%` fails on the blank.
    if (r.end < to) throw invalidCharacters(pattern[r.end], r.end);
    return { ast: { kind: "regex", regex: regexValue(r.body, from) }, regexCount: 1 };
  }
  return { ast: parseTermsPattern(pattern.slice(0, to)), regexCount: 0 };
}
