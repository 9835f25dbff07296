/**
 * What CloudTrail's S3 layout tells about a log file from its path or object key:
 * `AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<file>` and, for organization trails,
 * `AWSLogs/<org-id>/<account>/CloudTrail/...`. Used to name streams when a record lacks the fields, and to
 * list only the date folders a time range needs.
 */

export interface CloudTrailKey {
  orgId?: string;
  account?: string;
  region?: string;
  /** The day folder, `yyyy-mm-dd`. */
  day?: string;
}

const LAYOUT =
  /(?:^|\/)AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)(?:\/(\d{4})\/(\d{2})\/(\d{2})(?:\/|$))?/;

export function parseCloudTrailKey(path: string): CloudTrailKey {
  const m = LAYOUT.exec(path.replaceAll("\\", "/"));
  if (!m) return {};
  return {
    orgId: m[1],
    account: m[2],
    region: m[3],
    day: m[4] ? `${m[4]}-${m[5]}-${m[6]}` : undefined,
  };
}

/** CloudTrail's digest files sit beside the logs (`CloudTrail-Digest/`, `_CloudTrail-Digest_`) and hold no events. */
export function isDigest(path: string): boolean {
  return /CloudTrail-Digest/.test(path);
}

/** File names that can hold CloudTrail records. */
export function isLogFileName(name: string): boolean {
  return /\.(json|json\.gz|jsonl|jsonl\.gz|ndjson|gz|log)$/i.test(name);
}

/**
 * The log stream CloudTrail's CloudWatch Logs integration writes an event to: `<account>_CloudTrail_<region>`
 * (AWS CloudTrail User Guide, "CloudWatch log group and log stream naming for CloudTrail"); organization
 * trails put the organization id in front (`<org-id>_<account>_CloudTrail_<region>`). The record's own
 * recipientAccountId and awsRegion win over what the path says.
 */
export function cloudTrailStreamName(
  account: string | undefined,
  region: string | undefined,
  key: CloudTrailKey,
): string {
  const a = account ?? key.account ?? "unknown";
  const r = region ?? key.region ?? "unknown";
  return key.orgId ? `${key.orgId}_${a}_CloudTrail_${r}` : `${a}_CloudTrail_${r}`;
}

/** The UTC day `yyyy-mm-dd` of a time. */
export function dayOf(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Whether a day folder can hold events in [since, until] (CloudTrail files a day's events under that day; a margin of one day covers late deliveries). */
export function dayInRange(day: string, since?: number, until?: number): boolean {
  const start = Date.parse(`${day}T00:00:00Z`);
  if (since !== undefined && start + 2 * 86_400_000 <= since) return false;
  if (until !== undefined && start - 86_400_000 > until) return false;
  return true;
}
