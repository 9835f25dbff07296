import type { Ranges } from "./charset.js";

/**
 * Empty-width assertions. `begin`/`end` are RE2's BeginText/EndText: `^` and `$` without the m
 * flag, `\A` and `\z`. `word`/`notWord` are `\b`/`\B` over ASCII word characters.
 */
export type AssertKind = "begin" | "end" | "word" | "notWord";

/** The parsed regex. Literals, `.` and classes are all `set` (one character from the ranges). */
export type Node =
  | { readonly kind: "empty" }
  | { readonly kind: "set"; readonly ranges: Ranges }
  | { readonly kind: "assert"; readonly what: AssertKind }
  | { readonly kind: "concat"; readonly items: readonly Node[] }
  | { readonly kind: "alt"; readonly items: readonly Node[] }
  /** `max` is -1 for no upper bound. */
  | { readonly kind: "repeat"; readonly sub: Node; readonly min: number; readonly max: number };
