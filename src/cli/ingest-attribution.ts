/**
 * Who is behind each alarm: for the events that feed an alarm's metric (through the pack's metric
 * filters), counts of identities and source IPs. It evaluates those filters once more per event (one
 * FilterSet pass, one JSON.parse of the events that match), so replay uses it only for its human summary,
 * never with --json or in the benchmark.
 */
import type { CloudTrailLogEvent } from "../ingest/cloudtrail-events.js";
import type { Pack } from "../packs/pack.js";
import { compileFilterPattern, FilterSet } from "../pattern/index.js";
import { identityOf, sourceIpOf, TopCounter } from "./ingest-summary.js";

const metricKey = (namespace: string, metricName: string) => `${namespace}\u0000${metricName}`;

export class AlarmAttribution {
  private readonly set: FilterSet;
  /** Per filter of the set: the metric keys it publishes. */
  private readonly metricsOf: string[][] = [];
  private readonly identities = new Map<string, TopCounter>();
  private readonly ips = new Map<string, TopCounter>();
  /** Observed, not counted yet: metric key, identity, source IP. */
  private readonly pending: { k: string; who: string; ip: string }[] = [];

  constructor(pack: Pack) {
    const watched = new Set(pack.alarms.map((a) => metricKey(String(a.Namespace), String(a.MetricName))));
    const patterns = [];
    for (const g of pack.logGroups)
      for (const f of g.metricFilters) {
        const keys = f.metricTransformations
          .map((t) => metricKey(t.metricNamespace, t.metricName))
          .filter((k) => watched.has(k));
        if (keys.length === 0) continue;
        patterns.push(compileFilterPattern(f.filterPattern));
        this.metricsOf.push(keys);
      }
    this.set = new FilterSet(patterns);
  }

  /** Who is behind an event that feeds a watched metric; counted at the next settle. */
  observe(e: CloudTrailLogEvent): void {
    const hits = this.set.matching(e.message);
    if (hits.length === 0) return;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(e.message) as Record<string, unknown>;
    } catch {
      return;
    }
    const who = identityOf(record);
    const ip = sourceIpOf(record);
    for (const i of hits) for (const k of this.metricsOf[i]) this.pending.push({ k, who, ip });
  }

  /** The events observed since the last settle count (in the order observed). */
  settle(): void {
    for (const { k, who, ip } of this.pending) {
      this.counter(this.identities, k).add(who);
      this.counter(this.ips, k).add(ip);
    }
    this.pending.length = 0;
  }

  /** The events observed since the last settle do not count (a broken document's). */
  rollback(): void {
    this.pending.length = 0;
  }

  private counter(map: Map<string, TopCounter>, k: string): TopCounter {
    let c = map.get(k);
    if (!c) {
      c = new TopCounter();
      map.set(k, c);
    }
    return c;
  }

  top(
    namespace: string,
    metricName: string,
    n = 3,
  ): { identities: [string, number][]; sourceIps: [string, number][] } {
    const k = metricKey(namespace, metricName);
    return { identities: this.identities.get(k)?.top(n) ?? [], sourceIps: this.ips.get(k)?.top(n) ?? [] };
  }
}
