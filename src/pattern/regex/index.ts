import { compile } from "./compile.js";

export interface CompiledRegex {
  /** The regex body, without the % delimiters. */
  readonly source: string;
  /** Unanchored search (RE2's PartialMatch); linear time in the input length. */
  test(input: string): boolean;
}

/**
 * Compiles the body of a `%...%` filter-pattern regex with RE2 semantics.
 * Throws InvalidParameterException("Failed to compile regular expression.") for anything RE2
 * rejects (and for parentheses, which the pattern lexer never passes through).
 */
export function compileRegex(body: string): CompiledRegex {
  return compile(body);
}
