import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Logger } from "pino";
import type { Engine } from "../engine/engine.js";
import { fileInput, fileInputs } from "../ingest/file-source.js";
import { ingestInput } from "../ingest/ingest-input.js";

/**
 * A folder where CloudTrail files (.json, .json.gz, JSON lines) dropped in are ingested into the CloudTrail
 * log group, exactly once: each batch of a file commits with the checkpoint (file, size, mtime, records
 * done) that covers it, so a restart resumes inside a file; a file that changes after it was read is
 * reported, not counted twice; lines appended to a plain file are picked up.
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

  const target = {
    ingestBatch: options.engine.ingestBatch.bind(options.engine),
    getCheckpoint: (source: string) => options.engine.store.getCheckpoint(source),
  };
  const ingestFile = async (file: string): Promise<number> => {
    const input = await fileInput(file);
    // Checkpoints of trailwatch 0.1 (`done:<size>:<mtime>`, whole files only): the file was read in full.
    const legacy = await options.engine.store.getCheckpoint(input.source ?? "");
    if (legacy === `done:${input.version}`) return 0;
    // Batches of 5000 events, each committed with the checkpoint that covers it (src/ingest/ingest-input.ts).
    const r = await ingestInput(input, target, {
      logGroupName: options.logGroupName,
      onSkip: (skip) => options.logger.warn({ ...skip }, "skipped input"),
    });
    if (r.status !== "up-to-date")
      options.logger.info({ file, events: r.events, status: r.status }, "ingested file");
    return r.events;
  };

  const scan = async (): Promise<number> => {
    let total = 0;
    for await (const { name: file } of fileInputs([folder])) {
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
