/**
 * What the `cloudwatch` and `logs` verbs share: the engine of a data directory opened for one command, the
 * AWS CLI's rendering of service errors, and printing a response in the chosen output format. Loaded on
 * use (it pulls in the engine), never when the command tree is built.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { CloudWatchError as AlarmsError } from "../alarms/errors.js";
import { systemClock } from "../engine/clock.js";
import type { Engine } from "../engine/engine.js";
import { LogsError } from "../logs/errors.js";
import { CloudWatchError as MetricsError } from "../metrics/errors.js";
import { InvalidParameterException } from "../pattern/index.js";
import { CliExit, ExitCode, serviceError } from "./exit-codes.js";
import type { OutputSettings } from "./global-options.js";
import { openEngine, STORE_FILE } from "./open-engine.js";
import { awsCliJson, awsCliText } from "./output/aws-cli-format.js";
import { Output } from "./output/writer.js";

/**
 * Opens the engine of `dataDir` on the system clock — with alarm transitions ignored (nothing is notified
 * from a CLI verb) and events not stored — runs `fn`, and closes it. A data directory without a store is
 * an error rather than a new empty store: a mistyped --data-dir would otherwise answer "no alarms".
 */
export async function withLocalEngine<T>(dataDir: string, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const dir = resolve(dataDir);
  if (!existsSync(join(dir, STORE_FILE))) {
    throw new CliExit(
      ExitCode.fileError,
      `trailwatch: no trailwatch data in ${dir}\n` +
        "Point --data-dir (or TRAILWATCH_DATA_DIR) at the data directory of `trailwatch serve`, or create one " +
        "with `trailwatch replay --data-dir DIR <CloudTrail files>`.\n",
    );
  }
  const opened = await openEngine({
    dataDir: dir,
    clock: systemClock,
    listener: { onTransition() {} },
    storeEvents: false,
  });
  try {
    return await fn(opened.engine);
  } finally {
    await opened.dispose();
  }
}

/** Errors the services throw for a bad request, whose `name` is AWS's error code. */
export function isServiceError(err: unknown): err is Error {
  return (
    err instanceof AlarmsError ||
    err instanceof MetricsError ||
    err instanceof LogsError ||
    err instanceof InvalidParameterException
  );
}

/** Runs one service operation; its rejections become the AWS CLI's error output and exit code 254. */
export async function callService<T>(operation: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isServiceError(err)) throw serviceError(err.name, operation, err.message);
    throw err;
  }
}

export interface Printable {
  /** The response as the AWS CLI shows it with --output json (all pages merged for auto-paginated calls). */
  json: object;
  /** The pages as --output text formats them one by one (the AWS CLI's text output of paginated calls). */
  textPages?: object[];
  /** The human table. */
  table(): string;
}

export async function print(settings: OutputSettings, response: Printable): Promise<void> {
  let text: string;
  switch (settings.format) {
    case "json":
      text = awsCliJson(response.json);
      break;
    case "text":
      text = (response.textPages ?? [response.json]).map(awsCliText).join("");
      break;
    case "table":
      text = response.table();
      break;
  }
  await new Output(process.stdout).write(text);
}
