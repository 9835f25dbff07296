/**
 * The seed document's three metric-filter patterns over real CloudTrail records, with expectations checked
 * by hand against the records (line numbers of fixtures/cloudtrail/records.jsonl), including the traps.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compileFilterPattern, FilterSet } from "../../src/pattern/index.js";
import { editedRecord, recordLine, recordLines } from "../helpers/records.js";

const ROOT_USAGE =
  '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';
const API_WITHOUT_MFA = '{ $.userIdentity.sessionContext.attributes.mfaAuthenticated != "true" }';
const CONSOLE_WITHOUT_MFA = '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "No" }';

const root = compileFilterPattern(ROOT_USAGE);
const api = compileFilterPattern(API_WITHOUT_MFA);
const consoleLogin = compileFilterPattern(CONSOLE_WITHOUT_MFA);

describe("root account usage", () => {
  test("a root console sign-in (line 419) matches", () => assert.equal(root.test(recordLine(419)), true));
  test("a root call made through the console, with invokedBy (line 761), does not", () =>
    assert.equal(root.test(recordLine(761)), false));
  test("`!=` on a missing eventType is false: an old root record without eventType does not match", () =>
    assert.equal(root.test(editedRecord(419, (r) => delete r.eventType)), false));
  test("an AwsServiceEvent does not match", () =>
    assert.equal(root.test(editedRecord(419, (r) => (r.eventType = "AwsServiceEvent"))), false));
  test("an IAM user's call does not match", () =>
    assert.equal(root.test(editedRecord(419, (r) => (r.userIdentity.type = "IAMUser"))), false));
});

describe("API activity without MFA", () => {
  test('mfaAuthenticated "false" (line 3) matches', () => assert.equal(api.test(recordLine(3)), true));
  test('mfaAuthenticated "true" (line 761) does not', () => assert.equal(api.test(recordLine(761)), false));
  test("`!=` on a missing field is false: an IAM user's long-term-key call without sessionContext (line 31)", () =>
    assert.equal(api.test(recordLine(31)), false));
  test("a console sign-in carries no sessionContext (line 419)", () =>
    assert.equal(api.test(recordLine(419)), false));
  test('a boolean true never satisfies `!=` (not even `!= "true"`)', () =>
    assert.equal(
      api.test(editedRecord(761, (r) => (r.userIdentity.sessionContext.attributes.mfaAuthenticated = true))),
      false,
      "booleans never satisfy `!=` either",
    ));
});

describe("console sign-in without MFA", () => {
  test('MFAUsed "No" (line 419) matches', () => assert.equal(consoleLogin.test(recordLine(419)), true));
  test('MFAUsed "YES" in capitals (line 420) does not: values are case-sensitive', () =>
    assert.equal(consoleLogin.test(recordLine(420)), false));
  test('MFAUsed "Yes" (line 415) does not', () => assert.equal(consoleLogin.test(recordLine(415)), false));
  test("a sign-in record without additionalEventData (line 496) does not", () =>
    assert.equal(consoleLogin.test(recordLine(496)), false));
  test('the CIS variant `!= "Yes"` does count "YES" (line 420)', () =>
    assert.equal(
      compileFilterPattern(
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
      ).test(recordLine(420)),
      true,
    ));
});

/** The rules of the three patterns written out by hand, as an independent oracle for the whole file. */
function oracle(r: any): [boolean, boolean, boolean] {
  const ui = r.userIdentity;
  const isObj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  const rootHit =
    isObj(ui) &&
    ui.type === "Root" &&
    !Object.hasOwn(ui, "invokedBy") &&
    typeof r.eventType === "string" &&
    r.eventType !== "AwsServiceEvent";
  const mfa =
    isObj(ui) && isObj(ui.sessionContext) && isObj(ui.sessionContext.attributes)
      ? ui.sessionContext.attributes.mfaAuthenticated
      : undefined;
  const apiHit = typeof mfa === "string" && mfa !== "true";
  const consoleHit =
    r.eventName === "ConsoleLogin" && isObj(r.additionalEventData) && r.additionalEventData.MFAUsed === "No";
  return [rootHit, apiHit, consoleHit];
}

test("over all 896 real records the compiled patterns, one by one and as a set, agree with the hand-written rules", (t) => {
  const set = new FilterSet([root, api, consoleLogin]);
  const counts = [0, 0, 0];
  for (const line of recordLines()) {
    const expected = oracle(JSON.parse(line));
    const single = [root.test(line), api.test(line), consoleLogin.test(line)];
    assert.deepEqual(single, expected, line.slice(0, 200));
    const fromSet = set.matching(line);
    assert.deepEqual(
      fromSet,
      [0, 1, 2].filter((i) => expected[i]),
      line.slice(0, 200),
    );
    expected.forEach((hit, i) => {
      if (hit) counts[i]++;
    });
  }
  t.diagnostic(`matches: root ${counts[0]}, api-without-mfa ${counts[1]}, console-without-mfa ${counts[2]}`);
  assert.ok(counts.every((c) => c > 0));
});
