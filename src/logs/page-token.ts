/**
 * nextToken of the CloudWatch Logs list APIs: opaque to clients, base64url of a small JSON position tagged with
 * the API it belongs to. A token that does not decode, or belongs to another API, is AWS's
 * `InvalidParameterException` ("The specified nextToken is invalid.").
 */
import { LogsError } from "./errors.js";

type Kind = "groups" | "streams" | "filter" | "metricFilters";

export function encodePageToken(kind: Kind, position: string | number): string {
  return Buffer.from(JSON.stringify({ k: kind, p: position }), "utf8").toString("base64url");
}

export function decodePageToken(kind: "groups" | "streams" | "metricFilters", token: unknown): string;
export function decodePageToken(kind: "filter", token: unknown): number;
export function decodePageToken(kind: Kind, token: unknown): string | number {
  const invalid = () => new LogsError("InvalidParameterException", "The specified nextToken is invalid.");
  if (typeof token !== "string" || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  let parsed: { k?: unknown; p?: unknown } | null;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (parsed === null || typeof parsed !== "object" || parsed.k !== kind) throw invalid();
  if (kind === "filter" && typeof parsed.p === "number" && Number.isSafeInteger(parsed.p)) return parsed.p;
  if (kind !== "filter" && typeof parsed.p === "string") return parsed.p;
  throw invalid();
}

/**
 * GetLogEvents' `nextForwardToken` / `nextBackwardToken`: `f/` or `b/`, the event position as 56 digits, `/s`,
 * the shape AWS's tokens have (clients only compare them: the CLI stops when the token repeats).
 */
export function streamToken(direction: "f" | "b", seq: number): string {
  return `${direction}/${String(seq).padStart(56, "0")}/s`;
}

export function parseStreamToken(token: unknown): { direction: "f" | "b"; seq: number } {
  const m = typeof token === "string" ? /^([fb])\/(\d{1,56})\/s$/.exec(token) : null;
  const seq = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isSafeInteger(seq)) {
    throw new LogsError("InvalidParameterException", "The specified nextToken is invalid.");
  }
  return { direction: m[1] as "f" | "b", seq };
}
