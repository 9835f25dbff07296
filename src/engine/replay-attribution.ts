/**
 * Who is behind each metric in a replay: for the events a metric filter matched, counts of their
 * identities and source IPs per metric (namespace + name), for the summary's "top identities / source IPs"
 * of each alarm. Pass 1 feeds it from the record the filters already parsed (no second parse); counts
 * wait for the input to be settled, like the samples, and worker threads' counts are merged at the end
 * (sums: the order does not matter, except past the cap of distinct keys, where which newcomers count as
 * "(other)" depends on what was seen first).
 */

/** Distinct keys counted per metric and kind before newcomers count as "(other)": bounded memory. */
const CAP = 10_000;

type Counts = Map<string, number>;

/** Per metric key: identity -> count, source IP -> count. What a worker sends. */
export type AttributionCounts = [metric: string, identities: [string, number][], ips: [string, number][]][];

export function attributionKey(namespace: string, metricName: string): string {
  return `${namespace}\u0000${metricName}`;
}

/** Who did it: the identity's ARN, else its type and principal, as CloudTrail records them. */
export function identityOf(record: Record<string, unknown>): string {
  const ui = record.userIdentity as Record<string, unknown> | undefined;
  if (!ui || typeof ui !== "object") return "(no userIdentity)";
  if (typeof ui.arn === "string") return ui.arn;
  if (typeof ui.invokedBy === "string") return `${String(ui.type ?? "?")} ${ui.invokedBy}`;
  return `${String(ui.type ?? "?")}${typeof ui.principalId === "string" ? ` ${ui.principalId}` : ""}`;
}

export function sourceIpOf(record: Record<string, unknown>): string {
  return typeof record.sourceIPAddress === "string" ? record.sourceIPAddress : "(none)";
}

/** Adds `n` to a key's count; returns 1 when the key is new. */
function bump(counts: Counts, key: string, n: number): number {
  const had = counts.get(key);
  if (had !== undefined) {
    counts.set(key, had + n);
    return 0;
  }
  if (counts.size < CAP) {
    counts.set(key, n);
    return 1;
  }
  const other = counts.get("(other)");
  counts.set("(other)", (other ?? 0) + n);
  return other === undefined ? 1 : 0;
}

function topOf(counts: Counts | undefined, n: number): [string, number][] {
  if (!counts) return [];
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}

export class Attribution {
  private readonly identities = new Map<string, Counts>();
  private readonly ips = new Map<string, Counts>();
  /** Observed, not counted yet: metric key, identity, source IP. */
  private readonly pending: string[] = [];
  /** Distinct keys counted (identities and IPs of every metric). */
  private distinct = 0;

  get size(): number {
    return this.distinct;
  }

  /** An event that fed these metrics; it counts at the next settle. */
  observe(metrics: readonly string[], record: Record<string, unknown> | undefined): void {
    const who = record ? identityOf(record) : "(not JSON)";
    const ip = record ? sourceIpOf(record) : "(none)";
    for (const k of metrics) this.pending.push(k, who, ip);
  }

  settle(): void {
    const p = this.pending;
    for (let i = 0; i < p.length; i += 3) {
      this.distinct += bump(this.of(this.identities, p[i]), p[i + 1], 1);
      this.distinct += bump(this.of(this.ips, p[i]), p[i + 2], 1);
    }
    p.length = 0;
  }

  rollback(): void {
    this.pending.length = 0;
  }

  /** The settled counts, to send to another thread; the counter is empty afterwards. */
  take(): AttributionCounts {
    const out: AttributionCounts = [];
    for (const [k, who] of this.identities) out.push([k, [...who], [...(this.ips.get(k) ?? [])]]);
    this.identities.clear();
    this.ips.clear();
    this.distinct = 0;
    return out;
  }

  merge(counts: AttributionCounts): void {
    for (const [k, who, ips] of counts) {
      const a = this.of(this.identities, k);
      for (const [key, n] of who) this.distinct += bump(a, key, n);
      const b = this.of(this.ips, k);
      for (const [key, n] of ips) this.distinct += bump(b, key, n);
    }
  }

  top(
    namespace: string,
    metricName: string,
    n = 3,
  ): { identities: [string, number][]; sourceIps: [string, number][] } {
    const k = attributionKey(namespace, metricName);
    return { identities: topOf(this.identities.get(k), n), sourceIps: topOf(this.ips.get(k), n) };
  }

  private of(map: Map<string, Counts>, k: string): Counts {
    let c = map.get(k);
    if (!c) {
      c = new Map();
      map.set(k, c);
    }
    return c;
  }
}
