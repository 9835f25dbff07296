import type { Command } from "commander";

interface ServeOptions {
  dataDir: string;
  host: string;
  port: string;
  watch?: string;
  pack: string;
  sample?: boolean;
  publicUrl?: string;
  notifyEmail: string[];
  notifyTopic: string;
  notifyRecovery?: boolean;
  store?: string;
  bus?: string;
  role: string;
}

const listFromEnv = (name: string) =>
  (process.env[name] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** `trailwatch serve`: the engine, the seed pack, HTTP (/health) and a watched folder. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run trailwatch: ingest, metric filters, alarms, HTTP server")
    .option("--data-dir <dir>", "where the store lives", process.env.TRAILWATCH_DATA_DIR ?? "trailwatch-data")
    .option("--host <host>", "address to listen on", process.env.TRAILWATCH_HOST ?? "127.0.0.1")
    .option(
      "--port <port>",
      "port to listen on (also TRAILWATCH_PORT)",
      process.env.TRAILWATCH_PORT ?? "4566",
    )
    .option(
      "--watch <dir>",
      "folder whose CloudTrail files (.json, .json.gz) are ingested (default: <data-dir>/inbox)",
    )
    .option("--pack <pack>", "rule pack installed on start, idempotently", "seed")
    .option(
      "--sample",
      "also ingest the bundled sample records, re-timed to now, to see the seed alarms fire",
    )
    .option(
      "--public-url <url>",
      "where subscribers and mail readers reach this server: confirmation and unsubscribe links, SigningCertURL (also TRAILWATCH_PUBLIC_URL; default http://<host>:<port>)",
      process.env.TRAILWATCH_PUBLIC_URL,
    )
    .option(
      "--notify-email <address>",
      "subscribe this address to the pack's alarms (repeatable; also TRAILWATCH_NOTIFY_EMAILS, comma-separated); it receives a confirmation mail first",
      (value: string, previous: string[]) => [...previous, value],
      listFromEnv("TRAILWATCH_NOTIFY_EMAILS"),
    )
    .option(
      "--notify-topic <name>",
      "the SNS topic of that notification list",
      process.env.TRAILWATCH_NOTIFY_TOPIC ?? "trailwatch-alarms",
    )
    .option(
      "--notify-recovery",
      "also notify the list when an alarm leaves ALARM (to OK or INSUFFICIENT_DATA)",
    )
    .option(
      "--store <url>",
      "postgres://… to run as one of several instances on one PostgreSQL store (also TRAILWATCH_STORE; default: SQLite in --data-dir); ?schema=NAME picks the schema",
      process.env.TRAILWATCH_STORE,
    )
    .option(
      "--bus <url>",
      "nats://host:port of the NATS JetStream bus the instances share (also TRAILWATCH_BUS; needs --store postgres://…)",
      process.env.TRAILWATCH_BUS,
    )
    .option(
      "--role <role>",
      "with --bus: ingest (accept and publish), worker (apply from the bus) or all (also TRAILWATCH_ROLE)",
      process.env.TRAILWATCH_ROLE ?? "all",
    )
    .action(async (options: ServeOptions) => {
      const { runServe } = await import("./serve-run.js");
      await runServe(options);
    });
}
