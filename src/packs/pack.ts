import { readFile } from "node:fs/promises";
import type { MetricTransformation } from "../metrics/transformation.js";

/**
 * A rule pack: log groups with their metric filters, and alarms, as data. Metric filters use the
 * CloudWatch Logs API's member names (camelCase) and alarms PutMetricAlarm's (PascalCase), so that a pack
 * reads like the API calls it stands for and goes through the same validation. Installing a pack is
 * idempotent: what exists with the same name is left as it is unless `replace` is asked for.
 */
export interface Pack {
  formatVersion: 1;
  name: string;
  title?: string;
  source?: string;
  logGroups: {
    logGroupName: string;
    metricFilters: {
      filterName: string;
      filterPattern: string;
      metricTransformations: MetricTransformation[];
    }[];
  }[];
  /** PutMetricAlarm inputs (AlarmName, MetricName, Namespace, Statistic, Period, ...). */
  alarms: Record<string, unknown>[];
}

/** Packs that ship with trailwatch, by name. */
export const BUILT_IN_PACKS = ["seed"] as const;

function builtInPath(name: string): URL {
  // src/packs/ and dist/packs/ are both two levels below the package root, where packs/ lives.
  return new URL(`../../packs/${name}.json`, import.meta.url);
}

export class PackError extends Error {
  override readonly name = "PackError";
}

/** Checks the shape (the contents are validated when installed, by the same code as the API). */
export function parsePack(text: string, origin: string): Pack {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new PackError(`${origin}: not JSON (${(e as Error).message})`);
  }
  const p = doc as Partial<Pack>;
  if (typeof p !== "object" || p === null || p.formatVersion !== 1) {
    throw new PackError(`${origin}: not a trailwatch pack (expected "formatVersion": 1)`);
  }
  if (typeof p.name !== "string" || p.name.length === 0)
    throw new PackError(`${origin}: the pack needs a "name"`);
  if (!Array.isArray(p.logGroups)) throw new PackError(`${origin}: "logGroups" must be a list`);
  if (!Array.isArray(p.alarms)) throw new PackError(`${origin}: "alarms" must be a list`);
  for (const g of p.logGroups) {
    if (typeof g?.logGroupName !== "string" || !Array.isArray(g.metricFilters)) {
      throw new PackError(`${origin}: each log group needs "logGroupName" and "metricFilters"`);
    }
  }
  return p as Pack;
}

/** Loads a built-in pack by name, or a pack file by path. */
export async function loadPack(nameOrPath: string): Promise<Pack> {
  const builtIn = (BUILT_IN_PACKS as readonly string[]).includes(nameOrPath);
  const where = builtIn ? builtInPath(nameOrPath) : nameOrPath;
  let text: string;
  try {
    text = await readFile(where, "utf8");
  } catch (e) {
    throw new PackError(`cannot read pack ${nameOrPath}: ${(e as Error).message}`);
  }
  return parsePack(text, builtIn ? `built-in pack ${nameOrPath}` : nameOrPath);
}
