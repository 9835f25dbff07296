import type { MetricFilterMatchRecord } from "../../pattern/index.js";
import type { MatchFormatter } from "./match-formatter.js";

const INDENT = "    ";

/**
 * Exactly what `aws logs test-metric-filter` prints with `--output json`: Python's json.dumps(indent=4,
 * ensure_ascii=False), which JSON.stringify(x, null, 4) reproduces, keys in the API's order. Written one
 * match at a time; JSON strings never hold a raw newline, so re-indenting line by line is safe.
 */
export function awsJsonFormatter(): MatchFormatter {
  let count = 0;
  return {
    match(m: MetricFilterMatchRecord): string {
      const record = {
        eventNumber: m.eventNumber,
        eventMessage: m.eventMessage,
        extractedValues: m.extractedValues,
      };
      const item = JSON.stringify(record, null, 4)
        .split("\n")
        .map((line) => INDENT + INDENT + line)
        .join("\n");
      return (count++ === 0 ? `{\n${INDENT}"matches": [\n` : ",\n") + item;
    },
    end(): string {
      return count === 0 ? `{\n${INDENT}"matches": []\n}\n` : `\n${INDENT}]\n}\n`;
    },
  };
}
