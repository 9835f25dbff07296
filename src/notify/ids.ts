import { createHash } from "node:crypto";

/**
 * A UUID-shaped id (version 5 layout) derived from `parts`: the same transition and subscription always give
 * the same MessageId and delivery id, so a notification queued twice — a retry after a crash between the
 * alarm's state write and the enqueue — is one outbox item, sent once.
 */
export function stableId(...parts: readonly (string | number)[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
