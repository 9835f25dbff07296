import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compile } from "../../src/pattern/regex/compile.js";
import { compileRegex } from "../../src/pattern/regex/index.js";

const MESSAGE = "Failed to compile regular expression.";

function assertRejected(body: string): void {
  assert.throws(
    () => compileRegex(body),
    (e: unknown) => {
      assert.ok(e instanceof Error, `not an Error for ${JSON.stringify(body)}`);
      assert.equal(e.name, "InvalidParameterException", `name for ${JSON.stringify(body)}`);
      assert.equal(e.message, MESSAGE, `message for ${JSON.stringify(body)}`);
      return true;
    },
    `expected ${JSON.stringify(body)} to be rejected`,
  );
}

describe("regex syntax: what RE2 rejects", () => {
  const rejected: Array<[string, string]> = [
    // Stacked quantifiers: RE2 has no possessive a++ and no double star.
    ["a++", "possessive"],
    ["a**", "double star"],
    ["a*+", "star plus"],
    ["a?*", "quest star"],
    ["a+*", "plus star"],
    ["a*??", "lazy then another quest"],
    ["a{2}{3}", "repeat of repeat"],
    ["a{2}*", "count then star"],
    ["a*{2}", "star then count"],
    ["a+?+", "lazy then plus"],
    ["a{*", "RE2/J: a quantifier right after a literal { counts as stacked"],
    ["a{+", "RE2/J: a quantifier right after a literal { counts as stacked"],
    ["{?", "RE2/J: a quantifier right after a literal { counts as stacked"],
    ["a{{2}", "RE2/J: a count right after a literal { counts as stacked"],
    // Nothing to repeat.
    ["*a", "leading star"],
    ["+", "lone plus"],
    ["?", "lone quest"],
    ["|*", "star after bar"],
    ["a|*b", "star at start of alternative"],
    ["{2}", "count with no operand"],
    ["\\Q\\E*", "empty quote gives no operand"],
    // Repetition counts.
    ["a{1001}", "count above 1000"],
    ["a{0,1001}", "max above 1000"],
    ["a{1001,}", "min above 1000"],
    ["a{2,1}", "max below min"],
    ["a{123456789}", "count overflow"],
    // Classes.
    ["[z-a]", "reversed range"],
    ["[]", "missing ] (leading ] is literal)"],
    ["[^]", "missing ] after negation"],
    ["[a", "missing ]"],
    ["[a-", "missing ] after dash"],
    ["[a-\\d]", "class escape as range end"],
    ["[\\b]", "no backspace escape"],
    ["[[:foo:]]", "unknown POSIX class"],
    ["[[:]]", "RE2/J reads [:]] as the unknown class [:]"],
    ["[\\A]", "assertion escape inside class"],
    ["[\\Q]", "no \\Q inside a class"],
    // Unicode classes.
    ["\\p", "bare \\p"],
    ["\\P", "bare \\P"],
    ["\\p{", "unterminated name"],
    ["\\p{}", "empty name"],
    ["\\p{^}", "empty negated name"],
    ["\\p{Foo}", "unknown name"],
    ["\\pX", "unknown one-letter name"],
    ["\\p{Latn}", "script short alias"],
    ["\\p{Letter}", "category long alias"],
    ["\\p{LC}", "not in RE2's table"],
    ["\\p{Cn}", "not in RE2's table"],
    // Escapes.
    ["\\q", "unknown letter escape"],
    ["\\y", "unknown letter escape"],
    ["\\e", "no escape char"],
    ["\\Z", "no \\Z in RE2"],
    ["\\G", "no \\G"],
    ["\\E", "stray \\E"],
    ["\\C", "any byte: unsupported"],
    ["\\c", "no control escapes"],
    ["\\h", "no horizontal space class"],
    ["\\1", "backreference"],
    ["\\7", "backreference"],
    ["\\8", "not octal"],
    ["\\9", "not octal"],
    ["\\18", "backreference followed by non-octal"],
    ["\\x", "\\x without digits"],
    ["\\x1", "one hex digit"],
    ["\\xG0", "bad hex digit"],
    ["\\x{}", "empty braces"],
    ["\\x{12", "unterminated braces"],
    ["\\x{G}", "bad hex digit in braces"],
    ["\\x{110000}", "beyond U+10FFFF"],
    ["\\é", "escaped non-ASCII"],
    ["a\\", "trailing backslash"],
    // Groups never reach the regex (the pattern lexer rejects them); RE2 would accept "(a)".
    ["(a)", "group (unsupported subset)"],
    ["(", "missing )"],
    [")", "unexpected )"],
  ];
  for (const [body, why] of rejected) {
    it(`rejects ${JSON.stringify(body)} (${why})`, () => assertRejected(body));
  }
});

