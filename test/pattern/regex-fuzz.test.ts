import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidParameterException } from "../../src/pattern/errors.js";
import { type CompileOptions, compile } from "../../src/pattern/regex/compile.js";
import { compileRegex } from "../../src/pattern/regex/index.js";

/**
 * Differential fuzzing against JS RegExp. The generator writes each random regex twice: in RE2
 * syntax for us, and as an equivalent JS (u flag) regex, spelling out where the two dialects
 * differ (`.` is [^\n] in RE2, `\s` is [\t\n\f\r ], a quantifier after \Q...\E takes only the
 * last character; `$` means the same in both: the very end of the text, without the m flag). Set REGEX_FUZZ_SEED to replay.
 */

const SEED = Number(process.env.REGEX_FUZZ_SEED ?? 20240611);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** One quantifiable piece: `js` is what a quantifier applies to, `jsBefore` is not quantified. */
interface Atom {
  re2: string;
  js: string;
  jsBefore?: string;
}

const SIMPLE: Array<[string, string]> = [
  ["a", "a"],
  ["b", "b"],
  ["c", "c"],
  [".", "[^\\n]"],
  ["\\.", "\\."],
  [":", ":"],
  [" ", " "],
  ["\\d", "[0-9]"],
  ["\\D", "[^0-9]"],
  ["\\w", "[0-9A-Za-z_]"],
  ["\\W", "[^0-9A-Za-z_]"],
  ["\\s", "[\\t\\n\\f\\r ]"],
  ["\\S", "[^\\t\\n\\f\\r ]"],
  ["\\x61", "a"],
  ["\\141", "a"],
  ["\\n", "\\n"],
  ["\\x{1F600}", "\\u{1F600}"],
  ["\\x{D83D}", "\\u{D83D}"],
  ["é", "é"],
  ["\\pL", "\\p{L}"],
  ["\\PL", "\\P{L}"],
  ["\\p{Greek}", "\\p{Script=Greek}"],
  ["\\p{^Greek}", "\\P{Script=Greek}"],
  ["\\pN", "\\p{N}"],
  ["[[:alpha:]]", "[A-Za-z]"],
  ["[[:^alpha:]]", "[^A-Za-z]"],
  ["[[:space:]]", "[\\t\\n\\v\\f\\r ]"],
];

const ASSERTIONS: Array<[string, string]> = [
  ["^", "^"],
  ["$", "$"],
  ["\\A", "^"],
  ["\\z", "$"],
  ["\\b", "\\b"],
  ["\\B", "\\B"],
];

/** Class items as [RE2 text, JS class text]; both dialects agree inside brackets for these. */
const CLASS_ITEMS: Array<[string, string]> = [
  ["a", "a"],
  ["b", "b"],
  ["c", "c"],
  ["a-b", "a-b"],
  ["b-c", "b-c"],
  ["\\d", "0-9"],
  ["\\s", "\\t\\n\\f\\r "],
  ["\\w", "0-9A-Za-z_"],
  ["\\W", "\\W"],
  ["\\n", "\\n"],
  ["é", "é"],
  ["\\pL", "\\p{L}"],
  ["\\x{1F600}", "\\u{1F600}"],
  [".", "."],
  ["[:digit:]", "0-9"],
];

function genClass(r: Rand): Atom {
  const negated = r() < 0.35;
  let re2 = negated ? "[^" : "[";
  let js = negated ? "[^" : "[";
  if (r() < 0.15) {
    // A leading ] is literal in RE2.
    re2 += "]";
    js += "\\]";
  }
  for (let i = int(r, 1, 3); i > 0; i--) {
    const [a, b] = pick(r, CLASS_ITEMS);
    re2 += a;
    js += b;
  }
  if (r() < 0.15) {
    // A trailing - is literal.
    re2 += "-";
    js += "\\-";
  }
  return { re2: `${re2}]`, js: `${js}]` };
}

function genAtom(r: Rand): Atom {
  const roll = r();
  if (roll < 0.55) {
    const [re2, js] = pick(r, SIMPLE);
    return { re2, js };
  }
  if (roll < 0.75) return genClass(r);
  if (roll < 0.93) {
    const [re2, js] = pick(r, ASSERTIONS);
    return { re2, js };
  }
  // \Q...\E: literal text; a following quantifier applies to its last character only.
  const text = pick(r, ["a.", "b*", "a|b", ".c", "ab"]);
  const quote = (t: string): string => t.replace(/[.*|]/g, "\\$&");
  return { re2: `\\Q${text}\\E`, jsBefore: quote(text.slice(0, -1)), js: quote(text.slice(-1)) };
}

function genQuantifier(r: Rand): string {
  const lazy = r() < 0.3 ? "?" : "";
  const n = int(r, 0, 3);
  const q = pick(r, ["*", "+", "?", `{${n}}`, `{${n},}`, `{${n},${n + int(r, 0, 2)}}`]);
  return q + lazy;
}

