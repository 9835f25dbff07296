/**
 * NextToken for the alarm read APIs: opaque to clients, base64url of a small JSON position. A token that does
 * not decode, or belongs to another API, is AWS's `InvalidNextToken`.
 */
import { invalidNextToken } from "./errors.js";

type TokenKind = "alarms" | "history";

export function encodeNextToken(kind: TokenKind, position: string | number): string {
  return Buffer.from(JSON.stringify({ v: 1, k: kind, p: position }), "utf8").toString("base64url");
}

export function decodeNextToken(kind: "alarms", token: string): string;
export function decodeNextToken(kind: "history", token: string): number;
export function decodeNextToken(kind: TokenKind, token: string): string | number {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error("not base64url");
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalidNextToken();
  }
  const t = parsed as { v?: unknown; k?: unknown; p?: unknown } | null;
  if (t === null || typeof t !== "object" || t.v !== 1 || t.k !== kind) throw invalidNextToken();
  if (kind === "alarms" && typeof t.p === "string") return t.p;
  if (kind === "history" && typeof t.p === "number" && Number.isSafeInteger(t.p) && t.p >= 0) return t.p;
  throw invalidNextToken();
}
