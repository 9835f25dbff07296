/**
 * Who is behind each metric in a replay: for the events a metric filter matched, counts of their
 * identities and source IPs per metric (namespace + name), for the summary's "top identities / source IPs"
 * of each alarm. Pass 1 feeds it from the record the filters already parsed (no second parse); counts
 * wait for the input to be settled, like the samples, and worker threads' counts are merged at the end
 * (sums: the order does not matter, except past the cap of distinct keys, where which newcomers count as
 * "(other)" depends on what was seen first).
 */

/** Distinct identities (and distinct source IPs) counted before newcomers count as "(other)": bounded memory. */
const CAP = 10_000;

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

/**
 * Counts per identity (and per source IP), one number per metric slot: an event that fed two metrics is
 * one map lookup per kind, not one per metric.
 */
type Rows = Map<string, number[]>;

export class Attribution {
  /** Metric key -> slot in the rows; and back. */
  private readonly slots = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly identities: Rows = new Map();
  private readonly ips: Rows = new Map();
  /** Observed, not counted yet: per event its identity and IP, and its slots (count first). */
  private readonly pendingWho: string[] = [];
  private readonly pendingIp: string[] = [];
  private readonly pendingSlots: number[] = [];

  /** Distinct identities and IPs held. */
  get size(): number {
    return this.identities.size + this.ips.size;
  }

  /** The slot of a metric key (see attributionKey), made on first use. */
  slotOf(metricKey: string): number {
    let slot = this.slots.get(metricKey);
    if (slot === undefined) {
      slot = this.keys.length;
      this.keys.push(metricKey);
      this.slots.set(metricKey, slot);
    }
    return slot;
  }

  /** An event that fed the metrics of these slots; it counts at the next settle. */
  observe(slots: readonly number[], record: Record<string, unknown> | undefined): void {
    this.pendingWho.push(record ? identityOf(record) : "(not JSON)");
    this.pendingIp.push(record ? sourceIpOf(record) : "(none)");
    this.pendingSlots.push(slots.length, ...slots);
  }

  settle(): void {
    const slots = this.pendingSlots;
    let k = 0;
    for (let e = 0; e < this.pendingWho.length; e++) {
      const n = slots[k++];
      const who = row(this.identities, this.pendingWho[e]);
      const ip = row(this.ips, this.pendingIp[e]);
      for (let j = 0; j < n; j++) {
        const s = slots[k++];
        who[s] = (who[s] ?? 0) + 1;
        ip[s] = (ip[s] ?? 0) + 1;
      }
    }
    this.rollback();
  }

  rollback(): void {
    this.pendingWho.length = 0;
    this.pendingIp.length = 0;
    this.pendingSlots.length = 0;
  }

  /** The settled counts, to send to another thread; the counter is empty afterwards. */
  take(): AttributionCounts {
    const out: AttributionCounts = this.keys.map((k) => [k, [], []]);
    for (const [key, counts] of this.identities)
      counts.forEach((n, s) => {
        if (n > 0) out[s][1].push([key, n]);
      });
    for (const [key, counts] of this.ips)
      counts.forEach((n, s) => {
        if (n > 0) out[s][2].push([key, n]);
      });
    this.identities.clear();
    this.ips.clear();
    return out;
  }

  merge(counts: AttributionCounts): void {
    for (const [k, who, ips] of counts) {
      const s = this.slotOf(k);
      for (const [key, n] of who) {
        const r = row(this.identities, key);
        r[s] = (r[s] ?? 0) + n;
      }
      for (const [key, n] of ips) {
        const r = row(this.ips, key);
        r[s] = (r[s] ?? 0) + n;
      }
    }
  }

  top(
    namespace: string,
    metricName: string,
    n = 3,
  ): { identities: [string, number][]; sourceIps: [string, number][] } {
    const s = this.slots.get(attributionKey(namespace, metricName));
    if (s === undefined) return { identities: [], sourceIps: [] };
    return { identities: topOf(this.identities, s, n), sourceIps: topOf(this.ips, s, n) };
  }
}

/** A key's row; past the cap, newcomers share the "(other)" row. */
function row(rows: Rows, key: string): number[] {
  const r = rows.get(key);
  if (r !== undefined) return r;
  const into = rows.size >= CAP ? "(other)" : key;
  let other = rows.get(into);
  if (other === undefined) {
    other = [];
    rows.set(into, other);
  }
  return other;
}

function topOf(rows: Rows, slot: number, n: number): [string, number][] {
  const all: [string, number][] = [];
  for (const [key, counts] of rows) {
    const c = counts[slot];
    if (c) all.push([key, c]);
  }
  return all.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}
