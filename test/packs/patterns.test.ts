import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CIS_FILTERS, CIS_NAMESPACE, SEED_FILTERS, SEED_NAMESPACE } from "../../src/packs/patterns.js";
import { SHARED } from "../helpers/shared.js";

// ../shared beside the checkout, resolved from this file's location.
const CIS_MD = join(SHARED, "spec", "cis-benchmark.md");
const SEED_DIR = join(SHARED, "seed");

interface CisRow {
  id: string;
  title: string;
  filterPattern: string;
  metricName: string;
}

/** The CloudWatch.N rows of section 2 "Main table" of cis-benchmark.md. */
function readCisTable(markdown: string): CisRow[] {
  const start = markdown.indexOf("## 2. Main table");
  assert.ok(start >= 0, "cis-benchmark.md has no '## 2. Main table' section");
  const end = markdown.indexOf("\n## ", start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const lines = section.split("\n").filter((l) => l.startsWith("|"));
  // Cells are separated by `|`; a `\|` is a pipe inside a cell (GFM escapes it even inside code spans).
  const split = (l: string) =>
    l
      .trim()
      .replace(/^\||\|$/g, "")
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
  const header = split(lines[0]);
  const col = (prefix: string) => {
    const i = header.findIndex((h) => h.startsWith(prefix));
    assert.ok(i >= 0, `cis-benchmark.md main table has no column starting with '${prefix}'`);
    return i;
  };
  const idCol = col("Security Hub");
  const titleCol = col("Title");
  const patternCol = col("Filter pattern (Security Hub doc, 2023-06)");
  const metricCol = col("Suggested metric name");
  // The first code span of a cell, with the table's `\|` escapes undone.
  const code = (cell: string) => {
    const m = /`([^`]*)`/.exec(cell);
    assert.ok(m, `no code span in cell: ${cell}`);
    return m[1].replace(/\\\|/g, "|");
  };
  const rows: CisRow[] = [];
  for (const line of lines.slice(2)) {
    const cells = split(line);
    if (!/^CloudWatch\.\d+$/.test(cells[idCol])) continue;
    rows.push({
      id: cells[idCol],
      title: cells[titleCol],
      filterPattern: code(cells[patternCol]),
      metricName: code(cells[metricCol]),
    });
  }
  return rows;
}

describe("CIS_FILTERS", () => {
  it("holds CloudWatch.1 … CloudWatch.14 in order, in the CISBenchmark namespace", () => {
    assert.deepEqual(
      CIS_FILTERS.map((f) => f.id),
      Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`),
    );
    for (const f of CIS_FILTERS) {
      assert.equal(f.namespace, CIS_NAMESPACE);
      assert.equal(f.filterName, f.metricName, `${f.id}: CIS names the filter after its metric`);
      assert.match(f.metricName, /^[a-z0-9_]+$/, `${f.id}: snake_case metric name`);
    }
  });

  const skip = existsSync(CIS_MD)
    ? false
    : `../shared is absent (no ${CIS_MD}): cannot compare with the source table`;
  it("copies each pattern, metric name and title exactly from cis-benchmark.md §2", { skip }, () => {
    const rows = readCisTable(readFileSync(CIS_MD, "utf8"));
    assert.equal(rows.length, 14, "the main table has 14 Security Hub rows");
    const byId = new Map(CIS_FILTERS.map((f) => [f.id, f]));
    for (const row of rows) {
      const f = byId.get(row.id);
      assert.ok(f, `${row.id} is missing from CIS_FILTERS`);
      assert.equal(f.filterPattern, row.filterPattern, `${row.id}: filter pattern`);
      assert.equal(f.metricName, row.metricName, `${row.id}: metric name`);
      assert.equal(f.title, row.title, `${row.id}: title`);
    }
  });
});

describe("SEED_FILTERS", () => {
  it("holds the three seed filters in the CloudTrailMetrics namespace", () => {
    assert.deepEqual(
      SEED_FILTERS.map((f) => [f.filterName, f.metricName, f.namespace]),
      [
        ["RootAccountUsage", "RootAccountUsageCount", SEED_NAMESPACE],
        ["ApiActivityWithoutMFA", "ApiActivityWithoutMFACount", SEED_NAMESPACE],
        ["ConsoleSignInWithoutMfa", "ConsoleSignInWithoutMfaCount", SEED_NAMESPACE],
      ],
    );
    assert.equal(SEED_NAMESPACE, "CloudTrailMetrics");
  });

  const skip = existsSync(SEED_DIR)
    ? false
    : `../shared is absent (no ${SEED_DIR}): cannot compare with the seed`;
  it("copies each pattern and name exactly from the seed document", { skip }, () => {
    const seed = readdirSync(SEED_DIR)
      .filter((n) => n.endsWith(".txt"))
      .map((n) => readFileSync(join(SEED_DIR, n), "utf8"))
      .join("\n");
    // Each pattern sits alone on its line in the document.
    const patternLines = new Set(
      seed
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l.startsWith("{ $.")),
    );
    assert.equal(patternLines.size, 3, "the seed document gives three patterns");
    for (const f of SEED_FILTERS) {
      assert.ok(patternLines.has(f.filterPattern), `${f.id}: pattern not found verbatim in the seed`);
      for (const name of [f.filterName, f.metricName, f.namespace]) {
        assert.ok(seed.includes(name), `${f.id}: '${name}' not found in the seed`);
      }
    }
  });
});

describe("all filters", () => {
  it("have unique ids and metric names", () => {
    const all = [...SEED_FILTERS, ...CIS_FILTERS];
    assert.equal(new Set(all.map((f) => f.id)).size, all.length);
    assert.equal(new Set(all.map((f) => `${f.namespace}/${f.metricName}`)).size, all.length);
  });
});
