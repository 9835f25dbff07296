import type { FieldCondition, FieldExpr, SpacePattern } from "../ast.js";
import { compareDecimal, parseDecimal } from "../decimal.js";
import { globMatches } from "../values.js";

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * One field of a log event starting at `i` (not blank): `"..."` and `[...]` group only when closed (the
 * quotes or brackets are dropped, and the next field may start right after: `"b"c` is `b` then `c`);
 * otherwise a field runs to the next space or tab.
 */
function readField(s: string, i: number): { value: string; end: number } {
  const c = s.charCodeAt(i);
  if (c === 34 || c === 91) {
    const close = s.indexOf(c === 34 ? '"' : "]", i + 1);
    if (close >= 0) return { value: s.slice(i + 1, close), end: close + 1 };
  }
  let j = i;
  while (j < s.length && !isBlank(s.charCodeAt(j))) j++;
  return { value: s.slice(i, j), end: j };
}

function skipBlanks(s: string, i: number): number {
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

/** Splits a whole event into fields (used when the pattern has `...`). */
export function splitFields(s: string): string[] {
  const out: string[] = [];
  let i = skipBlanks(s, 0);
  while (i < s.length) {
    const f = readField(s, i);
    out.push(f.value);
    i = skipBlanks(s, f.end);
  }
  return out;
}

/**
 * The first `n` fields, where the last one takes the rest of the line as written when more than one field
 * remains (recorded: `[a, rest]` on `a  b   c ` gives rest = `b   c `), or null when there are fewer.
 */
export function leadingFields(s: string, n: number): string[] | null {
  const out: string[] = [];
  let i = skipBlanks(s, 0);
  for (let k = 0; k < n; k++) {
    if (i >= s.length) return null;
    const f = readField(s, i);
    if (k === n - 1) {
      const after = skipBlanks(s, f.end);
      out.push(after >= s.length ? f.value : s.slice(i));
    } else {
      out.push(f.value);
      i = skipBlanks(s, f.end);
    }
  }
  return out;
}

function conditionHolds(c: FieldCondition, field: string): boolean {
  const v = c.value;
  let eq: boolean;
  switch (v.type) {
    case "any":
      eq = true;
      break;
    case "string":
      eq = globMatches(v, field);
      break;
    case "regex":
      eq = v.regex.test(field);
      break;
    case "number": {
      // Fields are text; one that reads as a number compares as a number (`a=1` matches `1.0`).
      const d = parseDecimal(field);
      if (c.op !== "=" && c.op !== "!=") {
        if (d === null) return false;
        const cmp = compareDecimal(d, v.decimal);
        return c.op === "<" ? cmp < 0 : c.op === "<=" ? cmp <= 0 : c.op === ">" ? cmp > 0 : cmp >= 0;
      }
      eq = d === null ? field === v.text : compareDecimal(d, v.decimal) === 0;
      break;
    }
  }
  return c.op === "!=" ? !eq : eq;
}

function exprHolds(e: FieldExpr, field: string): boolean {
  switch (e.type) {
    case "cond":
      return conditionHolds(e.cond, field);
    case "and":
      return exprHolds(e.left, field) && exprHolds(e.right, field);
    case "or":
      return exprHolds(e.left, field) || exprHolds(e.right, field);
  }
}

/** Matches a space-delimited pattern; returns TestMetricFilter's extractedValues, or null. */
export function matchSpace(p: SpacePattern, message: string): Record<string, string> | null {
  const fields = p.fields;
  // `[]` matches every event and extracts every field by position.
  if (fields.length === 0) {
    const out: Record<string, string> = {};
    splitFields(message).forEach((v, i) => {
      out[`$${i + 1}`] = v;
    });
    return out;
  }
  let values: string[];
  /** Event position (0-based) of each pattern field; the ellipsis covers a range. */
  let positionOf: (k: number) => number;
  let ellipsisRange: [number, number] = [0, 0];
  if (p.ellipsisAt < 0) {
    const v = leadingFields(message, fields.length);
    if (v === null) return null;
    values = v;
    positionOf = (k) => k;
  } else {
    values = splitFields(message);
    const before = p.ellipsisAt;
    const after = fields.length - before - 1;
    if (values.length < before + after) return null;
    const tailStart = values.length - after;
    ellipsisRange = [before, tailStart];
    positionOf = (k) => (k < before ? k : tailStart + (k - before - 1));
  }
  const out: Record<string, string> = {};
  for (let k = 0; k < fields.length; k++) {
    const f = fields[k];
    if (f.type === "ellipsis") {
      for (let i = ellipsisRange[0]; i < ellipsisRange[1]; i++) out[`$${i + 1}`] = values[i];
      continue;
    }
    const pos = positionOf(k);
    const value = values[pos];
    if (f.expr !== null && !exprHolds(f.expr, value)) return null;
    out[f.name === null ? `$${pos + 1}` : `$${f.name}`] = value;
  }
  return out;
}
