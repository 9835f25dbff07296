/**
 * A recursive-descent parser for AlarmRule (API-PCA, COMP):
 *
 *   rule     := or
 *   or       := and ("OR" and)*
 *   and      := not ("AND" not)*
 *   not      := "NOT" not | primary
 *   primary  := "(" or ")" | "TRUE" | "FALSE" | fn "(" alarm ")"
 *   fn       := "ALARM" | "OK" | "INSUFFICIENT_DATA"
 *   alarm    := '"' [^"]+ '"' | [^\s()"]+          a name or an ARN, quoted or not
 *
 * Precedence is NOT > AND > OR, as in most boolean languages; AWS does not document it and its examples always
 * parenthesize, so a rule that mixes AND and OR without parentheses is read the usual way. Keywords are upper
 * case, as in every AWS example and in AWS's own error text; TRUE and FALSE are also accepted in any case,
 * because AWS's docs tell users to "change the AlarmRule ... to false". An unquoted name ends at white space or
 * a parenthesis (AWS stops there too: `Unsupported token 'Oldest' at char 67, must be: ')'` for a name with
 * spaces).
 *
 * Errors use AWS's form, `Error in AlarmRule [Unsupported token 'x' at char N, must be: ...]`, with N the
 * 0-based offset (recorded: `()` fails "at char 1").
 */
import { type CloudWatchError, validationError } from "../errors.js";
import type { RuleNode, StateFunction } from "./ast.js";

/** AWS's list for the start of a term (recorded from AWS's message, without AT_LEAST, which we do not support). */
const TERM_START = "'(', 'NOT', TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA";
const FUNCTIONS: readonly StateFunction[] = ["ALARM", "OK", "INSUFFICIENT_DATA"];

export function ruleError(message: string): CloudWatchError {
  return validationError(`Error in AlarmRule [${message}]`);
}

export function parseAlarmRule(rule: string): RuleNode {
  const parser = new Parser(rule);
  const node = parser.or(0);
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail("'AND', 'OR' or the end of the rule");
  return node;
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.pos])) this.pos++;
  }

  /** The token at the current position, as AWS shows it: a word, or a single other character. */
  private token(): string {
    const rest = this.text.slice(this.pos);
    const word = /^[^\s()"]+/.exec(rest);
    return word ? word[0] : rest[0];
  }

  fail(expected: string): never {
    if (this.atEnd()) throw ruleError(`Unexpected end of rule at char ${this.pos}, must be: ${expected}`);
    throw ruleError(`Unsupported token '${this.token()}' at char ${this.pos}, must be: ${expected}`);
  }

  private keyword(word: string): boolean {
    this.skipSpace();
    if (this.token() !== word) return false;
    this.pos += word.length;
    return true;
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) this.fail(`'${ch}'`);
    this.pos++;
  }

  or(depth: number): RuleNode {
    let left = this.and(depth);
    while (this.keyword("OR")) {
      const right = this.and(depth);
      left = { kind: "or", left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private and(depth: number): RuleNode {
    let left = this.not(depth);
    while (this.keyword("AND")) {
      const right = this.not(depth);
      left = { kind: "and", left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private not(depth: number): RuleNode {
    this.skipSpace();
    const start = this.pos;
    if (this.keyword("NOT")) {
      const operand = this.not(depth + 1);
      return { kind: "not", operand, start, end: operand.end };
    }
    return this.primary(depth);
  }

  private primary(depth: number): RuleNode {
    // The rule is at most 10240 characters, so nesting is bounded; the guard keeps the stack safe regardless.
    if (depth > 1000) throw ruleError(`Rule nested too deeply at char ${this.pos}`);
    this.skipSpace();
    const start = this.pos;
    if (this.text[this.pos] === "(") {
      this.pos++;
      const inner = this.or(depth + 1);
      this.skipSpace();
      if (this.text[this.pos] !== ")") this.fail("'AND', 'OR' or ')'");
      this.pos++;
      return { kind: "group", inner, start, end: this.pos };
    }
    const word = this.atEnd() ? "" : this.token();
    if (/^(true|false)$/i.test(word)) {
      this.pos += word.length;
      return { kind: "constant", value: word.toLowerCase() === "true", start, end: this.pos };
    }
    const fn = FUNCTIONS.find((f) => f === word);
    if (fn === undefined) this.fail(TERM_START);
    this.pos += fn.length;
    this.expect("(");
    const alarm = this.alarmReference();
    this.expect(")");
    return { kind: "state", fn, alarm, start, end: this.pos };
  }

  private alarmReference(): string {
    this.skipSpace();
    if (this.text[this.pos] === '"') {
      const close = this.text.indexOf('"', this.pos + 1);
      if (close < 0) throw ruleError(`Unterminated quoted alarm name at char ${this.pos}`);
      const name = this.text.slice(this.pos + 1, close);
      if (name.length === 0) this.fail("an alarm name or ARN");
      this.pos = close + 1;
      return name;
    }
    const m = /^[^\s()"]+/.exec(this.text.slice(this.pos));
    if (!m) this.fail("an alarm name or ARN");
    this.pos += m[0].length;
    return m[0];
  }
}
