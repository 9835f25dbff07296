import type { Command } from "commander";
import { timestampOption } from "./aws-args.js";
import { dataDirOption } from "./cloudwatch.js";
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

const DATA_DIR_HELP = `
Works on the store in --data-dir (default trailwatch-data, or TRAILWATCH_DATA_DIR). --output json (the
default when stdout is not a terminal) prints what the AWS CLI prints; --output table is for people.

Exit codes: 0 done, 1 no store in --data-dir, 252 usage error, 254 the service rejected the request.`;

const BACKFILL_HELP = `
A metric filter publishes datapoints only for the events ingested after it exists (as on AWS). This
applies one filter to the log events already stored in the data directory (\`serve\` stores every event
it ingests). Only the events ingested before the filter was created are counted: the others were counted
when they arrived. Events are read in pages, each committed with a checkpoint: an interrupted backfill,
run again, resumes where it stopped (give it the same --start-time/--end-time). A completed backfill is
not run again unless --restart is given, which adds its datapoints again.

Alarms are not re-evaluated for the past: backfilled datapoints are visible to get-metric-statistics and
to the alarm windows that still include them. A \`serve\` running on the same data directory reads them
from the store at once, but its alarms see them only after a restart.

Example:
  trailwatch logs backfill-metric-filter --log-group-name CloudTrail/DefaultLogGroup \\
    --filter-name RootAccountUsage --start-time 2024-01-01T00:00:00Z
${DATA_DIR_HELP}`;

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

  logs
    .command("describe-metric-filters")
    .description("list metric filters, optionally of one log group, by name prefix or by metric")
    .option("--log-group-name <name>", "only this log group's filters")
    .option("--filter-name-prefix <prefix>", "filters whose name starts with this (with --log-group-name)")
    .option("--metric-name <name>", "filters publishing this metric (with --metric-namespace)")
    .option("--metric-namespace <namespace>", "filters publishing to this namespace (with --metric-name)")
    .addOption(dataDirOption())
    .addHelpText("after", `\nMirrors \`aws logs describe-metric-filters\`.\n${DATA_DIR_HELP}`)
    .action(async (options, cmd: Command) => {
      const { runDescribeMetricFilters } = await import("./logs-run.js");
      await runDescribeMetricFilters(options, outputSettings(cmd));
    });

  logs
    .command("backfill-metric-filter")
    .description("apply a metric filter to the stored events ingested before it existed (trailwatch's own)")
    .requiredOption("--log-group-name <name>", "the filter's log group")
    .requiredOption("--filter-name <name>", "the metric filter")
    .option(
      "--start-time <time>",
      "only events from this time on, inclusive: ISO-8601 or epoch seconds",
      timestampOption,
    )
    .option("--end-time <time>", "only events before this time: ISO-8601 or epoch seconds", timestampOption)
    .option("--restart", "backfill again a filter whose backfill completed (counts its events again)")
    .addOption(dataDirOption())
    .addHelpText("after", BACKFILL_HELP)
    .action(async (options, cmd: Command) => {
      const { runBackfillMetricFilter } = await import("./logs-run.js");
      await runBackfillMetricFilter(options, outputSettings(cmd));
    });
}