describe("regex syntax: what RE2 accepts", () => {
  const accepted = [
    // Lazy quantifiers.
    "a+?",
    "a*?",
    "a??",
    "a{2}?",
    "a{2,}?",
    "a{2,3}?",
    // Braces that are not a repetition are literal.
    "a{,3}",
    "a{",
    "a{x}",
    "a{1",
    "a{1,",
    "a{1,2",
    "a{01}",
    "a{ 1}",
    "{",
    "}",
    "a}",
    "{,}",
    "a{,3}*",
    "a{x*",
    // Counts at the limit.
    "a{1000}",
    "a{0,1000}",
    "a{1000,}",
    "a{0}",
    "a{0,0}",
    // Classes.
    "[]a]",
    "[^]a]",
    "[a-]",
    "[-a]",
    "[a\\-z]",
    "[\\]]",
    "[[]",
    "[a-b-c]",
    "[[:alpha:]]",
    "[[:^space:]x]",
    "[\\d\\s]",
    "[\\pL]",
    "[\\p{Greek}]",
    "[^\\PL]",
    "[\\x00-\\x{10FFFF}]",
    // Escapes.
    "\\x3A",
    "\\x{3A}",
    "\\x{10FFFF}",
    "\\x{000000003A}",
    "\\0",
    "\\01",
    "\\012",
    "\\0123",
    "\\12",
    "\\77",
    "\\a\\f\\t\\n\\r\\v",
    "\\.\\*\\\\\\-\\/\\_\\ \\:\\#\\@\\=\\;\\,\\%\\!\\&\\~\\`\\'\\\"",
    "\\A\\z\\b\\B",
    "\\d\\D\\s\\S\\w\\W",
    "\\pL",
    "\\p{L}",
    "\\PL",
    "\\p{^L}",
    "\\P{^L}",
    "\\pN",
    "\\pC",
    "\\p{Lu}",
    "\\p{Greek}",
    "\\p{Han}",
    "\\p{Hangul}",
    "\\p{Latin}",
    "\\p{Any}",
    // \Q...\E.
    "\\Qa.b\\E",
    "\\Qa.b",
    "\\Q\\E",
    "\\Q*\\E",
    "a\\Q\\E*",
    // Quantified empty-width assertions: ^ is a real operand in RE2.
    "^*",
    "$+",
    "\\b?",
    "^{2}",
    // Alternation with empty branches.
    "",
    "|",
    "a|",
    "|a",
    "a||b",
    ".",
    "a.b",
  ];
  for (const body of accepted) {
    it(`accepts ${JSON.stringify(body)}`, () => {
      const re = compileRegex(body);
      assert.equal(re.source, body);
      assert.equal(typeof re.test("some input"), "boolean");
    });
  }
});

