/**
 * Generative fuzzing of the parser: thousands of patterns built from the grammar of all four languages, and
 * mutations of them. Whatever the input, compiling either succeeds or throws InvalidParameterException with
 * a message (never another error), and a compiled pattern evaluates any message without throwing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { compileFilterPattern } from "../../src/pattern/index.js";
import { type Rng, rng } from "../helpers/random.js";

const WORDS = [
  "ERROR",
  "a",
  "Root",
  "x.y",
  "_z",
  "café",
  "한국",
  "1",
  "-1.5e3",
  "*",
  "Ev*ent",
  "null",
  "true",
  "IS",
  "NOT",
  "EXISTS",
];
const SYMBOLS = [
  ..."{}[]()%\"'$.,*?-=!<>&|:;/@#\\^+~` \t\n",
  "&&",
  "||",
  "!=",
  "<=",
  ">=",
  "...",
  "[*]",
  ".*",
  "\u0000",
  "😀",
];

function word(r: Rng) {
  return r.pick(WORDS);
}
function value(r: Rng) {
  return r.pick([
    word(r),
    `"${word(r)} ${word(r)}"`,
    `%${r.pick(["a+", "^b$", "[0-9]{2,}", "x|y", "\\d", "a++", "(", "\\x41"])}%`,
    "*",
    `${word(r)}*`,
  ]);
}
function selector(r: Rng) {
  let s = "$";
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) s += r.pick([`.${word(r)}`, `[${r.int(3)}]`, "[*]", ".*", `.['${word(r)}']`]);
  return s;
}
function jsonExpr(r: Rng, d: number): string {
  if (d > 3 || r.chance(0.4)) {
    return r.pick([
      `${selector(r)} ${r.pick(["=", "!=", "<", ">", "<=", ">="])} ${value(r)}`,
      `${selector(r)} IS ${r.pick(["NULL", "TRUE", "FALSE", "null"])}`,
      `${selector(r)} NOT EXISTS`,
    ]);
  }
  const e = `${jsonExpr(r, d + 1)} ${r.pick(["&&", "||"])} ${jsonExpr(r, d + 1)}`;
  return r.chance(0.5) ? `(${e})` : e;
}
function spacePattern(r: Rng) {
  const n = r.int(6);
  const fields: string[] = [];
  for (let i = 0; i < n; i++) {
    fields.push(
      r.pick([
        "",
        "...",
        word(r),
        `${word(r)}${r.pick(["=", "!=", ">", "<"])}${value(r)}`,
        `w=${value(r)} || w=${value(r)}`,
      ]),
    );
  }
  return `[${fields.join(r.pick([",", ", "]))}]`;
}
function termsPattern(r: Rng) {
  const n = r.int(5);
  const terms: string[] = [];
  for (let i = 0; i < n; i++)
    terms.push(`${r.pick(["", "-", "?"])}${r.chance(0.3) ? `"${word(r)} ${word(r)}"` : word(r)}`);
  return terms.join(" ");
}
function pattern(r: Rng) {
  switch (r.int(4)) {
    case 0:
      return `{ ${jsonExpr(r, 0)} }`;
    case 1:
      return spacePattern(r);
    case 2:
      return `%${r.pick(["a+b", "^[hc]at", "gra|ey", "\\d{1,3}", "a{2,1}", ""])}%`;
    default:
      return termsPattern(r);
  }
}
function mutate(r: Rng, p: string) {
  let s = p;
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) {
    const at = r.int(s.length + 1);
    switch (r.int(3)) {
      case 0:
        s = s.slice(0, at) + r.pick(SYMBOLS) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + r.int(3));
        break;
      default:
        s = s.slice(0, at) + r.pick(SYMBOLS) + s.slice(at + 1);
    }
  }
  return s;
}

const MESSAGES = [
  "ERROR a Root",
  '{"a":1,"b":[1,2],"c":{"d":null},"eventName":"x"}',
  '{"a":"x y","b":true}',
  "a b c d e",
  '"q" [b] c',
  "",
  " ",
  "{",
  "😀 한국",
];

test("the parser only ever throws InvalidParameterException (20,000 generated and mutated patterns)", () => {
  const seed = 1128;
  const r = rng(seed);
  let valid = 0;
  let invalid = 0;
  const start = performance.now();
  for (let i = 0; i < 20000; i++) {
    const base = pattern(r);
    const p = r.chance(0.5) ? mutate(r, base) : base;
    let compiled: ReturnType<typeof compileFilterPattern> | undefined;
    try {
      compiled = compileFilterPattern(p);
      valid++;
    } catch (e) {
      const err = e as Error;
      assert.equal(
        err.name,
        "InvalidParameterException",
        `seed ${seed} case ${i}: ${JSON.stringify(p)} threw ${err.stack}`,
      );
      assert.ok(err.message.length > 0);
      invalid++;
    }
    if (compiled) {
      for (const m of MESSAGES) {
        if (m.length === 0) continue;
        compiled.test(m);
        compiled.match(m);
      }
    }
  }
  // Both sides must be exercised, or the fuzzer is testing nothing.
  assert.ok(valid > 3000 && invalid > 3000, `valid ${valid}, invalid ${invalid}`);
  assert.ok(performance.now() - start < 60000);
});
