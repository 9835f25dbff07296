/**
 * Bad input to the pattern language: every rejection is an InvalidParameterException with a clear message,
 * and no pattern or message (huge, deeply nested, invalid UTF-8) crashes or takes more than linear time.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compileFilterPattern, FilterSet, testMetricFilter } from "../../src/pattern/index.js";

function rejects(pattern: string, message?: string | RegExp) {
  assert.throws(
    () => compileFilterPattern(pattern),
    (e: Error) => {
      assert.equal(e.name, "InvalidParameterException");
      if (typeof message === "string") assert.equal(e.message, message);
      else if (message) assert.match(e.message, message);
      return true;
    },
  );
}

/** Wall time of `f` in milliseconds. */
function time(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

describe("invalid patterns", () => {
  test("over 1024 characters: AWS's validation message", () => {
    rejects(`ERROR ${"x".repeat(1020)}`, /Member must have length less than or equal to 1024/);
    compileFilterPattern("x".repeat(1024));
  });
  test("unbalanced braces and brackets", () => {
    rejects("{ $.a = 1", "If a filter pattern starts with '{' it must end with '}'");
    rejects("{ ($.a = 1 }", "Invalid metric filter pattern");
    rejects("{ $.a = 1) }", "Invalid metric filter pattern");
    rejects("{ (($.a = 1) }", "Invalid metric filter pattern");
    rejects("[a, b", "If a filter pattern starts with '[' it must end with ']'");
    rejects("[a, [b]]", /Invalid/);
    rejects("%abc", "If a filter pattern starts with '%' it must end with '%'");
    rejects("%", "If a filter pattern starts with '%' it must end with '%'");
    rejects('"abc', "Invalid character(s) in term '\"abc'");
  });
  test("empty structures", () => {
    rejects("{}", "Invalid metric filter pattern");
    rejects("{ }", "Invalid metric filter pattern");
    rejects("{ () }", "Invalid metric filter pattern");
    rejects("{ $.a = }", "Invalid metric filter pattern");
    rejects("{ $.a }", "Invalid metric filter pattern");
    rejects("{ $.a = 1 && }", "Invalid metric filter pattern");
  });
  test("quotas: regular expressions and wildcards", () => {
    rejects(
      "{ $.a = %1% || $.b = %2% || $.c = %3% }",
      "Your input has exceeded the maximum of 2 regular expressions per filter pattern.",
    );
    rejects(
      "[a=%1%, b=%2%, c=%3%]",
      "Your input has exceeded the maximum of 2 regular expressions per filter pattern.",
    );
    compileFilterPattern("{ $.a = %1% || $.b = %2% }");
    rejects("{ $.a[*].b[*] = 1 }", /maximum of 1 wildcard allowed per json selector/);
    rejects("{ $.a[*] = 1 || $.b[*] = 1 || $.c.* = 1 || $.d[*] = 1 }", /maximum of 3 wildcard selectors/);
  });
  test("operators and values AWS rejects", () => {
    rejects("{ $.a == 1 }", "Invalid metric filter pattern");
    rejects("{ $.a => 1 }", "Invalid metric filter pattern");
    rejects("{ $.a = 1 & $.b = 2 }", "Invalid character(s) in term '& '");
    rejects("{ $.a < b }", "Invalid character(s) in term 'b'");
    rejects("{ $.a = 1e2147483648 }", "Invalid metric filter pattern");
    rejects("{ $.a = 'Root' }", "Invalid character(s) in term '''");
    rejects("{ $.a EXISTS }", "Invalid metric filter pattern");
  });
  test("control characters and non-characters in terms", () => {
    rejects("ERROR\u0000", "Invalid character(s) in term '\u0000'");
    rejects("a;b", "Invalid character(s) in term ';'");
    rejects("😀", "Invalid character(s) in term '😀'");
  });
  test("every rejection says where it went wrong", () => {
    try {
      compileFilterPattern('{ $.eventName = "x" && $.a[-1] = 2 }');
      assert.fail("accepted");
    } catch (e) {
      assert.equal((e as { position?: number }).position, 26);
    }
  });
});

describe("hostile events", () => {
  const patterns = [
    "ERROR",
    "-ERROR",
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }',
    "{ $.a[*] = %x% }",
    "[a, ..., b = *x*]",
    "[a, b, c]",
    "%a.*b%",
  ].map((p) => compileFilterPattern(p));
  const set = new FilterSet(patterns);

  test("a 256 KB message is a clean answer, quickly", () => {
    const big = `{"userIdentity":{"type":"Root"},"a":["${"y".repeat(256 * 1024)}"]}`;
    const ms = time(() => {
      for (const p of patterns) p.match(big);
      set.matching(big);
    });
    assert.equal(patterns[2].test(big), true);
    assert.ok(ms < 2000, `${ms} ms`);
  });
  test("JSON nested 10,000 deep never crashes", () => {
    const deep = `${"[".repeat(10000)}${"]".repeat(10000)}`;
    const deepObject = `{"a":${'{"a":'.repeat(10000)}1${"}".repeat(10000)}}`;
    for (const m of [deep, deepObject, `{"x":${deep}}`]) {
      for (const p of patterns) p.match(m);
      set.matching(m);
    }
    assert.equal(compileFilterPattern("{ $.a.a.a = * }").test(deepObject), false);
    assert.equal(compileFilterPattern("{ $.a.a NOT EXISTS }").test(deepObject), false);
    // The exact (slow) path is bounded too: an integer beyond 2^53 forces it.
    const deepExact = `{"n":12345678901234567890,"a":${deep}}`;
    assert.equal(compileFilterPattern("{ $.n = 12345678901234567890 }").test(deepExact), false);
    assert.equal(
      compileFilterPattern("{ $.n = 12345678901234567890 }").test('{"n":12345678901234567890}'),
      true,
    );
  });
  test("invalid UTF-8 (decoded to U+FFFD) and lone surrogates are ordinary characters", () => {
    const decoded = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString(
      "utf8",
    );
    assert.equal(compileFilterPattern("{ $.a = * }").test(decoded), true);
    assert.equal(compileFilterPattern("%\\x41%").test("\ud800A"), true);
    assert.equal(compileFilterPattern("[a, b]").test("\udc00 \ud800"), true);
    assert.equal(compileFilterPattern("ERROR").test("\ud800ERROR"), true);
  });
  test("malformed JSON events never match a JSON pattern and never throw", () => {
    const p = compileFilterPattern("{ $.a NOT EXISTS }");
    for (const m of [
      "{",
      '{"a":1',
      '{"a":1}}',
      "{'a':1}",
      '{"a":01}',
      '{"a":NaN}',
      "[{}]",
      "null",
      '{"a":1} x',
      "",
    ]) {
      assert.equal(p.test(m === "" ? " " : m), false, m);
    }
  });
  test("TestMetricFilter's own limits: 1 to 50 messages, none empty", () => {
    assert.throws(() => testMetricFilter({ filterPattern: "x", logEventMessages: [] }), {
      name: "InvalidParameterException",
    });
    assert.throws(() => testMetricFilter({ filterPattern: "x", logEventMessages: Array(51).fill("x") }), {
      name: "InvalidParameterException",
    });
    assert.throws(
      () => testMetricFilter({ filterPattern: "x", logEventMessages: ["a", ""] }),
      /logEventMessages.2.member/,
    );
  });
});

