import { type Alphabet, classOfNonAscii, membership } from "./alphabet.js";
import { A_BEGIN, A_END, A_WORD, ASSERT, CHAR, MATCH, type Nfa, SPLIT } from "./nfa.js";

// Table entries below zero; every other entry is a DFA state id.
const UNKNOWN = -1;
/** A match ends before the character: the search is over. */
const FOUND = -2;
/** No thread is left (only in anchored regexes): nothing can match any more. */
const DEAD = -3;

const F_BEGIN = 1;
const F_PREV_WORD = 2;

/**
 * Cache bounds. Past any of them the whole cache is dropped and rebuilt from the current state,
 * as RE2 does: memory stays bounded and each character still costs at most one NFA step, so the
 * search stays linear even when the DFA would be exponential ([ab]*a[ab]{20}).
 */
const MAX_STATES = 10_000;
const MAX_TABLE_ENTRIES = 2_000_000;
const MAX_KERNEL_ENTRIES = 2_000_000;

export interface DfaOptions {
  /** Cache bound in states (default 10,000; tests use tiny values). */
  readonly maxStates?: number;
}

/**
 * A lazily built DFA over an NFA. A DFA state is the set of NFA states reached right after a
 * character (its "kernel", before empty moves) plus two context flags: at the beginning of the
 * text, and whether the previous character was a word character. Empty moves are followed when
 * the next character is known, since `$`, `\z`, `\b` and `\B` depend on it; so a transition is
 * a function of (state, next character's class) and can be cached like any other.
 *
 * The search is unanchored: the NFA start is put back into every kernel (unless the regex is
 * anchored at `^`), which is the `.*?` prefix of RE2's unanchored search.
 */
export class LazyDfa {
  private readonly op: Uint8Array;
  private readonly out: Int32Array;
  private readonly out1: Int32Array;
  private readonly arg: Int32Array;
  private readonly start: number;
  private readonly anchored: boolean;
  private readonly trackWord: boolean;
  /** accepts[set * stride + class]: whether a CHAR state of that set takes that class. */
  private readonly accepts: Uint8Array;

  private readonly alphabet: Alphabet;
  private readonly stride: number;
  private readonly maxStates: number;

  private table: Int32Array;
  private kernels: Int32Array[] = [];
  private flags: number[] = [];
  private hashes: number[] = [];
  /** Whether the text may end in this state: 0 unknown, 1 yes, 2 no. */
  private endMatch: number[] = [];
  /** Open-addressing index from kernel hash to state id + 1. */
  private slots = new Int32Array(64);
  private kernelEntries = 0;
  /** Times the cache was dropped, to notice thrashing. */
  private resets = 0;
  private initial = 0;
  private restart = 0;

  // Scratch space for closures; `mark[s] === gen` means "seen in the current pass".
  private readonly mark: Uint32Array;
  private gen = 0;
  private readonly stack: Int32Array;
  private readonly chars: Int32Array;
  private readonly next: Int32Array;

  /**
   * `prefix`: a literal every match starts with (may be empty). While no match is in progress the
   * search jumps to its next occurrence with indexOf instead of walking character by character.
   */
  constructor(
    nfa: Nfa,
    alphabet: Alphabet,
    private readonly prefix: string,
    options: DfaOptions = {},
  ) {
    this.op = nfa.op;
    this.out = nfa.out;
    this.out1 = nfa.out1;
    this.arg = nfa.arg;
    this.start = nfa.start;
    this.anchored = nfa.anchored;
    this.trackWord = nfa.hasWordAssert;
    this.alphabet = alphabet;
    this.stride = alphabet.numClasses;
    this.accepts = new Uint8Array(nfa.sets.length * this.stride);
    for (let i = 0; i < nfa.sets.length; i++)
      this.accepts.set(membership(alphabet, nfa.sets[i]), i * this.stride);
    const wanted = options.maxStates ?? MAX_STATES;
    // Room for at least the two start states and one more, whatever the alphabet size.
    this.maxStates = Math.max(3, Math.min(wanted, Math.floor(MAX_TABLE_ENTRIES / this.stride)));
    this.table = new Int32Array(Math.min(64, this.maxStates) * this.stride).fill(UNKNOWN);
    this.mark = new Uint32Array(nfa.size);
    this.stack = new Int32Array(nfa.size);
    this.chars = new Int32Array(nfa.size);
    this.next = new Int32Array(nfa.size + 1);
    this.reset();
  }

