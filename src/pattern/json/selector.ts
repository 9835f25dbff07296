import type { Selector } from "../ast.js";
import { InvalidParameterException } from "../errors.js";
import { resolveSelector } from "./evaluate.js";
import { lexSelector } from "./lexer.js";

/** Parses a whole `$.a.b[0]` selector (as used by metric values and dimensions); null if it is not one. */
export function parseSelector(text: string): Selector | null {
  if (!text.startsWith("$")) return null;
  try {
    const r = lexSelector(text, 0);
    if (r.end !== text.length) return null;
    return {
      text,
      steps: r.steps,
      wildcardAt: r.steps.findIndex((s) => s.type === "wildcard"),
      span: { start: 0, end: text.length },
    };
  } catch (e) {
    if (e instanceof InvalidParameterException) return null;
    throw e;
  }
}

/** The single value a wildcard-free selector reaches in a parsed event, or undefined. */
export function selectValue(root: unknown, selector: Selector): unknown {
  const { nodes } = resolveSelector(root, selector);
  return nodes.length === 1 ? nodes[0] : undefined;
}
