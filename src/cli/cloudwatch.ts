import { type Command, Option } from "commander";
import { collect, dimensionsOption, integerOption, timestampOption } from "./aws-args.js";
import { outputSettings } from "./global-options.js";

/** --data-dir, as `serve` has it: the verbs read and write the store of that data directory. */
export function dataDirOption(): Option {
  return new Option("--data-dir <dir>", "the data directory of `trailwatch serve` / `replay --data-dir`")
    .env("TRAILWATCH_DATA_DIR")
    .default("trailwatch-data");
}

const COMMON_HELP = `
Mirrors \`aws cloudwatch\`: same verbs and options, over the store in --data-dir (default trailwatch-data,
or TRAILWATCH_DATA_DIR). --output json (the default when stdout is not a terminal) prints what the AWS CLI
prints; --output table is for people; --output text is the AWS CLI's text format.

Exit codes: 0 done, 1 no store in --data-dir, 252 usage error, 254 the service rejected the request
(e.g. ValidationError, ResourceNotFound), printed as the AWS CLI prints it.`;

const PAGINATION_HELP = `
Like the AWS CLI, every page is fetched and printed as one response unless --max-records or --next-token
is given: then one page is printed, with the NextToken of the next one.`;

const WRITE_HELP = `
This changes the data directory. A \`trailwatch serve\` running on the same directory keeps its alarms in
memory: it does not see the change until it restarts, and its own next write of the alarm (an evaluation,
a state change) replaces it: stop serve first, and start it again afterwards.`;

const TIMESTAMP_HELP = "ISO-8601 (2020-10-30T23:00:00Z; UTC when no offset is given) or epoch seconds";

