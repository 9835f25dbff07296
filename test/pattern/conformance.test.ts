/**
 * Every recorded AWS answer in ../shared/conformance/filter-patterns.jsonl, as a test: 100% is the bar.
 * The inferred rows (readings of the documentation, not recorded) run as a report that does not fail.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { compileFilterPattern, testMetricFilter } from "../../src/pattern/index.js";
import { readJsonLines, SHARED, sharedAvailable } from "../helpers/shared.js";

interface Row {
  id: string;
  pattern: string;
  message: string | null;
  match: boolean | null;
  extracted?: Record<string, string> | null;
  error?: { code: string; message: string | null };
  valid?: boolean;
}

function outcome(pattern: string, message: string | null) {
  try {
    const compiled = compileFilterPattern(pattern);
    if (message === null) return { compiled: true as const };
    const out = testMetricFilter({ filterPattern: pattern, logEventMessages: [message] });
    return {
      compiled: true as const,
      match: out.matches.length === 1,
      extracted: out.matches[0]?.extractedValues,
      kind: compiled.kind,
    };
  } catch (e) {
    const err = e as Error;
    return { compiled: false as const, name: err.name, message: err.message };
  }
}

const available = sharedAvailable();

describe("recorded AWS answers (filter-patterns.jsonl)", {
  skip: !available && "../shared is not beside the checkout",
}, () => {
  const rows = available ? readJsonLines<Row>(join(SHARED, "conformance", "filter-patterns.jsonl")) : [];
  test("the table is there", () => assert.ok(rows.length > 1000));
  for (const row of rows) {
    test(`${row.id}: ${row.pattern} | ${JSON.stringify(row.message)?.slice(0, 60)}`, () => {
      const got = outcome(row.pattern, row.message);
      if (row.error || row.match === null) {
        assert.equal(got.compiled, false, "AWS rejects this pattern");
        if (got.compiled) return;
        assert.equal(got.name, row.error?.code ?? "InvalidParameterException");
        if (row.error?.message) assert.equal(got.message, row.error.message);
        return;
      }
      assert.ok(got.compiled, `AWS accepts this pattern; we said: ${!got.compiled && got.message}`);
      assert.equal(got.match, row.match);
      if (row.match && row.extracted) assert.deepEqual(got.extracted, row.extracted);
    });
  }
});

describe("documented but unrecorded readings (filter-patterns.inferred.jsonl): report only", {
  skip: !available,
}, () => {
  test("disagreements are listed, not failed", (t) => {
    const rows = readJsonLines<Row>(join(SHARED, "conformance", "filter-patterns.inferred.jsonl"));
    const disagreements: string[] = [];
    for (const row of rows) {
      const got = outcome(row.pattern, row.message);
      const expectInvalid = row.valid === false || row.match === null;
      if (
        expectInvalid !== !got.compiled ||
        (got.compiled && row.match !== null && got.match !== row.match)
      ) {
        disagreements.push(
          `${row.id}: ${row.pattern} | ${JSON.stringify(row.message)?.slice(0, 80)} -> expected ${expectInvalid ? "invalid" : row.match}, got ${got.compiled ? got.match : `invalid (${got.message})`}`,
        );
      }
    }
    t.diagnostic(`${rows.length - disagreements.length} of ${rows.length} inferred rows agree`);
    for (const d of disagreements) t.diagnostic(d);
  });
});