  /** Unanchored search: does the regex match anywhere in `s`? */
  search(s: string): boolean {
    const n = s.length;
    const ascii = this.alphabet.ascii;
    const uniform = this.alphabet.uniform;
    const stride = this.stride;
    const prefix = this.prefix;
    let table = this.table;
    let restart = this.restart;
    let state = this.initial;
    let i = 0;
    let lastReset = -1;
    if (prefix !== "") {
      const p = s.indexOf(prefix);
      if (p < 0) return false;
      if (p > 0) {
        i = p;
        state = restart;
      }
    }
    while (i < n) {
      if (state === restart && prefix !== "") {
        // Nothing in progress: the next match can only start at the next occurrence of prefix.
        const p = s.indexOf(prefix, i);
        if (p < 0) return false;
        i = p;
      }
      let c = s.charCodeAt(i++);
      let cls: number;
      if (c < 0x80) {
        cls = ascii[c];
      } else {
        // RE2/J works on code points: a surrogate pair is one character, a lone surrogate too.
        if (c >= 0xd800 && c < 0xdc00 && i < n) {
          const d = s.charCodeAt(i);
          if (d >= 0xdc00 && d < 0xe000) {
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            i++;
          }
        }
        cls = uniform >= 0 ? uniform : classOfNonAscii(this.alphabet, c);
      }
      let next = table[state * stride + cls];
      if (next < 0) {
        if (next === UNKNOWN) {
          const resets = this.resets;
          next = this.transition(state, cls);
          table = this.table;
          restart = this.restart;
          if (this.resets !== resets && next >= 0) {
            // RE2's rule: if the cache fills up again within 10 characters per state, the DFA
            // is not paying for itself; finish with the NFA.
            if (lastReset >= 0 && i - lastReset < 10 * this.maxStates) {
              return this.simulate(s, i, this.kernels[next], this.flags[next]);
            }
            lastReset = i;
          }
        }
        if (next === FOUND) return true;
        if (next === DEAD) return false;
      }
      state = next;
    }
    return this.matchesAtEnd(state);
  }

  private reset(): void {
    this.kernels = [];
    this.flags = [];
    this.hashes = [];
    this.endMatch = [];
    this.kernelEntries = 0;
    this.slots.fill(0);
    this.table.fill(UNKNOWN);
    const startKernel = Int32Array.of(this.start);
    this.initial = this.intern(startKernel, F_BEGIN, hashKernel(startKernel, F_BEGIN));
    this.restart = this.intern(startKernel, 0, hashKernel(startKernel, 0));
  }

  /** Computes, caches and returns the transition from `state` on a character of class `cls`. */
  private transition(state: number, cls: number): number {
    const kernel = this.kernels[state];
    const nextWord = this.trackWord && this.alphabet.isWord[cls] === 1;
    const n = this.step(kernel, kernel.length, this.flags[state], cls, nextWord, this.next);
    if (n < 0) {
      this.table[state * this.stride + cls] = n;
      return n;
    }
    const next = this.next.subarray(0, n).sort();
    const flags = nextWord ? F_PREV_WORD : 0;
    const hash = hashKernel(next, flags);
    let id = this.lookup(next, flags, hash);
    if (id >= 0) {
      this.table[state * this.stride + cls] = id;
      return id;
    }
    if (this.kernels.length >= this.maxStates || this.kernelEntries + n > MAX_KERNEL_ENTRIES) {
      // Full: start over. `state` is gone with the rest, so this transition is not recorded.
      this.reset();
      this.resets++;
      id = this.intern(next, flags, hash);
    } else {
      id = this.intern(next, flags, hash);
      this.table[state * this.stride + cls] = id;
    }
    return id;
  }

  /**
   * One NFA step: follows empty moves from `kernel` (context: `flags` before, a character of
   * class `cls` next), then moves every CHAR state that takes the class, into `into` (unsorted).
   * Returns the new kernel's length, FOUND if a match ends before the character, DEAD if empty.
   */
  private step(
    kernel: Int32Array,
    len: number,
    flags: number,
    cls: number,
    nextWord: boolean,
    into: Int32Array,
  ): number {
    const count = this.closure(kernel, len, flags, false, nextWord);
    if (count < 0) return FOUND;
    const gen = this.nextGen();
    const { mark, chars, out, arg, accepts, stride } = this;
    let n = 0;
    for (let k = 0; k < count; k++) {
      const s = chars[k];
      if (accepts[arg[s] * stride + cls] === 1) {
        const t = out[s];
        if (mark[t] !== gen) {
          mark[t] = gen;
          into[n++] = t;
        }
      }
    }
    if (!this.anchored && mark[this.start] !== gen) into[n++] = this.start;
    return n === 0 ? DEAD : n;
  }

