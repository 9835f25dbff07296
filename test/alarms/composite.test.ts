/** The AlarmRule language: what parses, what fails and where, precedence, evaluation, cycles and reasons. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  evaluateCompositeAlarm,
  findCycle,
  parseAlarmRule,
  type RuleNode,
  ruleChildNames,
  ruleIsTrue,
  ruleReferences,
  validateAlarmRule,
} from "../../src/alarms/composite.js";
import type { AlarmStateValue } from "../../src/store/types.js";

/** The rule as a fully parenthesized string, to make precedence visible. */
function shape(n: RuleNode): string {
  switch (n.kind) {
    case "state":
      return `${n.fn}(${n.alarm})`;
    case "constant":
      return String(n.value).toUpperCase();
    case "not":
      return `NOT ${shape(n.operand)}`;
    case "and":
    case "or":
      return `[${shape(n.left)} ${n.kind.toUpperCase()} ${shape(n.right)}]`;
    case "group":
      return `(${shape(n.inner)})`;
  }
}

function errorOf(rule: string): { name: string; message: string } {
  try {
    validateAlarmRule(rule);
  } catch (e) {
    const err = e as Error;
    return { name: err.name, message: err.message };
  }
  assert.fail(`expected ${JSON.stringify(rule)} to be rejected`);
}

const ARN = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:";

describe("valid rules", () => {
  const cases: [string, string][] = [
    ["ALARM(CPUUtilizationTooHigh)", "ALARM(CPUUtilizationTooHigh)"],
    ['ALARM("CPUUtilizationTooHigh")', "ALARM(CPUUtilizationTooHigh)"],
    ['OK("Alarm with spaces")', "OK(Alarm with spaces)"],
    [`INSUFFICIENT_DATA(${ARN}x)`, `INSUFFICIENT_DATA(${ARN}x)`],
    ["TRUE", "TRUE"],
    ["FALSE", "FALSE"],
    ["false", "FALSE"],
    [
      "ALARM(CPUUtilizationTooHigh) AND NOT ALARM(DeploymentInProgress)",
      "[ALARM(CPUUtilizationTooHigh) AND NOT ALARM(DeploymentInProgress)]",
    ],
    [
      "(ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh)",
      "[([ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)]) AND OK(NetworkOutTooHigh)]",
    ],
    ["  ALARM( a )  ", "ALARM(a)"],
    ["NOT NOT ALARM(a)", "NOT NOT ALARM(a)"],
    ["ALARM(a)AND(ALARM(b))", "[ALARM(a) AND (ALARM(b))]"],
    ["ALARM(my.alarm-name_1/x:y)", "ALARM(my.alarm-name_1/x:y)"],
  ];
  for (const [rule, expected] of cases) {
    test(JSON.stringify(rule), () => assert.equal(shape(validateAlarmRule(rule)), expected));
  }
});

describe("precedence: NOT > AND > OR, left to right", () => {
  const cases: [string, string][] = [
    ["ALARM(a) OR ALARM(b) AND ALARM(c)", "[ALARM(a) OR [ALARM(b) AND ALARM(c)]]"],
    ["ALARM(a) AND ALARM(b) OR ALARM(c)", "[[ALARM(a) AND ALARM(b)] OR ALARM(c)]"],
    ["NOT ALARM(a) AND ALARM(b)", "[NOT ALARM(a) AND ALARM(b)]"],
    ["NOT (ALARM(a) AND ALARM(b))", "NOT ([ALARM(a) AND ALARM(b)])"],
    ["ALARM(a) OR ALARM(b) OR ALARM(c)", "[[ALARM(a) OR ALARM(b)] OR ALARM(c)]"],
  ];
  for (const [rule, expected] of cases) {
    test(rule, () => assert.equal(shape(parseAlarmRule(rule)), expected));
  }

  test("the precedence changes the result", () => {
    const states: Record<string, AlarmStateValue> = { a: "ALARM", b: "OK", c: "OK" };
    // a OR (b AND c) is true; (a OR b) AND c would be false.
    assert.equal(
      ruleIsTrue(parseAlarmRule("ALARM(a) OR ALARM(b) AND ALARM(c)"), (r) => states[r]),
      true,
    );
    assert.equal(
      ruleIsTrue(parseAlarmRule("(ALARM(a) OR ALARM(b)) AND ALARM(c)"), (r) => states[r]),
      false,
    );
  });
});

