/**
 * The compiled fast path (literal prefilter, JSON.parse, FilterSet's shared parse) checked against the
 * interpreter (the AST evaluated on an exact parse of every event, no prefilter) on generated patterns and
 * events built to hit the corners: `\u` escapes, numbers JSON.parse rounds, missing fields, wildcards.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonPattern } from "../../src/pattern/ast.js";
import { type CompiledPatternWithAst, compileFilterPattern } from "../../src/pattern/compile.js";
import { FilterSet } from "../../src/pattern/index.js";
import { evaluateJsonExpr } from "../../src/pattern/json/evaluate.js";
import { parseExactJson } from "../../src/pattern/json/exact-json.js";
import { type Rng, rng } from "../helpers/random.js";

const KEYS = ["a", "b", "type", "eventName", "mfa"];
const STRINGS = [
  "Root",
  "true",
  "No",
  "1",
  "1.0",
  "ConsoleLogin",
  "x y",
  "Ev*ent",
  "",
  "AccessDenied",
  "abcUnauthorizedOperation",
];
const NUMBERS = [
  "1",
  "1.0",
  "1e0",
  "-0.0",
  "0",
  "2",
  "9007199254740993",
  "9007199254740992",
  "1e309",
  "12.5",
  "1e-999",
];

/** JSON text, sometimes spaced, sometimes with `\u` escapes in keys or strings (which prefilters must not trust). */
function jsonText(r: Rng, depth: number): string {
  const kind = depth > 2 ? r.int(4) : r.int(7);
  switch (kind) {
    case 0:
      return str(r, r.pick(STRINGS));
    case 1:
      return r.pick(NUMBERS);
    case 2:
      return r.pick(["true", "false", "null"]);
    case 3:
      return str(r, r.pick(STRINGS));
    case 4:
    case 5: {
      const n = r.int(4);
      const parts: string[] = [];
      for (let i = 0; i < n; i++)
        parts.push(`${str(r, r.pick(KEYS))}${r.chance(0.2) ? " : " : ":"}${jsonText(r, depth + 1)}`);
      return `{${parts.join(r.chance(0.2) ? ", " : ",")}}`;
    }
    default: {
      const n = r.int(3);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(jsonText(r, depth + 1));
      return `[${parts.join(",")}]`;
    }
  }
}

function str(r: Rng, s: string): string {
  if (s.length > 0 && r.chance(0.08)) {
    const i = r.int(s.length);
    return `"${s.slice(0, i)}\\u${s.charCodeAt(i).toString(16).padStart(4, "0")}${s.slice(i + 1)}"`;
  }
  return JSON.stringify(s);
}

function event(r: Rng): string {
  const n = 1 + r.int(4);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`${str(r, r.pick(KEYS))}:${jsonText(r, 1)}`);
  return `{${parts.join(",")}}`;
}

function selector(r: Rng): string {
  let s = `$.${r.pick(KEYS)}`;
  const n = r.int(3);
  let wildcard = false;
  for (let i = 0; i < n; i++) {
    const k = r.int(4);
    if (k === 0) s += `.${r.pick(KEYS)}`;
    else if (k === 1) s += `[${r.int(2)}]`;
    else if (!wildcard) {
      wildcard = true;
      s += r.pick(["[*]", ".*"]);
    }
  }
  return s;
}

function value(r: Rng): string {
  switch (r.int(6)) {
    case 0:
      return JSON.stringify(r.pick(STRINGS)).replace(/^""$/, '"*"');
    case 1:
      return r.pick([
        "Root",
        "true",
        "No",
        "ConsoleLogin",
        "AccessDenied*",
        "*UnauthorizedOperation",
        "*",
        "Ev*ent",
      ]);
    case 2:
      return r.pick(["1", "1.0", "-0.0", "9007199254740993", "2", "12.5", "1e-999"]);
    case 3:
      return r.pick(["%Ro%", "%^1%", "%rue$%", "%\\d%"]);
    case 4:
      return r.pick(['"*ccess*"', '"Roo*"', '"*ot"']);
    default:
      return r.pick(["Root", "No"]);
  }
}

function condition(r: Rng): string {
  const sel = selector(r);
  switch (r.int(8)) {
    case 0:
      return `${sel} IS NULL`;
    case 1:
      return `${sel} NOT EXISTS`;
    case 2:
      return `${sel} IS ${r.pick(["TRUE", "FALSE"])}`;
    case 3:
      return `${sel} ${r.pick(["<", "<=", ">", ">="])} ${r.pick(["1", "0", "2", "9007199254740992", "-1"])}`;
    case 4:
    case 5:
      return `${sel} != ${value(r)}`;
    default:
      return `${sel} = ${value(r)}`;
  }
}

function expr(r: Rng, depth: number, regexes: { n: number }): string {
  if (depth > 2 || r.chance(0.4)) {
    let c = condition(r);
    if (c.includes("%")) {
      if (regexes.n >= 2) c = c.replace(/%[^%]*%/, "Root");
      else regexes.n++;
    }
    return c;
  }
  const l = expr(r, depth + 1, regexes);
  const rr = expr(r, depth + 1, regexes);
  const e = `${l} ${r.pick(["&&", "||"])} ${rr}`;
  return r.chance(0.5) ? `(${e})` : e;
}

/** Generated patterns may exceed AWS's quotas (3 wildcard selectors): those are skipped. */
function tryCompile(source: string): CompiledPatternWithAst | null {
  try {
    return compileFilterPattern(source);
  } catch (e) {
    if ((e as Error).name === "InvalidParameterException") return null;
    throw e;
  }
}

function interpret(p: CompiledPatternWithAst, message: string): boolean {
  const exact = parseExactJson(message);
  if (typeof exact !== "object" || exact === null || Array.isArray(exact)) return false;
  return evaluateJsonExpr((p.ast as JsonPattern).expr, exact);
}

test("compiled JSON patterns (with prefilters) agree with the interpreter on 3,000 patterns x 40 events", () => {
  const seed = 20261128;
  const r = rng(seed);
  let matched = 0;
  let checked = 0;
  for (let i = 0; i < 3000; i++) {
    const source = `{ ${expr(r, 0, { n: 0 })} }`;
    const p = tryCompile(source);
    if (p === null) continue;
    for (let j = 0; j < 40; j++) {
      const m = event(r);
      const want = interpret(p, m);
      assert.equal(p.test(m), want, `seed ${seed}, pattern ${source}, event ${m}`);
      if (want) matched++;
      checked++;
    }
  }
  // A generator that never matches would prove nothing.
  assert.ok(matched > checked * 0.05, `only ${matched} of ${checked} matched`);
});

test("a FilterSet gives the same answers as its patterns one by one", () => {
  const r = rng(7);
  for (let round = 0; round < 200; round++) {
    const sources = Array.from({ length: 1 + r.int(8) }, () =>
      r.chance(0.8)
        ? `{ ${expr(r, 0, { n: 0 })} }`
        : r.pick(["Root", "-true", '"x y"', "[a, b]", "%Ro+t%", ""]),
    );
    const patterns = sources.map(tryCompile).filter((p) => p !== null);
    const set = new FilterSet(patterns);
    for (let j = 0; j < 30; j++) {
      const m = r.chance(0.9) ? event(r) : "Root true x y";
      const want = patterns.flatMap((p, i) => (p.test(m) ? [i] : []));
      assert.deepEqual(set.matching(m), want, `patterns ${JSON.stringify(sources)}, event ${m}`);
    }
  }
});