function genRegex(r: Rand): { re2: string; js: string } {
  const branches: Array<{ re2: string; js: string }> = [];
  for (let b = int(r, 1, 3); b > 0; b--) {
    let re2 = "";
    let js = "";
    // Mostly non-empty branches: an empty one matches everything and hides the rest.
    for (let i = r() < 0.05 ? 0 : int(r, 1, 5); i > 0; i--) {
      const atom = genAtom(r);
      if (atom.re2.startsWith("\\Q") && re2.endsWith("\\")) continue;
      const q = r() < 0.35 ? genQuantifier(r) : "";
      re2 += atom.re2 + q;
      js += (atom.jsBefore ?? "") + (q ? `(?:${atom.js})${q}` : `(?:${atom.js})`);
    }
    branches.push({ re2, js });
  }
  return { re2: branches.map((x) => x.re2).join("|"), js: branches.map((x) => `(?:${x.js})`).join("|") };
}

// Includes both halves of a surrogate pair as separate pieces, so that random strings contain
// lone surrogates as well as pairs formed by adjacency.
const INPUT_PIECES = [
  "a",
  "b",
  "c",
  "a",
  "b",
  "\n",
  " ",
  "é",
  "λ",
  "😀",
  "\ud83d",
  "\ude00",
  "1",
  "_",
  ".",
  ":",
  "A",
  "*",
];

function genInput(r: Rand, maxLen: number): string {
  let s = "";
  for (let i = int(r, 0, maxLen); i > 0; i--) s += pick(r, INPUT_PIECES);
  return s;
}

/**
 * Unanchored search with a sticky JS regex tried at every code point boundary. Plain test() is
 * not a faithful oracle: V8 also tries the middle of a surrogate pair, where it sees no character
 * at all, so `\B` or `(?![\s\S])` can match there although RE2/J never stops inside a pair.
 */
function jsSearch(sticky: RegExp, input: string): boolean {
  for (let p = 0; p <= input.length; p++) {
    sticky.lastIndex = p;
    if (sticky.test(input)) return true;
    const c = input.charCodeAt(p);
    const d = input.charCodeAt(p + 1);
    if (c >= 0xd800 && c < 0xdc00 && d >= 0xdc00 && d < 0xe000) p++;
  }
  return false;
}

/** Answers seen, to check that the generator produces both outcomes in fair numbers. */
const tally = { true: 0, false: 0 };

function check(re2: string, js: string, inputs: string[], options: CompileOptions, context: string): void {
  const ours = Object.keys(options).length === 0 ? compileRegex(re2) : compile(re2, options);
  const theirs = new RegExp(js, "uy");
  for (const input of inputs) {
    const want = jsSearch(theirs, input);
    tally[`${want}`]++;
    const got = ours.test(input);
    if (got !== want) {
      assert.fail(
        `${context}: regex ${JSON.stringify(re2)} (JS ${JSON.stringify(js)}) on ${JSON.stringify(input)}: ` +
          `got ${got}, JS says ${want}; options ${JSON.stringify(options)}; replay with REGEX_FUZZ_SEED=${SEED}`,
      );
    }
  }
}

describe("regex differential fuzz against JS RegExp", () => {
  it(`agrees on 3000 random regexes (seed ${SEED})`, () => {
    const r = mulberry32(SEED);
    for (let n = 0; n < 3000; n++) {
      const { re2, js } = genRegex(r);
      const inputs = Array.from({ length: 16 }, () => genInput(r, n % 10 === 0 ? 40 : 8));
      check(re2, js, inputs, {}, `case ${n}`);
      check(re2, js, inputs, { noLiteralShortcut: true, maxStates: 3 }, `case ${n}`);
    }
    const share = tally.true / (tally.true + tally.false);
    assert.ok(share > 0.2 && share < 0.8, `generator is lopsided: ${(share * 100).toFixed(0)}% matches`);
  });

  it(`agrees on longer inputs with a small DFA cache (seed ${SEED + 1})`, () => {
    const r = mulberry32(SEED + 1);
    for (let n = 0; n < 300; n++) {
      const { re2, js } = genRegex(r);
      const inputs = Array.from({ length: 4 }, () => genInput(r, 400));
      check(re2, js, inputs, { maxStates: 8 }, `case ${n}`);
    }
  });
});

describe("regex robustness on arbitrary bodies", () => {
  // Everything the pattern lexer lets through, weighted towards metacharacters.
  const CHARS = "abcAZ019:_#=@/;,- ^$?[]{}|\\*+.dDsSwWbBpPQExAz{}[]\\\\";

  it(`either compiles or throws the RE2 error, and never fails while matching (seed ${SEED + 2})`, () => {
    const r = mulberry32(SEED + 2);
    let accepted = 0;
    for (let n = 0; n < 5000; n++) {
      let body = "";
      for (let i = int(r, 1, 12); i > 0; i--) body += CHARS[Math.floor(r() * CHARS.length)];
      let re: ReturnType<typeof compileRegex> | undefined;
      try {
        re = compileRegex(body);
      } catch (e) {
        assert.ok(e instanceof InvalidParameterException, `${JSON.stringify(body)} threw ${String(e)}`);
        assert.equal(e.message, "Failed to compile regular expression.");
        continue;
      }
      accepted++;
      for (let k = 0; k < 3; k++) assert.equal(typeof re.test(genInput(r, 20)), "boolean");
    }
    assert.ok(accepted > 500, `only ${accepted} of 5000 random bodies compiled`);
  });
});
