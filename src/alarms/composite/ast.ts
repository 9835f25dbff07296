/** The AST of a composite alarm's AlarmRule. Every node carries its offsets in the rule (0-based, UTF-16). */

export type StateFunction = "ALARM" | "OK" | "INSUFFICIENT_DATA";

export type RuleNode =
  | {
      kind: "state";
      fn: StateFunction /** Alarm name or ARN, unquoted. */;
      alarm: string;
      start: number;
      end: number;
    }
  | { kind: "constant"; value: boolean; start: number; end: number }
  | { kind: "not"; operand: RuleNode; start: number; end: number }
  | { kind: "and" | "or"; left: RuleNode; right: RuleNode; start: number; end: number }
  | { kind: "group"; inner: RuleNode; start: number; end: number };
