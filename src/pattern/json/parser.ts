import type { JsonCondition, JsonExpr, JsonPattern, Selector, Value } from "../ast.js";
import { INVALID_PATTERN, InvalidParameterException, invalidCharacters } from "../errors.js";
import { bareValue, regexValue, stringValue } from "../values.js";
import { type JsonToken, lexJson } from "./lexer.js";

export const MAX_REGEX_PER_PATTERN = 2;
export const MAX_WILDCARD_SELECTORS = 3;

export const TOO_MANY_REGEX =
  "Your input has exceeded the maximum of 2 regular expressions per filter pattern.";
export const TOO_MANY_WILDCARDS_IN_SELECTOR =
  "Your filter pattern has a JSON path selector that exceeds the maximum of 1 wildcard allowed per json selector.";
/** AWS documents this quota but no recorded answer gives its text; ours follows the style of the two above. */
export const TOO_MANY_WILDCARD_SELECTORS =
  "Your filter pattern has exceeded the maximum of 3 wildcard selectors allowed per filter pattern.";

class JsonParser {
  private pos = 0;
  regexCount = 0;
  wildcardSelectors = 0;

  constructor(private readonly tokens: JsonToken[]) {}

  private peek(): JsonToken {
    return this.tokens[this.pos];
  }

  private next(): JsonToken {
    return this.tokens[this.pos++];
  }

  private unexpected(t: JsonToken): never {
    throw new InvalidParameterException(INVALID_PATTERN, t.span.start);
  }

  parsePattern(): JsonExpr {
    const open = this.next();
    if (open.type !== "{") this.unexpected(open);
    const expr = this.parseOr();
    const close = this.next();
    if (close.type !== "}") this.unexpected(close);
    const end = this.next();
    if (end.type !== "eof") this.unexpected(end);
    return expr;
  }

  private parseOr(): JsonExpr {
    let left = this.parseAnd();
    while (this.peek().type === "||") {
      this.pos++;
      left = { type: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): JsonExpr {
    let left = this.parseUnary();
    while (this.peek().type === "&&") {
      this.pos++;
      left = { type: "and", left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): JsonExpr {
    const t = this.peek();
    if (t.type === "(") {
      this.pos++;
      const inner = this.parseOr();
      const close = this.next();
      if (close.type !== ")") this.unexpected(close);
      return inner;
    }
    return this.parseCondition();
  }

  private parseCondition(): JsonCondition {
    const t = this.next();
    if (t.type !== "selector") this.unexpected(t);
    if (t.wildcards > 1) throw new InvalidParameterException(TOO_MANY_WILDCARDS_IN_SELECTOR, t.span.start);
    if (t.wildcards === 1 && ++this.wildcardSelectors > MAX_WILDCARD_SELECTORS) {
      throw new InvalidParameterException(TOO_MANY_WILDCARD_SELECTORS, t.span.start);
    }
    const selector: Selector = {
      text: t.text,
      steps: t.steps,
      wildcardAt: t.steps.findIndex((s) => s.type === "wildcard"),
      span: t.span,
    };
    const opTok = this.next();
    if (opTok.type === "op") {
      const valueTok = this.next();
      const value = this.parseValue(valueTok);
      if (opTok.op !== "=" && opTok.op !== "!=") {
        // Ordering needs a number; AWS reports the offending value as an invalid term (`> "0"`).
        if (value.type !== "number") throw invalidCharacters(valueTok.text, valueTok.span.start);
      }
      return {
        type: "compare",
        selector,
        op: opTok.op,
        value,
        span: { start: t.span.start, end: valueTok.span.end },
      };
    }
    if (opTok.type === "word") {
      const kw = opTok.text.toUpperCase();
      if (kw === "IS") {
        const what = this.next();
        const w = what.type === "word" ? what.text.toUpperCase() : "";
        const span = { start: t.span.start, end: what.span.end };
        if (w === "NULL") return { type: "isNull", selector, span };
        if (w === "TRUE") return { type: "isBoolean", selector, value: true, span };
        if (w === "FALSE") return { type: "isBoolean", selector, value: false, span };
        if (what.type === "eof") this.unexpected(what);
        throw invalidCharacters(what.text, what.span.start);
      }
      if (kw === "NOT") {
        const what = this.next();
        if (what.type === "word" && what.text.toUpperCase() === "EXISTS") {
          return { type: "notExists", selector, span: { start: t.span.start, end: what.span.end } };
        }
        if (what.type === "eof") this.unexpected(what);
        throw invalidCharacters(what.text, what.span.start);
      }
    }
    return this.unexpected(opTok);
  }

  private parseValue(t: JsonToken): Value {
    switch (t.type) {
      case "string":
        return stringValue(t.value);
      case "regex":
        if (++this.regexCount > MAX_REGEX_PER_PATTERN)
          throw new InvalidParameterException(TOO_MANY_REGEX, t.span.start);
        return regexValue(t.body, t.span.start);
      case "word":
        // `= null` is rejected; a JSON null is tested with IS NULL.
        if (t.text.toLowerCase() === "null") this.unexpected(t);
        return bareValue(t.text, t.span.start);
      default:
        return this.unexpected(t);
    }
  }
}

/** Parses a JSON pattern; `from`/`to` delimit it inside `src` (surrounding blanks excluded). */
export function parseJsonPattern(
  src: string,
  from: number,
  to: number,
): { ast: JsonPattern; regexCount: number } {
  const parser = new JsonParser(lexJson(src, from, to));
  const expr = parser.parsePattern();
  return { ast: { kind: "json", expr }, regexCount: parser.regexCount };
}
