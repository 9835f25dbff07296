import type { JsonCondition, JsonExpr, Selector, SelectorStep, Value } from "../ast.js";
import {
  compareDecimal,
  type Decimal,
  decimalOfDouble,
  javaDoubleToString,
  parseDecimal,
} from "../decimal.js";
import { globMatches } from "../values.js";
import { JsonNumber } from "./exact-json.js";

/**
 * Thrown on the fast path (values from JSON.parse) when the answer depends on what JSON.parse lost:
 * the exact digits of an integer beyond 2^53, or whether an integral number was written `1` or `1.0`.
 * The caller then re-parses the message exactly and evaluates again.
 */
export const NEED_EXACT = Symbol("need exact JSON");

const TWO_53 = 2 ** 53;

function isContainer(v: unknown): v is object {
  return typeof v === "object" && v !== null && !(v instanceof JsonNumber);
}

function stepInto(node: unknown, step: SelectorStep, out: unknown[]): void {
  if (!isContainer(node)) return;
  if (step.type === "property") {
    if (!Array.isArray(node) && Object.hasOwn(node, step.name))
      out.push((node as Record<string, unknown>)[step.name]);
  } else if (step.type === "index") {
    if (Array.isArray(node) && step.index < node.length) out.push(node[step.index]);
  } else if (Array.isArray(node)) {
    for (const v of node) out.push(v);
  } else {
    for (const k of Object.keys(node)) out.push((node as Record<string, unknown>)[k]);
  }
}

/** The nodes a selector reaches, and whether the part before its wildcard exists. */
export function resolveSelector(
  root: unknown,
  selector: Selector,
): { nodes: unknown[]; prefixExists: boolean } {
  let nodes: unknown[] = [root];
  const steps = selector.steps;
  for (let i = 0; i < steps.length; i++) {
    const next: unknown[] = [];
    for (const n of nodes) stepInto(n, steps[i], next);
    nodes = next;
    // The part before the wildcard is missing: nothing selected, and `!=` has nothing to stand on.
    if (nodes.length === 0)
      return { nodes, prefixExists: selector.wildcardAt >= 0 && i >= selector.wildcardAt };
  }
  return { nodes, prefixExists: true };
}

/** A JSON number as AWS sees it: its exact value (null when it overflowed a double) and its Java text. */
interface NumberView {
  decimal: Decimal | null;
  javaText: string;
}

function exactNumberView(n: JsonNumber): NumberView {
  if (n.isInteger) {
    const decimal = parseDecimal(n.text)!;
    const javaText = decimal.sign === 0 ? "0" : n.text;
    return { decimal, javaText };
  }
  const d = Number(n.text);
  return { decimal: Number.isFinite(d) ? decimalOfDouble(d) : null, javaText: javaDoubleToString(d) };
}

/** Fast path: what can be known from a double alone, or NEED_EXACT. */
function numericDecimal(v: number): Decimal | null {
  if (!Number.isFinite(v) || (Number.isInteger(v) && Math.abs(v) >= TWO_53)) throw NEED_EXACT;
  return decimalOfDouble(v);
}

function numberText(v: number): string {
  if (Number.isInteger(v) || !Number.isFinite(v)) throw NEED_EXACT;
  return javaDoubleToString(v);
}

/** Is the node a value that comparisons apply to (a string or a number)? */
export function comparable(node: unknown, value: Value): boolean {
  if (typeof node === "string") return true;
  if (node instanceof JsonNumber) {
    // An overflowed float is "not a number for any comparison" with a numeric literal.
    return value.type !== "number" || exactNumberView(node).decimal !== null;
  }
  if (typeof node === "number") {
    if (value.type === "number") return numericDecimal(node) !== null;
    return true;
  }
  return false;
}

function textOf(node: string | number | JsonNumber): string {
  if (typeof node === "string") return node;
  if (node instanceof JsonNumber) return exactNumberView(node).javaText;
  return numberText(node);
}

function decimalOf(node: number | JsonNumber): Decimal | null {
  return node instanceof JsonNumber ? exactNumberView(node).decimal : numericDecimal(node);
}

/** `node = value` for a comparable node. */
export function equals(node: string | number | JsonNumber, value: Value): boolean {
  switch (value.type) {
    case "any":
      return true;
    case "string":
      return globMatches(value, textOf(node));
    case "regex":
      return value.regex.test(textOf(node));
    case "number":
      if (typeof node === "string") return node === value.text;
      {
        const d = decimalOf(node);
        return d !== null && compareDecimal(d, value.decimal) === 0;
      }
  }
}

export function ordered(node: unknown, op: "<" | "<=" | ">" | ">=", value: Value): boolean {
  if (value.type !== "number") return false;
  if (typeof node !== "number" && !(node instanceof JsonNumber)) return false;
  const d = decimalOf(node);
  if (d === null) return false;
  const c = compareDecimal(d, value.decimal);
  return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
}

function anyEquals(nodes: unknown[], value: Value): boolean {
  for (const n of nodes) {
    if (comparable(n, value) && equals(n as string | number | JsonNumber, value)) return true;
  }
  return false;
}

export function holdsNull(node: unknown, throughWildcard: boolean): boolean {
  if (node === null) return true;
  // Recorded: `$.a IS NULL` holds for {"a":[null,2]} — an array holding a null, one level deep.
  return !throughWildcard && Array.isArray(node) && node.includes(null);
}

export function evaluateCondition(c: JsonCondition, root: unknown): boolean {
  const { nodes, prefixExists } = resolveSelector(root, c.selector);
  const wildcard = c.selector.wildcardAt >= 0;
  switch (c.type) {
    case "notExists":
      return nodes.length === 0;
    case "isNull":
      return nodes.some((n) => holdsNull(n, wildcard));
    case "isBoolean":
      return nodes.some((n) => n === c.value);
    case "compare":
      if (c.op === "=") return anyEquals(nodes, c.value);
      if (c.op === "!=") {
        // Through a wildcard: "no selected element equals", which holds when nothing is selected.
        if (wildcard) return prefixExists && !anyEquals(nodes, c.value);
        return nodes.length === 1 && comparable(nodes[0], c.value) && !equals(nodes[0] as string, c.value);
      }
      return nodes.some((n) => ordered(n, c.op as "<", c.value));
  }
}

export function evaluateJsonExpr(e: JsonExpr, root: unknown): boolean {
  switch (e.type) {
    case "and":
      return evaluateJsonExpr(e.left, root) && evaluateJsonExpr(e.right, root);
    case "or":
      return evaluateJsonExpr(e.left, root) || evaluateJsonExpr(e.right, root);
    default:
      return evaluateCondition(e, root);
  }
}
