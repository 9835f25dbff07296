import type { PatternAst } from "./ast.js";
import { type CompiledPatternWithAst, evaluateJsonEvent, parseJsonEvent } from "./compile.js";
import { buildPrefilter } from "./json/prefilter.js";
import type { CompiledPattern, PatternMatch } from "./types.js";

type JsonAst = Extract<PatternAst, { kind: "json" }>;

function hasAst(p: CompiledPattern): p is CompiledPatternWithAst {
  return "ast" in p && "prefilterSources" in p;
}

/**
 * Several patterns evaluated against one message at a time — a log group's metric filters. An event is
 * parsed at most once whatever the number of JSON patterns, and not at all when one combined literal
 * prefilter shows that none of them can match.
 */
export class FilterSet {
  readonly patterns: readonly CompiledPattern[];
  private readonly jsonIndexes: number[] = [];
  private readonly jsonAsts: JsonAst[] = [];
  private readonly otherIndexes: number[] = [];
  private readonly prefilter: RegExp | null;

  constructor(patterns: readonly CompiledPattern[]) {
    this.patterns = patterns;
    const sources: string[] = [];
    let bounded = true;
    patterns.forEach((p, i) => {
      if (hasAst(p) && p.ast.kind === "json") {
        this.jsonIndexes.push(i);
        this.jsonAsts.push(p.ast);
        if (p.prefilterSources === null) bounded = false;
        else sources.push(...p.prefilterSources);
      } else {
        this.otherIndexes.push(i);
      }
    });
    this.prefilter = bounded && this.jsonIndexes.length > 0 ? buildPrefilter(sources) : null;
  }

  /** Calls `onMatch` for every pattern that matches (non-JSON patterns first, then JSON ones). */
  matchEach(message: string, onMatch: (index: number, match: PatternMatch) => void): void {
    for (const i of this.otherIndexes) {
      const m = this.patterns[i].match(message);
      if (m) onMatch(i, m);
    }
    if (this.jsonIndexes.length === 0) return;
    if (this.prefilter !== null && !this.prefilter.test(message)) return;
    const root = parseJsonEvent(message);
    if (root === undefined) return;
    for (let k = 0; k < this.jsonIndexes.length; k++) {
      if (evaluateJsonEvent(this.jsonAsts[k], root, message))
        onMatch(this.jsonIndexes[k], { extractedValues: {}, json: root });
    }
  }

  /** Indices of the patterns that match, in pattern order. */
  matching(message: string): number[] {
    const out: number[] = [];
    this.matchEach(message, (i) => {
      out.push(i);
    });
    return out.length > 1 ? out.sort((a, b) => a - b) : out;
  }
}
