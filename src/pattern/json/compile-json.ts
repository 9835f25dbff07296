import type { JsonCondition, JsonExpr, SelectorStep, Value } from "../ast.js";
import { globMatches } from "../values.js";
import { comparable, equals, evaluateCondition, holdsNull, ordered } from "./evaluate.js";
import { JsonNumber } from "./exact-json.js";

/**
 * JSON patterns compiled into closures: the fast path. It must give exactly the interpreter's answers
 * (evaluate.ts, checked by test/pattern/differential.test.ts); it is faster because a selector without a
 * wildcard is walked without allocating, and a string node is tested without the generic value dispatch.
 * Numbers and everything unusual go through the interpreter's own helpers, so NEED_EXACT still applies.
 */
export type JsonPredicate = (root: unknown) => boolean;

const MISSING = Symbol("missing");

/** Property names every JSON.parse object inherits: only for these is an own-property check needed. */
function inherited(name: string): boolean {
  return name in Object.prototype;
}

/** Walks a wildcard-free selector without allocating; MISSING when any step does not apply. */
function getter(steps: readonly SelectorStep[]): (root: unknown) => unknown {
  const n = steps.length;
  const names = steps.map((s) => (s.type === "property" ? s.name : null));
  const indexes = steps.map((s) => (s.type === "index" ? s.index : -1));
  const ownCheck = steps.map((s) => s.type === "property" && inherited(s.name));
  return (root) => {
    let node = root;
    for (let i = 0; i < n; i++) {
      if (typeof node !== "object" || node === null || node instanceof JsonNumber) return MISSING;
      const name = names[i];
      if (name !== null) {
        if (Array.isArray(node)) return MISSING;
        const next = (node as Record<string, unknown>)[name];
        if (next === undefined || (ownCheck[i] && !Object.hasOwn(node, name))) return MISSING;
        node = next;
      } else {
        if (!Array.isArray(node) || indexes[i] >= node.length) return MISSING;
        node = node[indexes[i]];
      }
    }
    return node;
  };
}

/** `string = value` for the value kinds; the same rules as the interpreter's `equals` on a string. */
function stringTest(value: Value): (s: string) => boolean {
  switch (value.type) {
    case "any":
      return () => true;
    case "string":
      if (!value.prefixWildcard && !value.suffixWildcard) {
        const core = value.core;
        return (s) => s === core;
      }
      return (s) => globMatches(value, s);
    case "regex":
      return (s) => value.regex.test(s);
    case "number": {
      const text = value.text;
      return (s) => s === text;
    }
  }
}

function compileCondition(c: JsonCondition): JsonPredicate {
  if (c.selector.wildcardAt >= 0) return (root) => evaluateCondition(c, root);
  const get = getter(c.selector.steps);
  switch (c.type) {
    case "notExists":
      return (root) => get(root) === MISSING;
    case "isNull":
      return (root) => {
        const v = get(root);
        return v !== MISSING && holdsNull(v, false);
      };
    case "isBoolean": {
      const want = c.value;
      return (root) => get(root) === want;
    }
    case "compare": {
      const value = c.value;
      const onString = stringTest(value);
      const generic = (v: unknown) => comparable(v, value) && equals(v as string, value);
      if (c.op === "=") {
        return (root) => {
          const v = get(root);
          if (typeof v === "string") return onString(v);
          return v !== MISSING && generic(v);
        };
      }
      if (c.op === "!=") {
        return (root) => {
          const v = get(root);
          if (typeof v === "string") return !onString(v);
          return v !== MISSING && comparable(v, value) && !equals(v as string, value);
        };
      }
      const op = c.op;
      return (root) => {
        const v = get(root);
        return v !== MISSING && ordered(v, op, value);
      };
    }
  }
}

/** An `=` on an exact string (no wildcard): the conditions an `||` chain can answer with one Set lookup. */
function exactStringEquality(e: JsonExpr): { selector: string; text: string } | null {
  if (e.type !== "compare" || e.op !== "=" || e.selector.wildcardAt >= 0) return null;
  const v = e.value;
  if (v.type !== "string" || v.prefixWildcard || v.suffixWildcard) return null;
  return { selector: e.selector.text, text: v.core };
}

function orOperands(e: JsonExpr, out: JsonExpr[]): JsonExpr[] {
  if (e.type === "or") {
    orOperands(e.left, out);
    orOperands(e.right, out);
  } else out.push(e);
  return out;
}

/**
 * `$.eventName = A || $.eventName = B || ...` (the CIS filters' shape) becomes one selector walk and one
 * Set lookup when the node is a string; any other node falls back to the conditions one by one, so the
 * answer (numbers' Java text, NEED_EXACT) is the interpreter's.
 */
function compileOr(operands: JsonExpr[]): JsonPredicate {
  const groups = new Map<string, JsonExpr[]>();
  const rest: JsonExpr[] = [];
  for (const o of operands) {
    const eq = exactStringEquality(o);
    if (eq === null) rest.push(o);
    else {
      const g = groups.get(eq.selector) ?? [];
      g.push(o);
      groups.set(eq.selector, g);
    }
  }
  const parts: JsonPredicate[] = rest.map(compileJsonExpr);
  for (const g of groups.values()) {
    if (g.length === 1) {
      parts.push(compileJsonExpr(g[0]));
      continue;
    }
    const first = g[0] as Extract<JsonCondition, { type: "compare" }>;
    const get = getter(first.selector.steps);
    const texts = new Set(g.map((c) => exactStringEquality(c)!.text));
    const slow = g.map(compileJsonExpr);
    parts.push((root) => {
      const v = get(root);
      if (typeof v === "string") return texts.has(v);
      if (v === MISSING) return false;
      for (const p of slow) if (p(root)) return true;
      return false;
    });
  }
  if (parts.length === 1) return parts[0];
  return (root) => {
    for (const p of parts) if (p(root)) return true;
    return false;
  };
}

export function compileJsonExpr(e: JsonExpr): JsonPredicate {
  if (e.type === "and") {
    const l = compileJsonExpr(e.left);
    const r = compileJsonExpr(e.right);
    return (root) => l(root) && r(root);
  }
  if (e.type === "or") return compileOr(orOperands(e, []));
  return compileCondition(e);
}