  /**
   * Plain NFA simulation from position `i`, used once the DFA cache thrashes: no states are
   * built, so each character costs one closure over the live NFA states and nothing else.
   */
  private simulate(s: string, i: number, kernel: Int32Array, flags: number): boolean {
    const n = s.length;
    const { ascii, uniform, isWord } = this.alphabet;
    const prefix = this.prefix;
    const start = this.start;
    let cur = new Int32Array(this.next.length);
    let nxt = new Int32Array(this.next.length);
    cur.set(kernel);
    let len = kernel.length;
    while (i < n) {
      if (len === 1 && cur[0] === start && prefix !== "" && flags === 0) {
        const p = s.indexOf(prefix, i);
        if (p < 0) return false;
        i = p;
      }
      let c = s.charCodeAt(i++);
      let cls: number;
      if (c < 0x80) {
        cls = ascii[c];
      } else {
        if (c >= 0xd800 && c < 0xdc00 && i < n) {
          const d = s.charCodeAt(i);
          if (d >= 0xdc00 && d < 0xe000) {
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            i++;
          }
        }
        cls = uniform >= 0 ? uniform : classOfNonAscii(this.alphabet, c);
      }
      const nextWord = this.trackWord && isWord[cls] === 1;
      const r = this.step(cur, len, flags, cls, nextWord, nxt);
      if (r === FOUND) return true;
      if (r === DEAD) return false;
      len = r;
      const t = cur;
      cur = nxt;
      nxt = t;
      flags = nextWord ? F_PREV_WORD : 0;
    }
    return this.closure(cur, len, flags, true, false) < 0;
  }

  private matchesAtEnd(state: number): boolean {
    let v = this.endMatch[state];
    if (v === 0) {
      const kernel = this.kernels[state];
      v = this.closure(kernel, kernel.length, this.flags[state], true, false) < 0 ? 1 : 2;
      this.endMatch[state] = v;
    }
    return v === 1;
  }

  /**
   * Follows empty moves from `kernel` given the context, collecting CHAR states into `chars`.
   * Returns their count, or -1 as soon as MATCH is reached.
   */
  private closure(kernel: Int32Array, len: number, flags: number, atEnd: boolean, nextWord: boolean): number {
    const gen = this.nextGen();
    const { mark, stack, chars, op, out, out1, arg } = this;
    const atBegin = (flags & F_BEGIN) !== 0;
    const prevWord = (flags & F_PREV_WORD) !== 0;
    let sp = 0;
    for (let k = 0; k < len; k++) {
      const s = kernel[k];
      if (mark[s] !== gen) {
        mark[s] = gen;
        stack[sp++] = s;
      }
    }
    let count = 0;
    while (sp > 0) {
      const s = stack[--sp];
      let t: number;
      switch (op[s]) {
        case CHAR:
          chars[count++] = s;
          continue;
        case MATCH:
          return -1;
        case SPLIT:
          t = out1[s];
          if (mark[t] !== gen) {
            mark[t] = gen;
            stack[sp++] = t;
          }
          t = out[s];
          break;
        case ASSERT: {
          const a = arg[s];
          const holds =
            a === A_BEGIN
              ? atBegin
              : a === A_END
                ? atEnd
                : a === A_WORD
                  ? prevWord !== nextWord
                  : prevWord === nextWord;
          if (!holds) continue;
          t = out[s];
          break;
        }
        default:
          continue;
      }
      if (mark[t] !== gen) {
        mark[t] = gen;
        stack[sp++] = t;
      }
    }
    return count;
  }

  private nextGen(): number {
    if (this.gen === 0xffffffff) {
      this.mark.fill(0);
      this.gen = 0;
    }
    return ++this.gen;
  }

  private lookup(kernel: Int32Array, flags: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i];
      if (slot === 0) return -1;
      const id = slot - 1;
      if (this.hashes[id] === hash && this.flags[id] === flags && sameKernel(this.kernels[id], kernel))
        return id;
    }
  }

  private place(id: number, hash: number): void {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.hashes.length; id++) this.place(id, this.hashes[id]);
  }

  /** Adds a new state (the caller checked it is not there and that there is room). */
  private intern(kernel: Int32Array, flags: number, hash: number): number {
    const id = this.kernels.length;
    // Keep the index at most half full; it starts small since most regexes need few states.
    if (2 * (id + 1) > this.slots.length) this.rehash(2 * this.slots.length);
    this.kernels.push(kernel.slice());
    this.flags.push(flags);
    this.hashes.push(hash);
    this.endMatch.push(0);
    this.kernelEntries += kernel.length;
    this.place(id, hash);
    if ((id + 1) * this.stride > this.table.length) {
      const grown = new Int32Array(Math.min(this.maxStates, 2 * (id + 1)) * this.stride).fill(UNKNOWN);
      grown.set(this.table);
      this.table = grown;
    }
    return id;
  }
}

function hashKernel(kernel: Int32Array, flags: number): number {
  let h = (0x811c9dc5 ^ flags) | 0;
  for (let i = 0; i < kernel.length; i++) h = Math.imul(h ^ kernel[i], 0x01000193);
  // FNV's low bits depend only on the inputs' low bits; mix (murmur3 fmix) before masking.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x3fffffff; // 30 bits: stays a small integer in V8
}

function sameKernel(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
