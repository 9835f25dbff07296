import { type Command, Option } from "commander";

export type OutputFormat = "json" | "text" | "table";

/** Options every command accepts, before or after the subcommand, like the AWS CLI's `--output`. */
export function addGlobalOptions(program: Command): void {
  program
    .addOption(
      new Option("--output <format>", "output format (default: table on a terminal, json otherwise)").choices(
        ["json", "text", "table"],
      ),
    )
    .addOption(
      new Option("--color <when>", "colour in table output: on, off, or auto (terminal and no NO_COLOR)")
        .choices(["on", "off", "auto"])
        .default("auto"),
    )
    .option("--no-color", "same as --color off");
}

export interface OutputSettings {
  format: OutputFormat;
  color: boolean;
  /** Columns available for table output. */
  width: number;
}

interface Terminal {
  isTTY?: boolean;
  columns?: number;
}

/** Resolves the global options against the terminal stdout is (or is not) and the environment. */
export function outputSettings(
  cmd: Command,
  stdout: Terminal = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): OutputSettings {
  const opts = cmd.optsWithGlobals<{ output?: OutputFormat; color?: string | false }>();
  const tty = stdout.isTTY === true;
  const format = opts.output ?? (tty ? "table" : "json");
  // https://no-color.org: NO_COLOR set and non-empty turns colour off unless explicitly asked for.
  const color = opts.color === "on" || (opts.color === "auto" && tty && !env.NO_COLOR);
  const fromEnv = Number.parseInt(env.COLUMNS ?? "", 10);
  const width = (tty && stdout.columns) || (fromEnv > 0 ? fromEnv : 120);
  return { format, color, width };
}
