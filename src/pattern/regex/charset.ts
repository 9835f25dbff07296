/**
 * Character sets as sorted lists of inclusive code point ranges, flattened as
 * `[lo0, hi0, lo1, hi1, ...]`. Everything the regex can match one character of (a literal, `.`,
 * `[...]`, `\d`, `\pL`) becomes one of these, so the rest of the engine only deals with ranges.
 */
export type Ranges = readonly number[];

export const MAX_RUNE = 0x10ffff;

/** Sorts and merges overlapping or touching ranges so that equal sets have equal lists. */
export function normalize(pairs: readonly number[]): number[] {
  const idx: number[] = [];
  for (let i = 0; i < pairs.length; i += 2) idx.push(i);
  idx.sort((a, b) => pairs[a] - pairs[b]);
  const out: number[] = [];
  for (const i of idx) {
    const lo = pairs[i];
    const hi = pairs[i + 1];
    const n = out.length;
    if (n > 0 && lo <= out[n - 1] + 1) {
      if (hi > out[n - 1]) out[n - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

/** Complement within [0, MAX_RUNE]. Input must be normalized. */
export function negate(ranges: Ranges): number[] {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i] > next) out.push(next, ranges[i] - 1);
    next = ranges[i + 1] + 1;
  }
  if (next <= MAX_RUNE) out.push(next, MAX_RUNE);
  return out;
}

/** Binary search; input must be normalized. */
export function contains(ranges: Ranges, cp: number): boolean {
  let lo = 0;
  let hi = (ranges.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The single code point of a one-character set, or -1. */
export function singleCodePoint(ranges: Ranges): number {
  return ranges.length === 2 && ranges[0] === ranges[1] ? ranges[0] : -1;
}

// RE2's Perl classes are ASCII-only (no Unicode \d, and \s has no \v).
const DIGIT = [0x30, 0x39];
const SPACE = [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20];
const WORD = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];

/** The ranges of `\w`, used by the word-boundary assertions too. */
export const WORD_RANGES: Ranges = WORD;

/** `.` without the s flag: anything but `\n` (RE2 does not exclude `\r` or U+2028 like JS does). */
export const ANY_NOT_NL: Ranges = [0, 0x09, 0x0b, MAX_RUNE];

export const PERL_CLASSES: ReadonlyMap<string, Ranges> = new Map([
  ["\\d", DIGIT],
  ["\\D", negate(DIGIT)],
  ["\\s", SPACE],
  ["\\S", negate(SPACE)],
  ["\\w", WORD],
  ["\\W", negate(WORD)],
]);

const POSIX: Array<[string, number[]]> = [
  ["alnum", [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a]],
  ["alpha", [0x41, 0x5a, 0x61, 0x7a]],
  ["ascii", [0x00, 0x7f]],
  ["blank", [0x09, 0x09, 0x20, 0x20]],
  ["cntrl", [0x00, 0x1f, 0x7f, 0x7f]],
  ["digit", DIGIT],
  ["graph", [0x21, 0x7e]],
  ["lower", [0x61, 0x7a]],
  ["print", [0x20, 0x7e]],
  ["punct", [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e]],
  ["space", [0x09, 0x0d, 0x20, 0x20]], // unlike \s, [:space:] includes \v
  ["upper", [0x41, 0x5a]],
  ["word", WORD],
  ["xdigit", [0x30, 0x39, 0x41, 0x46, 0x61, 0x66]],
];

/** `[:alpha:]` and `[:^alpha:]` style names (with the brackets), valid only inside a class. */
export const POSIX_CLASSES: ReadonlyMap<string, Ranges> = new Map(
  POSIX.flatMap(
    ([name, r]): Array<[string, Ranges]> => [
      [`[:${name}:]`, r],
      [`[:^${name}:]`, negate(r)],
    ],
  ),
);
