import { compileFilterPattern } from "./compile.js";
import { InvalidParameterException } from "./errors.js";

export interface TestMetricFilterInput {
  filterPattern: string;
  logEventMessages: readonly string[];
}

export interface MetricFilterMatchRecord {
  eventNumber: number;
  eventMessage: string;
  extractedValues: Record<string, string>;
}

export interface TestMetricFilterOutput {
  matches: MetricFilterMatchRecord[];
}

/**
 * AWS's TestMetricFilter: which of the messages the pattern matches, numbered from 1 as AWS does today
 * (the 2014 documentation numbered from 0; the recorded answers settle it).
 */
export function testMetricFilter(input: TestMetricFilterInput): TestMetricFilterOutput {
  const { filterPattern, logEventMessages } = input;
  if (typeof filterPattern !== "string") {
    throw new InvalidParameterException(
      "1 validation error detected: Value null at 'filterPattern' failed to satisfy constraint: Member must not be null",
    );
  }
  if (filterPattern.length > 1024) {
    throw new InvalidParameterException(
      "1 validation error detected: Value at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024",
    );
  }
  if (!Array.isArray(logEventMessages) || logEventMessages.length < 1 || logEventMessages.length > 50) {
    throw new InvalidParameterException(
      "1 validation error detected: Value at 'logEventMessages' failed to satisfy constraint: Member must have length less than or equal to 50 and Member must have length greater than or equal to 1",
    );
  }
  logEventMessages.forEach((m, i) => {
    if (typeof m !== "string" || m.length < 1) {
      throw new InvalidParameterException(
        `1 validation error detected: Value at 'logEventMessages.${i + 1}.member' failed to satisfy constraint: Member must have length greater than or equal to 1`,
      );
    }
  });
  const pattern = compileFilterPattern(filterPattern);
  const matches: MetricFilterMatchRecord[] = [];
  logEventMessages.forEach((eventMessage, i) => {
    const m = pattern.match(eventMessage);
    if (m) matches.push({ eventNumber: i + 1, eventMessage, extractedValues: m.extractedValues });
  });
  return { matches };
}
