import type { Command } from "commander";
import { outputSettings } from "./global-options.js";
import type { TestMetricFilterOptions } from "./test-metric-filter.js";

const TEST_METRIC_FILTER_HELP = `
Mirrors \`aws logs test-metric-filter\`: --output json prints what the AWS CLI prints.

--file reads events from (gzip is detected by content, not by name; "-" is stdin):
  - a CloudTrail file, {"Records":[...]} (.json or .json.gz): each record is one event, as compact JSON
  - any other file: one event per non-empty line (plain text, JSON lines)
File events are numbered after the --log-event-messages ones and are not limited to 50.

Exit codes: 0 done (with or without matches), 1 unreadable file, 252 usage error,
254 invalid pattern (InvalidParameterException).

Example:
  trailwatch logs test-metric-filter --filter-pattern '{ $.eventName = "ConsoleLogin" }' --file trail.json.gz
`;

/** `trailwatch logs …`: the CloudWatch Logs operations, named and shaped like `aws logs …`. */
export function registerLogsCommands(program: Command): void {
  const logs = program.command("logs").description("CloudWatch Logs operations (like `aws logs`)");

  logs
    .command("test-metric-filter")
    .description("test a filter pattern against log event messages")
    .requiredOption("--filter-pattern <pattern>", "the filter pattern ('' matches every event)")
    .option("--log-event-messages <messages...>", "log event messages to test (1 to 50)")
    .option("--file <paths...>", "read log events from files as well ('-' = stdin)")
    .addHelpText("after", TEST_METRIC_FILTER_HELP)
    .action(async (options: TestMetricFilterOptions, cmd: Command) => {
      if (!options.logEventMessages?.length && !options.file?.length) {
        cmd.error("error: one of --log-event-messages or --file is required");
      }
      // Loaded on use: --help, --version and other commands start without the pattern engine.
      const { runTestMetricFilter } = await import("./test-metric-filter.js");
      await runTestMetricFilter(options, outputSettings(cmd));
    });
}
