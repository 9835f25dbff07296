import type { AssertKind, Node } from "./ast.js";
import type { Ranges } from "./charset.js";
import { regexError } from "./parse.js";

/** Consumes one character of `sets[arg]`, then goes to `out`. */
export const CHAR = 0;
/** Goes to both `out` and `out1` (alternation, repetition). */
export const SPLIT = 1;
/** Goes to `out` when the empty-width assertion `arg` holds at the current position. */
export const ASSERT = 2;
export const MATCH = 3;

export const A_BEGIN = 0;
export const A_END = 1;
export const A_WORD = 2;
export const A_NOT_WORD = 3;

const ASSERT_CODE: Record<AssertKind, number> = {
  begin: A_BEGIN,
  end: A_END,
  word: A_WORD,
  notWord: A_NOT_WORD,
};

/**
 * Bound on NFA states, like RE2 C++'s program size limit (max_mem 8 MB, about 100k
 * instructions). Each DFA state costs up to this much to build, so it bounds the per-character
 * constant of the worst case. RE2/J has no such limit, but `\d{1000}` repeated a hundred times is
 * not a filter anyone needs, and `a{1000}\Q\E{1000}` (a repeat of a repeat, which RE2/J accepts
 * and RE2 C++/Go reject) would otherwise expand to a million states.
 */
export const MAX_NFA_STATES = 100_000;

/** A Thompson NFA in parallel typed arrays (struct-of-arrays keeps the simulation loops tight). */
export interface Nfa {
  readonly size: number;
  readonly op: Uint8Array;
  readonly out: Int32Array;
  readonly out1: Int32Array;
  /** CHAR: index into `sets`; ASSERT: an A_* code. */
  readonly arg: Int32Array;
  readonly start: number;
  readonly sets: readonly Ranges[];
  /** Every match must start at position 0 (each path passes `^`/`\A` before anything else). */
  readonly anchored: boolean;
  readonly hasWordAssert: boolean;
}

/** States `compile` will create for a node (MATCH not included); Infinity-safe, no overflow. */
function stateCount(n: Node): number {
  switch (n.kind) {
    case "empty":
      return 0;
    case "set":
    case "assert":
      return 1;
    case "concat":
      return n.items.reduce((sum, item) => sum + stateCount(item), 0);
    case "alt":
      return n.items.reduce((sum, item) => sum + stateCount(item), n.items.length - 1);
    case "repeat": {
      const s = stateCount(n.sub);
      return n.max === -1 ? Math.max(n.min, 1) * s + 1 : n.min * s + (n.max - n.min) * (s + 1);
    }
  }
}

export function buildNfa(ast: Node): Nfa {
  if (stateCount(ast) + 1 > MAX_NFA_STATES) throw regexError();
  const b = new Builder();
  const match = b.add(MATCH, -1, -1, 0);
  const start = b.compile(ast, match);
  const nfa: Nfa = {
    size: b.op.length,
    op: Uint8Array.from(b.op),
    out: Int32Array.from(b.out),
    out1: Int32Array.from(b.out1),
    arg: Int32Array.from(b.arg),
    start,
    sets: b.sets,
    anchored: false,
    hasWordAssert: b.hasWordAssert,
  };
  return { ...nfa, anchored: isAnchored(nfa) };
}

/**
 * Builds states back to front: `compile(node, next)` returns the entry of a fragment that
 * continues to `next`, so no patch lists are needed.
 */
class Builder {
  readonly op: number[] = [];
  readonly out: number[] = [];
  readonly out1: number[] = [];
  readonly arg: number[] = [];
  readonly sets: Ranges[] = [];
  hasWordAssert = false;
  private readonly setIndex = new Map<string, number>();

  add(op: number, out: number, out1: number, arg: number): number {
    this.op.push(op);
    this.out.push(out);
    this.out1.push(out1);
    this.arg.push(arg);
    return this.op.length - 1;
  }

  private set(ranges: Ranges): number {
    const key = ranges.join(",");
    let i = this.setIndex.get(key);
    if (i === undefined) {
      i = this.sets.length;
      this.sets.push(ranges);
      this.setIndex.set(key, i);
    }
    return i;
  }

  compile(n: Node, next: number): number {
    switch (n.kind) {
      case "empty":
        return next;
      case "set":
        return this.add(CHAR, next, -1, this.set(n.ranges));
      case "assert": {
        const code = ASSERT_CODE[n.what];
        if (code === A_WORD || code === A_NOT_WORD) this.hasWordAssert = true;
        return this.add(ASSERT, next, -1, code);
      }
      case "concat": {
        let s = next;
        for (let i = n.items.length - 1; i >= 0; i--) s = this.compile(n.items[i], s);
        return s;
      }
      case "alt": {
        let s = this.compile(n.items[n.items.length - 1], next);
        for (let i = n.items.length - 2; i >= 0; i--)
          s = this.add(SPLIT, this.compile(n.items[i], next), s, 0);
        return s;
      }
      case "repeat":
        return this.repeat(n.sub, n.min, n.max, next);
    }
  }

  private repeat(sub: Node, min: number, max: number, next: number): number {
    if (max === -1) {
      // x{n,} = x{n-1} x+, and x* = (x+)? sharing the loop's split.
      const loop = this.add(SPLIT, -1, next, 0);
      const body = this.compile(sub, loop);
      this.out[loop] = body;
      let s = min === 0 ? loop : body;
      for (let i = 1; i < min; i++) s = this.compile(sub, s);
      return s;
    }
    // x{n,m} = x{n} (x(x(x)?)?)? : nested optionals as RE2 does, so fewer threads stay alive.
    let s = next;
    for (let i = 0; i < max - min; i++) s = this.add(SPLIT, this.compile(sub, s), next, 0);
    for (let i = 0; i < min; i++) s = this.compile(sub, s);
    return s;
  }
}

/** True when no CHAR or MATCH is reachable from the start without passing a begin assertion. */
function isAnchored(nfa: Nfa): boolean {
  const seen = new Uint8Array(nfa.size);
  const stack = [nfa.start];
  seen[nfa.start] = 1;
  while (stack.length > 0) {
    const s = stack.pop()!;
    const op = nfa.op[s];
    if (op === CHAR || op === MATCH) return false;
    if (op === ASSERT && nfa.arg[s] === A_BEGIN) continue;
    for (const t of op === SPLIT ? [nfa.out[s], nfa.out1[s]] : [nfa.out[s]]) {
      if (!seen[t]) {
        seen[t] = 1;
        stack.push(t);
      }
    }
  }
  return true;
}
