import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The team's read-only reference folder, beside the checkout (CI copies it there too). */
export const SHARED = join(ROOT, "..", "shared");

export function sharedAvailable(): boolean {
  return existsSync(join(SHARED, "conformance"));
}

/** Reads a JSON-lines file into objects. */
export function readJsonLines<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as T);
}
