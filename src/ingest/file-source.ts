/**
 * Files and folders as inputs: a folder is walked recursively in name order — in CloudTrail's S3 layout
 * that is time order — skipping digest files and, with a time range, the day folders outside it.
 */
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { dayInRange, isDigest, isLogFileName, parseCloudTrailKey } from "./cloudtrail-key.js";
import type { Input } from "./input.js";
import { LogFileError, STDIN_PATH } from "./log-file-error.js";

export interface TimeRange {
  since?: number;
  until?: number;
}

/** A plain file is appendable (read from an offset when it grows); a gzipped one is not. */
function isCompressedName(path: string): boolean {
  return /\.gz$/i.test(path);
}

/** One file as an input, versioned by size and mtime. */
export async function fileInput(path: string): Promise<Input> {
  const abs = resolve(path);
  const s = await stat(abs);
  return {
    source: `file:${abs}`,
    name: path,
    version: `${s.size}:${Math.trunc(s.mtimeMs)}`,
    size: s.size,
    appendable: !isCompressedName(abs),
    key: parseCloudTrailKey(abs),
    // Reads of 256 KiB (not 64): gzipped CloudTrail inflates about tenfold, so this keeps zlib fed.
    open: (fromByte) => createReadStream(abs, { start: fromByte, highWaterMark: 256 * 1024 }),
  };
}

/** Standard input: read once, never checkpointed (it has no name to resume by). */
export function stdinInput(): Input {
  return {
    name: "<stdin>",
    version: "stdin",
    size: 0,
    appendable: false,
    key: {},
    open: () => process.stdin,
  };
}

/** A year/month/day folder of CloudTrail's layout none of whose days can hold events in the range. */
function dayFolderOutside(path: string, range: TimeRange): boolean {
  if (range.since === undefined && range.until === undefined) return false;
  const m = /(?:^|\/)(\d{4})\/(\d{2})(?:\/(\d{2}))?$/.exec(path.replaceAll("\\", "/"));
  if (!m || !parseCloudTrailKey(`${path}/`).region) return false;
  if (m[3] !== undefined) return !dayInRange(`${m[1]}-${m[2]}-${m[3]}`, range.since, range.until);
  for (
    let t = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
    new Date(t).getUTCMonth() === Number(m[2]) - 1;
    t += 86_400_000
  )
    if (dayInRange(new Date(t).toISOString().slice(0, 10), range.since, range.until)) return false;
  return true;
}

async function* walk(path: string, range: TimeRange): AsyncGenerator<string> {
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const child = join(path, e.name);
    if (e.isDirectory()) {
      if (!dayFolderOutside(child, range)) yield* walk(child, range);
    } else if (e.isFile() && isLogFileName(e.name) && !isDigest(child)) yield child;
  }
}

/** The inputs under the given paths ("-" = stdin), in order. A path that does not exist is an error. */
export async function* fileInputs(paths: readonly string[], range: TimeRange = {}): AsyncGenerator<Input> {
  for (const p of paths) {
    if (p === STDIN_PATH) {
      yield stdinInput();
      continue;
    }
    const s = await stat(p).catch(() => undefined);
    if (!s) throw new LogFileError(p, "no such file or folder");
    if (!s.isDirectory()) {
      yield await fileInput(p);
      continue;
    }
    for await (const file of walk(p, range)) {
      // A file can vanish between listing and stat (a rotated inbox): it is simply not there any more.
      const input = await fileInput(file).catch(() => undefined);
      if (input) yield input;
    }
  }
}
