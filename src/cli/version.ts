import { readFileSync } from "node:fs";

/**
 * The package version. package.json sits two levels up from both src/cli/ (run through tsx) and dist/cli/
 * (built), so one relative URL serves both.
 */
export function packageVersion(): string {
  const url = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
}
