/** Which of AWS's four pattern languages a pattern is written in ("all" = empty/blank: every event). */
export type PatternKind = "all" | "terms" | "regex" | "json" | "space";

/** What a successful match yields. */
export interface PatternMatch {
  /**
   * TestMetricFilter's `extractedValues`: `$name` / `$N` for space-delimited patterns, `{}` otherwise.
   * Values are the field texts as they appear in the event (quotes and brackets removed).
   */
  extractedValues: Record<string, string>;
  /** For JSON patterns: the parsed event, so that `$.path` metric values and dimensions can be read. */
  json?: unknown;
}

export interface CompiledPattern {
  /** The pattern exactly as given. */
  readonly source: string;
  readonly kind: PatternKind;
  /** Number of `%regex%` terms (AWS quota: 2 inside JSON / space-delimited patterns; 5 regex filters per log group). */
  readonly regexCount: number;
  /** Does the message match? The fast path: no extraction. */
  test(message: string): boolean;
  /** Full evaluation: null when the message does not match. */
  match(message: string): PatternMatch | null;
}
