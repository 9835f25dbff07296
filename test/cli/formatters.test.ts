import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { awsJsonFormatter } from "../../src/cli/output/aws-json.js";
import { awsTextFormatter } from "../../src/cli/output/aws-text.js";
import type { MatchFormatter } from "../../src/cli/output/match-formatter.js";
import type { MetricFilterMatchRecord } from "../../src/pattern/index.js";

function render(formatter: MatchFormatter, matches: MetricFilterMatchRecord[], events: number): string {
  return matches.map((m) => formatter.match(m)).join("") + formatter.end(events);
}

const MATCHES: MetricFilterMatchRecord[] = [
  {
    eventNumber: 1,
    eventMessage: 'quote " backslash \\ tab \t nl \n ctl \u0001 é ✓ 😀',
    extractedValues: {},
  },
  { eventNumber: 7, eventMessage: "a b", extractedValues: { $2: "b", $1: "a" } },
  { eventNumber: 9, eventMessage: "x", extractedValues: {} },
];

describe("AWS CLI JSON output", () => {
  // Streaming must give the very text of json.dumps(indent=4), which JSON.stringify(…, 4) reproduces.
  for (const n of [0, 1, 2, 3]) {
    test(`${n} match(es): same text as JSON.stringify(response, null, 4)`, () => {
      const matches = MATCHES.slice(0, n);
      assert.equal(render(awsJsonFormatter(), matches, 10), `${JSON.stringify({ matches }, null, 4)}\n`);
    });
  }

  test("keys in the API's order whatever order the record has", () => {
    const out = awsJsonFormatter().match({ extractedValues: {}, eventMessage: "m", eventNumber: 1 } as never);
    assert.ok(out.indexOf("eventNumber") < out.indexOf("eventMessage"));
    assert.ok(out.indexOf("eventMessage") < out.indexOf("extractedValues"));
  });
});

describe("AWS CLI text output", () => {
  test("MATCHES rows, EXTRACTEDVALUES only when there are values, ordered by name", () => {
    assert.equal(
      render(awsTextFormatter(), MATCHES.slice(1), 10),
      "MATCHES\ta b\t7\nEXTRACTEDVALUES\ta\tb\nMATCHES\tx\t9\n",
    );
  });

  test("no matches print nothing", () => {
    assert.equal(render(awsTextFormatter(), [], 3), "");
  });
});
