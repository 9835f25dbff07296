import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./shared.js";

/** The 896 real CloudTrail records shipped as fixtures (see fixtures/cloudtrail/SOURCES.md), one per line. */
export function recordLines(): string[] {
  return readFileSync(join(ROOT, "fixtures", "cloudtrail", "records.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.length > 0);
}

/** Line `n` (1-based, as `sed -n Np` shows it) of the fixture file. */
export function recordLine(n: number): string {
  return recordLines()[n - 1];
}

/** A record changed by `edit`, re-serialized compactly as CloudTrail delivers it to CloudWatch Logs. */
export function editedRecord(n: number, edit: (r: Record<string, any>) => void): string {
  const r = JSON.parse(recordLine(n));
  edit(r);
  return JSON.stringify(r);
}
