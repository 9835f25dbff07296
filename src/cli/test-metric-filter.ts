import { checkLogFile, iterateLogMessages, LogFileError } from "../ingest/cloudtrail-file.js";
import {
  type CompiledPattern,
  compileFilterPattern,
  type MetricFilterMatchRecord,
  testMetricFilter,
} from "../pattern/index.js";
import { CliExit, ExitCode, serviceError } from "./exit-codes.js";
import type { OutputSettings } from "./global-options.js";
import { matchFormatter } from "./output/select.js";
import { Output } from "./output/writer.js";

export interface TestMetricFilterOptions {
  filterPattern: string;
  logEventMessages?: string[];
  file?: string[];
}

/**
 * The service's rejection, rendered as the AWS CLI renders it, followed — when the pattern parser knows
 * where it went wrong — by the pattern with a caret under that place. Anything else is a bug and propagates.
 */
function asServiceError<T>(fn: () => T, pattern: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Error && err.name === "InvalidParameterException") {
      const aws = serviceError(err.name, "TestMetricFilter", err.message);
      const position = (err as { position?: unknown }).position;
      if (typeof position !== "number" || pattern.length > 200 || /[\r\n]/.test(pattern)) throw aws;
      throw new CliExit(
        aws.exitCode,
        `${aws.stderrText}\n  ${pattern}\n  ${" ".repeat(position)}^ position ${position}\n`,
      );
    }
    throw err;
  }
}

/**
 * `--log-event-messages` always goes through TestMetricFilter itself, with the API's rules (1–50 non-empty
 * messages). Files may hold millions of events, beyond the API's 50: they are matched with the compiled
 * pattern and numbered on after the command-line messages, streaming from read to output.
 */
async function* allMatches(
  options: TestMetricFilterOptions,
  counter: { events: number },
): AsyncGenerator<MetricFilterMatchRecord> {
  const { filterPattern, logEventMessages = [], file: files = [] } = options;
  // Everything that can be rejected up front is, before any output: the pattern (without waiting for a
  // large file or for stdin), the command-line messages, then the file names.
  const pattern: CompiledPattern | null =
    files.length > 0 ? asServiceError(() => compileFilterPattern(filterPattern), filterPattern) : null;
  const fromCommandLine =
    logEventMessages.length > 0
      ? asServiceError(() => testMetricFilter({ filterPattern, logEventMessages }), filterPattern)
      : null;
  for (const path of files) await checkLogFile(path);

  counter.events = logEventMessages.length;
  if (fromCommandLine) yield* fromCommandLine.matches;
  if (!pattern) return;
  for (const path of files) {
    for await (const eventMessage of iterateLogMessages(path)) {
      const eventNumber = ++counter.events;
      const m = pattern.match(eventMessage);
      if (m) yield { eventNumber, eventMessage, extractedValues: m.extractedValues };
    }
  }
}

export async function runTestMetricFilter(
  options: TestMetricFilterOptions,
  settings: OutputSettings,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const out = new Output(stdout);
  const formatter = matchFormatter(settings);
  const counter = { events: 0 };
  try {
    for await (const match of allMatches(options, counter)) await out.write(formatter.match(match));
  } catch (err) {
    if (err instanceof LogFileError) throw new CliExit(ExitCode.fileError, `trailwatch: ${err.message}\n`);
    throw err;
  }
  await out.write(formatter.end(counter.events));
}