describe("no pattern takes more than linear time", () => {
  const big = "a".repeat(256 * 1024);
  const shapes = [
    "%a*a*a*a*a*a*a*c%",
    "%\\w+\\w+\\w+\\w+#%",
    "%a{0,1000}a{0,1000}b%",
    "%.*.*.*=.*%",
    "%(?:a|a)*c%".replace("(?:a|a)", "[aa]"),
  ];
  for (const shape of shapes) {
    test(`${shape} on 256 KB`, () => {
      const p = compileFilterPattern(shape);
      const ms = time(() => assert.equal(p.test(big), false));
      assert.ok(ms < 1500, `${ms} ms`);
    });
  }
  test("the same shapes inside JSON and space-delimited patterns", () => {
    const json = compileFilterPattern("{ $.a = %a*a*a*a*a*c% }");
    const space = compileFilterPattern("[x = %a*a*a*a*a*c%]");
    const ms = time(() => {
      assert.equal(json.test(`{"a":"${big}"}`), false);
      assert.equal(space.test(big), false);
    });
    assert.ok(ms < 2000, `${ms} ms`);
  });
  test("many fields: a space-delimited pattern with ... on 64K fields", () => {
    const fields = Array.from({ length: 65536 }, (_, i) => `f${i}`).join(" ");
    const ms = time(() =>
      assert.equal(compileFilterPattern("[first, ..., last = f65535]").test(fields), true),
    );
    assert.ok(ms < 1500, `${ms} ms`);
  });
});
