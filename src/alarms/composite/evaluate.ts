/**
 * A composite alarm's state: ALARM when its rule is true, OK otherwise (INSUFFICIENT_DATA only before its
 * first evaluation). Reasons as AWS writes them (EB samples):
 *
 * - first evaluation: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:Main was created and its alarm rule
 *   evaluates to OK`, the composite's own ARN;
 * - later: `arn:...:alarm:FirstChild transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC`, the child
 *   whose change caused the evaluation and the time it entered its state;
 * - StateReasonData `{"triggeringAlarms":[{"arn":"...","state":{"value":"ALARM","timestamp":"..."}}]}`.
 *
 * Which children are "triggering" is our reading of the samples: for ALARM the children whose state function
 * holds; otherwise (and for a rule true without any, such as TRUE or NOT ALARM(x)) every child; newest state
 * first, as in the creation sample.
 */
import type { AlarmStateValue } from "../../store/types.js";
import type { AlarmEvaluation, PreviousState } from "../evaluate.js";
import { jsonText } from "../json-text.js";
import { dataTimestamp, longTimestamp } from "../time-format.js";
import type { RuleNode } from "./ast.js";
import { ruleIsTrue, ruleReferences, satisfiedReferences } from "./rule.js";

export interface ChildState {
  arn: string;
  stateValue: AlarmStateValue;
  /** When the child entered its current state (its StateTransitionedTimestamp), epoch ms. */
  timestamp: number;
}

export interface CompositeEvaluationInput {
  /** The composite's own ARN (for the creation reason). */
  alarmArn: string;
  rule: RuleNode;
  /** Answers for a child as written in the rule (name or ARN); undefined for an alarm that no longer exists. */
  child: (reference: string) => ChildState | undefined;
  previous: PreviousState;
  /** The child (name or ARN as in the rule) whose change caused this evaluation; default: the newest change. */
  trigger?: string;
}

export function evaluateCompositeAlarm(input: CompositeEvaluationInput): AlarmEvaluation {
  const stateOf = (reference: string) => input.child(reference)?.stateValue;
  const stateValue: AlarmStateValue = ruleIsTrue(input.rule, stateOf) ? "ALARM" : "OK";

  const known = ruleReferences(input.rule)
    .map((reference) => ({ reference, state: input.child(reference) }))
    .filter((c): c is { reference: string; state: ChildState } => c.state !== undefined);

  let stateReason: string;
  if (input.previous.stateValue === "INSUFFICIENT_DATA" || known.length === 0) {
    stateReason = `${input.alarmArn} was created and its alarm rule evaluates to ${stateValue}`;
  } else {
    const cause =
      known.find((c) => c.reference === input.trigger) ??
      known.reduce((newest, c) => (c.state.timestamp > newest.state.timestamp ? c : newest));
    stateReason = `${cause.state.arn} transitioned to ${cause.state.stateValue} at ${longTimestamp(cause.state.timestamp)}`;
  }

  const satisfied = new Set(stateValue === "ALARM" ? satisfiedReferences(input.rule, stateOf) : []);
  const triggering = satisfied.size > 0 ? known.filter((c) => satisfied.has(c.reference)) : known;
  const unique = [...new Map(triggering.map((c) => [c.state.arn, c.state])).values()];
  unique.sort((a, b) => b.timestamp - a.timestamp);
  const stateReasonData = jsonText({
    triggeringAlarms: unique.map((c) => ({
      arn: c.arn,
      state: { value: c.stateValue, timestamp: dataTimestamp(c.timestamp) },
    })),
  });

  return {
    stateValue,
    stateReason,
    stateReasonData,
    changed: stateValue !== input.previous.stateValue,
    retained: false,
  };
}
