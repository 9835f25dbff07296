/**
 * Opaque pagination tokens: a versioned JSON state in base64url, bound to the request it continues by a
 * fingerprint, so that a token replayed against another request is refused instead of silently paging
 * through the wrong data. Tokens carry positions (the last item returned), not offsets, so data arriving
 * between pages shifts nothing.
 */

/** FNV-1a, 32 bits: a fingerprint, not a security measure (tokens are not secrets in CloudWatch either). */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

export function encodeToken(state: unknown): string {
  return Buffer.from(JSON.stringify({ v: 1, s: state }), "utf8").toString("base64url");
}

/** The state inside a token, or undefined when the text is not a token of ours. */
export function decodeToken(token: unknown): unknown {
  if (typeof token !== "string" || token.length === 0 || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    return parsed && parsed.v === 1 ? parsed.s : undefined;
  } catch {
    return undefined;
  }
}
