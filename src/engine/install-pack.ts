import type { Pack } from "../packs/pack.js";
import type { Engine } from "./engine.js";

export interface InstallReport {
  created: string[];
  kept: string[];
}

/**
 * Installs a pack idempotently: log groups and metric filters, then (unless `alarms: false`) alarms. What
 * exists under the same name is kept as it is, so a user's later edits survive restarts.
 */
export async function installPack(
  engine: Engine,
  pack: Pack,
  options: { alarms?: boolean; filters?: boolean } = {},
): Promise<InstallReport> {
  const report: InstallReport = { created: [], kept: [] };
  if (options.filters !== false) {
    for (const g of pack.logGroups) {
      if (!(await engine.store.getLogGroup(g.logGroupName))) {
        await engine.logs.createLogGroup(g.logGroupName);
        report.created.push(`log group ${g.logGroupName}`);
      }
      const existing = new Set(
        (await engine.logs.describeMetricFilters({ logGroupName: g.logGroupName })).map((f) => f.filterName),
      );
      for (const f of g.metricFilters) {
        if (existing.has(f.filterName)) {
          report.kept.push(`metric filter ${f.filterName}`);
          continue;
        }
        await engine.logs.putMetricFilter({ logGroupName: g.logGroupName, ...f });
        report.created.push(`metric filter ${f.filterName}`);
      }
    }
  }
  if (options.alarms !== false) {
    for (const a of pack.alarms) {
      const name = String(a.AlarmName);
      if (engine.alarms.get(name)) {
        report.kept.push(`alarm ${name}`);
        continue;
      }
      await engine.cloudwatch.putMetricAlarm(a);
      report.created.push(`alarm ${name}`);
    }
  }
  return report;
}
