import { mkdirSync } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Logger } from "pino";
import type { Engine } from "../engine/engine.js";
import { cloudTrailEvents, expandSources } from "../ingest/cloudtrail-events.js";

/**
 * A folder where CloudTrail files (.json, .json.gz) dropped in are ingested into the CloudTrail log group.
 * Each file is read once: its path, size and mtime are the checkpoint, committed with the last batch of
 * its events, so a restart neither skips nor repeats a file. (Full ingestion — S3, offsets within files,
 * --follow — is its own issue.)
 */
export function watchFolder(options: {
  engine: Engine;
  folder: string;
  logGroupName: string;
  logger: Logger;
  intervalMs?: number;
}): { stop(): void; scanNow(): Promise<number> } {
  const folder = resolve(options.folder);
  mkdirSync(folder, { recursive: true });
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const ingestFile = async (file: string): Promise<number> => {
    const s = await stat(file);
    const position = `done:${s.size}:${Math.trunc(s.mtimeMs)}`;
    const source = `file:${file}`;
    if ((await options.engine.store.getCheckpoint(source)) === position) return 0;
    // One file, one transaction: its events, their metrics and the checkpoint commit together.
    let count = 0;
    const byStream = new Map<string, { timestamp: number; message: string }[]>();
    for await (const e of cloudTrailEvents([file], (skip) =>
      options.logger.warn({ ...skip }, "skipped input"),
    )) {
      const list = byStream.get(e.logStreamName) ?? [];
      list.push({ timestamp: e.timestamp, message: e.message });
      byStream.set(e.logStreamName, list);
      count++;
    }
    await options.engine.ingestBatch(
      options.logGroupName,
      [...byStream].map(([logStreamName, events]) => ({ logStreamName, events })),
      { checkpoint: { source, position } },
    );
    options.logger.info({ file, events: count }, "ingested file");
    return count;
  };

  const scan = async (): Promise<number> => {
    let total = 0;
    for await (const file of expandSources([folder])) {
      try {
        total += await ingestFile(file);
      } catch (e) {
        options.logger.error({ file, err: e }, "could not ingest file");
      }
    }
    return total;
  };

  const scanNow = (): Promise<number> => {
    running ??= scan().finally(() => {
      running = undefined;
    });
    return running;
  };

  const loop = () => {
    timer = setTimeout(async () => {
      await scanNow();
      loop();
    }, options.intervalMs ?? 2000);
  };
  loop();
  return {
    scanNow,
    stop() {
      if (timer) clearTimeout(timer);
    },
  };
}
