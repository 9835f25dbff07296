import { Command, CommanderError } from "commander";
import { registerCloudWatchCommands } from "./cloudwatch.js";
import { CliExit, ExitCode } from "./exit-codes.js";
import { addGlobalOptions } from "./global-options.js";
import { registerIngestCommand } from "./ingest.js";
import { registerLogsCommands } from "./logs.js";
import { registerReplayCommand } from "./replay.js";
import { registerServeCommand } from "./serve.js";
import { packageVersion } from "./version.js";

/** The whole command tree; each command group registers itself from its own file. */
export function buildProgram(): Command {
  const program = new Command("trailwatch")
    .description("Self-hosted CloudTrail security alarms: CloudWatch Logs metric filters and alarms")
    .version(packageVersion())
    .showHelpAfterError("(add --help for usage)")
    .configureHelp({ showGlobalOptions: true })
    // Errors are turned into exit codes by runCli instead of commander calling process.exit.
    .exitOverride();
  addGlobalOptions(program);
  registerLogsCommands(program);
  registerCloudWatchCommands(program);
  registerServeCommand(program);
  registerReplayCommand(program);
  registerIngestCommand(program);
  return program;
}

/** Runs the CLI and returns its exit code; output that is still buffered gets flushed before Node exits. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CliExit) {
      process.stderr.write(err.stderrText);
      return err.exitCode;
    }
    // Commander has printed its message already; help and --version end with exit code 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw err;
  }
}
