/**
 * Runs the benchmarks: `npm run bench` runs every scenario file, `npm run bench -- pattern` one file,
 * `npm run bench -- pattern/seed` one scenario of it.
 *
 * Options: `--events N` (workload size), `--reps N` (measured runs), `--distinct N` (generate N distinct
 * events and repeat them as a ring, to bound the live heap).
 *
 * Each scenario prints human-readable lines and ends with one JSON line (`{"bench":"…",…}`). Targets are
 * reported, never enforced: the exit status is non-zero only when a bench fails (e.g. a cross-check).
 */
import type { BenchOptions, Scenario } from "./lib.js";

/** Scenario files, in the order they run. Each exports `run: Scenario`. */
const FILES: Record<string, () => Promise<{ run: Scenario }>> = {
  pattern: () => import("./pattern.js"),
  alarms: () => import("./alarms.js"),
  ingest: () => import("./ingest.js"),
  latency: () => import("./latency.js"),
  store: () => import("./store.js"),
  cluster: () => import("./cluster.js"),
};

const USAGE = `usage: npm run bench -- [file | file/scenario ...] [--events N] [--reps N] [--distinct N]
files: ${Object.keys(FILES).join(", ")}`;

function parseArgs(argv: readonly string[]): BenchOptions {
  const select: string[] = [];
  const numbers: Record<string, number> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") {
      console.log(USAGE);
      process.exit(0);
    }
    const flag = /^--(events|reps|distinct)(?:=(.*))?$/.exec(a);
    if (flag) {
      const raw = flag[2] ?? argv[++i];
      const value = Number(String(raw).replace(/_/g, ""));
      if (!Number.isInteger(value) || value < 1)
        throw new Error(`--${flag[1]} needs a positive integer, got '${raw}'`);
      numbers[flag[1]] = value;
    } else if (a.startsWith("-")) {
      throw new Error(`unknown option '${a}'\n${USAGE}`);
    } else {
      if (!(a.split("/")[0] in FILES)) throw new Error(`unknown bench '${a}'\n${USAGE}`);
      select.push(a);
    }
  }
  return { select, events: numbers.events, reps: numbers.reps, distinct: numbers.distinct };
}

async function main(): Promise<void> {
  let opts: BenchOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  for (const [file, load] of Object.entries(FILES)) {
    if (opts.select.length > 0 && !opts.select.some((s) => s.split("/")[0] === file)) continue;
    const { run } = await load();
    await run({ ...opts, select: opts.select.filter((s) => s.split("/")[0] === file) });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
