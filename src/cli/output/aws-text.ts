import type { MetricFilterMatchRecord } from "../../pattern/index.js";
import type { MatchFormatter } from "./match-formatter.js";

/**
 * The AWS CLI's `--output text` for this response (awscli/text.py): per match, a `MATCHES` row of its
 * scalar fields in key order (eventMessage, eventNumber), then, when there are extracted values, one
 * `EXTRACTEDVALUES` row of the values ordered by their names — the AWS CLI prints values, not names.
 * Fields are tab-separated and printed raw; no matches print nothing.
 */
export function awsTextFormatter(): MatchFormatter {
  return {
    match(m: MetricFilterMatchRecord): string {
      let out = `MATCHES\t${m.eventMessage}\t${m.eventNumber}\n`;
      const names = Object.keys(m.extractedValues).sort();
      if (names.length > 0) out += `EXTRACTEDVALUES\t${names.map((n) => m.extractedValues[n]).join("\t")}\n`;
      return out;
    },
    end(): string {
      return "";
    },
  };
}