describe("invalid rules: ValidationError `Error in AlarmRule [...]` with the 0-based position", () => {
  const cases: [string, string][] = [
    [
      "()",
      "Error in AlarmRule [Unsupported token ')' at char 1, must be: '(', 'NOT', TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA]",
    ],
    [
      "(ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:SampleQueue Oldest Age Alarm) OR ALARM(b))",
      "Error in AlarmRule [Unsupported token 'Oldest' at char 67, must be: ')']",
    ],
    [
      "ALARM(a) AND",
      "Error in AlarmRule [Unexpected end of rule at char 12, must be: '(', 'NOT', TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA]",
    ],
    [
      "ALARM(a) ALARM(b)",
      "Error in AlarmRule [Unsupported token 'ALARM' at char 9, must be: 'AND', 'OR' or the end of the rule]",
    ],
    [
      "alarm(a)",
      "Error in AlarmRule [Unsupported token 'alarm' at char 0, must be: '(', 'NOT', TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA]",
    ],
    ["ALARM a", "Error in AlarmRule [Unsupported token 'a' at char 6, must be: '(']"],
    ["ALARM()", "Error in AlarmRule [Unsupported token ')' at char 6, must be: an alarm name or ARN]"],
    ['ALARM("")', "Error in AlarmRule [Unsupported token '\"' at char 6, must be: an alarm name or ARN]"],
    ['ALARM("a)', "Error in AlarmRule [Unterminated quoted alarm name at char 6]"],
    ["(ALARM(a)", "Error in AlarmRule [Unexpected end of rule at char 9, must be: 'AND', 'OR' or ')']"],
    [
      "ALARM(a) AND OR ALARM(b)",
      "Error in AlarmRule [Unsupported token 'OR' at char 13, must be: '(', 'NOT', TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA]",
    ],
    [
      "ALARM(a) and ALARM(b)",
      "Error in AlarmRule [Unsupported token 'and' at char 9, must be: 'AND', 'OR' or the end of the rule]",
    ],
    [
      "ALARMS(a)",
      "Error in AlarmRule [Unsupported token 'ALARMS' at char 0, must be: '(', 'NOT', TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA]",
    ],
  ];
  for (const [rule, message] of cases) {
    test(JSON.stringify(rule), () => assert.deepEqual(errorOf(rule), { name: "ValidationError", message }));
  }

  test("empty and over-long rules fail the length constraint", () => {
    assert.deepEqual(errorOf(""), {
      name: "ValidationError",
      message:
        "1 validation error detected: Value '' at 'alarmRule' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
    const long = `ALARM(${"a".repeat(10240)})`;
    assert.match(errorOf(long).message, /Member must have length less than or equal to 10240$/);
  });

  test("at most 100 children", () => {
    const rule = (n: number) => Array.from({ length: n }, (_, i) => `ALARM(a${i})`).join(" OR ");
    assert.equal(ruleChildNames(validateAlarmRule(rule(100))).length, 100);
    assert.deepEqual(errorOf(rule(101)), {
      name: "ValidationError",
      message: "Error in AlarmRule [The rule references 101 alarms, more than the maximum of 100]",
    });
  });

  test("at most 500 elements (functions, constants and parentheses)", () => {
    const ok = Array.from({ length: 500 }, () => "TRUE").join(" OR ");
    validateAlarmRule(ok);
    assert.deepEqual(errorOf(`(${ok})`), {
      name: "ValidationError",
      message: "Error in AlarmRule [The rule has 501 elements, more than the maximum of 500]",
    });
  });

  test("deep nesting is an error, not a crash", () => {
    const deep = `${"(".repeat(3000)}TRUE${")".repeat(3000)}`;
    assert.match(errorOf(deep).message, /^Error in AlarmRule \[Rule nested too deeply at char \d+\]$/);
  });
});

describe("children", () => {
  test("references as written, once each; names with ARNs reduced", () => {
    const rule = parseAlarmRule(
      `ALARM(a) OR OK("b") OR ALARM(${ARN}c) OR INSUFFICIENT_DATA(a) OR ALARM(${ARN}a)`,
    );
    assert.deepEqual(ruleReferences(rule), ["a", "b", `${ARN}c`, `${ARN}a`]);
    assert.deepEqual(ruleChildNames(rule), ["a", "b", "c"]);
  });
});

describe("evaluation", () => {
  const cases: [string, Record<string, AlarmStateValue>, boolean][] = [
    ["ALARM(a)", { a: "ALARM" }, true],
    ["ALARM(a)", { a: "OK" }, false],
    ["OK(a)", { a: "OK" }, true],
    ["INSUFFICIENT_DATA(a)", { a: "INSUFFICIENT_DATA" }, true],
    ["INSUFFICIENT_DATA(a)", { a: "ALARM" }, false],
    ["ALARM(a) AND NOT ALARM(b)", { a: "ALARM", b: "OK" }, true],
    ["ALARM(a) AND NOT ALARM(b)", { a: "ALARM", b: "ALARM" }, false],
    ["TRUE AND FALSE", {}, false],
    ["TRUE OR FALSE", {}, true],
    ["ALARM(gone)", {}, false],
    ["NOT ALARM(gone)", {}, true],
    [`ALARM(${ARN}a)`, { [`${ARN}a`]: "ALARM" }, true],
  ];
  for (const [rule, states, expected] of cases) {
    test(`${rule} with ${JSON.stringify(states)} is ${expected}`, () =>
      assert.equal(
        ruleIsTrue(parseAlarmRule(rule), (r) => states[r]),
        expected,
      ));
  }
});

describe("composite state, reason and reason data", () => {
  const server = { arn: `${ARN}ServerCpuTooHigh`, timestamp: Date.parse("2022-07-14T16:28:54.191Z") };
  const network = {
    arn: `${ARN}TotalNetworkTrafficTooHigh`,
    timestamp: Date.parse("2022-07-14T16:28:57.770Z"),
  };
  const rule = parseAlarmRule("ALARM(ServerCpuTooHigh) OR ALARM(TotalNetworkTrafficTooHigh)");

  test("first evaluation: `<own ARN> was created and its alarm rule evaluates to OK`, every child, newest first", () => {
    const r = evaluateCompositeAlarm({
      alarmArn: `${ARN}ServiceAggregatedAlarm`,
      rule,
      child: (ref) =>
        ref === "ServerCpuTooHigh"
          ? { ...server, stateValue: "OK" }
          : ref === "TotalNetworkTrafficTooHigh"
            ? { ...network, stateValue: "OK" }
            : undefined,
      previous: { stateValue: "INSUFFICIENT_DATA", stateReason: "Unchecked: Initial alarm creation" },
    });
    assert.equal(r.stateValue, "OK");
    assert.equal(r.changed, true);
    assert.equal(
      r.stateReason,
      `${ARN}ServiceAggregatedAlarm was created and its alarm rule evaluates to OK`,
    );
    assert.equal(
      r.stateReasonData,
      '{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:TotalNetworkTrafficTooHigh","state":{"value":"OK","timestamp":"2022-07-14T16:28:57.770+0000"}},{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh","state":{"value":"OK","timestamp":"2022-07-14T16:28:54.191+0000"}}]}',
    );
  });

  test("a child's transition: `<child ARN> transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC`", () => {
    const fired = Date.parse("2022-07-22T15:57:45.394Z");
    const r = evaluateCompositeAlarm({
      alarmArn: `${ARN}ServiceAggregatedAlarm`,
      rule,
      child: (ref) =>
        ref === "ServerCpuTooHigh"
          ? { arn: server.arn, stateValue: "ALARM", timestamp: fired }
          : { ...network, stateValue: "OK" },
      previous: { stateValue: "OK", stateReason: "..." },
    });
    assert.equal(r.stateValue, "ALARM");
    assert.equal(
      r.stateReason,
      `${ARN}ServerCpuTooHigh transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC`,
    );
    assert.equal(
      r.stateReasonData,
      '{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh","state":{"value":"ALARM","timestamp":"2022-07-22T15:57:45.394+0000"}}]}',
    );
  });

  test("the trigger named by the caller wins over the newest change", () => {
    const r = evaluateCompositeAlarm({
      alarmArn: `${ARN}c`,
      rule,
      child: (ref) =>
        ref === "ServerCpuTooHigh" ? { ...server, stateValue: "OK" } : { ...network, stateValue: "OK" },
      previous: { stateValue: "ALARM", stateReason: "..." },
      trigger: "ServerCpuTooHigh",
    });
    assert.equal(r.stateValue, "OK");
    assert.equal(
      r.stateReason,
      `${ARN}ServerCpuTooHigh transitioned to OK at Thursday 14 July, 2022 16:28:54 UTC`,
    );
  });

  test("an unchanged state is not a change", () => {
    const r = evaluateCompositeAlarm({
      alarmArn: `${ARN}c`,
      rule: parseAlarmRule("FALSE"),
      child: () => undefined,
      previous: { stateValue: "OK", stateReason: "..." },
    });
    assert.equal(r.stateValue, "OK");
    assert.equal(r.changed, false);
    assert.equal(r.stateReasonData, '{"triggeringAlarms":[]}');
  });
});

describe("cycles", () => {
  const graph: Record<string, string[]> = { a: ["b", "m1"], b: ["c"], c: ["a"], d: ["m1", "m2"], e: ["e"] };
  const childrenOf = (n: string) => graph[n];

  test("a cycle through three composites is found with its path", () => {
    assert.deepEqual(findCycle("a", childrenOf), ["a", "b", "c", "a"]);
    assert.deepEqual(findCycle("b", childrenOf), ["b", "c", "a", "b"]);
  });

  test("a composite over metric alarms only has none", () => {
    assert.equal(findCycle("d", childrenOf), undefined);
    assert.equal(findCycle("m1", childrenOf), undefined);
  });

  test("a composite referencing itself is a cycle", () => {
    assert.deepEqual(findCycle("e", childrenOf), ["e", "e"]);
  });

  test("a diamond is not a cycle", () => {
    const diamond: Record<string, string[]> = { top: ["l", "r"], l: ["bottom"], r: ["bottom"], bottom: [] };
    assert.equal(
      findCycle("top", (n) => diamond[n]),
      undefined,
    );
  });
});
