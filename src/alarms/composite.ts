/**
 * Composite alarms (alarms.md §6): the AlarmRule language, its evaluation, and cycle detection.
 *
 * @example
 *   const rule = validateAlarmRule("ALARM(RootUsage) AND NOT ALARM(DeploymentInProgress)");
 *   ruleChildNames(rule); // ["RootUsage", "DeploymentInProgress"]
 *   ruleIsTrue(rule, (name) => states.get(name));
 */
export type { RuleNode, StateFunction } from "./composite/ast.js";
export { findCycle } from "./composite/cycles.js";
export {
  type ChildState,
  type CompositeEvaluationInput,
  evaluateCompositeAlarm,
} from "./composite/evaluate.js";
export { parseAlarmRule } from "./composite/parse.js";
export {
  MAX_RULE_CHILDREN,
  MAX_RULE_ELEMENTS,
  MAX_RULE_LENGTH,
  ruleChildNames,
  ruleIsTrue,
  ruleReferences,
  ruleReferencesAlarm,
  satisfiedReferences,
  validateAlarmRule,
} from "./composite/rule.js";
