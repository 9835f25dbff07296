#!/usr/bin/env node
// Runs the whole suite through node:test + tsx. Node 20's --test does not expand globs and
// silently finds nothing for .ts files, so the file list is built here and an empty list fails.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = collect("test").map((f) => relative(".", f));
if (filter.length > 0) files = files.filter((f) => filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error("run-tests: no test files found");
  process.exit(1);
}
// Spec output for people; a TAP copy to a file so that a plain closing line can be printed for CI.
const tap = join(mkdtempSync(join(tmpdir(), "trailwatch-tests-")), "results.tap");
const res = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { stdio: "inherit" },
);
const summary = existsSync(tap) ? readFileSync(tap, "utf8") : "";
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(summary)?.[1] ?? 0);
const total = count("tests");
if (total === 0) {
  console.error("run-tests: no test was executed");
  process.exit(1);
}
console.log(`\ntests: ${count("pass")} passed, ${count("fail")} failed, ${count("skipped")} skipped`);
process.exit(res.status ?? 1);
