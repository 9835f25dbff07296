import type { FieldExpr, SpaceField, SpacePattern, Span, Value } from "../ast.js";
import { INVALID_PATTERN, InvalidParameterException, invalidCharacters } from "../errors.js";
import { MAX_REGEX_PER_PATTERN, TOO_MANY_REGEX } from "../json/parser.js";
import { type CommonToken, failAt, lexCommonToken } from "../lex-common.js";
import { bareValue, regexValue, stringValue } from "../values.js";

type Tok = CommonToken | { type: "[" | "]" | "," | "eof"; span: Span; text: string };

function lex(src: string, from: number, to: number): Tok[] {
  const out: Tok[] = [];
  let i = from;
  while (i < to) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    const ch = src[i];
    if (ch === "[" || ch === "]" || ch === ",") {
      out.push({ type: ch, span: { start, end: i + 1 }, text: ch });
      i++;
    } else {
      const t = lexCommonToken(src, start, to);
      if (t === null) failAt(src, start, i);
      out.push(t);
      i = t.span.end;
    }
  }
  out.push({ type: "eof", span: { start: to, end: to }, text: "" });
  return out;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function parseSpacePattern(
  src: string,
  from: number,
  to: number,
): { ast: SpacePattern; regexCount: number } {
  const toks = lex(src, from, to);
  let pos = 0;
  let regexCount = 0;
  const unexpected = (t: Tok): never => {
    throw new InvalidParameterException(INVALID_PATTERN, t.span.start);
  };
  const next = () => toks[pos++];
  const peek = () => toks[pos];

  const parseValue = (t: Tok): Value => {
    if (t.type === "string") return stringValue(t.value);
    if (t.type === "word") return bareValue(t.text, t.span.start);
    if (t.type === "regex") {
      if (++regexCount > MAX_REGEX_PER_PATTERN)
        throw new InvalidParameterException(TOO_MANY_REGEX, t.span.start);
      return regexValue(t.body, t.span.start);
    }
    return unexpected(t);
  };

  const parseCondition = (): FieldExpr => {
    const opTok = next();
    if (opTok.type !== "op") return unexpected(opTok);
    const valueTok = next();
    const value = parseValue(valueTok);
    if (opTok.op !== "=" && opTok.op !== "!=" && value.type !== "number") unexpected(valueTok);
    return { type: "cond", cond: { op: opTok.op, value } };
  };

  const checkName = (t: Tok): string => {
    if (t.type !== "word") return unexpected(t);
    if (!FIELD_NAME.test(t.text)) throw invalidCharacters(t.text, t.span.start);
    return t.text;
  };

  if (next().type !== "[") unexpected(toks[0]);
  const fields: SpaceField[] = [];
  const names = new Set<string>();
  let ellipsisAt = -1;
  if (peek().type === "]") {
    pos++;
  } else {
    for (;;) {
      const t = peek();
      const start = t.span.start;
      if (t.type === "word" && t.text === "...") {
        pos++;
        if (ellipsisAt >= 0) throw new InvalidParameterException("Duplicate field '...'", start);
        ellipsisAt = fields.length;
        fields.push({ type: "ellipsis", span: t.span });
      } else if (t.type === "," || t.type === "]") {
        fields.push({ type: "field", name: null, expr: null, span: { start, end: start } });
      } else {
        pos++;
        const name = checkName(t);
        if (names.has(name)) throw new InvalidParameterException(`Duplicate field '${name}'`, start);
        names.add(name);
        let expr: FieldExpr | null = null;
        if (peek().type === "op") {
          // && binds tighter than ||, as in JSON patterns.
          const orTerms: FieldExpr[] = [];
          let andExpr = parseCondition();
          for (;;) {
            const j = peek();
            if (j.type !== "&&" && j.type !== "||") break;
            pos++;
            const other = checkName(next());
            if (other !== name) {
              throw new InvalidParameterException(
                `Multiple variables used in a single filter. Var1 : ${name}, Var2 : ${other}`,
                start,
              );
            }
            const c = parseCondition();
            if (j.type === "&&") andExpr = { type: "and", left: andExpr, right: c };
            else {
              orTerms.push(andExpr);
              andExpr = c;
            }
          }
          expr = andExpr;
          for (let k = orTerms.length - 1; k >= 0; k--) expr = { type: "or", left: orTerms[k], right: expr };
        }
        fields.push({ type: "field", name, expr, span: { start, end: toks[pos - 1].span.end } });
      }
      const sep = next();
      if (sep.type === "]") break;
      if (sep.type !== ",") unexpected(sep);
    }
  }
  if (peek().type !== "eof") unexpected(peek());
  return { ast: { kind: "space", fields, ellipsisAt }, regexCount };
}
