import type { PatternAst } from "./ast.js";
import { compileJsonExpr, type JsonPredicate } from "./json/compile-json.js";
import { NEED_EXACT } from "./json/evaluate.js";
import { JsonNumber, parseExactJson } from "./json/exact-json.js";
import { buildPrefilter, type PrefilterAlternative, prefilterSources } from "./json/prefilter.js";
import { parsePattern } from "./parse.js";
import { matchSpace } from "./space/evaluate.js";
import { matchTerms } from "./terms.js";
import type { CompiledPattern, PatternMatch } from "./types.js";

function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/** The first non-blank character of a JSON object event is `{`: a cheap way to skip plain text. */
function mayBeJsonObject(message: string): boolean {
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    if (c === 123) return true;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return false;
}

/** Parses a message as a JSON object event; undefined when it is not one (such events never match). */
export function parseJsonEvent(message: string): Record<string, unknown> | undefined {
  if (!mayBeJsonObject(message)) return undefined;
  let root: unknown;
  try {
    root = JSON.parse(message);
  } catch {
    return undefined;
  }
  return isJsonObject(root) ? root : undefined;
}

/** Evaluates a compiled JSON pattern on a parsed event, re-parsing exactly only when the answer needs it. */
export function evaluateJsonEvent(predicate: JsonPredicate, root: unknown, message: string): boolean {
  try {
    return predicate(root);
  } catch (e) {
    if (e !== NEED_EXACT) throw e;
    const exact = parseExactJson(message);
    return isJsonObject(exact) && predicate(exact);
  }
}

export interface CompiledPatternWithAst extends CompiledPattern {
  readonly ast: PatternAst;
  /** For JSON patterns: the prefilter's alternatives (see json/prefilter.ts), null when unbounded. */
  readonly prefilterSources: PrefilterAlternative[] | null;
  /** For JSON patterns: the compiled predicate over a parsed event. */
  readonly jsonPredicate: JsonPredicate | null;
}

/** Parses and compiles a filter pattern; throws InvalidParameterException for what AWS rejects. */
export function compileFilterPattern(pattern: string): CompiledPatternWithAst {
  const { ast, regexCount } = parsePattern(pattern);
  const base = {
    source: pattern,
    kind: ast.kind,
    regexCount,
    ast,
    prefilterSources: ast.kind === "json" ? prefilterSources(ast.expr) : null,
    jsonPredicate: ast.kind === "json" ? compileJsonExpr(ast.expr) : null,
  };
  switch (ast.kind) {
    case "all":
      return { ...base, test: () => true, match: () => ({ extractedValues: {} }) };
    case "terms": {
      const test = (m: string) => matchTerms(ast, m);
      return { ...base, test, match: (m) => (test(m) ? { extractedValues: {} } : null) };
    }
    case "regex": {
      const re = ast.regex.regex;
      const test = (m: string) => re.test(m);
      return { ...base, test, match: (m) => (test(m) ? { extractedValues: {} } : null) };
    }
    case "json": {
      const predicate = base.jsonPredicate!;
      const sources = base.prefilterSources;
      const prefilter = sources === null ? null : buildPrefilter(sources);
      const match = (m: string): PatternMatch | null => {
        if (prefilter !== null && !prefilter.test(m)) return null;
        const root = parseJsonEvent(m);
        if (root === undefined || !evaluateJsonEvent(predicate, root, m)) return null;
        return { extractedValues: {}, json: root };
      };
      return { ...base, test: (m) => match(m) !== null, match };
    }
    case "space": {
      const match = (m: string): PatternMatch | null => {
        const values = matchSpace(ast, m);
        return values === null ? null : { extractedValues: values };
      };
      return { ...base, test: (m) => matchSpace(ast, m) !== null, match };
    }
  }
}
