/**
 * The published package: `import { testMetricFilter } from "trailwatch"` resolves through package.json's
 * exports to the built dist/, answers like AWS, and throws AWS's exception for a bad pattern.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { ROOT } from "../helpers/shared.js";

test("the package's main entry, built, imported by name", () => {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "pipe" });
  const script = `
    import { testMetricFilter, compileFilterPattern, FilterSet } from "trailwatch";
    const out = testMetricFilter({ filterPattern: "ERROR -timeout", logEventMessages: ["ERROR disk", "ERROR timeout", "ok"] });
    let error;
    try { compileFilterPattern("{ $.a = "); } catch (e) { error = e.name + ": " + e.message; }
    const set = new FilterSet([compileFilterPattern('{ $.eventName = "ConsoleLogin" }')]);
    console.log(JSON.stringify({ out, error, set: set.matching('{"eventName":"ConsoleLogin"}') }));
  `;
  const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.deepEqual(JSON.parse(stdout), {
    out: { matches: [{ eventNumber: 1, eventMessage: "ERROR disk", extractedValues: {} }] },
    error: "InvalidParameterException: If a filter pattern starts with '{' it must end with '}'",
    set: [0],
  });
});

test("the built CLI replays on worker threads (the compiled worker) as on one thread", () => {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "pipe" });
  const replay = (threads: string) =>
    execFileSync(
      process.execPath,
      ["dist/cli/main.js", "replay", "--json", "--threads", threads, "fixtures/sample"],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
  const one = replay("1");
  assert.ok(one.split("\n").filter(Boolean).length >= 2, one);
  assert.equal(replay("2"), one);
});
