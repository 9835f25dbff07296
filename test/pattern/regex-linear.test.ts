import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compile } from "../../src/pattern/regex/compile.js";
import { compileRegex } from "../../src/pattern/regex/index.js";

/**
 * No input may take more than linear time. Each shape below makes a backtracking engine go
 * exponential or quadratic on a long non-matching input; here a 256 KB message must take well
 * under a second (bound generous for slow CI), and doubling the input must not quadruple the time.
 * Timings include building the DFA from cold: each measurement compiles the regex afresh.
 */

const KB = 1024;
const BUDGET_MS = 1500;

function randomAB(n: number, seed: number): string {
  let x = seed >>> 0;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(x & 0x10000 ? "a" : "b");
  }
  return out.join("");
}

/** Fastest of a few cold runs (fresh compile each time), in ms, with the answer. */
function coldTime(body: string, input: string, runs = 3): { ms: number; result: boolean } {
  let best = Number.POSITIVE_INFINITY;
  let result = false;
  for (let k = 0; k < runs; k++) {
    const re = compileRegex(body);
    const t0 = performance.now();
    result = re.test(input);
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, result };
}

const shapes: Array<{ body: string; make: (n: number) => string }> = [
  { body: "a*a*a*a*a*c", make: (n) => "a".repeat(n) },
  { body: "\\w+\\w+\\w+\\w+@", make: (n) => "a".repeat(n) },
  { body: "a{0,1000}a{0,1000}b", make: (n) => "a".repeat(n) },
  { body: ".*.*.*=.*", make: (n) => "x".repeat(n) },
  { body: "[a-z]*[a-z]*[a-z]*#", make: (n) => "a".repeat(n) },
  { body: "x+x+y", make: (n) => "x".repeat(n) },
  { body: "x+x+x+x+y|x*x*z", make: (n) => "x".repeat(n) },
  { body: "^a*a*a*$x", make: (n) => "a".repeat(n) },
  { body: "\\ba+\\b\\d", make: (n) => "a ".repeat(n / 2) },
];

describe("regex matching is linear in the input", () => {
  const timings: string[] = [];

  for (const { body, make } of shapes) {
    it(`${body} on 256 KB`, () => {
      const input = make(256 * KB);
      const { ms, result } = coldTime(body, input);
      assert.equal(result, false);
      timings.push(`${body}: ${ms.toFixed(2)} ms`);
      assert.ok(ms < BUDGET_MS, `${body} took ${ms.toFixed(0)} ms on 256 KB`);
      // Doubling: sizes large enough that the time is measurable; slack for timer noise.
      const t1 = coldTime(body, make(1024 * KB)).ms;
      const t2 = coldTime(body, make(2048 * KB)).ms;
      assert.ok(t2 < 3.5 * t1 + 10, `${body}: 1 MB ${t1.toFixed(1)} ms, 2 MB ${t2.toFixed(1)} ms`);
    });
  }

  it("reports timings", (t) => {
    t.diagnostic(timings.join("; "));
  });
});

describe("regex DFA state blow-up stays bounded", () => {
  // The DFA of [ab]*a[ab]{20} needs 2^21 states: the cache is dropped whenever it fills up and
  // the search falls back to the NFA, so time stays linear and memory bounded.
  const body = "[ab]*a[ab]{20}c";

  it("runs on 256 KB of random a/b in linear time", (t) => {
    const input = randomAB(256 * KB, 1);
    const { ms, result } = coldTime(body, input);
    assert.equal(result, false);
    t.diagnostic(`${body}: ${ms.toFixed(2)} ms on 256 KB`);
    assert.ok(ms < BUDGET_MS, `took ${ms.toFixed(0)} ms on 256 KB`);
    const t1 = coldTime(body, randomAB(512 * KB, 2)).ms;
    const t2 = coldTime(body, randomAB(1024 * KB, 3)).ms;
    assert.ok(t2 < 3.5 * t1 + 10, `512 KB ${t1.toFixed(1)} ms, 1 MB ${t2.toFixed(1)} ms`);
  });

  it("stays correct after the cache is dropped (answer at the very end of 256 KB)", () => {
    const prefix = randomAB(256 * KB, 4);
    const re = compileRegex("a[ab]{20}$");
    // Whether it matches depends only on the character 21 from the end.
    assert.equal(re.test(`${prefix}a${"b".repeat(20)}`), true);
    assert.equal(re.test(`${prefix}b${"b".repeat(20)}`), false);
    assert.equal(re.test(`${prefix}a${"b".repeat(19)}`), prefix.at(-1) === "a");
  });

  it("agrees with JS RegExp on shorter inputs, with the default and a tiny cache", () => {
    const js = /[ab]*a[ab]{20}c/;
    for (let seed = 10; seed < 30; seed++) {
      let input = randomAB(2000, seed);
      if (seed % 2 === 0) input = `${input.slice(0, 1000)}c${input.slice(1000)}`;
      const want = js.test(input);
      assert.equal(compileRegex(body).test(input), want, `seed ${seed}`);
      assert.equal(compile(body, { maxStates: 3 }).test(input), want, `seed ${seed}, tiny cache`);
    }
  });
});
