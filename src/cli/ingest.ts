import type { Command } from "commander";

export interface IngestOptions {
  follow?: boolean;
  since?: string;
  until?: string;
  dataDir: string;
  logGroup?: string;
  pack: string;
  json?: boolean;
  batchEvents: string;
  interval?: string;
}

/** `trailwatch ingest`: CloudTrail from files, folders, S3 or stdin into the store `serve` uses, exactly once. */
export function registerIngestCommand(program: Command): void {
  program
    .command("ingest")
    .description(
      "ingest CloudTrail files, folders, s3://bucket/prefix or '-' (stdin) into the data directory, each record exactly once",
    )
    .argument(
      "<sources...>",
      "files (.json, .json.gz, JSON lines), folders, s3://bucket/prefix, '-' for stdin",
    )
    .option("--follow", "keep going: pick up new files and objects, and lines appended to files")
    .option("--since <time>", "only events at or after this time (ISO date/time, or an age: 90d, 12h)")
    .option("--until <time>", "only events at or before this time")
    .option(
      "--data-dir <dir>",
      "the data directory of `serve`",
      process.env.TRAILWATCH_DATA_DIR ?? "trailwatch-data",
    )
    .option("--log-group <name>", "log group of the events (default: the pack's, CloudTrail/DefaultLogGroup)")
    .option("--pack <pack>", "rule pack installed first, idempotently (as serve does)", "seed")
    .option("--json", "print one JSON summary line; no progress bar")
    .option("--batch-events <n>", "events per transaction", "5000")
    .option("--interval <seconds>", "--follow: seconds between listings (default 2; 30 with S3)")
    .action(async (sources: string[], options: IngestOptions) => {
      const { runIngest } = await import("./ingest-run.js");
      await runIngest(sources, options);
    });
}
