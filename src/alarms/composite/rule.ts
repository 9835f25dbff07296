/**
 * What a parsed AlarmRule means: its children, its validation limits, and its truth value given the children's
 * states.
 */

import type { AlarmStateValue } from "../../store/types.js";
import { alarmNameOf } from "../arn.js";
import { CloudWatchError } from "../errors.js";
import type { RuleNode } from "./ast.js";
import { parseAlarmRule, ruleError } from "./parse.js";

/** API-PCA: "as many as 100 children alarms" and "as many as 500 elements". */
export const MAX_RULE_CHILDREN = 100;
export const MAX_RULE_ELEMENTS = 500;
export const MAX_RULE_LENGTH = 10240;

/** The alarms a rule references, as written (name or ARN), each once, in order of appearance. */
export function ruleReferences(node: RuleNode): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  visit(node, (n) => {
    if (n.kind === "state" && !seen.has(n.alarm)) {
      seen.add(n.alarm);
      out.push(n.alarm);
    }
  });
  return out;
}

/** The names of the child alarms (ARNs reduced to names), each once, in order of appearance. */
export function ruleChildNames(node: RuleNode): string[] {
  return [...new Set(ruleReferences(node).map(alarmNameOf))];
}

/**
 * Parses and checks a rule: length 1–10240, the grammar, at most 100 child alarms and 500 elements ("child
 * alarms, TRUE or FALSE statements, and parentheses", counted here as state functions, constants and
 * parenthesized groups).
 */
export function validateAlarmRule(rule: string): RuleNode {
  if (rule.length < 1 || rule.length > MAX_RULE_LENGTH) {
    const bound = rule.length < 1 ? "greater than or equal to 1" : `less than or equal to ${MAX_RULE_LENGTH}`;
    throw new CloudWatchError(
      "ValidationError",
      `1 validation error detected: Value '${rule}' at 'alarmRule' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  const node = parseAlarmRule(rule);
  const children = ruleChildNames(node).length;
  if (children > MAX_RULE_CHILDREN)
    throw ruleError(`The rule references ${children} alarms, more than the maximum of ${MAX_RULE_CHILDREN}`);
  let elements = 0;
  visit(node, (n) => {
    if (n.kind === "state" || n.kind === "constant" || n.kind === "group") elements++;
  });
  if (elements > MAX_RULE_ELEMENTS)
    throw ruleError(`The rule has ${elements} elements, more than the maximum of ${MAX_RULE_ELEMENTS}`);
  return node;
}

/**
 * The rule's truth value. `stateOf` answers for a name or ARN as written in the rule; a child it does not
 * know (deleted since) makes its function false.
 */
export function ruleIsTrue(
  node: RuleNode,
  stateOf: (reference: string) => AlarmStateValue | undefined,
): boolean {
  switch (node.kind) {
    case "state":
      return stateOf(node.alarm) === node.fn;
    case "constant":
      return node.value;
    case "not":
      return !ruleIsTrue(node.operand, stateOf);
    case "and":
      return ruleIsTrue(node.left, stateOf) && ruleIsTrue(node.right, stateOf);
    case "or":
      return ruleIsTrue(node.left, stateOf) || ruleIsTrue(node.right, stateOf);
    case "group":
      return ruleIsTrue(node.inner, stateOf);
  }
}

/** Whether the rule refers to the alarm `name` (by name or by ARN). */
export function ruleReferencesAlarm(node: RuleNode, name: string): boolean {
  return ruleChildNames(node).includes(name);
}

function visit(node: RuleNode, f: (n: RuleNode) => void): void {
  f(node);
  switch (node.kind) {
    case "not":
      visit(node.operand, f);
      break;
    case "and":
    case "or":
      visit(node.left, f);
      visit(node.right, f);
      break;
    case "group":
      visit(node.inner, f);
      break;
  }
}

/** The state-function nodes whose function holds: the children that make an ALARM rule true. */
export function satisfiedReferences(
  node: RuleNode,
  stateOf: (reference: string) => AlarmStateValue | undefined,
): string[] {
  const out: string[] = [];
  visit(node, (n) => {
    if (n.kind === "state" && stateOf(n.alarm) === n.fn && !out.includes(n.alarm)) out.push(n.alarm);
  });
  return out;
}