describe("regex semantics", () => {
  const cases: Array<[string, string, boolean, string?]> = [
    // AWS documentation examples.
    ["AUTHORIZED", "[ERROR 401] UNAUTHORIZED REQUEST", true],
    ["AUTHORIZED", "[ERROR 401] UNAUTHENTICATED REQUEST", false],
    ["gra|ey", "grey", true, "alternation is lowest precedence: gra or ey"],
    ["gra|ey", "gray", true],
    ["gra|ey", "gry", false],
    ["a{3,5}", "aaaaaa", true, "unanchored search"],
    ["a{3,5}", "aa", false],
    ["^ab$", "ab", true],
    ["^ab$", "xab", false],
    ["^ab$", "abx", false],
    ["^ab$", "ab\n", false, "$ is end of text only, not before a final newline"],
    ["a$", "a\n", false],
    ["a\\z", "a\n", false],
    ["^b", "a\nb", false, "^ is beginning of text, not of line"],
    ["\\Ab", "b", true],
    [".", "\n", false],
    ["a.b", "a\nb", false],
    ["a.b", "a\rb", true, "RE2's . excludes only \\n"],
    ["\\s", "\n", true],
    ["\\s", "\v", false, "RE2's \\s has no \\v"],
    ["[[:space:]]", "\v", true],
    ["\\x3A", "a:b", true],
    ["\\x{1F600}", "x😀y", true],
    ["[^c]", "c", false],
    ["[^c]", "cc\n", true, "negated classes match \\n"],
    ["[^c]", "", false],
    ["\\d{2,}", "a1b2c", false],
    ["\\d{2,}", "a12", true],
    ["\\w", "é", false, "\\w is ASCII"],
    ["\\w", "_", true],
    ["\\bfoo\\b", "a foo.", true],
    ["\\bfoo\\b", "afoo", false],
    ["\\bé", " é", false, "\\b is ASCII: no boundary between space and é"],
    ["\\Bfoo", "afoo", true],
    ["^.$", "😀", true, "a surrogate pair is one character"],
    ["^..$", "😀", false],
    ["^.$", "\ud83d", true, "a lone surrogate is one character"],
    ["^\\x{D83D}", "😀", false, "a surrogate escape does not match half a pair"],
    ["\\pL", "é", true],
    ["\\pL", "1", false],
    ["\\p{Greek}", "λ", true],
    ["\\PL", "é", false],
    ["\\p{^Greek}", "λ", false],
    ["\\p{Han}", "中", true],
    ["\\pN", "٣", true],
    ["\\p{Any}", "\n", true],
    ["a{,3}", "a{,3}", true, "literal braces"],
    ["a{,3}", "aaa", false],
    ["a{01}", "a{01}", true],
    ["a{,3}*", "a{,3}}}", true, "the star takes the } only"],
    ["a{,3}*", "a{,", false],
    ["\\Qa.b\\E", "a.b", true],
    ["\\Qa.b\\E", "axb", false],
    ["\\Qa.b\\E+", "a.bbb", true, "the quantifier after \\E takes the last character"],
    ["\\Qa|b", "xa|b", true],
    ["\\12", "\n", true, "octal"],
    ["\\0", "\0", true],
    ["[]a]", "]", true],
    ["[]a]", "b", false],
    ["[a-]", "-", true],
    ["[\\d-z]", "-", true],
    ["[[:alpha:]]+1", "abc1", true],
    ["[[:^alpha:]]", "abc", false],
    ["a\\Q\\E*b", "b", true, "star applies to a"],
    ["^*a", "ba", true, "^* matches the empty string"],
    ["x*", "", true],
    ["", "", true],
    ["", "anything", true],
    ["a|", "zzz", true, "empty alternative matches"],
    ["ab|cd", "xcd", true],
    ["a+?b", "aab", true],
    ["ERROR.*timeout", "ERROR: connection timeout", true],
    ["ERROR.*timeout", "ERROR: connection\ntimeout", false],
    ["ERROR.*timeout", "timeout ERROR", false],
    ["^\\[", "[x", true],
    ["\\.", "a.b", true],
    ["\\.", "ab", false],
    ["user=\\w+@\\w+", "login user=bob@example", true],
  ];
  for (const [body, input, want, why] of cases) {
    it(`${JSON.stringify(body)} on ${JSON.stringify(input)} is ${want}${why ? ` (${why})` : ""}`, () => {
      assert.equal(compileRegex(body).test(input), want);
      // Same answer through the DFA path (no literal shortcut) and with a tiny cache.
      assert.equal(compile(body, { noLiteralShortcut: true }).test(input), want);
      assert.equal(compile(body, { noLiteralShortcut: true, maxStates: 3 }).test(input), want);
    });
  }

  it("keeps answering correctly when reused (the DFA cache persists between calls)", () => {
    const re = compileRegex("b[0-9]+$");
    for (let i = 0; i < 200; i++) {
      assert.equal(re.test(`a b${i}`), true);
      assert.equal(re.test(`a b${i}x`), false);
    }
  });
});
