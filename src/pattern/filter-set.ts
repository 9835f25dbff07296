import { type CompiledPatternWithAst, evaluateJsonEvent, parseJsonEvent } from "./compile.js";
import type { JsonPredicate } from "./json/compile-json.js";
import { NEED_EXACT } from "./json/evaluate.js";
import { buildPrefilter, type PrefilterAlternative } from "./json/prefilter.js";
import type { CompiledPattern, PatternMatch } from "./types.js";

/** The answer for most events: shared, never written to (matching() returns it read-only). */
const NONE: number[] = Object.freeze([]) as unknown as number[];

function hasAst(p: CompiledPattern): p is CompiledPatternWithAst {
  return "jsonPredicate" in p && "prefilterSources" in p;
}

/**
 * Several patterns evaluated against one message at a time — a log group's metric filters. An event is
 * parsed at most once whatever the number of JSON patterns, and not at all when one combined literal
 * prefilter shows that none of them can match.
 */
export class FilterSet {
  readonly patterns: readonly CompiledPattern[];
  private readonly jsonIndexes: number[] = [];
  private readonly jsonPredicates: JsonPredicate[] = [];
  private readonly otherIndexes: number[] = [];
  private readonly prefilter: RegExp | null;
  /** The last message `matching` parsed and its root: matchEach and callers summarizing a hit reuse it. */
  private lastMessage: string | undefined;
  private lastRoot: Record<string, unknown> | undefined;

  constructor(patterns: readonly CompiledPattern[]) {
    this.patterns = patterns;
    const sources: PrefilterAlternative[] = [];
    let bounded = true;
    patterns.forEach((p, i) => {
      if (hasAst(p) && p.jsonPredicate !== null) {
        this.jsonIndexes.push(i);
        this.jsonPredicates.push(p.jsonPredicate);
        if (p.prefilterSources === null) bounded = false;
        else sources.push(...p.prefilterSources);
      } else {
        this.otherIndexes.push(i);
      }
    });
    this.prefilter = bounded && this.jsonIndexes.length > 0 ? buildPrefilter(sources) : null;
  }

  /** Calls `onMatch` for every pattern that matches, in pattern order. */
  matchEach(message: string, onMatch: (index: number, match: PatternMatch) => void): void {
    const indexes = this.matching(message);
    if (indexes.length === 0) return;
    let root: Record<string, unknown> | undefined;
    for (const i of indexes) {
      const p = this.patterns[i];
      if (hasAst(p) && p.jsonPredicate !== null) {
        root ??= this.parsedRoot(message);
        onMatch(i, { extractedValues: {}, json: root });
      } else {
        const m = p.match(message);
        if (m) onMatch(i, m);
      }
    }
  }

  /** The message's JSON root (undefined when not a JSON object): no second parse after `matching` parsed it. */
  parsedRoot(message: string): Record<string, unknown> | undefined {
    return message === this.lastMessage ? this.lastRoot : parseJsonEvent(message);
  }

  /**
   * Indices of the patterns that match, in pattern order. The hot loop: no callbacks and no per-match
   * objects, one JSON.parse at most, and none when the prefilter rejects the event.
   */
  matching(message: string): readonly number[] {
    let out: number[] = NONE;
    for (const i of this.otherIndexes) {
      if (this.patterns[i].test(message)) {
        if (out === NONE) out = [];
        out.push(i);
      }
    }
    const n = this.jsonIndexes.length;
    if (n === 0) return out;
    if (this.prefilter !== null && !this.prefilter.test(message)) return out;
    const root = parseJsonEvent(message);
    this.lastMessage = message;
    this.lastRoot = root;
    if (root === undefined) return out;
    const before = out.length;
    const preds = this.jsonPredicates;
    try {
      for (let k = 0; k < n; k++) {
        if (preds[k](root)) {
          if (out === NONE) out = [];
          out.push(this.jsonIndexes[k]);
        }
      }
    } catch (e) {
      if (e !== NEED_EXACT) throw e;
      // A comparison needs the number's exact text: evaluate every JSON pattern again, each on its own terms.
      if (out !== NONE) out.length = before;
      for (let k = 0; k < n; k++) {
        if (evaluateJsonEvent(preds[k], root, message)) {
          if (out === NONE) out = [];
          out.push(this.jsonIndexes[k]);
        }
      }
    }
    return before > 0 && out.length > before ? out.sort((a, b) => a - b) : out;
  }
}
