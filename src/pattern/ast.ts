import type { Decimal } from "./decimal.js";
import type { CompiledRegex } from "./regex/index.js";

/** Where a node came from in the pattern text (0-based, end exclusive), for errors and the console. */
export interface Span {
  start: number;
  end: number;
}

// ---- values on the right-hand side of JSON and space-delimited conditions ----

/** `*` or `"*"`: any string or number. */
export interface AnyValue {
  type: "any";
}
/** A string, optionally with a leading and/or trailing `*` (a `*` elsewhere is literal). */
export interface StringValue {
  type: "string";
  /** The text as written (quotes removed); numeric literals compare against JSON strings with this. */
  text: string;
  core: string;
  prefixWildcard: boolean;
  suffixWildcard: boolean;
}
/** A bare numeric literal, e.g. `404`, `1.5`, `1e3`. Exact. */
export interface NumberValue {
  type: "number";
  text: string;
  decimal: Decimal;
}
export interface RegexValue {
  type: "regex";
  source: string;
  regex: CompiledRegex;
}
export type Value = AnyValue | StringValue | NumberValue | RegexValue;

export type EqualityOp = "=" | "!=";
export type RelationalOp = "<" | "<=" | ">" | ">=";
export type ComparisonOp = EqualityOp | RelationalOp;

// ---- term patterns ----

export interface Term {
  text: string;
  span: Span;
}
export interface TermsPattern {
  kind: "terms";
  /** All must occur. */
  required: Term[];
  /** None may occur. */
  excluded: Term[];
  /** At least one must occur; AWS ignores them when any plain or `-` term is present. */
  optional: Term[];
}

export interface RegexPattern {
  kind: "regex";
  regex: RegexValue;
}

export interface AllPattern {
  kind: "all";
}

// ---- JSON patterns ----

export type SelectorStep =
  | { type: "property"; name: string }
  | { type: "index"; index: number }
  | { type: "wildcard" };

export interface Selector {
  text: string;
  steps: SelectorStep[];
  /** Position of the wildcard step, or -1. */
  wildcardAt: number;
  span: Span;
}

export type JsonCondition =
  | { type: "compare"; selector: Selector; op: ComparisonOp; value: Value; span: Span }
  | { type: "isNull"; selector: Selector; span: Span }
  | { type: "isBoolean"; selector: Selector; value: boolean; span: Span }
  | { type: "notExists"; selector: Selector; span: Span };

export type JsonExpr =
  | JsonCondition
  | { type: "and"; left: JsonExpr; right: JsonExpr }
  | { type: "or"; left: JsonExpr; right: JsonExpr };

export interface JsonPattern {
  kind: "json";
  expr: JsonExpr;
}

// ---- space-delimited patterns ----

export interface FieldCondition {
  op: ComparisonOp;
  value: Value;
}
/** Conditions on one field joined by `&&` / `||` (left to right, && binds tighter). */
export type FieldExpr =
  | { type: "cond"; cond: FieldCondition }
  | { type: "and"; left: FieldExpr; right: FieldExpr }
  | { type: "or"; left: FieldExpr; right: FieldExpr };

export type SpaceField =
  | { type: "ellipsis"; span: Span }
  | { type: "field"; name: string | null; expr: FieldExpr | null; span: Span };

export interface SpacePattern {
  kind: "space";
  fields: SpaceField[];
  /** Index of the `...` field, or -1. */
  ellipsisAt: number;
}

export type PatternAst = AllPattern | TermsPattern | RegexPattern | JsonPattern | SpacePattern;
