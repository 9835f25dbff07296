/**
 * AWS Signature Version 4, the server side: parse the `Authorization` header, rebuild the canonical request
 * from exactly the headers the client listed as signed, and compute the signature a secret gives. Pure
 * functions over the request's parts; no clock, no key lookup (src/api/auth/authenticate.ts does those).
 *
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const ALGORITHM = "AWS4-HMAC-SHA256";

export interface SignedRequest {
  method: string;
  /** The path as sent (still percent-encoded), without the query string. */
  path: string;
  /** The raw query string without `?` (still percent-encoded); "" when none. */
  query: string;
  /** Lower-case names; values as Node gives them (repeated headers joined with ", "). */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Credential {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

export interface ParsedAuthorization {
  credential: Credential;
  signedHeaders: string[];
  signature: string;
}

/** Why an Authorization header is not a well-formed SigV4 one (AWS's IncompleteSignature wording). */
export class MalformedAuthorization extends Error {}

/**
 * `AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/logs/aws4_request, SignedHeaders=a;b, Signature=hex`.
 */
export function parseAuthorization(header: string): ParsedAuthorization {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) {
    const algorithm = trimmed.split(/\s+/)[0] ?? "";
    throw new MalformedAuthorization(`Unsupported AWS 'algorithm': '${algorithm}'`);
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length).split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((k) => !fields.get(k));
  if (missing.length > 0) {
    throw new MalformedAuthorization(
      missing.map((k) => `Authorization header requires '${k}' parameter.`).join(" ") +
        ` Authorization=${trimmed}`,
    );
  }
  const scope = (fields.get("Credential") as string).split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request" || !/^\d{8}$/.test(scope[1]) || scope[0] === "") {
    throw new MalformedAuthorization(
      `Credential should be scoped to a valid region. Credential=${fields.get("Credential")}`,
    );
  }
  const signature = fields.get("Signature") as string;
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    throw new MalformedAuthorization(
      `Signature must be 64 lower-case hex characters. Signature=${signature}`,
    );
  }
  const signedHeaders = (fields.get("SignedHeaders") as string).split(";");
  if (signedHeaders.some((h) => h === "" || h !== h.toLowerCase())) {
    throw new MalformedAuthorization(`Malformed SignedHeaders: ${fields.get("SignedHeaders")}`);
  }
  if (!signedHeaders.includes("host")) {
    throw new MalformedAuthorization(
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  return {
    credential: { accessKeyId: scope[0], date: scope[1], region: scope[2], service: scope[3] },
    signedHeaders,
    signature,
  };
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters, uppercase hex. */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeLenient(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

function canonicalPath(path: string): string {
  // Services other than S3 encode each segment of the (already encoded) path once more.
  return path === "" ? "/" : path.split("/").map(uriEncode).join("/");
}

function canonicalQuery(query: string): string {
  if (query === "") return "";
  const pairs = query
    .split("&")
    .filter((p) => p !== "")
    .map((p) => {
      const eq = p.indexOf("=");
      const k = eq < 0 ? p : p.slice(0, eq);
      const v = eq < 0 ? "" : p.slice(eq + 1);
      return [uriEncode(decodeLenient(k)), uriEncode(decodeLenient(v))] as const;
    })
    .filter(([k]) => k !== "X-Amz-Signature");
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function headerValue(v: string | string[] | undefined): string {
  const joined = Array.isArray(v) ? v.join(",") : (v ?? "");
  return joined.trim().replace(/\s+/g, " ");
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export function canonicalRequest(req: SignedRequest, signedHeaders: readonly string[]): string {
  return [
    req.method.toUpperCase(),
    canonicalPath(req.path),
    canonicalQuery(req.query),
    ...signedHeaders.map((h) => `${h}:${headerValue(req.headers[h])}`),
    "",
    signedHeaders.join(";"),
    sha256Hex(req.body),
  ].join("\n");
}

export function signingKey(secret: string, c: Credential): Buffer {
  const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, c.date), c.region), c.service), "aws4_request");
}

/** The signature `secret` gives this request. */
export function computeSignature(
  req: SignedRequest,
  auth: ParsedAuthorization,
  amzDate: string,
  secret: string,
): string {
  const c = auth.credential;
  const scope = `${c.date}/${c.region}/${c.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest(req, auth.signedHeaders))].join(
    "\n",
  );
  return createHmac("sha256", signingKey(secret, c)).update(stringToSign).digest("hex");
}

export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `20261128T002330Z` to epoch ms, or undefined when malformed. */
export function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isFinite(ms) ? ms : undefined;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}
