import { buildAlphabet } from "./alphabet.js";
import type { Node } from "./ast.js";
import { singleCodePoint } from "./charset.js";
import { type DfaOptions, LazyDfa } from "./dfa.js";
import type { CompiledRegex } from "./index.js";
import { buildNfa } from "./nfa.js";
import { parseRegex } from "./parse.js";

export interface CompileOptions extends DfaOptions {
  /** Use the DFA even for plain literals (tests compare both paths). */
  readonly noLiteralShortcut?: boolean;
}

/** compileRegex with knobs for tests: a tiny DFA cache exercises the reset and NFA paths. */
export function compile(body: string, options: CompileOptions = {}): CompiledRegex {
  const ast = parseRegex(body);
  const literal = options.noLiteralShortcut ? undefined : literalOf(ast);
  if (literal !== undefined) return new LiteralRegex(body, literal);
  const nfa = buildNfa(ast);
  // The prefix jump restarts with "previous character is not a word character", which only
  // holds for regexes without \b or \B.
  const prefix = nfa.hasWordAssert || options.noLiteralShortcut ? "" : literalPrefix(ast);
  const alphabet = buildAlphabet(nfa.sets, nfa.hasWordAssert);
  return new DfaRegex(body, new LazyDfa(nfa, alphabet, prefix, options));
}

class LiteralRegex implements CompiledRegex {
  constructor(
    readonly source: string,
    private readonly literal: string,
  ) {}

  test(input: string): boolean {
    return input.includes(this.literal);
  }
}

class DfaRegex implements CompiledRegex {
  constructor(
    readonly source: string,
    private readonly dfa: LazyDfa,
  ) {}

  test(input: string): boolean {
    return this.dfa.search(input);
  }
}

/**
 * The string a single character set stands for when it is one code point that substring search
 * can find exactly. Surrogate code points are excluded: `\x{d83d}` must not match inside a pair.
 */
function literalChar(n: Node): string | undefined {
  if (n.kind !== "set") return undefined;
  const cp = singleCodePoint(n.ranges);
  return cp < 0 || (cp >= 0xd800 && cp <= 0xdfff) ? undefined : String.fromCodePoint(cp);
}

/** The regex as a plain string when it is nothing but literal characters (`AUTHORIZED`, `\.`). */
function literalOf(ast: Node): string | undefined {
  if (ast.kind === "empty") return "";
  if (ast.kind === "set") return literalChar(ast);
  if (ast.kind !== "concat") return undefined;
  let s = "";
  for (const item of ast.items) {
    const c = literalChar(item);
    if (c === undefined) return undefined;
    s += c;
  }
  return s;
}

/** Bounds the indexOf pattern so that repeated partial matches stay cheap. */
const MAX_PREFIX = 32;

/** Leading literal characters that every match must start with. */
function literalPrefix(ast: Node): string {
  const items = ast.kind === "concat" ? ast.items : [ast];
  let s = "";
  for (const item of items) {
    const c = literalChar(item);
    if (c === undefined || s.length + c.length > MAX_PREFIX) break;
    s += c;
  }
  return s;
}
