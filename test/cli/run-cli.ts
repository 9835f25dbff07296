import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root: the CLI runs from there, as `npm start` does. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI (through tsx) as a child process. stdout is a pipe, never a TTY; NO_COLOR and COLUMNS
 * are cleared so that the defaults under test do not depend on the developer's terminal.
 */
export function runCli(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}) {
  const env = { ...process.env, NO_COLOR: undefined, COLUMNS: undefined, ...options.env };
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT, env });
  child.stdin.end(options.input ?? "");
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  return new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `trailwatch logs test-metric-filter …` */
export function testMetricFilter(args: string[], options?: Parameters<typeof runCli>[1]) {
  return runCli(["logs", "test-metric-filter", ...args], options);
}
