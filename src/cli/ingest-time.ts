/** `--since` / `--until` values: an ISO date or time (UTC unless it says otherwise), or an age like 90d, 12h, 30m. */
export function parseTimeOption(value: string, now: number): number | undefined {
  const age = /^(\d+)([dhm])$/.exec(value.trim());
  if (age)
    return now - Number(age[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[age[2] as "d" | "h" | "m"];
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(t) ? undefined : t;
}
