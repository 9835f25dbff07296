/**
 * Source checkpoints: how far an input has been ingested, stored in the same transaction as the metric
 * updates of the records it covers (Engine.ingestBatch's checkpoint). Pure: formatting, parsing, and the
 * decision of what to read next time.
 *
 * A position is JSON: `{"v":1,"version":"<size>:<mtime>|<etag>","size":N,"records":K,"bytes":B?,"state":...}`
 * - records: the input's first K records (ordinals 0..K-1) are done, good or skipped;
 * - bytes, bytesOrdinal: plain JSON-lines files only, the byte offset after the last whole line done and
 *   the ordinal of the record there (an appended file resumes at that byte without re-reading);
 * - state: "partial" (more may follow), "done" (read to the end) or "unreadable" (corrupt: nothing was
 *   used, so a repaired copy is read in full).
 */

export type CheckpointState = "partial" | "done" | "unreadable";

export interface Checkpoint {
  v: 1;
  /** What identified the input's content when it was read: size and mtime, or the S3 ETag. */
  version: string;
  size: number;
  records: number;
  bytes?: number;
  /** The ordinal of the first record at `bytes`. */
  bytesOrdinal?: number;
  state: CheckpointState;
}

export function formatCheckpoint(c: Checkpoint): string {
  return JSON.stringify(c);
}

/** A stored position, or undefined when it is not one of ours (then the input is treated as new). */
export function parseCheckpoint(text: string | undefined): Checkpoint | undefined {
  if (text === undefined) return undefined;
  try {
    const c = JSON.parse(text) as Partial<Checkpoint>;
    if (c.v !== 1 || typeof c.version !== "string" || typeof c.records !== "number") return undefined;
    return c as Checkpoint;
  } catch {
    return undefined;
  }
}

/** What an input is now. */
export interface InputVersion {
  version: string;
  size: number;
  /** A plain (uncompressed) file that may grow by appends and can be read from a byte offset. */
  appendable: boolean;
}

export type ReadPlan =
  | { action: "read"; skipBelow: number; fromByte: number; firstOrdinal: number }
  | { action: "up-to-date" }
  | { action: "changed"; reason: string };

/**
 * What to read of an input, given its checkpoint:
 * - none: all of it;
 * - same version: the rest after the checkpoint (nothing when done);
 * - unreadable before: all of it again once its version changed (nothing of it was used);
 * - another version of an appendable file that grew: from the checkpoint's byte offset (tail -f);
 * - any other change: nothing, reported — re-reading it could count its records twice.
 */
export function planRead(cp: Checkpoint | undefined, now: InputVersion): ReadPlan {
  if (cp === undefined) return { action: "read", skipBelow: 0, fromByte: 0, firstOrdinal: 0 };
  if (cp.version === now.version) {
    if (cp.state !== "partial") return { action: "up-to-date" };
    if (cp.bytes !== undefined && now.appendable) return fromBytes(cp);
    return { action: "read", skipBelow: cp.records, fromByte: 0, firstOrdinal: 0 };
  }
  if (cp.state === "unreadable") return { action: "read", skipBelow: 0, fromByte: 0, firstOrdinal: 0 };
  if (now.appendable && cp.bytes !== undefined && now.size >= cp.size && now.size >= cp.bytes)
    return fromBytes(cp);
  return {
    action: "changed",
    reason: `changed since it was ingested (was ${cp.version}, now ${now.version}); not read again, so that no event is counted twice`,
  };
}

function fromBytes(cp: Checkpoint): ReadPlan {
  return {
    action: "read",
    skipBelow: cp.records,
    fromByte: cp.bytes ?? 0,
    firstOrdinal: cp.bytesOrdinal ?? cp.records,
  };
}
