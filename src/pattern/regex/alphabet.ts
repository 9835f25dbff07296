import { contains, MAX_RUNE, type Ranges, WORD_RANGES } from "./charset.js";

/**
 * Byte-class style compression of the input alphabet: code points that every set of the regex
 * treats alike share a class, so the DFA table has one column per class instead of per
 * character. ASCII is looked up in a 128-entry table; non-ASCII code points are usually all in
 * one class (`uniform`), else found by binary search over interval starts (`\pL`, `\x{e9}`...).
 */
export interface Alphabet {
  readonly numClasses: number;
  /** Class of each ASCII code point. */
  readonly ascii: Int32Array;
  /** Class shared by every non-ASCII code point, or -1 when the regex tells some apart. */
  readonly uniform: number;
  /** Start code points of the non-ASCII intervals (ascending, the first is 0x80) and their class. */
  readonly bounds: Int32Array;
  readonly boundClass: Int32Array;
  /** 1 for classes of `\w` characters; only meaningful when built with `splitWord`. */
  readonly isWord: Uint8Array;
  /** One code point of each class, to evaluate sets on. */
  readonly representative: Int32Array;
}

/**
 * Builds the classes distinguishing every set in `sets`, and `\w` too when `splitWord` (the
 * word-boundary assertions need to know whether a class is a word character).
 */
export function buildAlphabet(sets: readonly Ranges[], splitWord: boolean): Alphabet {
  const all = splitWord ? [...sets, WORD_RANGES] : sets;
  const cutSet = new Set<number>([0, 0x80]);
  for (const r of all) {
    for (let i = 0; i < r.length; i += 2) {
      cutSet.add(r[i]);
      if (r[i + 1] < MAX_RUNE) cutSet.add(r[i + 1] + 1);
    }
  }
  const cuts = [...cutSet].sort((a, b) => a - b);

  // Elementary intervals [cuts[k], cuts[k+1]) are uniform for every set; intervals with the same
  // membership signature share a class.
  const bySignature = new Map<string, number>();
  const reps: number[] = [];
  const intervalClass = cuts.map((start) => {
    let sig = "";
    for (const r of all) sig += contains(r, start) ? "1" : "0";
    let cls = bySignature.get(sig);
    if (cls === undefined) {
      cls = reps.length;
      bySignature.set(sig, cls);
      reps.push(start);
    }
    return cls;
  });

  const ascii = new Int32Array(128);
  const bounds: number[] = [];
  const boundClass: number[] = [];
  for (let k = 0; k < cuts.length; k++) {
    const start = cuts[k];
    if (start < 0x80) {
      const end = Math.min(k + 1 < cuts.length ? cuts[k + 1] : 0x80, 0x80);
      ascii.fill(intervalClass[k], start, end);
    } else if (boundClass.length === 0 || boundClass[boundClass.length - 1] !== intervalClass[k]) {
      bounds.push(start);
      boundClass.push(intervalClass[k]);
    }
  }

  const representative = Int32Array.from(reps);
  const isWord = new Uint8Array(reps.length);
  for (let c = 0; c < reps.length; c++) isWord[c] = contains(WORD_RANGES, reps[c]) ? 1 : 0;
  return {
    numClasses: reps.length,
    ascii,
    uniform: boundClass.length === 1 ? boundClass[0] : -1,
    bounds: Int32Array.from(bounds),
    boundClass: Int32Array.from(boundClass),
    isWord,
    representative,
  };
}

/** Class of a non-ASCII code point when the alphabet is not uniform above ASCII. */
export function classOfNonAscii(a: Alphabet, cp: number): number {
  const bounds = a.bounds;
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid] <= cp) lo = mid;
    else hi = mid - 1;
  }
  return a.boundClass[lo];
}

/** For each class, whether the set contains it (1) or not (0). */
export function membership(a: Alphabet, ranges: Ranges): Uint8Array {
  const out = new Uint8Array(a.numClasses);
  for (let c = 0; c < a.numClasses; c++) out[c] = contains(ranges, a.representative[c]) ? 1 : 0;
  return out;
}