/** `trailwatch cloudwatch …`: the CloudWatch operations, named and shaped like `aws cloudwatch …`. */
export function registerCloudWatchCommands(program: Command): void {
  const cw = program
    .command("cloudwatch")
    .description("CloudWatch alarm and metric operations on a data directory (like `aws cloudwatch`)");

  cw.command("describe-alarms")
    .description("describe alarms, optionally filtered by name, prefix, state or action")
    .option("--alarm-names <names...>", "the alarms to describe (1 to 100 names)", collect)
    .option("--alarm-name-prefix <prefix>", "alarms whose name starts with this")
    .option("--alarm-types <types...>", "MetricAlarm and/or CompositeAlarm (default: MetricAlarm)", collect)
    .option("--children-of-alarm-name <name>", "the alarms a composite alarm's rule references")
    .option("--parents-of-alarm-name <name>", "the composite alarms whose rule references this alarm")
    .option("--state-value <state>", "OK, ALARM or INSUFFICIENT_DATA")
    .option("--action-prefix <prefix>", "alarms with an action starting with this")
    .option("--max-records <n>", "at most this many alarms (1 to 100); one page only", integerOption)
    .option("--next-token <token>", "the page after a previous --max-records call")
    .addOption(dataDirOption())
    .addHelpText("after", `${PAGINATION_HELP}\n${COMMON_HELP}`)
    .action(async (options, cmd: Command) => {
      const { runDescribeAlarms } = await import("./cloudwatch-run.js");
      await runDescribeAlarms(options, outputSettings(cmd));
    });

  cw.command("describe-alarm-history")
    .description("alarm history: configuration updates, state updates and actions, newest first")
    .option("--alarm-name <name>", "the alarm (default: all)")
    .option("--alarm-types <types...>", "MetricAlarm and/or CompositeAlarm (default: MetricAlarm)", collect)
    .option("--history-item-type <type>", "ConfigurationUpdate, StateUpdate or Action")
    .option("--start-date <time>", `from this time, inclusive: ${TIMESTAMP_HELP}`, timestampOption)
    .option("--end-date <time>", `up to this time, inclusive: ${TIMESTAMP_HELP}`, timestampOption)
    .option("--max-records <n>", "at most this many items (1 to 100); one page only", integerOption)
    .option("--next-token <token>", "the page after a previous --max-records call")
    .option("--scan-by <order>", "TimestampDescending (default) or TimestampAscending")
    .addOption(dataDirOption())
    .addHelpText("after", `${PAGINATION_HELP}\n${COMMON_HELP}`)
    .action(async (options, cmd: Command) => {
      const { runDescribeAlarmHistory } = await import("./cloudwatch-run.js");
      await runDescribeAlarmHistory(options, outputSettings(cmd));
    });

  cw.command("get-metric-statistics")
    .description("statistics of one metric per period")
    .requiredOption("--namespace <namespace>", "the metric's namespace, e.g. CloudTrailMetrics")
    .requiredOption("--metric-name <name>", "the metric's name")
    .option(
      "--dimensions <dimensions...>",
      "the metric's dimensions, all of them: Name=x,Value=y ... (or JSON)",
      dimensionsOption(true),
    )
    .requiredOption("--start-time <time>", `first period, inclusive: ${TIMESTAMP_HELP}`, timestampOption)
    .requiredOption(
      "--end-time <time>",
      `end of the last period, exclusive: ${TIMESTAMP_HELP}`,
      timestampOption,
    )
    .requiredOption("--period <seconds>", "1, 5, 10, 20, 30 or a multiple of 60", integerOption)
    .option("--statistics <statistics...>", "SampleCount, Average, Sum, Minimum, Maximum", collect)
    .option(
      "--extended-statistics <statistics...>",
      "percentiles such as p99 (instead of --statistics)",
      collect,
    )
    .option("--unit <unit>", "only data published with this unit")
    .addOption(dataDirOption())
    .addHelpText(
      "after",
      `
Example:
  trailwatch cloudwatch get-metric-statistics --namespace CloudTrailMetrics \\
    --metric-name RootAccountUsageCount --statistics Sum --period 300 \\
    --start-time 2020-10-30T23:00:00Z --end-time 2020-11-02T00:00:00Z
${COMMON_HELP}`,
    )
    .action(async (options, cmd: Command) => {
      const { runGetMetricStatistics } = await import("./cloudwatch-run.js");
      await runGetMetricStatistics(options, outputSettings(cmd));
    });

  cw.command("list-metrics")
    .description("the metrics that have data, filtered by namespace, name or dimensions")
    .option("--namespace <namespace>", "only this namespace")
    .option("--metric-name <name>", "only this metric name")
    .option(
      "--dimensions <filters...>",
      "metrics with these dimensions: Name=x,Value=y or Name=x ... (or JSON)",
      dimensionsOption(false),
    )
    .option("--recently-active <period>", "PT3H: only metrics with data in the last 3 hours")
    .addOption(dataDirOption())
    .addHelpText("after", COMMON_HELP)
    .action(async (options, cmd: Command) => {
      const { runListMetrics } = await import("./cloudwatch-run.js");
      await runListMetrics(options, outputSettings(cmd));
    });

  cw.command("set-alarm-state")
    .description("set an alarm's state until its next evaluation (to test its actions)")
    .requiredOption("--alarm-name <name>", "the alarm")
    .requiredOption("--state-value <state>", "OK, ALARM or INSUFFICIENT_DATA")
    .requiredOption("--state-reason <reason>", "why, in words (up to 1023 characters)")
    .option("--state-reason-data <json>", "why, as JSON")
    .addOption(dataDirOption())
    .addHelpText("after", `${WRITE_HELP}\n${COMMON_HELP}`)
    .action(async (options) => {
      const { runSetAlarmState } = await import("./cloudwatch-run.js");
      await runSetAlarmState(options);
    });

  for (const [verb, enabled] of [
    ["enable-alarm-actions", true],
    ["disable-alarm-actions", false],
  ] as const) {
    cw.command(verb)
      .description(`${enabled ? "enable" : "disable"} the actions of alarms`)
      .requiredOption("--alarm-names <names...>", "the alarms (1 to 100 names)", collect)
      .addOption(dataDirOption())
      .addHelpText("after", `${WRITE_HELP}\n${COMMON_HELP}`)
      .action(async (options) => {
        const { runSetAlarmActions } = await import("./cloudwatch-run.js");
        await runSetAlarmActions(options, enabled);
      });
  }
}
