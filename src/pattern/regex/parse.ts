import { InvalidParameterException } from "../errors.js";
import type { Node } from "./ast.js";
import { ANY_NOT_NL, negate, normalize, PERL_CLASSES, POSIX_CLASSES, type Ranges } from "./charset.js";
import { unicodeClass } from "./unicode.js";

/** AWS's one message for every regex it cannot compile, whatever RE2 says underneath. */
export const REGEX_ERROR = "Failed to compile regular expression.";

export function regexError(): InvalidParameterException {
  return new InvalidParameterException(REGEX_ERROR);
}

function fail(): never {
  throw regexError();
}

/** RE2's limit on `{n,m}` counts. */
const MAX_REPEAT = 1000;
const MAX_NESTING = 1000;

const BEGIN: Node = { kind: "assert", what: "begin" };
const END: Node = { kind: "assert", what: "end" };
const ANY: Node = { kind: "set", ranges: ANY_NOT_NL };

function literal(cp: number): Node {
  return { kind: "set", ranges: [cp, cp] };
}

function concat(items: Node[]): Node {
  if (items.length === 0) return { kind: "empty" };
  return items.length === 1 ? items[0] : { kind: "concat", items };
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/**
 * Parses a regex body with RE2's Perl-mode rules, as RE2/J's parser does with its default
 * flags: `^`/`$` are text anchors (not multi-line), `.` excludes only `\n`, `[^...]` includes `\n`.
 * Parentheses are rejected: the filter-pattern lexer never lets them through, and supporting
 * groups would need flags such as `(?i)` too.
 */
export function parseRegex(body: string): Node {
  return new Parser(body).parse();
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parse(): Node {
    const src = this.src;
    const alts: Node[] = [];
    let items: Node[] = [];
    let lastWasRepeat = false;
    while (this.pos < src.length) {
      let isRepeat = false;
      const c = src.charCodeAt(this.pos);
      switch (c) {
        case 0x7c: // |
          alts.push(concat(items));
          items = [];
          this.pos++;
          break;
        case 0x28: // (
        case 0x29: // )
          throw regexError();
        case 0x5e: // ^
          items.push(BEGIN);
          this.pos++;
          break;
        case 0x24: // $
          items.push(END);
          this.pos++;
          break;
        case 0x2e: // .
          items.push(ANY);
          this.pos++;
          break;
        case 0x5b: // [
          items.push({ kind: "set", ranges: this.parseClass() });
          break;
        case 0x2a: // *
        case 0x2b: // +
        case 0x3f: // ?
          this.pos++;
          this.repeat(items, c === 0x2b ? 1 : 0, c === 0x3f ? 1 : -1, lastWasRepeat);
          isRepeat = true;
          break;
        case 0x7b: {
          // {
          const counts = this.parseCounts();
          if (counts === undefined) {
            // Not of the form {n}, {n,} or {n,m}: RE2 takes the brace literally (a{, a{,3}, a{x}).
            items.push(literal(c));
            this.pos++;
            // RE2/J quirk: it notes the position of a '{' as a repetition operator before finding
            // out it is literal, so a quantifier right after it (a{*, a{+, {?) is "nested
            // repetition". Go and C++ RE2 accept those; AWS runs RE2/J.
            isRepeat = true;
          } else {
            this.repeat(items, counts[0], counts[1], lastWasRepeat);
            isRepeat = true;
          }
          break;
        }
        case 0x5c: // backslash
          this.parseBackslash(items);
          break;
        default: {
          const cp = src.codePointAt(this.pos)!;
          items.push(literal(cp));
          this.pos += cp > 0xffff ? 2 : 1;
        }
      }
      lastWasRepeat = isRepeat;
    }
    alts.push(concat(items));
    return alts.length === 1 ? alts[0] : { kind: "alt", items: alts };
  }

  /**
   * Applies a quantifier to the last item. The caller has consumed the operator itself.
   * - A trailing `?` makes it lazy; for a yes/no match that changes nothing, so it is dropped.
   * - Stacked quantifiers (`a**`, `a++`, `a*+`, `a*??`, `a{2}*`) are RE2 errors: `a++` would be
   *   possessive in Perl/Java, which RE2 does not support.
   * - Nothing to repeat (leading `*`, `|*`) is an error. `^*`, `$+`, `\b?` are accepted: RE2
   *   pushes `^` as an ordinary (empty-width) node, so it is a valid operand.
   */
  private repeat(items: Node[], min: number, max: number, lastWasRepeat: boolean): void {
    if (this.src.charCodeAt(this.pos) === 0x3f) this.pos++;
    if (lastWasRepeat || items.length === 0) fail();
    const sub = items.pop()!;
    // A repeat of a repeat is only reachable through an empty \Q\E in between (a*\Q\E*). Bound
    // the nesting like Go's parser does (maxHeight), so later recursive passes cannot overflow.
    let depth = 0;
    for (let n: Node = sub; n.kind === "repeat"; n = n.sub) if (++depth > MAX_NESTING) fail();
    items.push({ kind: "repeat", sub, min, max });
  }

  /**
   * `{n}`, `{n,}` or `{n,m}` at pos: returns [min, max] (max -1 for none) and moves past it, or
   * returns undefined without moving when the text is not of that form. Leading zeros make it
   * "not of that form" (RE2 quirk: `a{01}` is literal). Counts above 1000 or m < n are errors.
   */
  private parseCounts(): [number, number] | undefined {
    const src = this.src;
    let p = this.pos + 1;
    const readInt = (): number => {
      const start = p;
      while (p < src.length && src.charCodeAt(p) >= 0x30 && src.charCodeAt(p) <= 0x39) p++;
      const digits = p - start;
      if (digits === 0 || (digits > 1 && src.charCodeAt(start) === 0x30)) return -1;
      return digits > 8 ? -2 : Number(src.slice(start, p));
    };
    const min = readInt();
    if (min === -1 || p >= src.length) return undefined;
    let max = min;
    if (src[p] === ",") {
      p++;
      if (p >= src.length) return undefined;
      if (src[p] === "}") {
        max = -1;
      } else {
        max = readInt();
        if (max === -1) return undefined;
      }
    }
    if (src[p] !== "}") return undefined;
    if (min < 0 || min > MAX_REPEAT || max === -2 || max > MAX_REPEAT || (max >= 0 && min > max)) fail();
    this.pos = p + 1;
    return [min, max];
  }

  private parseBackslash(items: Node[]): void {
    const src = this.src;
    switch (src[this.pos + 1]) {
      case "A":
        items.push(BEGIN);
        this.pos += 2;
        return;
      case "z":
        items.push(END);
        this.pos += 2;
        return;
      case "b":
        items.push({ kind: "assert", what: "word" });
        this.pos += 2;
        return;
      case "B":
        items.push({ kind: "assert", what: "notWord" });
        this.pos += 2;
        return;
      case "C": // any byte: RE2/J and Go reject it
        throw regexError();
      case "Q": {
        // \Q...\E: everything up to the first \E (or the end) is literal.
        const rest = src.slice(this.pos + 2);
        const end = rest.indexOf("\\E");
        const lit = end >= 0 ? rest.slice(0, end) : rest;
        for (const ch of lit) items.push(literal(ch.codePointAt(0)!));
        this.pos += 2 + lit.length + (end >= 0 ? 2 : 0);
        return;
      }
      case "p":
      case "P":
        items.push({ kind: "set", ranges: this.parseUnicodeClass() });
        return;
    }
    const perl = PERL_CLASSES.get(src.slice(this.pos, this.pos + 2));
    if (perl) {
      items.push({ kind: "set", ranges: perl });
      this.pos += 2;
      return;
    }
    items.push(literal(this.parseEscape()));
  }

  /** A single-character escape at pos (a backslash); returns its code point. */
  private parseEscape(): number {
    const src = this.src;
    this.pos++;
    if (this.pos >= src.length) fail(); // trailing backslash
    const c = src.codePointAt(this.pos)!;
    this.pos += c > 0xffff ? 2 : 1;
    // Any ASCII punctuation, space or control character may be escaped; letters and digits
    // only when they mean something (\q, \y, \e, \Z, \8 are errors).
    if (c < 0x80 && !isAlnum(c)) return c;
    const isOctal = (i: number): boolean => src.charCodeAt(i) >= 0x30 && src.charCodeAt(i) <= 0x37;
    if (c >= 0x30 && c <= 0x37) {
      // \1 to \7 alone would be backreferences, which RE2 rejects; followed by another octal
      // digit they start an octal escape (\12 is \n). \0 is always octal. Up to three digits.
      if (c !== 0x30 && !isOctal(this.pos)) fail();
      let r = c - 0x30;
      for (let i = 1; i < 3 && isOctal(this.pos); i++) r = r * 8 + src.charCodeAt(this.pos++) - 0x30;
      return r;
    }
    switch (c) {
      case 0x78: // x
        return this.parseHex();
      case 0x61: // a
        return 7;
      case 0x66: // f
        return 0x0c;
      case 0x6e: // n
        return 0x0a;
      case 0x72: // r
        return 0x0d;
      case 0x74: // t
        return 0x09;
      case 0x76: // v
        return 0x0b;
    }
    fail();
  }

  /** After `\x`: exactly two hex digits, or `{h...}` with at least one digit, up to U+10FFFF. */
  private parseHex(): number {
    const src = this.src;
    if (this.pos >= src.length) fail();
    if (src[this.pos] === "{") {
      this.pos++;
      let r = 0;
      let digits = 0;
      for (;;) {
        if (this.pos >= src.length) fail();
        const c = src.charCodeAt(this.pos++);
        if (c === 0x7d) break;
        const v = unhex(c);
        if (v < 0) fail();
        r = r * 16 + v;
        if (r > 0x10ffff) fail();
        digits++;
      }
      if (digits === 0) fail();
      return r;
    }
    if (this.pos + 1 >= src.length) fail();
    const x = unhex(src.charCodeAt(this.pos));
    const y = unhex(src.charCodeAt(this.pos + 1));
    if (x < 0 || y < 0) fail();
    this.pos += 2;
    return x * 16 + y;
  }

  /** `\pN`, `\p{Name}`, `\p{^Name}`, `\PN` at pos. Unknown names (and a bare `\p`) are errors. */
  private parseUnicodeClass(): Ranges {
    const src = this.src;
    let negated = src[this.pos + 1] === "P";
    this.pos += 2;
    if (this.pos >= src.length) fail();
    let name: string;
    if (src[this.pos] !== "{") {
      const cp = src.codePointAt(this.pos)!;
      name = String.fromCodePoint(cp);
      this.pos += cp > 0xffff ? 2 : 1;
    } else {
      const end = src.indexOf("}", this.pos);
      if (end < 0) fail();
      name = src.slice(this.pos + 1, end);
      this.pos = end + 1;
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    const ranges = unicodeClass(name);
    if (ranges === undefined) fail();
    return negated ? negate(ranges) : ranges;
  }

  /**
   * `[...]` at pos, following RE2/J's loop: a `]` right after `[` or `[^` is literal, `-` is
   * literal where it cannot form a range, escapes, `\d`-style, `\pN` and `[:alpha:]` classes work
   * inside, a reversed range is an error, and running out of text is "missing ]".
   */
  private parseClass(): Ranges {
    const src = this.src;
    this.pos++;
    let negated = false;
    if (src[this.pos] === "^") {
      negated = true;
      this.pos++;
    }
    const pairs: number[] = [];
    let first = true;
    while (this.pos >= src.length || src[this.pos] !== "]" || first) {
      first = false;
      if (src.startsWith("[:", this.pos)) {
        // RE2/J searches ":]" from the "[:" itself, so "[[:]" fails as an unknown class "[:]".
        const end = src.indexOf(":]", this.pos);
        if (end >= 0) {
          const named = POSIX_CLASSES.get(src.slice(this.pos, end + 2));
          if (!named) fail();
          pairs.push(...named);
          this.pos = end + 2;
          continue;
        }
      }
      if (src[this.pos] === "\\") {
        const next = src[this.pos + 1];
        if (next === "p" || next === "P") {
          pairs.push(...this.parseUnicodeClass());
          continue;
        }
        const perl = PERL_CLASSES.get(src.slice(this.pos, this.pos + 2));
        if (perl) {
          pairs.push(...perl);
          this.pos += 2;
          continue;
        }
      }
      const lo = this.parseClassChar();
      let hi = lo;
      if (src[this.pos] === "-" && this.pos + 1 < src.length && src[this.pos + 1] !== "]") {
        this.pos++;
        hi = this.parseClassChar();
        if (hi < lo) fail();
      }
      pairs.push(lo, hi);
    }
    this.pos++; // ]
    const ranges = normalize(pairs);
    return negated ? negate(ranges) : ranges;
  }

  private parseClassChar(): number {
    const src = this.src;
    if (this.pos >= src.length) fail(); // missing ]
    if (src[this.pos] === "\\") return this.parseEscape();
    const cp = src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }
}
